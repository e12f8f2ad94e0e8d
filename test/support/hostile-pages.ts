/**
 * A history page built to make a reader slow: the real PV page (test/fixtures/pages/aws-pv.html) grown to about
 * `bytes` with cells whose text drives a backtracking regex to its worst case. Long runs of colons in header cells
 * (a header name loses a trailing ":"), and long runs of digits with no dot in version cells and in the Windows
 * Server table's driver cells (where a version is looked for). Lines longer than the reader keeps (10,000
 * characters) would only be cut, so each run stays just under that.
 *
 * The real rows stay as they are, so a check can compare what is read with what the fixture yields: decoy tables
 * come before the page's own, hostile history rows after the real ones, hostile Windows Server rows after the real
 * ones.
 */
import type { ParsedHistoryPage } from '../../lambda/core/changelog.js';
import { parseHistoryPage } from '../../lambda/core/changelog-page.js';
import { type DriverRule, ruleFromTableCell } from '../../lambda/core/windows-server.js';
import { fixturePage } from './page-server.js';

const RUN = 9_990;
const colons = `${':'.repeat(RUN)}x`;
const digits = `${'1'.repeat(RUN)}x`;

/** A table no reader should take for a history table, with a header cell of ten long runs of colons. */
const DECOY_TABLE = `<table><thead><tr><th>${`<p>${colons}</p>`.repeat(10)}</th><th>Details</th></tr></thead></table>\n`;
/** A history row whose version cell is no version: read, then skipped. */
const HISTORY_ROW = `<tr><td><p>${digits}</p></td><td><p>${digits}</p></td><td><p>${digits}</p></td></tr>\n`;
/** A Windows Server row whose driver cell names AWS PV but no version. */
const WINDOWS_SERVER_ROW = `<tr><td><p>Windows Server ${digits}</p></td><td>${`<p>AWS PV ${digits}</p>`.repeat(3)}</td></tr>\n`;

export function hostilePvPage(bytes = 2 * 1024 * 1024): string {
  const page = fixturePage('aws-pv.html');
  // The decoy tables and the Windows Server rows cost a backtracking reader the most; history rows are a tenth.
  const share = (chunk: string, fraction: number) => chunk.repeat(Math.floor((bytes * fraction) / chunk.length));

  const bodyStart = page.indexOf('>', page.indexOf('<body')) + 1;
  const windowsServerEnd = page.indexOf('</table>', page.indexOf('<th>Windows Server version</th>'));
  const historyEnd = page.indexOf('</table>', page.indexOf('id="pv-driver-history"'));
  if (bodyStart <= 0 || windowsServerEnd < 0 || historyEnd < 0) throw new Error('aws-pv.html changed shape');

  return [
    page.slice(0, bodyStart),
    share(DECOY_TABLE, 0.45),
    page.slice(bodyStart, windowsServerEnd),
    share(WINDOWS_SERVER_ROW, 0.45),
    page.slice(windowsServerEnd, historyEnd),
    share(HISTORY_ROW, 0.1),
    page.slice(historyEnd),
  ].join('');
}

/** What the relay makes of a PV page it reads live: the page, and the rule the enrichment reads from each Windows Server row. */
export function readPvPage(html: string): ParsedHistoryPage & { readonly rules: DriverRule[] } {
  const page = parseHistoryPage(html, 'aws-pv');
  return { ...page, rules: page.windowsServerTable.map((row) => ruleFromTableCell(row.driver)) };
}
