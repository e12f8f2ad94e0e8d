import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotChangelog } from '../core/bundled-snapshot.js';
import type { Changelog, ChangelogSource } from '../core/changelog.js';
import { parseHistoryPage } from '../core/changelog-page.js';
import type { DriverFamily } from '../core/driver-family.js';
import { messageOf, RelayError } from '../core/errors.js';

/**
 * History pages saved by hand (the CLI's `--changelog-dir DIR`): DIR/aws-pv.html, DIR/ena.html, DIR/nvme.html,
 * DIR/ec2winutil.html. Never touches the network.
 *
 * A family without a file uses the bundled snapshot. A file that is there but cannot be read or parsed rejects
 * with RelayError 'page-unreadable' naming the file: the user pointed at it on purpose, so quietly using the
 * snapshot instead would hide their mistake.
 */
export function createFileChangelogSource(dir: string): ChangelogSource {
  const reads = new Map<DriverFamily, Promise<Changelog>>();
  let checked: Promise<void> | undefined;
  return {
    getChangelog(family) {
      let read = reads.get(family);
      if (read === undefined) {
        checked ??= checkDirectory(dir);
        read = checked.then(() => readChangelogFile(dir, family));
        reads.set(family, read);
      }
      return read;
    },
  };
}

/** A directory that is not there is a mistyped option, not a directory without pages. */
async function checkDirectory(dir: string): Promise<void> {
  const isDirectory = await stat(dir).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory)
    throw new RelayError('invalid-config', `Changelog directory ${dir} does not exist or is not a directory`);
}

async function readChangelogFile(dir: string, family: DriverFamily): Promise<Changelog> {
  const path = join(dir, `${family}.html`);
  let html: string;
  let modified: Date;
  try {
    modified = (await stat(path)).mtime;
    html = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return snapshotChangelog(family);
    throw new RelayError('page-unreadable', `Cannot read ${path}: ${messageOf(error)}`, { cause: error });
  }
  let entries: Changelog['entries'];
  let windowsServerTable: Changelog['windowsServerTable'];
  try {
    ({ entries, windowsServerTable } = parseHistoryPage(html, family));
  } catch (error) {
    throw new RelayError('page-unreadable', `${path} is not a readable ${family} history page: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (entries.length === 0) {
    throw new RelayError('page-unreadable', `${path} has a history table with no versions in it`);
  }
  return { family, entries, windowsServerTable, origin: 'file', asOf: modified.toISOString() };
}

/** By its code alone: an fs error need not be an instance of this realm's Error (jest runs tests in a vm context). */
function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === 'ENOENT';
}
