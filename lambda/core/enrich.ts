import type { Alert, InstallSteps, ReleaseRef } from './alert.js';
import { type Announcement, findAnnouncements } from './announcement.js';
import type { Changelog, ChangelogEntry, ChangelogSource } from './changelog.js';
import { type DriverFamily, FAMILIES } from './driver-family.js';
import type { SnsNotification } from './sns-event.js';
import { compareVersions, sameVersion } from './version.js';
import { guidanceFor, rulesFor } from './windows-server.js';

/**
 * Builds one alert per announced driver in a notification, or a single `unknown` alert carrying the original
 * text when nothing in it can be attributed. Never drops a notification.
 */
export async function buildAlerts(notification: SnsNotification, changelogs: ChangelogSource): Promise<Alert[]> {
  const announcements = findAnnouncements(notification.subject, notification.message);
  if (announcements.length === 0) return [unknownAlert(notification)];
  const alerts: Alert[] = [];
  for (const [index, announcement] of announcements.entries()) {
    const changelog = await changelogs.getChangelog(announcement.family, announcement.version);
    alerts.push(enrich(notification, index, announcement, changelog));
  }
  return alerts;
}

const byVersionDescending = (a: ChangelogEntry, b: ChangelogEntry) => compareVersions(b.version, a.version);

const ref = (entry: ChangelogEntry | undefined): ReleaseRef | null =>
  entry ? { version: entry.version, releaseDate: entry.releaseDate } : null;

const ROLLED_BACK = /\brolled back\b/i;

export function enrich(
  notification: SnsNotification,
  index: number,
  { family, version }: Announcement,
  changelog: Changelog,
): Alert {
  const info = FAMILIES[family];
  const entries = [...changelog.entries].sort(byVersionDescending);
  const newest = entries[0];
  const entry = version === null ? undefined : entries.find((e) => sameVersion(e.version, version));
  const previous = version === null ? undefined : entries.find((e) => compareVersions(e.version, version) < 0);
  const newerKnown = version !== null && newest && compareVersions(newest.version, version) > 0 ? newest : undefined;
  const details = entry?.details ?? [];

  const rolledBack = details.some((line) => ROLLED_BACK.test(line));
  const notices: string[] = [];
  if (rolledBack) {
    notices.push(`AWS rolled back ${info.name} ${version}: do not install it. See the release notes below.`);
  }
  if (version === null) {
    notices.push(
      `The notification names no version.${newest ? ` The newest ${info.name} release known is ${newest.version}${newest.releaseDate ? ` (${newest.releaseDate})` : ''}.` : ''}`,
    );
  } else if (!entry) {
    notices.push(
      `Release notes for ${info.name} ${version} are not on the version-history page yet (${changelog.origin} copy of ${changelog.asOf}). Check the page before rolling it out.`,
    );
  }
  if (newerKnown && version !== null) {
    notices.push(
      `${version} is older than the newest known ${info.name} release, ${newerKnown.version}${newerKnown.releaseDate ? ` (${newerKnown.releaseDate})` : ''}.`,
    );
  }

  // AWS withdraws a rolled-back package: offering its download or an install command would undo the rollback.
  const downloadUrl = rolledBack
    ? null
    : version === null
      ? info.latestDownloadUrl
      : (entry?.packageUrl ?? info.downloadUrl(version));

  return {
    messageId: notification.messageId,
    index,
    family,
    familyName: info.name,
    version,
    releaseDate: entry?.releaseDate ?? null,
    details,
    notesPublished: entry !== undefined,
    previous: ref(previous),
    newerKnown: ref(newerKnown),
    notices,
    windowsServer: guidanceFor(family, rulesFor(family, changelog.windowsServerTable), {
      version,
      newer: newerKnown?.version ?? null,
      rolledBack,
    }),
    caveats: CAVEATS[family],
    install: installSteps(family, version, downloadUrl, rolledBack ? (previous?.version ?? null) : false),
    verifyCommand: info.verifyCommand,
    downloadUrl,
    ssmPackage: info.ssmPackage,
    sourceUrl: info.historyUrl,
    changelog: { origin: changelog.origin, asOf: changelog.asOf },
    original: { subject: notification.subject, message: notification.message },
  };
}

export function unknownAlert(notification: SnsNotification): Alert {
  return {
    messageId: notification.messageId,
    index: 0,
    family: 'unknown',
    familyName: 'Unrecognised notification',
    version: null,
    releaseDate: null,
    details: [],
    notesPublished: false,
    previous: null,
    newerKnown: null,
    notices: ['The relay could not tell which driver this notification is about, so it is forwarded as it came.'],
    windowsServer: [],
    caveats: [],
    install: { ssmPackage: null, ssmCommand: null, downloadUrl: null, notes: [] },
    verifyCommand: null,
    downloadUrl: null,
    ssmPackage: null,
    sourceUrl: null,
    changelog: null,
    original: { subject: notification.subject, message: notification.message },
  };
}

const CAVEATS: Readonly<Record<DriverFamily, readonly string[]>> = {
  'aws-pv': [
    'AWS PV drivers are used on Xen instance types only. Nitro instances use the ENA and NVMe drivers instead; there the AWS PV drivers are not used and the LiteAgent service stops itself (8.2.4 and later).',
    'Instances still on Red Hat PV drivers upgrade in two steps: Red Hat PV to Citrix PV, then Citrix PV to AWS PV. Red Hat PV drivers are not recommended on instances with more than 12 GB of RAM (they can fail to boot).',
    'Take an AMI or EBS snapshot of the instance before upgrading storage and network drivers.',
  ],
  ena: [
    'ENA is the network driver of Nitro instances; installing it resets the network adapter, so the instance briefly loses connectivity.',
    'ENA 2.5.0 and 2.2.4 were rolled back by AWS; never pin to them.',
    'Take an AMI or EBS snapshot of the instance before upgrading its network driver.',
  ],
  nvme: [
    'The AWS NVMe driver serves EBS and instance store volumes on Nitro instances; installing it may require a reboot.',
    'Take an AMI or EBS snapshot of the instance before upgrading its storage driver.',
  ],
  ec2winutil: [
    'AWS does not say whether EC2WinUtil releases are announced on this topic; this one was recognised from its text.',
  ],
};

function installSteps(
  family: DriverFamily,
  version: string | null,
  downloadUrl: string | null,
  /** Set when the announced version was rolled back: the release to go back to (null when unknown). */
  rollBackTo: string | null | false,
): InstallSteps {
  const info = FAMILIES[family];
  const notes: string[] = [];
  let ssmCommand: string | null = null;
  if (rollBackTo !== false) {
    const target = rollBackTo === null ? 'the previous release' : `${info.name} ${rollBackTo}`;
    notes.push(
      `AWS rolled this version back, so no install command is given. Instances that already run it should go back to ${target}${info.ssmPackage ? ` (AWS-ConfigureAWSPackage with name ${info.ssmPackage}${rollBackTo === null ? '' : ` and version ${rollBackTo}`})` : ''}.`,
    );
  } else if (info.ssmPackage) {
    const parameters: Record<string, string[]> = { action: ['Install'], name: [info.ssmPackage] };
    if (version !== null) parameters.version = [version];
    if (family === 'aws-pv') parameters.installationType = ['Uninstall and reinstall'];
    if (info.ssmAdditionalArguments) parameters.additionalArguments = [JSON.stringify(info.ssmAdditionalArguments)];
    ssmCommand = [
      'aws ssm send-command --document-name "AWS-ConfigureAWSPackage"',
      `--parameters '${JSON.stringify(parameters)}'`,
      '--targets "Key=InstanceIds,Values=i-0123456789abcdef0"',
    ].join(' ');
    notes.push(
      `Try one instance first (replace the instance ID), then target a tag (Key=tag:<name>,Values=<value>) or use a State Manager association (aws ssm create-association --name AWS-ConfigureAWSPackage).`,
    );
  } else {
    notes.push(
      `AWS publishes no Systems Manager package for ${info.name}: download the package and run its installer.`,
    );
  }
  if (family === 'aws-pv') {
    notes.push('The upgrade reboots the instance, which can be unavailable for up to 15 minutes.');
  }
  return { ssmPackage: info.ssmPackage, ssmCommand, downloadUrl, notes };
}
