/**
 * A history page is third-party input: a changed or hijacked page must not be able to stall the relay. Each check
 * runs the reader in a worker with a deadline far above what the work takes on a busy machine (tens of
 * milliseconds); it fails only when the cost runs away, as it did when two backtracking regexes took 11-15 s over
 * one 2 MiB page. How fast the reader is, is measured in bench/ (npm run bench), never here.
 */
import type { ParsedHistoryPage } from '../lambda/core/changelog.js';
import { parseHistoryPage } from '../lambda/core/changelog-page.js';
import type { DriverRule } from '../lambda/core/windows-server.js';
import { runWithDeadline } from './support/deadline.js';
import { hostilePvPage, type readPvPage } from './support/hostile-pages.js';
import { fixturePage } from './support/page-server.js';

const DEADLINE_MS = 5_000;
/** Loading the worker (tsx, the parser) takes seconds on a loaded machine; the deadline itself starts after. */
const TEST_TIMEOUT_MS = 60_000;

test(
  'a 2 MiB page of hostile cells is read like the real page, its hostile rows skipped',
  async () => {
    const html = hostilePvPage();
    const real = parseHistoryPage(fixturePage('aws-pv.html'), 'aws-pv');

    const outcome = await runWithDeadline<ReturnType<typeof readPvPage>>(
      'test/support/hostile-pages.ts',
      'readPvPage',
      [html],
      DEADLINE_MS,
    );

    expect(html.length).toBeGreaterThan(2_000_000);
    if (!outcome.ok) throw new Error(`the page was refused: ${outcome.error.message}`);
    const page = outcome.value;
    expect(page.entries).toEqual(real.entries);
    expect(page.skipped.length).toBeGreaterThan(0);
    expect(page.skipped.every(({ reason }) => reason.startsWith('version "1111'))).toBe(true);
    expect(page.windowsServerTable.slice(0, real.windowsServerTable.length)).toEqual(real.windowsServerTable);
    expect(page.rules.slice(0, real.windowsServerTable.length)).toEqual([
      { kind: 'unsupported' },
      { kind: 'latest' },
      { kind: 'latest' },
      { kind: 'latest' },
      { kind: 'pinned', version: '8.4.3' },
      { kind: 'pinned', version: '8.4.3' },
      { kind: 'pinned', version: '8.3.5' },
      { kind: 'other', text: 'Citrix PV 5.9' },
      { kind: 'other', text: 'Citrix PV 5.9' },
    ]);
    const hostileRules = page.rules.slice(real.windowsServerTable.length);
    expect(hostileRules.length).toBeGreaterThan(0);
    expect(hostileRules.every((rule) => rule.kind === 'other')).toBe(true);
  },
  TEST_TIMEOUT_MS,
);

test(
  'a Windows Server cell of two million digits is read as text, and a version after a long run is still found',
  async () => {
    const digits = '1'.repeat(2_000_000);

    const [noVersion, lateVersion] = await Promise.all([
      runWithDeadline<DriverRule>(
        'lambda/core/windows-server.ts',
        'ruleFromTableCell',
        [`AWS PV ${digits}`],
        DEADLINE_MS,
      ),
      runWithDeadline<DriverRule>(
        'lambda/core/windows-server.ts',
        'ruleFromTableCell',
        [`AWS PV ${digits} up to 8.4.3`],
        DEADLINE_MS,
      ),
    ]);

    expect(noVersion).toEqual({ ok: true, value: { kind: 'other', text: `AWS PV ${digits}` } });
    expect(lateVersion).toEqual({ ok: true, value: { kind: 'pinned', version: '8.4.3' } });
  },
  TEST_TIMEOUT_MS,
);

test(
  'nesting far deeper than any documentation page is refused',
  async () => {
    const html = `${'<div>'.repeat(100_000)}x${'</div>'.repeat(100_000)}`;

    const outcome = await runWithDeadline(
      'lambda/core/changelog-page.ts',
      'parseHistoryPage',
      [html, 'aws-pv'],
      DEADLINE_MS,
    );

    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'page-unreadable', message: expect.stringContaining('nested deeper than') },
    });
  },
  TEST_TIMEOUT_MS,
);

test(
  'a page padded with megabytes of text in one cell is still read',
  async () => {
    const padding = `<table><tr><td>${'lorem\n'.repeat(400_000)}</td></tr></table>`;
    const html = fixturePage('aws-pv.html').replace('<body', `${padding}<body`);

    const outcome = await runWithDeadline<ParsedHistoryPage>(
      'lambda/core/changelog-page.ts',
      'parseHistoryPage',
      [html, 'aws-pv'],
      DEADLINE_MS,
    );

    expect(outcome.ok && outcome.value.entries).toHaveLength(29);
  },
  TEST_TIMEOUT_MS,
);
