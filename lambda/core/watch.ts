/**
 * The version-history watch, as a plan: given what each history page lists now, what the relay alerted and what
 * the watch saw last time, which alerts to amend and which releases AWS never announced. Pure: the runner
 * (lambda/watch.ts) reads the pages and the records, sends, and saves the next state; the CLI only prints the plan.
 *
 * The rules, in the order they protect the user:
 * 1. A page that could not be read, that the reader could not use, or that suddenly lists fewer rows than the last
 *    read changes nothing for its family: no amendment, no new release, and the state stays as it was. A page
 *    that keeps the smaller count for SHRINK_SETTLE_MS is taken as the page's new shape (a row AWS really removed
 *    must not stop the watch of that family for good), and still never alerts anything by itself.
 * 2. The first time the watch reads a family, everything on the page is recorded as known and nothing is
 *    announced: an empty state is "never looked", not "nothing released".
 * 3. An alert is amended only by what the page now says positively about its version (the row appeared, a date
 *    appeared, the row says rolled back), never by a row missing, and for one change at a time: rolled back
 *    outranks notes, which outrank a date alone.
 * 4. A version is unannounced only when it is newer than every version of its family the relay has seen (on the
 *    page before, waiting out its grace, or in an alert) and no alert named it for `graceMs` after the watch first
 *    saw it. An upcoming notice does not count as an alert here: it said the release was not out yet.
 */
import type { AlertKind } from './alert.js';
import { type Changelog, entryFor, marksRolledBack } from './changelog.js';
import type { DriverFamily } from './driver-family.js';
import { compareVersions, sameVersion } from './version.js';

export type AmendmentChange = 'notes-published' | 'date-published' | 'rolled-back';

/** What the relay alerted about one version, and what the version history said when it did. */
export interface SentAlert {
  readonly family: DriverFamily;
  readonly version: string;
  /** The alert's kind; only release alerts are amended (they are the ones that tell people to install). */
  readonly kind: Exclude<AlertKind, 'unrecognised'>;
  /** Whether the version history listed the version (with its notes) when the alert went out. */
  readonly notesPublished: boolean;
  /** The release date it showed; null when none was published; undefined when not known (a --seen file). */
  readonly releaseDate?: string | null;
  /** Whether the alert already said not to install it. */
  readonly rolledBack: boolean;
}

/** What the watch keeps per family between runs. */
export interface FamilyWatchState {
  /** The newest version the watch has accepted as known (seen on the page, or alerted). */
  readonly newest: string | null;
  /** Rows the last accepted read listed. */
  readonly rows: number;
  /** Versions newer than `newest`, not announced yet: when the watch first saw each (epoch ms). */
  readonly pending: Readonly<Record<string, number>>;
  /** A read that listed fewer rows, and since when the page has listed that many. */
  readonly shrunk: { readonly rows: number; readonly since: number } | null;
}

/** One read of a family's page: the changelog, or why there is none. */
export type PageRead =
  | { readonly ok: true; readonly changelog: Changelog }
  | { readonly ok: false; readonly reason: string };

export type WatchProblem =
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'shrank'; readonly rows: number; readonly before: number };

export interface Update<A extends SentAlert = SentAlert> {
  readonly family: DriverFamily;
  readonly version: string;
  readonly change: AmendmentChange;
  /** The alert it amends. */
  readonly alert: A;
}

export interface FamilyPlan<A extends SentAlert = SentAlert> {
  readonly family: DriverFamily;
  readonly updates: readonly Update<A>[];
  /** Versions to alert now as seen on the history page without a notice, oldest first. */
  readonly unannounced: readonly string[];
  /** When the watch first saw each version of `unannounced` (epoch ms). */
  readonly firstSeen: Readonly<Record<string, number>>;
  /** Why this family changes nothing this time; null when its page was used. */
  readonly problem: WatchProblem | null;
  /** True when the watch had no state for the family: it only records what is there. */
  readonly firstSight: boolean;
  /**
   * The state to save once the plan is carried out; null saves nothing (a first read that failed stays "never
   * looked"). A version in `unannounced` that could not be delivered goes back to pending with `settle`, so the
   * next watch tries it again.
   */
  readonly next: FamilyWatchState | null;
}

export interface WatchInput<A extends SentAlert> {
  readonly family: DriverFamily;
  readonly page: PageRead;
  /** Alerts the relay sent (the last 60 days of them); those about other families are left out here. */
  readonly sent: readonly A[];
  /** undefined: the watch never read this family. */
  readonly state: FamilyWatchState | undefined;
  readonly now: number;
  /** How long a new version may sit on the page without a notice before it is alerted. */
  readonly graceMs: number;
}

/** How long a page must keep listing fewer rows before the watch takes that as its new shape. */
export const SHRINK_SETTLE_MS = 48 * 60 * 60 * 1000;

/** How far back the watch amends alerts. */
export const AMEND_WINDOW_MS = 60 * 24 * 60 * 60 * 1000;

export function planFamily<A extends SentAlert>(input: WatchInput<A>): FamilyPlan<A> {
  const { family, page, state, now } = input;
  const unchanged = (problem: WatchProblem, next: FamilyWatchState | undefined): FamilyPlan<A> => ({
    family,
    updates: [],
    unannounced: [],
    firstSeen: {},
    problem,
    firstSight: false,
    next: next ?? null,
  });
  if (!page.ok) return unchanged({ kind: 'unreadable', reason: page.reason }, state);
  const { entries } = page.changelog;
  if (entries.length === 0) return unchanged({ kind: 'unreadable', reason: 'the page lists no versions' }, state);

  if (state !== undefined && entries.length < state.rows) {
    const since = state.shrunk?.rows === entries.length ? state.shrunk.since : now;
    if (now - since < SHRINK_SETTLE_MS) {
      return unchanged(
        { kind: 'shrank', rows: entries.length, before: state.rows },
        { ...state, shrunk: { rows: entries.length, since } },
      );
    }
  }

  const sent = input.sent.filter((alert) => alert.family === family);
  const updates = amendments(sent, page.changelog);
  if (state === undefined) {
    return {
      family,
      updates,
      unannounced: [],
      firstSeen: {},
      problem: null,
      firstSight: true,
      next: {
        newest: newestOf(entries.map((entry) => entry.version)),
        rows: entries.length,
        pending: {},
        shrunk: null,
      },
    };
  }

  // Versions the relay has seen: the last accepted page's newest, and every version an alert named. An upcoming
  // notice does not count: it said the release was not out, so its release appearing is still news.
  const alerted = sent.filter((alert) => alert.kind !== 'upcoming').map((alert) => alert.version);
  // Versions already waiting were seen too: a version newer only than the accepted ones is not news.
  const seenNewest = newestOf([
    ...(state.newest === null ? [] : [state.newest]),
    ...alerted,
    ...Object.keys(state.pending),
  ]);
  const announced = (version: string) => alerted.some((named) => sameVersion(named, version));
  // A version already waiting stays a candidate until an alert names it, even once a newer one was alerted.
  const candidates = entries
    .map((entry) => entry.version)
    .filter(
      (version) =>
        !announced(version) &&
        (seenNewest === null ||
          compareVersions(version, seenNewest) > 0 ||
          pendingSince(state.pending, version) !== undefined),
    )
    .sort(compareVersions);
  const pending: Record<string, number> = {};
  const unannounced: string[] = [];
  const firstSeen: Record<string, number> = {};
  for (const version of candidates) {
    const since = pendingSince(state.pending, version) ?? now;
    if (now - since >= input.graceMs) {
      unannounced.push(version);
      firstSeen[version] = since;
    } else {
      pending[version] = since;
    }
  }
  const accepted = [seenNewest, ...unannounced].filter((version) => version !== null);
  return {
    family,
    updates,
    unannounced,
    firstSeen,
    problem: null,
    firstSight: false,
    next: { newest: newestOf(accepted), rows: entries.length, pending, shrunk: null },
  };
}

/** The state to save when some of the plan's unannounced versions could not be delivered: they stay pending. */
export function settle(plan: FamilyPlan<SentAlert>, undelivered: readonly string[]): FamilyWatchState | null {
  const { next } = plan;
  if (next === null || undelivered.length === 0) return next;
  // Pending versions stay candidates whatever is newer, and their grace is already over: the next watch retries.
  const pending = { ...next.pending };
  for (const version of undelivered) pending[version] = plan.firstSeen[version] ?? 0;
  return { ...next, pending };
}

/** Each release alert the page now says more about, with the one change to make. */
function amendments<A extends SentAlert>(sent: readonly A[], changelog: Changelog): Update<A>[] {
  const updates: Update<A>[] = [];
  for (const alert of sent) {
    if (alert.kind !== 'release' || alert.rolledBack) continue;
    const entry = entryFor(changelog.entries, alert.version);
    if (entry === undefined) continue;
    const change: AmendmentChange | null = marksRolledBack(entry)
      ? 'rolled-back'
      : !alert.notesPublished
        ? 'notes-published'
        : alert.releaseDate === null && entry.releaseDate !== null
          ? 'date-published'
          : null;
    if (change !== null) updates.push({ family: alert.family, version: alert.version, change, alert });
  }
  return updates;
}

function pendingSince(pending: Readonly<Record<string, number>>, version: string): number | undefined {
  const key = Object.keys(pending).find((candidate) => sameVersion(candidate, version));
  return key === undefined ? undefined : pending[key];
}

function newestOf(versions: readonly string[]): string | null {
  return versions.reduce<string | null>(
    (newest, version) => (newest === null || compareVersions(version, newest) > 0 ? version : newest),
    null,
  );
}
