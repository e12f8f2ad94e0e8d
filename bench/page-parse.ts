import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHistoryPage } from '../lambda/core/changelog-page.js';
import { hostilePvPage, readPvPage } from '../test/support/hostile-pages.js';

export interface PageParseResult {
  /** The first parse in this process (cold code paths), then the measured warm ones. */
  readonly firstMs: number;
  readonly samplesMs: readonly number[];
  readonly entries: number;
  readonly pageBytes: number;
}

/** parseHistoryPage over the AWS PV history page fixture, as the live changelog source reads it. */
export function measurePageParse(runs: number): PageParseResult {
  const html = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'pages', 'aws-pv.html'), 'utf8');
  return measure(html, runs, (page) => parseHistoryPage(page, 'aws-pv').entries.length);
}

/**
 * A 2 MiB PV page of cells built to make a backtracking reader slow (test/support/hostile-pages.ts), read as the
 * relay reads a live page: parsed, then a rule read from each Windows Server row.
 */
export function measureHostilePageRead(runs: number): PageParseResult {
  return measure(hostilePvPage(), runs, (page) => readPvPage(page).entries.length);
}

function measure(html: string, runs: number, read: (html: string) => number): PageParseResult {
  let started = performance.now();
  const entries = read(html);
  const firstMs = performance.now() - started;
  if (entries === 0) throw new Error('the page parsed into no entries');
  const samplesMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    started = performance.now();
    read(html);
    samplesMs.push(performance.now() - started);
  }
  return { firstMs, samplesMs, entries, pageBytes: Buffer.byteLength(html) };
}
