import { join } from 'node:path';

/**
 * Files of this repository the CLI reads or writes. The CLI runs from its sources (lambda/cli, in tests) or as the
 * bundle `npm ci` builds (dist/cli, see scripts/build-cli.ts); both sit two levels below the repository root.
 */
const REPO_ROOT = join(__dirname, '..', '..');

export const SAMPLE_NOTIFICATION_PATH = join(REPO_ROOT, 'lambda', 'cli', 'sample-notification.json');
export const SNAPSHOT_PATH = join(REPO_ROOT, 'lambda', 'core', 'changelog-snapshot.json');
