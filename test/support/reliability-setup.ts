/**
 * jest globalSetup: gives this run its own directory for the reliability tally. Workers are started after this
 * runs and inherit the variable, so every test file of the run writes its cases to the same place.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// No .js suffix: jest loads global hooks with Node's own require (not its resolver), which finds the .ts file.
import { TALLY_DIR_VARIABLE } from './reliability-tally';

export default function reliabilitySetup(): void {
  process.env[TALLY_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), 'ec2-driver-relay-reliability-'));
}
