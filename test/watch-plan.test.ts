import fc from 'fast-check';
import type { Changelog, ChangelogEntry } from '../lambda/core/changelog.js';
import type { DriverFamily } from '../lambda/core/driver-family.js';
import { compareVersions, sameVersion } from '../lambda/core/version.js';
import {
  type FamilyWatchState,
  type PageRead,
  planFamily,
  type SentAlert,
  SHRINK_SETTLE_MS,
  settle,
} from '../lambda/core/watch.js';

const HOUR = 60 * 60 * 1000;
/** Fixed so CI is repeatable; WATCH_SEED=<n> replays or explores another. */
const SEED = Number(process.env.WATCH_SEED ?? 20261202);
const GRACE = 24 * HOUR;
const NOW = Date.parse('2026-12-02T12:00:00Z');

function row(
  version: string,
  { date = '2026-11-01', notes = ['Fixes.'] }: { date?: string | null; notes?: string[] } = {},
): ChangelogEntry {
  return { version, releaseDate: date, details: notes, packageUrl: null, driverVersion: null };
}

function page(entries: ChangelogEntry[], family: DriverFamily = 'ena'): PageRead {
  const changelog: Changelog = {
    family,
    entries,
    windowsServerTable: [],
    origin: 'live',
    asOf: new Date(NOW).toISOString(),
  };
  return { ok: true, changelog };
}

function sentRelease(version: string, overrides: Partial<SentAlert> = {}): SentAlert {
  return {
    family: 'ena',
    version,
    kind: 'release',
    notesPublished: true,
    releaseDate: '2026-11-01',
    rolledBack: false,
    ...overrides,
  };
}

function state(newest: string | null, rows: number, extra: Partial<FamilyWatchState> = {}): FamilyWatchState {
  return { newest, rows, pending: {}, shrunk: null, ...extra };
}

const base = [row('2.10.0'), row('2.9.0'), row('2.8.0')];

function plan(input: { page?: PageRead; sent?: SentAlert[]; state?: FamilyWatchState | undefined; now?: number }) {
  return planFamily({
    family: 'ena',
    page: input.page ?? page(base),
    sent: input.sent ?? [],
    state: 'state' in input ? input.state : state('2.10.0', 3),
    now: input.now ?? NOW,
    graceMs: GRACE,
  });
}

describe('the watch plan: alerts that correct themselves', () => {
  it('amends a release sent before its notes were published, once the page lists it', () => {
    const result = plan({ sent: [sentRelease('2.10.0', { notesPublished: false, releaseDate: null })] });
    expect(result.updates.map(({ version, change }) => ({ version, change }))).toEqual([
      { version: '2.10.0', change: 'notes-published' },
    ]);
  });

  it('amends a release whose date was missing once the page gives one', () => {
    const result = plan({ sent: [sentRelease('2.10.0', { releaseDate: null })] });
    expect(result.updates.map(({ change }) => change)).toEqual(['date-published']);
  });

  it('says nothing about a date a --seen entry did not record', () => {
    const { releaseDate: _, ...withoutDate } = sentRelease('2.10.0');
    expect(plan({ sent: [withoutDate] }).updates).toEqual([]);
  });

  it('puts a rollback before notes: the page marking the version rolled back is the change', () => {
    const rolled = [
      row('2.10.0', { notes: ['This release was rolled back due to a regression.'] }),
      row('2.9.0'),
      row('2.8.0'),
    ];
    const result = plan({
      page: page(rolled),
      sent: [sentRelease('2.10.0', { notesPublished: false, releaseDate: null })],
    });
    expect(result.updates.map(({ change }) => change)).toEqual(['rolled-back']);
  });

  it.each(['withdrawn', 'pulled', 'recalled'])('reads "%s" on the page as rolled back', (word) => {
    const rolled = [row('2.10.0', { notes: [`Version ${word}.`] }), row('2.9.0'), row('2.8.0')];
    expect(plan({ page: page(rolled), sent: [sentRelease('2.10.0')] }).updates.map(({ change }) => change)).toEqual([
      'rolled-back',
    ]);
  });

  it('never amends an alert that already said not to install, nor kinds that gave no install step', () => {
    const rolled = [row('2.10.0', { notes: ['Rolled back.'] }), row('2.9.0'), row('2.8.0')];
    const sent: SentAlert[] = [
      sentRelease('2.10.0', { rolledBack: true, notesPublished: false }),
      sentRelease('2.10.0', { kind: 'rollback', rolledBack: true }),
      sentRelease('2.10.0', { kind: 'upcoming', notesPublished: false, rolledBack: false }),
      sentRelease('2.10.0', { kind: 'notice', notesPublished: false }),
    ];
    expect(plan({ page: page(rolled), sent }).updates).toEqual([]);
  });

  it('does not read a missing row as news: an alert whose version is not listed is left alone', () => {
    expect(plan({ sent: [sentRelease('2.11.0', { notesPublished: false })] }).updates).toEqual([]);
  });

  it('matches the alerted version however it is written (2.10 is 2.10.0.0)', () => {
    const result = plan({ sent: [sentRelease('2.10.0.0', { notesPublished: false })] });
    expect(result.updates).toHaveLength(1);
  });

  it("amends on the first look at a family too: the alerts are the relay's own", () => {
    const result = plan({ state: undefined, sent: [sentRelease('2.10.0', { notesPublished: false })] });
    expect(result.firstSight).toBe(true);
    expect(result.updates).toHaveLength(1);
  });
});

describe('the watch plan: releases the topic never announced', () => {
  const newer = [row('2.11.0'), ...base];

  it('on the first look records what is there and announces nothing', () => {
    const result = plan({ page: page(newer), state: undefined });
    expect(result).toMatchObject({ firstSight: true, unannounced: [], problem: null });
    expect(result.next).toEqual(state('2.11.0', 4));
  });

  it('waits out the grace period from when it first saw a new version, then alerts it once', () => {
    const first = plan({ page: page(newer) });
    expect(first.unannounced).toEqual([]);
    expect(first.next?.pending).toEqual({ '2.11.0': NOW });

    const early = plan({ page: page(newer), state: first.next ?? undefined, now: NOW + GRACE - 1 });
    expect(early.unannounced).toEqual([]);

    const due = plan({ page: page(newer), state: early.next ?? undefined, now: NOW + GRACE });
    expect(due.unannounced).toEqual(['2.11.0']);
    expect(due.firstSeen).toEqual({ '2.11.0': NOW });
    expect(due.next).toEqual(state('2.11.0', 4));

    const after = plan({ page: page(newer), state: due.next ?? undefined, now: NOW + 2 * GRACE });
    expect(after.unannounced).toEqual([]);
  });

  it('does not alert a version a notice announced during the grace period', () => {
    const first = plan({ page: page(newer) });
    const due = plan({
      page: page(newer),
      state: first.next ?? undefined,
      sent: [sentRelease('2.11.0')],
      now: NOW + GRACE,
    });
    expect(due.unannounced).toEqual([]);
  });

  it('still alerts a release that was only announced as upcoming: that notice said it was not out', () => {
    const first = plan({ page: page(newer), sent: [sentRelease('2.11.0', { kind: 'upcoming' })] });
    const due = plan({
      page: page(newer),
      state: first.next ?? undefined,
      sent: [sentRelease('2.11.0', { kind: 'upcoming' })],
      now: NOW + GRACE,
    });
    expect(due.unannounced).toEqual(['2.11.0']);
  });

  it('does not alert a row added below the newest known version (a backfilled old release)', () => {
    const backfilled = [row('2.10.0'), row('2.9.5'), row('2.9.0'), row('2.8.0')];
    const result = plan({ page: page(backfilled), now: NOW + 10 * GRACE });
    expect(result.unannounced).toEqual([]);
    expect(result.next?.pending).toEqual({});
  });

  it('does not alert a version older than one a notice announced', () => {
    const result = plan({ page: page(newer), sent: [sentRelease('2.12.0')], now: NOW + 10 * GRACE });
    expect(result.unannounced).toEqual([]);
  });

  it('keeps an undelivered version pending, past its grace, so the next watch tries it again', () => {
    const first = plan({ page: page(newer) });
    const due = plan({ page: page(newer), state: first.next ?? undefined, now: NOW + GRACE });
    const kept = settle(due, ['2.11.0']);
    expect(kept?.pending).toEqual({ '2.11.0': NOW });
    const retry = plan({ page: page(newer), state: kept ?? undefined, now: NOW + GRACE + HOUR });
    expect(retry.unannounced).toEqual(['2.11.0']);
  });

  it('keeps an undelivered older version pending even when a newer one went out', () => {
    const two = [row('2.12.0'), row('2.11.0'), ...base];
    const first = plan({ page: page(two) });
    const due = plan({ page: page(two), state: first.next ?? undefined, now: NOW + GRACE });
    expect(due.unannounced).toEqual(['2.11.0', '2.12.0']);
    const kept = settle(due, ['2.11.0']);
    // 2.12.0 went out, so it is now an alert the relay sent.
    const retry = plan({
      page: page(two),
      state: kept ?? undefined,
      sent: [sentRelease('2.12.0')],
      now: NOW + GRACE + HOUR,
    });
    expect(retry.unannounced).toEqual(['2.11.0']);
  });
});

describe('the watch plan: no false alarms', () => {
  const newerRolled = [row('2.11.0'), row('2.10.0', { notes: ['Rolled back.'] }), row('2.9.0'), row('2.8.0')];

  it('changes nothing for a page that could not be read, and keeps the state as it was', () => {
    const before = state('2.10.0', 3, { pending: { '2.11.0': NOW - HOUR } });
    const result = plan({
      page: { ok: false, reason: 'fetch-failed: HTTP 503' },
      state: before,
      sent: [sentRelease('2.10.0', { notesPublished: false })],
    });
    expect(result).toMatchObject({
      updates: [],
      unannounced: [],
      problem: { kind: 'unreadable', reason: 'fetch-failed: HTTP 503' },
    });
    expect(result.next).toBe(before);
  });

  it('saves nothing after a first read that failed, so the next good read is still a first look', () => {
    const result = plan({ page: { ok: false, reason: 'timeout' }, state: undefined });
    expect(result.next).toBeNull();
  });

  it('changes nothing for a page listing fewer rows, and notes since when', () => {
    const result = plan({
      page: page([row('2.11.0')]),
      state: state('2.10.0', 3),
      sent: [sentRelease('2.11.0', { notesPublished: false })],
    });
    expect(result).toMatchObject({ updates: [], unannounced: [], problem: { kind: 'shrank', rows: 1, before: 3 } });
    expect(result.next?.shrunk).toEqual({ rows: 1, since: NOW });
  });

  it('takes a smaller page as the new shape once it has stayed so for two days, without alerting anything it lost', () => {
    const shrunk = [row('2.10.0'), row('2.9.0')];
    const first = plan({ page: page(shrunk) });
    const later = plan({ page: page(shrunk), state: first.next ?? undefined, now: NOW + SHRINK_SETTLE_MS - 1 });
    expect(later.problem).toMatchObject({ kind: 'shrank' });
    const settled = plan({ page: page(shrunk), state: later.next ?? undefined, now: NOW + SHRINK_SETTLE_MS });
    expect(settled).toMatchObject({ problem: null, unannounced: [] });
    expect(settled.next).toEqual(state('2.10.0', 2));
  });

  it('restarts the two days when the smaller page changes size again', () => {
    const first = plan({ page: page([row('2.10.0'), row('2.9.0')]) });
    const other = plan({ page: page([row('2.10.0')]), state: first.next ?? undefined, now: NOW + SHRINK_SETTLE_MS });
    expect(other.problem).toMatchObject({ kind: 'shrank' });
    expect(other.next?.shrunk).toEqual({ rows: 1, since: NOW + SHRINK_SETTLE_MS });
  });

  it('treats a page with no rows as unreadable, never as "every release is gone"', () => {
    const result = plan({ page: page([]) });
    expect(result.problem).toMatchObject({ kind: 'unreadable' });
    expect(result.next).toEqual(state('2.10.0', 3));
  });

  it('alerts a new version and amends a rolled-back one in the same run', () => {
    const first = plan({ page: page(newerRolled), sent: [sentRelease('2.10.0')] });
    expect(first.updates.map(({ change }) => change)).toEqual(['rolled-back']);
  });
});

/** A family's page over time: versions appear, rows gain notes or dates, some are marked rolled back. */
const versionArb = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 3 }))
  .map(([a, b, c]) => `${a}.${b}.${c}`);

interface GeneratedRow {
  readonly version: string;
  readonly date: string | null;
  readonly rolledBack: boolean;
}

const rowArb = fc.record({
  version: versionArb,
  date: fc.option(fc.constant('2026-10-01'), { nil: null }),
  rolledBack: fc.boolean(),
});

const pageArb = fc.oneof(
  { weight: 5, arbitrary: fc.uniqueArray(rowArb, { selector: (r) => r.version, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constant('unreadable' as const) },
);

const sentArb = fc.record({
  family: fc.constant<DriverFamily>('ena'),
  version: versionArb,
  kind: fc.constantFrom('release', 'rollback', 'upcoming', 'notice', 'end-of-support' as const),
  notesPublished: fc.boolean(),
  releaseDate: fc.option(fc.constant('2026-10-01'), { nil: null }),
  rolledBack: fc.boolean(),
}) as fc.Arbitrary<SentAlert>;

function toPage(rows: readonly GeneratedRow[] | 'unreadable'): PageRead {
  if (rows === 'unreadable') return { ok: false, reason: 'fetch-failed: HTTP 500' };
  return page(rows.map((r) => row(r.version, { date: r.date, notes: r.rolledBack ? ['Rolled back.'] : ['Fixes.'] })));
}

describe('the watch plan: properties over page histories', () => {
  it('never alerts or amends on an unreadable or shrunken page, never alerts on a first look, and alerts only versions newer than all it saw', () => {
    fc.assert(
      fc.property(
        fc.array(pageArb, { minLength: 1, maxLength: 6 }),
        fc.array(sentArb, { maxLength: 6 }),
        (pages, sent) => {
          let current: FamilyWatchState | undefined;
          let now = NOW;
          const alerted: SentAlert[] = [...sent];
          const everSeen: string[] = [];
          const tracked = new Set<string>();
          for (const rows of pages) {
            const read = toPage(rows);
            const result = planFamily({
              family: 'ena',
              page: read,
              sent: alerted,
              state: current,
              now,
              graceMs: GRACE,
            });
            const shrunkUnsettled =
              read.ok &&
              current !== undefined &&
              read.changelog.entries.length > 0 &&
              read.changelog.entries.length < current.rows &&
              (current.shrunk?.rows !== read.changelog.entries.length || now - current.shrunk.since < SHRINK_SETTLE_MS);
            if (shrunkUnsettled) expect(result.problem?.kind).toBe('shrank');
            if (!read.ok || result.problem !== null) {
              expect(result.updates).toEqual([]);
              expect(result.unannounced).toEqual([]);
            }
            if (current === undefined) expect(result.unannounced).toEqual([]);
            // A version becomes a candidate only when it is newer than everything seen before it.
            const candidates = [...result.unannounced, ...Object.keys(result.next?.pending ?? {})];
            for (const version of candidates.filter((v) => !tracked.has(v))) {
              tracked.add(version);
              const before = [...everSeen, ...alerted.filter((a) => a.kind !== 'upcoming').map((a) => a.version)];
              expect(before.every((seen) => compareVersions(version, seen) > 0)).toBe(true);
            }
            for (const version of result.unannounced) {
              expect(alerted.some((a) => a.kind !== 'upcoming' && sameVersion(a.version, version))).toBe(false);
              // What was alerted is now an alert the relay sent.
              alerted.push(sentRelease(version, { releaseDate: null }));
            }
            for (const update of result.updates) {
              expect(update.alert.kind).toBe('release');
              expect(update.alert.rolledBack).toBe(false);
            }
            if (read.ok && result.problem === null) everSeen.push(...read.changelog.entries.map((e) => e.version));
            current = result.next ?? current;
            now += GRACE;
          }
        },
      ),
      { numRuns: 2000, seed: SEED },
    );
  });

  it('alerts each unannounced version at most once, and amends each alert at most once per change, over any number of watches', () => {
    fc.assert(
      fc.property(
        fc.array(pageArb, { minLength: 1, maxLength: 8 }),
        fc.array(sentArb, { maxLength: 5 }),
        (pages, initial) => {
          let current: FamilyWatchState | undefined;
          let now = NOW;
          const sent: SentAlert[] = initial.map((alert) => ({ ...alert }));
          const unannounced = new Set<string>();
          const amended = new Set<string>();
          for (const rows of pages) {
            const result = planFamily({ family: 'ena', page: toPage(rows), sent, state: current, now, graceMs: GRACE });
            for (const version of result.unannounced) {
              const key = sent.find((a) => sameVersion(a.version, version)) ? `dup:${version}` : version;
              expect(unannounced.has(key)).toBe(false);
              unannounced.add(key);
              sent.push(sentRelease(version, { releaseDate: null }));
            }
            for (const { alert, change } of result.updates) {
              const position = sent.indexOf(alert);
              const key = `${position}:${change}`;
              expect(amended.has(key)).toBe(false);
              amended.add(key);
              // The runner records what the alert now says once the amendment went out.
              sent[position] = {
                ...alert,
                notesPublished: true,
                releaseDate:
                  change === 'notes-published' || change === 'date-published'
                    ? '2026-10-01'
                    : (alert.releaseDate ?? null),
                rolledBack: change === 'rolled-back',
              };
            }
            current = result.next ?? current;
            now += GRACE;
          }
        },
      ),
      { numRuns: 2000, seed: SEED },
    );
  });
});
