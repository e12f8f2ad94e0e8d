import type { Alert, DriverAlert, InstallSteps, NoInstallSteps, ReleaseRef, UnrecognisedAlert } from './alert.js';
import { type Changelog, type ChangelogEntry, type ChangelogSource, marksRolledBack } from './changelog.js';
import { type DriverFamily, FAMILIES } from './driver-family.js';
import { type FamilyNotice, readNotice } from './notice.js';
import type { SnsNotification } from './sns-event.js';
import { compareVersions, normalizeVersion, sameVersion } from './version.js';
import { guidanceFor, rulesFor } from './windows-server.js';

/**
 * Builds one alert per driver family the notification is about (at most one per family), or a single
 * `unrecognised` alert carrying the original text when it names none. Never drops a notification.
 */
export async function buildAlerts(notification: SnsNotification, changelogs: ChangelogSource): Promise<Alert[]> {
  const notices = readNotice(notification.subject, notification.message);
  if (notices.length === 0) return [unknownAlert(notification)];
  const alerts: Alert[] = [];
  for (const [index, notice] of notices.entries()) {
    const changelog = await changelogs.getChangelog(notice.family, notice.version);
    alerts.push(enrich(notification, index, notice, changelog));
  }
  return alerts;
}

const byVersionDescending = (a: ChangelogEntry, b: ChangelogEntry) => compareVersions(b.version, a.version);

const ref = (entry: ChangelogEntry | undefined): ReleaseRef | null =>
  entry ? { version: entry.version, releaseDate: entry.releaseDate } : null;

/** "2.10.0, 2.10.1 and 3 more": a notice can name thousands of versions; a line names a few. */
function listed(versions: readonly string[]): string {
  const shown = versions.slice(0, 5).join(', ');
  return versions.length > 5 ? `${shown} and ${versions.length - 5} more` : shown;
}

const dated = (entry: ReleaseRef) => `${entry.version}${entry.releaseDate ? ` (${entry.releaseDate})` : ''}`;

export function enrich(
  notification: SnsNotification,
  index: number,
  notice: FamilyNotice,
  changelog: Changelog,
): DriverAlert {
  const { family, version, kind } = notice;
  const info = FAMILIES[family];
  const entries = [...changelog.entries].sort(byVersionDescending);
  const canonical = (v: string) => normalizeVersion(v) ?? v;
  const saysRolledBack = new Set(notice.rolledBack.map(canonical));
  const pageRolledBack = new Set(entries.filter(marksRolledBack).map((e) => canonical(e.version)));
  const rolledBack = (candidate: string) =>
    saysRolledBack.has(canonical(candidate)) || pageRolledBack.has(canonical(candidate));
  const good = entries.filter((e) => !rolledBack(e.version));
  const entry = version === null ? undefined : entries.find((e) => sameVersion(e.version, version));
  const previous = version === null ? undefined : entries.find((e) => compareVersions(e.version, version) < 0);
  const newestGood = good[0];
  const newerKnown =
    version !== null && newestGood && compareVersions(newestGood.version, version) > 0 ? newestGood : undefined;
  const blocked = version !== null && rolledBack(version);

  const notices: string[] = [];
  if (kind !== 'rollback' && blocked) {
    notices.push(
      `${info.name} ${version} is marked rolled back${saysRolledBack.has(canonical(version)) ? ' in the notice' : ' in the version history'}: do not install it.`,
    );
  }
  if (version === null) {
    notices.push(
      `The notice names no ${info.name} version.${newestGood ? ` The newest good ${info.name} release known is ${dated(newestGood)}.` : ''}`,
    );
  } else if (!entry && kind !== 'upcoming') {
    notices.push(
      `Release notes for ${info.name} ${version} are not on the version-history page yet (${changelog.origin} copy of ${changelog.asOf}). Check the page before acting.`,
    );
  }
  if (newerKnown && kind !== 'upcoming') {
    notices.push(`${version} is older than the newest known good ${info.name} release, ${dated(newerKnown)}.`);
  }
  const otherRolledBack = notice.rolledBack.filter((v) => version === null || !sameVersion(v, version));
  if (otherRolledBack.length > 0) {
    notices.push(
      `The notice says ${info.name} ${listed(otherRolledBack)} ${otherRolledBack.length > 1 ? 'were' : 'was'} rolled back: do not install ${otherRolledBack.length > 1 ? 'them' : 'it'}.`,
    );
  }
  const withdrawn = new Set(notice.rolledBack);
  const alsoNamed = notice.alsoNamed.filter((v) => !withdrawn.has(v));
  if (alsoNamed.length > 0) {
    notices.push(
      `The notice also names ${info.name} ${listed(alsoNamed)}; this alert is about ${version ?? 'the release it announces'}. Read AWS's text below.`,
    );
  }

  const returnTo = kind === 'rollback' ? returnVersion(notice, entries, good) : null;
  if (kind === 'rollback') {
    notices.unshift(
      `AWS rolled back ${version === null ? `a ${info.name} release` : `${info.name} ${version}`}: do not install it.${returnTo === null ? '' : ` Instances that run it should go to ${info.name} ${returnTo.version}.`}`,
    );
  }
  const { guidance, disagreements } =
    kind === 'release' || kind === 'rollback'
      ? guidanceFor(family, rulesFor(family, changelog.windowsServerTable), {
          kind,
          version,
          blocked,
          newestGood: newestGood?.version ?? null,
          goodVersions: good.map((e) => e.version),
          claims: notice.supportClaims,
        })
      : { guidance: [], disagreements: [] };
  notices.push(...disagreements);

  const common = {
    messageId: notification.messageId,
    index,
    family,
    familyName: info.name,
    version,
    releaseDate: entry?.releaseDate ?? null,
    details: entry?.details ?? [],
    notesPublished: entry !== undefined,
    previous: ref(previous),
    newerKnown: ref(newerKnown),
    notices,
    windowsServer: guidance,
    caveats: CAVEATS[family],
    verifyCommand: info.verifyCommand,
    sourceUrl: info.historyUrl,
    source: 'notice' as const,
    changelog: { origin: changelog.origin, asOf: changelog.asOf },
    original: { subject: notification.subject, message: notification.message },
  };
  switch (kind) {
    case 'release': {
      // Servers that run the latest version take the newest good release, never an older re-announced one.
      const installVersion = blocked || version === null ? null : (newerKnown?.version ?? version);
      const installEntry =
        installVersion === null ? undefined : entries.find((e) => sameVersion(e.version, installVersion));
      return {
        ...common,
        kind,
        versionRolledBack: blocked,
        install: installSteps(family, version, installVersion, installEntry, blocked),
      };
    }
    case 'rollback':
      return { ...common, kind, returnTo, install: noInstall(family, rollbackNote(family, version, returnTo)) };
    case 'upcoming':
      return {
        ...common,
        kind,
        install: noInstall(
          family,
          `Nothing to install yet: AWS says ${info.name} ${version ?? 'a new version'} will be released later.`,
        ),
      };
    case 'end-of-support':
      return {
        ...common,
        kind,
        install: noInstall(
          family,
          'Nothing to install: this is an end-of-support notice. Plan the move AWS describes below.',
        ),
      };
    case 'notice':
      return {
        ...common,
        kind,
        install: noInstall(family, "Nothing to install: this notice announces no release. Read AWS's text below."),
      };
  }
}

/** AWS's own word first (a version the notice says to go back to), else the newest good release known. */
function returnVersion(
  notice: FamilyNotice,
  entries: readonly ChangelogEntry[],
  good: readonly ChangelogEntry[],
): ReleaseRef | null {
  const named = notice.target;
  if (named !== null && good.some((e) => sameVersion(e.version, named))) {
    return ref(entries.find((e) => sameVersion(e.version, named)));
  }
  if (named !== null && !entries.some((e) => sameVersion(e.version, named)))
    return { version: named, releaseDate: null };
  return notice.version === null ? null : ref(good[0]);
}

function rollbackNote(family: DriverFamily, version: string | null, returnTo: ReleaseRef | null): string {
  const info = FAMILIES[family];
  const what = version === null ? 'the release it names' : `${info.name} ${version}`;
  const target =
    returnTo === null ? 'the previous good release (see the version history)' : `${info.name} ${returnTo.version}`;
  const how =
    info.ssmPackage === null
      ? ''
      : ` (AWS-ConfigureAWSPackage with name ${info.ssmPackage}${returnTo === null ? '' : ` and version ${returnTo.version}`}, on those instances only)`;
  return `AWS rolled back ${what}, so no install command is given. Instances that run it should go to ${target}${how}.`;
}

function noInstall(family: DriverFamily, note: string): NoInstallSteps {
  return { ssmPackage: FAMILIES[family].ssmPackage, version: null, ssmCommand: null, downloadUrl: null, notes: [note] };
}

export function unknownAlert(notification: SnsNotification): UnrecognisedAlert {
  return {
    messageId: notification.messageId,
    index: 0,
    kind: 'unrecognised',
    family: 'unknown',
    familyName: 'Unrecognised notification',
    version: null,
    notices: ['The relay could not tell which driver this notification is about, so it is forwarded as it came.'],
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
  announced: string | null,
  version: string | null,
  entry: ChangelogEntry | undefined,
  blocked: boolean,
): InstallSteps {
  const info = FAMILIES[family];
  if (version === null) {
    return {
      ssmPackage: info.ssmPackage,
      version: null,
      ssmCommand: null,
      downloadUrl: null,
      notes: [
        blocked
          ? `No install command: ${info.name} ${announced} is marked rolled back.`
          : 'No install command: the notice names no version. Check the version history for the release it announces.',
      ],
    };
  }
  const notes: string[] = [];
  let ssmCommand: string | null = null;
  if (announced !== null && !sameVersion(announced, version)) {
    notes.push(
      `This installs the newest good release, ${info.name} ${version}, for the Windows Server versions marked install; ${announced} is older.`,
    );
  }
  if (info.ssmPackage) {
    const parameters: Record<string, string[]> = { action: ['Install'], name: [info.ssmPackage], version: [version] };
    if (family === 'aws-pv') parameters.installationType = ['Uninstall and reinstall'];
    if (info.ssmAdditionalArguments) parameters.additionalArguments = [JSON.stringify(info.ssmAdditionalArguments)];
    ssmCommand = [
      'aws ssm send-command --document-name "AWS-ConfigureAWSPackage"',
      `--parameters '${JSON.stringify(parameters)}'`,
      '--targets "Key=InstanceIds,Values=i-0123456789abcdef0"',
    ].join(' ');
    notes.push(
      `Target only instances whose Windows Server version is marked install above. Try one instance first (replace the instance ID), then target a tag (Key=tag:<name>,Values=<value>) or use a State Manager association (aws ssm create-association --name AWS-ConfigureAWSPackage).`,
    );
  } else {
    notes.push(
      `AWS publishes no Systems Manager package for ${info.name}: download the package and run its installer.`,
    );
  }
  if (family === 'aws-pv') {
    notes.push('The upgrade reboots the instance, which can be unavailable for up to 15 minutes.');
  }
  return {
    ssmPackage: info.ssmPackage,
    version,
    ssmCommand,
    downloadUrl: entry?.packageUrl ?? FAMILIES[family].downloadUrl(version),
    notes,
  };
}
