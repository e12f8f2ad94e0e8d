/**
 * `driver-relay update-changelog`: reads the four live history pages and rewrites the bundled snapshot
 * (lambda/core/changelog-snapshot.json) so the next deployment falls back to current changelogs.
 *
 * All or nothing: if any page cannot be fetched or read, nothing is written and the command rejects, because a
 * snapshot mixing fresh and stale families (or missing one) is worse than an old but consistent one.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { fetchHistoryPage, HISTORY_PAGE_URLS } from '../adapters/history-page-fetch.js';
import type { SkippedRow } from '../core/changelog.js';
import { parseHistoryPage } from '../core/changelog-page.js';
import { buildSnapshot, serializeSnapshot } from '../core/changelog-snapshot.js';
import { DRIVER_FAMILIES, type DriverFamily, FAMILIES } from '../core/driver-family.js';
import { messageOf, RelayError } from '../core/errors.js';
import { SNAPSHOT_PATH } from './repo-paths.js';

export interface UpdateChangelogOptions {
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Where each family's history page is. @default FAMILIES[family].historyUrl */
  readonly urls?: Readonly<Record<DriverFamily, string>>;
  /** The snapshot to rewrite. @default lambda/core/changelog-snapshot.json */
  readonly snapshotPath?: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Per page, covering redirects, headers and body. @default 15000 (a person is waiting, not a Lambda) */
  readonly timeoutMs?: number;
}

export interface FamilyUpdate {
  readonly family: DriverFamily;
  readonly url: string;
  /** Versions read from the page. */
  readonly entries: number;
  /** Rows left out, with the reason for each. */
  readonly skipped: readonly SkippedRow[];
  /** The first (newest) version on the page. */
  readonly newestVersion: string;
}

export interface UpdateReport {
  /** The snapshot's new asOf (YYYY-MM-DD). */
  readonly asOf: string;
  readonly snapshotPath: string;
  readonly families: readonly FamilyUpdate[];
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Fetches and reads every page, then writes the snapshot; rejects with a RelayError (nothing written) otherwise. */
export async function updateChangelog(options: UpdateChangelogOptions = {}): Promise<UpdateReport> {
  const {
    fetch = globalThis.fetch,
    urls = HISTORY_PAGE_URLS,
    snapshotPath = SNAPSHOT_PATH,
    now = () => new Date(),
    timeoutMs = DEFAULT_TIMEOUT_MS,
  } = options;

  const fetched = await Promise.allSettled(
    DRIVER_FAMILIES.map((family) => fetchHistoryPage(family, { fetch, urls, timeoutMs })),
  );
  const failures: Failure[] = [];
  const pages = {} as Record<DriverFamily, string>;
  const families: FamilyUpdate[] = [];
  for (const [index, family] of DRIVER_FAMILIES.entries()) {
    const result = fetched[index];
    if (result?.status !== 'fulfilled') {
      failures.push({ family, error: result?.reason });
      continue;
    }
    pages[family] = result.value;
    try {
      families.push(readPage(family, urls[family], result.value));
    } catch (error) {
      failures.push({ family, error });
    }
  }
  if (failures.length > 0) throw updateFailed(failures);

  const asOf = now().toISOString().slice(0, 10);
  const snapshot = buildSnapshot(pages, asOf);

  // Written beside the target and renamed over it, so a crash mid-write never leaves half a snapshot.
  const temporary = `${snapshotPath}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, serializeSnapshot(snapshot), 'utf8');
    await rename(temporary, snapshotPath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { asOf, snapshotPath, families };
}

/** The report as the command prints it. */
export function formatUpdateReport(report: UpdateReport): string {
  const lines = [`Changelog snapshot updated (as of ${report.asOf}): ${report.snapshotPath}`];
  for (const update of report.families) {
    const skipped = update.skipped.length === 0 ? '' : `, ${update.skipped.length} skipped`;
    lines.push(
      `  ${FAMILIES[update.family].name}: ${update.entries} versions, newest ${update.newestVersion}${skipped}`,
    );
    for (const row of update.skipped) lines.push(`    row ${row.row} skipped: ${row.reason}`);
  }
  return lines.join('\n');
}

/** Throws RelayError('page-unreadable') when the page has no history table or not one readable row in it. */
function readPage(family: DriverFamily, url: string, html: string): FamilyUpdate {
  const { entries, skipped } = parseHistoryPage(html, family);
  const [newest] = entries;
  if (!newest) {
    throw new RelayError('page-unreadable', `${family} history page: no row of the history table could be read`);
  }
  return { family, url, entries: entries.length, skipped, newestVersion: newest.version };
}

interface Failure {
  readonly family: DriverFamily;
  readonly error: unknown;
}

function updateFailed(failures: readonly Failure[]): RelayError {
  const [first] = failures;
  const reasons = failures.map(({ family, error }) => `${family}: ${messageOf(error)}`).join('; ');
  const code = first?.error instanceof RelayError ? first.error.code : 'fetch-failed';
  const cause = failures.length === 1 ? first?.error : new AggregateError(failures.map(({ error }) => error));
  return new RelayError(code, `Changelog snapshot not updated (nothing written). ${reasons}`, { cause });
}
