/**
 * The words every rendering of an Alert shares (Slack, email, terminal), so the three say the same thing.
 * Everything here is raw text: each renderer escapes or cleans it for its medium.
 */
import type { Alert, AlertKind, DriverAlert, WindowsServerGuidance } from './alert.js';
import type { ChangelogOrigin } from './changelog.js';

export const UNRECOGNISED_TITLE = 'EC2 Windows drivers notification (not recognised)';
export const UNRECOGNISED_EXPLANATION =
  'The relay could not identify the driver in this notification and is forwarding it as it came.';

/** Detail lines under one group label ("New features:"), or under none before the first label. */
export interface DetailGroup {
  readonly label: string | null;
  readonly items: readonly string[];
}

/**
 * A detail line is a group label when it is short and ends in a colon ("Bug fixes:"). A long sentence
 * that happens to end in a colon ("... using one of the following methods:") is an item.
 */
export function isGroupLabel(line: string): boolean {
  const text = line.trim();
  return text.endsWith(':') && text.length <= 60 && !/[.;!?]\s/.test(text);
}

export function groupDetails(details: readonly string[]): DetailGroup[] {
  const groups: { label: string | null; items: string[] }[] = [];
  for (const raw of details) {
    const line = raw.trim();
    if (line === '') continue;
    if (isGroupLabel(line)) groups.push({ label: line, items: [] });
    else {
      const last = groups.at(-1);
      if (last === undefined) groups.push({ label: null, items: [line] });
      else last.items.push(line);
    }
  }
  return groups;
}

/**
 * The headline says what kind of notice it is: "released" only for a release, and a rollback says first what not
 * to do.
 */
export function title(alert: Alert): string {
  if (alert.kind === 'unrecognised') return UNRECOGNISED_TITLE;
  const name = alert.familyName;
  const version = alert.version;
  switch (alert.kind) {
    case 'release':
      if (version === null) return `${name} driver: new release announced`;
      if (alert.versionRolledBack) {
        return alert.source === 'notice'
          ? `${name} driver ${version} announced, but ROLLED BACK: do not install`
          : `${name} driver ${version} on the version history, but ROLLED BACK: do not install`;
      }
      return alert.source === 'notice'
        ? `${name} driver ${version} released`
        : `${name} driver ${version} released: seen on the version history, AWS sent no notice`;
    case 'rollback':
      return version === null
        ? `ROLLED BACK: do not install the ${name} release AWS names below`
        : `ROLLED BACK: do not install ${name} ${version}`;
    case 'upcoming':
      return `${name} driver ${version ?? 'release'} upcoming: not out yet`;
    case 'end-of-support':
      return `${name} driver${version === null ? 's' : ` ${version}`}: end of support`;
    case 'notice':
      return `${name} driver notice${version === null ? '' : ` about ${version}`}`;
  }
}

/** Short words for a kind, where a line must say it in passing. */
export const KIND_WORDS: Readonly<Record<AlertKind, string>> = {
  release: 'release',
  rollback: 'rollback',
  'end-of-support': 'end of support',
  upcoming: 'upcoming release',
  notice: 'notice',
  unrecognised: 'not recognised',
};

/** "AWS PV 8.6.1 released 2026-07-21": the headline with the date, for an email subject or a preview. */
export function releasePhrase(alert: Alert): string {
  if (alert.kind === 'unrecognised') return UNRECOGNISED_TITLE;
  if (alert.kind !== 'release' || alert.version === null || alert.install.version === null) return title(alert);
  const date = alert.releaseDate === null ? '' : ` ${alert.releaseDate}`;
  return `${alert.familyName} ${alert.version} released${date}`;
}

/**
 * What happened and the first thing to know, for a notification preview: a notice outranks the notes
 * (a rolled-back release matters more than its features); an unrecognised one shows its own subject.
 */
export function summary(alert: Alert): string {
  const gist =
    alert.kind === 'unrecognised'
      ? (alert.original.subject ?? alert.original.message)
      : (alert.notices[0] ??
        groupDetails(alert.details)
          .flatMap((group) => group.items)
          // Items are sentences as often as not: only those without closing punctuation need a separator.
          .map((item, i, items) => (i < items.length - 1 && !/[.!?;:]$/.test(item) ? `${item};` : item))
          .join(' '));
  return gist.trim() === '' ? releasePhrase(alert) : `${releasePhrase(alert)}: ${gist}`;
}

export function releaseDateText(alert: DriverAlert): string {
  return alert.releaseDate === null ? 'Release date not published' : `Released ${alert.releaseDate}`;
}

export function previousText(alert: DriverAlert): string | null {
  const previous = alert.previous;
  if (previous === null) return null;
  return `Previous: ${previous.version}${previous.releaseDate === null ? '' : ` (${previous.releaseDate})`}`;
}

export function newerText(alert: DriverAlert): string | null {
  const newer = alert.newerKnown;
  if (newer === null) return null;
  return `Newer already out: ${newer.version}${newer.releaseDate === null ? '' : ` (${newer.releaseDate})`}`;
}

const ORIGIN_WORDS: Readonly<Record<ChangelogOrigin, string>> = {
  live: 'live version-history page',
  snapshot: 'bundled snapshot of the version history',
  file: 'version history from a local file',
};

export function changelogText(alert: DriverAlert): string {
  const changelog = alert.changelog;
  return `Changelog: ${ORIGIN_WORDS[changelog.origin]}, as of ${changelog.asOf}`;
}

/** Said in place of the notes when there are none. */
export function noDetailsText(alert: DriverAlert): string {
  return alert.notesPublished
    ? 'The version history gives no details for this version.'
    : 'The version history does not list this version yet.';
}

/** Short upper-case tags for plain text, where a glance down the left edge should tell what to do. */
export const ACTION_TAGS: Readonly<Record<WindowsServerGuidance['action'], string>> = {
  install: 'INSTALL',
  stay: 'STAY',
  unsupported: 'NOT SUPPORTED',
  other: 'NOTE',
};

export function historyLinkLabel(alert: DriverAlert): string {
  return `${alert.familyName} version history`;
}

/** "Go back to: ENA 2.4.0 (2022-04-28)" for a rollback. */
export function returnToText(alert: DriverAlert): string | null {
  if (alert.kind !== 'rollback' || alert.returnTo === null) return null;
  const { version, releaseDate } = alert.returnTo;
  return `Go to: ${alert.familyName} ${version}${releaseDate === null ? '' : ` (${releaseDate})`}`;
}

/** The heading over AWS's own text in every rendering. */
export const ORIGINAL_HEADING = "AWS's notice as it came";

/** What the original section is: AWS's words, or (for a release seen only on the page) the relay's note of that. */
export function originalHeading(alert: Alert): string {
  return alert.kind !== 'unrecognised' && alert.source === 'version-history' ? 'AWS sent no notice' : ORIGINAL_HEADING;
}

/** "AWSPVDriver.zip (8.6.1)": the file name the URL ends with, and the version when known. */
export function downloadLabel(url: string, version: string | null): string {
  const file = url.split(/[?#]/)[0]?.split('/').at(-1) || 'Download';
  return version === null ? file : `${file} (${version})`;
}
