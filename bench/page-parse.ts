import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHistoryPage } from '../lambda/core/changelog-page.js';

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
  let started = performance.now();
  const { entries } = parseHistoryPage(html, 'aws-pv');
  const firstMs = performance.now() - started;
  if (entries.length === 0) throw new Error('the PV page fixture parsed into no entries');
  const samplesMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    started = performance.now();
    parseHistoryPage(html, 'aws-pv');
    samplesMs.push(performance.now() - started);
  }
  return { firstMs, samplesMs, entries: entries.length, pageBytes: Buffer.byteLength(html) };
}
