/**
 * jest globalTeardown: prints the whole-suite reliability table and summary (the lines the README quotes) from the
 * cases every test file recorded, then removes the run's tally directory; last, the run's totals as one plain line.
 */
import { rmSync } from 'node:fs';
// No .js suffix: jest loads global hooks with Node's own require (not its resolver), which finds the .ts file.
import { formatTable, readTallyDir, summaryLines, TALLY_DIR_VARIABLE } from './reliability-tally';

export default function reliabilityTeardown(): void {
  const dir = process.env[TALLY_DIR_VARIABLE];
  if (dir) {
    const cases = readTallyDir(dir);
    rmSync(dir, { recursive: true, force: true });
    if (cases.length > 0) {
      console.log(`\nReliability\n\n${formatTable(cases)}\n\n${summaryLines(cases).join('\n')}\n`);
    }
  }
  // Left by test/support/closing-line-reporter.js; printed here because the teardown runs after every reporter.
  if (process.env.RELAY_TEST_TOTALS) console.log(process.env.RELAY_TEST_TOTALS);
}
