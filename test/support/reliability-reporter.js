/**
 * A jest reporter: the whole-run reliability table and summary (the lines the README quotes), and the run's totals
 * as the very last line, in the plain form any CI reads: "tests: 553 passed, 0 failed, 0 skipped".
 *
 * The reliability suites (faults, fuzz, scope) record their cases with test/support/reliability-tally.ts, in the
 * jest workers; each test file writes its cases into the directory this reporter makes for the run and names in
 * RELIABILITY_TALLY_DIR before any worker starts (workers inherit the variable). Collection, summary and cleanup
 * all live here.
 * Plain CommonJS: jest loads reporters with Node's require, without transforming them.
 */
const { mkdtempSync, readdirSync, readFileSync, rmSync, writeSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const TALLY_DIR_VARIABLE = 'RELIABILITY_TALLY_DIR';

/** @typedef {import('./reliability-tally').TallyCase} TallyCase */

class ReliabilityReporter {
  onRunStart() {
    this.dir = mkdtempSync(join(tmpdir(), 'ec2-driver-relay-reliability-'));
    process.env[TALLY_DIR_VARIABLE] = this.dir;
  }

  onRunComplete(_contexts, results) {
    const cases = this.dir ? readCases(this.dir) : [];
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    if (cases.length > 0) {
      console.log(`\nReliability\n\n${formatTable(cases)}\n\n${summaryLines(cases).join('\n')}\n`);
    }
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const totals = `tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`;
    // jest adds its own summary after every configured reporter and then says which files ran: the totals wait for
    // the process to end, so they are the last line whatever jest prints before.
    process.once('exit', () => writeSync(1, `${totals}\n`));
  }
}

/** @returns {TallyCase[]} every case the files of this run wrote */
function readCases(dir) {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')));
}

/** @param {TallyCase[]} cases @param {(entry: TallyCase) => number | undefined} pick */
const sum = (cases, pick) => cases.reduce((total, entry) => total + (pick(entry) ?? 0), 0);

/**
 * One line per suite, e.g.
 *   faults: 14 tried, 0 lost, 0 duplicated
 *   fuzz: 10400 inputs, 0 crashes, 0 violations
 *   scope: 23 attempts, 0 leaks or escapes
 * @param {TallyCase[]} cases
 */
function summaryLines(cases) {
  const lines = [];
  const of = (suite) => cases.filter((entry) => entry.suite === suite);
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

/**
 * A plain-text table: suite, case, tried, outcome, and the counts that must stay at zero.
 * @param {TallyCase[]} cases
 */
function formatTable(cases) {
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
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}

module.exports = ReliabilityReporter;
