/**
 * What the reliability suites (faults, fuzz, scope) tried and what actually happened, so the summary the README
 * quotes is counted from the runs, never typed in.
 *
 *   const tally = reliabilityTally('faults');
 *   tally.record({ name: 'Slack 429 with Retry-After', tried: 1, outcome: 'delivered once', ... });
 *   afterAll(() => tally.flush());
 *
 * This is only the writing half: flush() hands the file's cases to test/support/reliability-reporter.js (through
 * the directory it names in RELIABILITY_TALLY_DIR), which prints the table and the summary once every file has run.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Suite = 'faults' | 'fuzz' | 'scope';

/** One case: a fault injected, a property run, an abuse attempt. */
export interface TallyCase {
  readonly suite: Suite;
  readonly name: string;
  /** Inputs (fuzz), invocations (faults) or attempts (scope) this case made. */
  readonly tried: number;
  /** What a user would see, e.g. "delivered once", "retried, then dead-letter queue", "refused". */
  readonly outcome: string;
  /** Alerts that neither reached every destination nor made the last invocation throw (silently dropped). */
  readonly lost?: number;
  /** Extra copies of an alert in one destination beyond the first. */
  readonly duplicated?: number;
  /** Inputs that made the code throw something other than what it promises (fuzz). */
  readonly crashes?: number;
  /** Invariant broken: a payload over a limit, an unescaped mention, a leaked token, a fetch let through. */
  readonly violations?: number;
}

/** Set by the reporter for the run; unset (nothing is written) when jest runs without it. */
const TALLY_DIR_VARIABLE = 'RELIABILITY_TALLY_DIR';

export interface ReliabilityTally {
  record(entry: Omit<TallyCase, 'suite'>): void;
  /** Hands this file's cases to the reporter. */
  flush(): void;
}

export function reliabilityTally(suite: Suite): ReliabilityTally {
  const cases: TallyCase[] = [];
  return {
    record: (entry) => {
      cases.push({ suite, ...entry });
    },
    flush: () => {
      const dir = process.env[TALLY_DIR_VARIABLE];
      if (dir && cases.length > 0) writeFileSync(join(dir, `${suite}-${randomUUID()}.json`), JSON.stringify(cases));
    },
  };
}
