import type { DriverFamily } from './driver-family.js';
import { sameVersion } from './version.js';

/** One row of a version-history table. */
export interface ChangelogEntry {
  /** Version as the page prints it, cleaned of decoration (">1.0.0" becomes "1.0.0"). */
  readonly version: string;
  /** ISO date (YYYY-MM-DD), or null when the page gives none. */
  readonly releaseDate: string | null;
  /**
   * Detail lines in page order: one per paragraph or list item. A group label such as ENA's
   * "New features" is its own line, ending in a colon, before the items it groups.
   */
  readonly details: readonly string[];
  /** Link to the package zip when the version cell carries one. */
  readonly packageUrl: string | null;
  /** The separate "Driver version" column (NVMe, EC2WinUtil) when it differs from the package version. */
  readonly driverVersion: string | null;
}

/** A row of the PV page's "Windows Server version | PV driver version" table. */
export interface WindowsServerRow {
  /** e.g. "Windows Server 2012 R2" */
  readonly windowsServer: string;
  /** e.g. "AWS PV latest version", "AWS PV 8.4.3", "Citrix PV 5.9", "Not supported" */
  readonly driver: string;
}

export type ChangelogOrigin = 'snapshot' | 'live' | 'file';

/** A family's version history, newest first. */
export interface Changelog {
  readonly family: DriverFamily;
  readonly entries: readonly ChangelogEntry[];
  /** Only the PV page carries one; empty elsewhere. */
  readonly windowsServerTable: readonly WindowsServerRow[];
  /** Where this copy came from. */
  readonly origin: ChangelogOrigin;
  /** When it was read (ISO date for the snapshot, ISO timestamp for a live read). */
  readonly asOf: string;
}

/** A row the reader could not use, reported instead of failing the page. */
export interface SkippedRow {
  readonly row: number;
  readonly reason: string;
}

/** What reading one history page yields. */
export interface ParsedHistoryPage {
  readonly entries: ChangelogEntry[];
  readonly windowsServerTable: WindowsServerRow[];
  readonly skipped: SkippedRow[];
}

/** Where the enrichment reads a family's changelog from (live page, files, or the bundled snapshot). */
export interface ChangelogSource {
  /**
   * The live source never rejects for a page problem: it falls back to the snapshot. The file source (the CLI's
   * --changelog-dir) does reject for a file it cannot read, since the user named it explicitly.
   */
  getChangelog(family: DriverFamily, announcedVersion: string | null): Promise<Changelog>;
}

/** How the version-history pages say a release was taken back. */
const ROLLED_BACK = /\b(?:rolled back|withdrawn|pulled|recalled)\b/i;

/** Whether the page's row for a release says it was rolled back, withdrawn, pulled or recalled. */
export function marksRolledBack(entry: ChangelogEntry): boolean {
  return entry.details.some((line) => ROLLED_BACK.test(line));
}

/** The row for a version: by the package version, or by the separate driver version (NVMe, EC2WinUtil). */
export function entryFor(entries: readonly ChangelogEntry[], version: string): ChangelogEntry | undefined {
  return entries.find(
    (entry) =>
      sameVersion(entry.version, version) ||
      (entry.driverVersion !== null && sameVersion(entry.driverVersion, version)),
  );
}
