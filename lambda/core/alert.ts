import type { ChangelogOrigin } from './changelog.js';
import type { AlertFamily } from './driver-family.js';

export interface ReleaseRef {
  readonly version: string;
  readonly releaseDate: string | null;
}

/** What one Windows Server version should do about the announced driver. */
export interface WindowsServerGuidance {
  /** e.g. "Windows Server 2012 R2" */
  readonly windowsServer: string;
  /** A sentence a person acts on, e.g. "Stay on AWS PV 8.4.3 (the last version for it)." */
  readonly recommendation: string;
  /** install: take the announced version; stay: keep an older driver; unsupported: no driver of this family. */
  readonly action: 'install' | 'stay' | 'unsupported' | 'other';
}

export interface InstallSteps {
  /** Systems Manager Distributor package, or null when AWS publishes none. */
  readonly ssmPackage: string | null;
  /** A ready-to-edit `aws ssm send-command` line using AWS-ConfigureAWSPackage, or null. */
  readonly ssmCommand: string | null;
  /** The versioned package download, or null when the version is unknown. */
  readonly downloadUrl: string | null;
  /** Short notes on how the install behaves (reboots, installation type). */
  readonly notes: readonly string[];
}

/** Everything a person needs to act on one announced driver release. */
export interface Alert {
  /** SNS MessageId of the notification this alert came from. */
  readonly messageId: string;
  /** Position of this alert among the alerts built from the same notification (0-based). */
  readonly index: number;
  readonly family: AlertFamily;
  /** Display name, e.g. "AWS PV"; "Unrecognised notification" for unknown. */
  readonly familyName: string;
  /** Announced version, normalised; null when the message names none. */
  readonly version: string | null;
  readonly releaseDate: string | null;
  readonly details: readonly string[];
  /** Whether the changelog lists this version (details come from it). */
  readonly notesPublished: boolean;
  /** The release before the announced one. */
  readonly previous: ReleaseRef | null;
  /** Set when a newer version than the announced one is already known. */
  readonly newerKnown: ReleaseRef | null;
  /** Warnings a person should read first (rolled back, older than the newest, notes not yet published). */
  readonly notices: readonly string[];
  readonly windowsServer: readonly WindowsServerGuidance[];
  readonly caveats: readonly string[];
  readonly install: InstallSteps;
  /** PowerShell that prints the installed version on an instance; null for unknown. */
  readonly verifyCommand: string | null;
  readonly downloadUrl: string | null;
  readonly ssmPackage: string | null;
  /** The family's version-history page. */
  readonly sourceUrl: string | null;
  /** Which copy of the changelog the alert used. */
  readonly changelog: { readonly origin: ChangelogOrigin; readonly asOf: string } | null;
  /** The notification as it came. */
  readonly original: { readonly subject: string | null; readonly message: string };
}
