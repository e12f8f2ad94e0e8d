/**
 * What the reliability suites (faults, fuzz, scope) tried and what actually happened, so the summary the README
 * quotes is counted from the runs, never typed in.
 *
 *   const tally = reliabilityTally('faults');
 *   tally.record({ name: 'Slack 429 with Retry-After', tried: 1, outcome: 'delivered once', ... });
 *   afterAll(() => tally.flush());
 *
 * flush() prints the file's own table and summary (jest shows it with the file's results) and, when
 * RELIABILITY_TALLY_DIR is set (by reliability-setup.ts), writes the cases there so reliability-teardown.ts can print
 * the whole-suite summary once every file has run.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

export const TALLY_DIR_VARIABLE = 'RELIABILITY_TALLY_DIR';

export interface ReliabilityTally {
  record(entry: Omit<TallyCase, 'suite'>): void;
  readonly cases: readonly TallyCase[];
  /** Prints this file's table and summary and hands the cases to the whole-suite summary. */
  flush(): void;
}

export function reliabilityTally(suite: Suite): ReliabilityTally {
  const cases: TallyCase[] = [];
  return {
    cases,
    record: (entry) => {
      cases.push({ suite, ...entry });
    },
    flush: () => {
      if (cases.length === 0) return;
      console.log(`${formatTable(cases)}\n\n${summaryLines(cases).join('\n')}`);
      const dir = process.env[TALLY_DIR_VARIABLE];
      if (dir) writeFileSync(join(dir, `${suite}-${randomUUID()}.json`), JSON.stringify(cases));
    },
  };
}

/** Every case written to `dir` by the files of one jest run. */
export function readTallyDir(dir: string): TallyCase[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as TallyCase[]);
}

const sum = (cases: readonly TallyCase[], pick: (entry: TallyCase) => number | undefined) =>
  cases.reduce((total, entry) => total + (pick(entry) ?? 0), 0);

/**
 * One line per suite, e.g.
 *   faults: 14 tried, 0 lost, 0 duplicated
 *   fuzz: 10400 inputs, 0 crashes, 0 violations
 *   scope: 23 attempts, 0 leaks or escapes
 */
export function summaryLines(cases: readonly TallyCase[]): string[] {
  const lines: string[] = [];
  const of = (suite: Suite) => cases.filter((entry) => entry.suite === suite);
  const faults = of('faults');
  if (faults.length > 0) {
    lines.push(
      `faults: ${faults.length} tried, ${sum(faults, (c) => c.lost)} lost, ${sum(faults, (c) => c.duplicated)} duplicated`,
    );
  }
  const fuzz = of('fuzz');
  if (fuzz.length > 0) {
    lines.push(
      `fuzz: ${sum(fuzz, (c) => c.tried)} inputs, ${sum(fuzz, (c) => c.crashes)} crashes, ${sum(fuzz, (c) => c.violations)} violations`,
    );
  }
  const scope = of('scope');
  if (scope.length > 0) {
    lines.push(`scope: ${sum(scope, (c) => c.tried)} attempts, ${sum(scope, (c) => c.violations)} leaks or escapes`);
  }
  return lines;
}

/** A plain-text table: suite, case, tried, outcome, and the counts that must stay at zero. */
export function formatTable(cases: readonly TallyCase[]): string {
  const header = ['suite', 'case', 'tried', 'outcome', 'lost', 'dup', 'crash', 'viol'];
  const rows = cases.map((entry) => [
    entry.suite,
    entry.name,
    String(entry.tried),
    entry.outcome,
    String(entry.lost ?? 0),
    String(entry.duplicated ?? 0),
    String(entry.crashes ?? 0),
    String(entry.violations ?? 0),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}
