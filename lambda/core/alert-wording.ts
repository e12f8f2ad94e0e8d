/**
 * The words every rendering of an Alert shares (Slack, email, terminal), so the three say the same thing.
 * Everything here is raw text: each renderer escapes or cleans it for its medium.
 */
import type { Alert, WindowsServerGuidance } from './alert.js';
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

/** "AWS PV driver 8.6.1 released" */
export function title(alert: Alert): string {
  if (alert.family === 'unknown') return UNRECOGNISED_TITLE;
  return alert.version === null
    ? `${alert.familyName} driver: new release announced`
    : `${alert.familyName} driver ${alert.version} released`;
}

/** "AWS PV 8.6.1 released 2026-07-21" */
export function releasePhrase(alert: Alert): string {
  if (alert.family === 'unknown') return UNRECOGNISED_TITLE;
  const date = alert.releaseDate === null ? '' : ` ${alert.releaseDate}`;
  return `${alert.familyName} ${alert.version ?? 'new version'} released${date}`;
}

/**
 * What happened and the first thing to know, for a notification preview: a notice outranks the notes
 * (a rolled-back release matters more than its features); an unrecognised one shows its own subject.
 */
export function summary(alert: Alert): string {
  const gist =
    alert.family === 'unknown'
      ? (alert.original.subject ?? alert.original.message)
      : (alert.notices[0] ??
        groupDetails(alert.details)
          .flatMap((group) => group.items)
          // Items are sentences as often as not: only those without closing punctuation need a separator.
          .map((item, i, items) => (i < items.length - 1 && !/[.!?;:]$/.test(item) ? `${item};` : item))
          .join(' '));
  return gist.trim() === '' ? releasePhrase(alert) : `${releasePhrase(alert)}: ${gist}`;
}

export function releaseDateText(alert: Alert): string {
  return alert.releaseDate === null ? 'Release date not published' : `Released ${alert.releaseDate}`;
}

export function previousText(alert: Alert): string | null {
  const previous = alert.previous;
  if (previous === null) return null;
  return `Previous: ${previous.version}${previous.releaseDate === null ? '' : ` (${previous.releaseDate})`}`;
}

export function newerText(alert: Alert): string | null {
  const newer = alert.newerKnown;
  if (newer === null) return null;
  return `Newer already out: ${newer.version}${newer.releaseDate === null ? '' : ` (${newer.releaseDate})`}`;
}

const ORIGIN_WORDS: Readonly<Record<ChangelogOrigin, string>> = {
  live: 'live version-history page',
  snapshot: 'bundled snapshot of the version history',
  file: 'version history from a local file',
};

export function changelogText(alert: Alert): string | null {
  const changelog = alert.changelog;
  if (changelog === null) return null;
  return `Changelog: ${ORIGIN_WORDS[changelog.origin]}, as of ${changelog.asOf}`;
}

/** Said in place of the notes when there are none. */
export function noDetailsText(alert: Alert): string {
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

export function historyLinkLabel(alert: Alert): string {
  return alert.family === 'unknown' ? 'Version history' : `${alert.familyName} version history`;
}

/** "AWSPVDriver.zip (8.6.1)": the file name the URL ends with, and the version when known. */
export function downloadLabel(url: string, version: string | null): string {
  const file = url.split(/[?#]/)[0]?.split('/').at(-1) || 'Download';
  return version === null ? file : `${file} (${version})`;
}
