import type { ChangelogOrigin } from './changelog.js';
import type { DriverFamily } from './driver-family.js';

/**
 * What a notice says happened to a driver (notice.ts reads it from AWS's words):
 * - release: a version is available now;
 * - rollback: a version was rolled back, withdrawn, removed or pulled ("do not install");
 * - end-of-support: deprecation, "no longer available/supported after ...";
 * - upcoming: a version will be released;
 * - notice: about a recognised driver, but no release (advisories, general news).
 */
export const NOTICE_KINDS = ['release', 'rollback', 'end-of-support', 'upcoming', 'notice'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** A notice kind, or `unrecognised` for a notification that names no driver family (forwarded as it came). */
export type AlertKind = NoticeKind | 'unrecognised';

export interface ReleaseRef {
  readonly version: string;
  readonly releaseDate: string | null;
}

/** What one Windows Server version should do about the alert. */
export interface WindowsServerGuidance {
  /** e.g. "Windows Server 2012 R2" */
  readonly windowsServer: string;
  /** A sentence a person acts on, e.g. "Stay on AWS PV 8.4.3 (the last version for it)." */
  readonly recommendation: string;
  /** install: take `targetVersion`; stay: keep (or go back to) an older driver; unsupported: no driver of this family. */
  readonly action: 'install' | 'stay' | 'unsupported' | 'other';
  /** The version this Windows Server version should end up running, when one is known. */
  readonly targetVersion: string | null;
}

/** Install steps a release alert can stand behind. */
export interface InstallSteps {
  /** Systems Manager Distributor package, or null when AWS publishes none. */
  readonly ssmPackage: string | null;
  /** The version the command and download install (the newest good one for servers that run the latest). */
  readonly version: string | null;
  /** A ready-to-edit `aws ssm send-command` line using AWS-ConfigureAWSPackage, or null when none can be given. */
  readonly ssmCommand: string | null;
  /** The versioned package download, or null. */
  readonly downloadUrl: string | null;
  /** Short notes on how the install behaves (reboots, installation type), or why no command is given. */
  readonly notes: readonly string[];
}

/** What an alert that must not lead anyone to install anything carries: the package name and notes only. */
export interface NoInstallSteps {
  readonly ssmPackage: string | null;
  readonly version: null;
  readonly ssmCommand: null;
  readonly downloadUrl: null;
  readonly notes: readonly string[];
}

/** Fields every alert has. */
interface AlertBase {
  /** SNS MessageId of the notification this alert came from. */
  readonly messageId: string;
  /** Position of this alert among the alerts built from the same notification (0-based). */
  readonly index: number;
  /** Warnings a person should read first (rolled back, older than the newest, disagreement with the docs). */
  readonly notices: readonly string[];
  /** The notification as it came: every rendering shows AWS's own words. */
  readonly original: { readonly subject: string | null; readonly message: string };
}

/** Fields of every alert about a recognised driver family. */
interface DriverAlertBase extends AlertBase {
  readonly family: DriverFamily;
  /** Display name, e.g. "AWS PV". */
  readonly familyName: string;
  /** The one version the notice is about, normalised; null when it names none. */
  readonly version: string | null;
  readonly releaseDate: string | null;
  /** Release notes from the version history. */
  readonly details: readonly string[];
  /** Whether the version history lists this version (details come from it). */
  readonly notesPublished: boolean;
  /** The release before this version in the version history. */
  readonly previous: ReleaseRef | null;
  /** The newest release the version history knows, when it is newer than this version. */
  readonly newerKnown: ReleaseRef | null;
  readonly windowsServer: readonly WindowsServerGuidance[];
  readonly caveats: readonly string[];
  /** PowerShell that prints the installed version on an instance. */
  readonly verifyCommand: string;
  /** The family's version-history page. */
  readonly sourceUrl: string;
  /**
   * Where the relay learned of it: AWS's notice on the topic, or the version-history watch, for a release AWS sent
   * no notice about (its `original` then says so, in the relay's words).
   */
  readonly source: 'notice' | 'version-history';
  /** Which copy of the changelog the alert used. */
  readonly changelog: { readonly origin: ChangelogOrigin; readonly asOf: string };
}

export interface ReleaseAlert extends DriverAlertBase {
  readonly kind: 'release';
  /** The notice announces it, but the notice or the version history marks it rolled back: install nothing. */
  readonly versionRolledBack: boolean;
  readonly install: InstallSteps;
}

export interface RollbackAlert extends DriverAlertBase {
  readonly kind: 'rollback';
  /** The version to go back (or move) to: the newest release neither the notice nor the history marks rolled back. */
  readonly returnTo: ReleaseRef | null;
  readonly install: NoInstallSteps;
}

export interface UpcomingAlert extends DriverAlertBase {
  readonly kind: 'upcoming';
  readonly install: NoInstallSteps;
}

export interface EndOfSupportAlert extends DriverAlertBase {
  readonly kind: 'end-of-support';
  readonly install: NoInstallSteps;
}

export interface NoticeAlert extends DriverAlertBase {
  readonly kind: 'notice';
  readonly install: NoInstallSteps;
}

/** A notification that names no driver family: forwarded as it came. */
export interface UnrecognisedAlert extends AlertBase {
  readonly kind: 'unrecognised';
  readonly family: 'unknown';
  readonly familyName: string;
  readonly version: null;
}

export type DriverAlert = ReleaseAlert | RollbackAlert | UpcomingAlert | EndOfSupportAlert | NoticeAlert;

/** Everything a person needs to act on one notice about one driver, or a notification forwarded as it came. */
export type Alert = DriverAlert | UnrecognisedAlert;
