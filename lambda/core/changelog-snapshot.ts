/**
 * Builds the changelogs bundled with the Lambda, used when a live history page cannot be read: the JSON beside this
 * file is buildSnapshot() over the four history pages, and `driver-relay update-changelog` rewrites it. Reading the
 * bundled copy is bundled-snapshot.ts.
 */
import type { SnapshotFamily, SnapshotFile } from './bundled-snapshot.js';
import { parseHistoryPage } from './changelog-page.js';
import { DRIVER_FAMILIES, type DriverFamily } from './driver-family.js';

/** Reads the four history pages into a snapshot; throws RelayError('page-unreadable') as parseHistoryPage does. */
export function buildSnapshot(pages: Readonly<Record<DriverFamily, string>>, asOf: string): SnapshotFile {
  const families = {} as Record<DriverFamily, SnapshotFamily>;
  for (const family of DRIVER_FAMILIES) {
    const { entries, windowsServerTable } = parseHistoryPage(pages[family], family);
    families[family] = { entries, windowsServerTable };
  }
  return { asOf, families };
}

/**
 * The snapshot as written to disk: one changelog entry per line, so an update reads as a short diff while the
 * file stays compact enough to bundle.
 */
export function serializeSnapshot(snapshot: SnapshotFile): string {
  const families = DRIVER_FAMILIES.map((family) => {
    const { entries, windowsServerTable } = snapshot.families[family];
    const lines = entries.map((entry) => JSON.stringify(entry)).join(',\n');
    return `${JSON.stringify(family)}:{"entries":[\n${lines}\n],"windowsServerTable":${JSON.stringify(windowsServerTable)}}`;
  });
  return `{"asOf":${JSON.stringify(snapshot.asOf)},"families":{\n${families.join(',\n')}\n}}\n`;
}
