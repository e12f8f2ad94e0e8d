/**
 * The changelog snapshot bundled with the Lambda: changelog-snapshot.json, which changelog-snapshot.ts builds from
 * the history pages. Reading it lives apart from building it so that the Lambda, which only reads it, does not load
 * the HTML parser at cold start (bench/ measures the difference).
 */
import type { Changelog, ChangelogEntry, WindowsServerRow } from './changelog.js';
import snapshotJson from './changelog-snapshot.json';
import type { DriverFamily } from './driver-family.js';

export interface SnapshotFamily {
  readonly entries: readonly ChangelogEntry[];
  readonly windowsServerTable: readonly WindowsServerRow[];
}

/** The shape of changelog-snapshot.json. */
export interface SnapshotFile {
  /** ISO date (YYYY-MM-DD) the pages were read. */
  readonly asOf: string;
  readonly families: Readonly<Record<DriverFamily, SnapshotFamily>>;
}

const SNAPSHOT: SnapshotFile = snapshotJson;

export const SNAPSHOT_AS_OF: string = SNAPSHOT.asOf;

/** The bundled changelog of one family. */
export function snapshotChangelog(family: DriverFamily): Changelog {
  const { entries, windowsServerTable } = SNAPSHOT.families[family];
  return { family, entries, windowsServerTable, origin: 'snapshot', asOf: SNAPSHOT_AS_OF };
}
