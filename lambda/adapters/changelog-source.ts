import { snapshotChangelog } from '../core/bundled-snapshot.js';
import { type Changelog, type ChangelogSource, entryFor, type SkippedRow } from '../core/changelog.js';
import type { DriverFamily } from '../core/driver-family.js';
import { RelayError } from '../core/errors.js';
import { fetchHistoryPage, HistoryPageFetchError } from './history-page-fetch.js';

export interface ChangelogSourceOptions {
  /** Read AWS's history pages; when false, the bundled snapshot is used throughout. */
  readonly live: boolean;
  /** @default fetchHistoryPage with its production allow-list */
  readonly fetchPage?: (family: DriverFamily) => Promise<string>;
  /** How long a page read stays in use across warm invocations. @default 15 minutes */
  readonly ttlMs?: number;
  /** How long a failed read is remembered, so a dead docs site is asked once a minute, not once a record. @default 1 minute */
  readonly failureTtlMs?: number;
  /**
   * A cached page older than this that does not list the announced version is read again at once: the release
   * was probably published after the cached read. @default 1 minute
   */
  readonly recheckAfterMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** Told why the snapshot was used instead of the live page ("fetch-failed: timeout", "version-not-listed", ...). */
  readonly onFallback?: (family: DriverFamily, reason: string) => void;
  /** Told about rows of a live page the reader could not use (the rest of the page is still used). */
  readonly onSkippedRows?: (family: DriverFamily, skipped: readonly SkippedRow[]) => void;
}

const DEFAULT_TTL_MS = 15 * 60 * 1000;
const DEFAULT_FAILURE_TTL_MS = 60 * 1000;

type LiveRead = { readonly ok: true; readonly changelog: Changelog } | { readonly ok: false; readonly reason: string };

interface CacheEntry {
  readonly read: Promise<LiveRead>;
  /** Infinity while the read is in flight, so concurrent callers share it. */
  expiresAt: number;
}

/**
 * The changelog the enrichment uses: the live history page when it can be read and is at least as complete as
 * the bundled snapshot, the snapshot otherwise.
 *
 * getChangelog never rejects for a page problem. A fetch that fails, times out or returns a page the reader
 * cannot use is only reported through onFallback (the handler logs it and counts a metric): a docs outage must
 * never block or retry delivery of the alert itself.
 */
export function createChangelogSource(options: ChangelogSourceOptions): ChangelogSource {
  const {
    live,
    fetchPage = (family: DriverFamily) => fetchHistoryPage(family),
    ttlMs = DEFAULT_TTL_MS,
    failureTtlMs = DEFAULT_FAILURE_TTL_MS,
    recheckAfterMs = DEFAULT_FAILURE_TTL_MS,
    now = Date.now,
    onFallback = () => undefined,
    onSkippedRows = () => undefined,
  } = options;
  const cache = new Map<DriverFamily, CacheEntry>();

  const readLive = (family: DriverFamily): Promise<LiveRead> => {
    const cached = cache.get(family);
    if (cached !== undefined && now() < cached.expiresAt) return cached.read;
    const entry: CacheEntry = {
      read: readPage(family, { fetchPage, now, onSkippedRows }),
      expiresAt: Number.POSITIVE_INFINITY,
    };
    cache.set(family, entry);
    // readPage never rejects, so this bookkeeping cannot leave an unhandled rejection behind.
    void entry.read.then((result) => {
      entry.expiresAt = now() + (result.ok ? ttlMs : failureTtlMs);
    });
    return entry.read;
  };

  return {
    async getChangelog(family, announcedVersion) {
      const snapshot = snapshotChangelog(family);
      if (!live) return snapshot;
      let result = await readLive(family);
      if (
        result.ok &&
        announcedVersion !== null &&
        !lists(result.changelog, announcedVersion) &&
        now() - Date.parse(result.changelog.asOf) >= recheckAfterMs
      ) {
        cache.delete(family);
        result = await readLive(family);
      }
      if (!result.ok) {
        onFallback(family, result.reason);
        return snapshot;
      }
      if (
        announcedVersion !== null &&
        !lists(result.changelog, announcedVersion) &&
        lists(snapshot, announcedVersion)
      ) {
        onFallback(family, 'version-not-listed');
        return snapshot;
      }
      // When neither copy lists the announced version, the live page is still the newer of the two.
      return result.changelog;
    },
  };
}

/**
 * One fetch and parse of a history page, uncached (the watch reads each page once per run); resolves with the
 * failure reason instead of rejecting.
 */
export async function readPage(
  family: DriverFamily,
  {
    fetchPage = (each) => fetchHistoryPage(each),
    now = Date.now,
    onSkippedRows = () => undefined,
  }: Pick<ChangelogSourceOptions, 'fetchPage' | 'now' | 'onSkippedRows'> = {},
): Promise<LiveRead> {
  try {
    const html = await fetchPage(family);
    const asOf = new Date(now()).toISOString();
    // Loaded on first use: the parser and its entity tables are a fifth of the bundle, and a cold start that reads
    // the snapshot only never needs them.
    const { parseHistoryPage } = await import('../core/changelog-page.js');
    const page = parseHistoryPage(html, family);
    if (page.skipped.length > 0) onSkippedRows(family, page.skipped);
    if (page.entries.length === 0) return { ok: false, reason: 'page-unreadable: no entries' };
    return {
      ok: true,
      changelog: {
        family,
        entries: page.entries,
        windowsServerTable: page.windowsServerTable,
        origin: 'live',
        asOf,
      },
    };
  } catch (error) {
    return { ok: false, reason: fallbackReason(error) };
  }
}

function fallbackReason(error: unknown): string {
  if (error instanceof HistoryPageFetchError) return `${error.code}: ${error.reason}`;
  if (error instanceof RelayError) return error.code;
  const message = typeof error === 'object' && error !== null && 'message' in error ? error.message : error;
  return `unexpected: ${String(message)}`;
}

function lists(changelog: Changelog, version: string): boolean {
  return entryFor(changelog.entries, version) !== undefined;
}
