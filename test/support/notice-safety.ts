/**
 * The safety rules of issue 9, in one place for the labelled corpus (test/notice-corpus.test.ts) and the generated
 * notices (test/notice-properties.test.ts). Each rule is a function returning the problems it found as sentences
 * (empty when it holds), so a failure says what a reader would have been told, not `false`.
 *
 * The rules are written from the issue and AWS's documentation, not from the reader's output: which versions the
 * history marks rolled back and which one is the newest comes from the bundled snapshot, and which Windows Server
 * versions run "the latest" driver from driver-facts.md.
 */
import type { Alert, DriverAlert } from '../../lambda/core/alert.js';
import { snapshotChangelog } from '../../lambda/core/bundled-snapshot.js';
import type { ChangelogSource } from '../../lambda/core/changelog.js';
import { DRIVER_FAMILIES, type DriverFamily } from '../../lambda/core/driver-family.js';
import { renderEmail } from '../../lambda/core/email-message.js';
import { renderSlackMessages } from '../../lambda/core/slack-message.js';
import { renderText } from '../../lambda/core/terminal-text.js';

export type ExpectedKind = Alert['kind'];

/** One alert a careful operator expects from a notice. */
export interface ExpectedAlert {
  readonly family: DriverFamily | 'unknown';
  /** Normalised ("2.11.0", "1.4.0.13"; "8.6.1.0" is "8.6.1"); null when the notice names none for the family. */
  readonly version: string | null;
  readonly kind: ExpectedKind;
}

export interface VersionRef {
  readonly family: DriverFamily;
  readonly version: string;
}

/** What the rules need to know about the notice besides the alerts built from it. */
export interface NoticeFacts {
  readonly message: string;
  /** What a careful operator reads from the notice (the rollback alerts' versions count as marked rolled back). */
  readonly expected: readonly ExpectedAlert[];
  /** Other versions the notice says were rolled back or withdrawn ("replaces 2.12.0, which has been withdrawn"). */
  readonly rolledBack: readonly VersionRef[];
}

/** The bundled snapshot, as the relay reads it when it runs without the live pages. */
export const SNAPSHOT_SOURCE: ChangelogSource = { getChangelog: async (family) => snapshotChangelog(family) };

/** What a reader sees of one alert. */
export interface Rendered {
  readonly slack: ReturnType<typeof renderSlackMessages>;
  readonly email: ReturnType<typeof renderEmail>;
  readonly text: string;
}

export function renderAll(alert: Alert): Rendered {
  return { slack: renderSlackMessages(alert), email: renderEmail(alert), text: renderText(alert) };
}

/** A version as a comparable key: "v8.6.1.0", "8.6.1" and "8.6.1.0" give the same key; null for non-versions. */
export function versionKey(raw: string): string | null {
  const match = /^[vV]?(\d{1,6}(?:\.\d{1,6}){1,3})$/.exec(raw.trim());
  if (!match?.[1]) return null;
  const parts = match[1].split('.').map(Number);
  while (parts.length < 4) parts.push(0);
  return parts.join('.');
}

/** Negative when a is older than b; both must be versions. */
export function compareReleases(a: string, b: string): number {
  const left = (versionKey(a) ?? '0.0.0.0').split('.').map(Number);
  const right = (versionKey(b) ?? '0.0.0.0').split('.').map(Number);
  for (let i = 0; i < 4; i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

function sameRelease(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const left = versionKey(a);
  return left !== null && left === versionKey(b);
}

/** A value for each driver family. */
export function byFamily<T>(make: (family: DriverFamily) => T): Record<DriverFamily, T> {
  const values = {} as Record<DriverFamily, T>;
  for (const family of DRIVER_FAMILIES) values[family] = make(family);
  return values;
}

/** The snapshot's rows whose details say the version was rolled back (ENA 2.5.0 and 2.2.4). */
const HISTORY_ROLLED_BACK: Readonly<Record<DriverFamily, readonly string[]>> = byFamily((family) =>
  snapshotChangelog(family)
    .entries.filter((entry) => /\brolled back\b|\bwithdrawn\b/i.test(entry.details.join(' ')))
    .map((entry) => entry.version),
);

const HISTORY_VERSIONS: Readonly<Record<DriverFamily, readonly string[]>> = byFamily((family) =>
  snapshotChangelog(family).entries.map((entry) => entry.version),
);

/** The versions each family's history page lists, and those it marks rolled back. */
export function historyOf(family: DriverFamily): { versions: readonly string[]; rolledBack: readonly string[] } {
  return { versions: HISTORY_VERSIONS[family], rolledBack: HISTORY_ROLLED_BACK[family] };
}

/**
 * Windows Server versions whose documented rule is "the latest version" (driver-facts.md): 2016 to 2022 for AWS PV
 * (2025 is not supported), and 2016 and later for ENA and NVMe. EC2WinUtil has no per-version table.
 */
const LATEST_RULE_SERVERS: Readonly<Record<DriverFamily, readonly string[]>> = {
  'aws-pv': ['Windows Server 2016', 'Windows Server 2019', 'Windows Server 2022'],
  ena: ['Windows Server 2016', 'Windows Server 2019', 'Windows Server 2022'],
  nvme: ['Windows Server 2016', 'Windows Server 2019', 'Windows Server 2022'],
  ec2winutil: [],
};

/** What the rules derive once per notice. */
export interface NoticeContext {
  readonly message: string;
  /** Versions the notice or the history marks rolled back or withdrawn, as version keys. */
  readonly rolledBack: Readonly<Record<DriverFamily, ReadonlySet<string>>>;
  /** The newest version the history lists that neither the notice nor the history marks rolled back. */
  readonly newestGood: Readonly<Record<DriverFamily, string | null>>;
}

export function noticeContext(alerts: readonly Alert[], facts: NoticeFacts): NoticeContext {
  const rolledBack = byFamily((family) => {
    const marked = [
      ...HISTORY_ROLLED_BACK[family],
      ...facts.rolledBack.filter((ref) => ref.family === family).map((ref) => ref.version),
      ...[...facts.expected, ...alerts]
        .filter((alert) => alert.family === family && alert.kind === 'rollback' && alert.version !== null)
        .map((alert) => alert.version as string),
    ];
    return new Set(marked.map(versionKey).filter((key) => key !== null));
  });
  const newestGood = byFamily((family) =>
    HISTORY_VERSIONS[family]
      .filter((version) => !rolledBack[family].has(versionKey(version) ?? ''))
      .reduce<string | null>(
        (newest, version) => (newest === null || compareReleases(version, newest) > 0 ? version : newest),
        null,
      ),
  );
  return { message: facts.message, rolledBack, newestGood };
}

const isRolledBack = (context: NoticeContext, family: DriverFamily, version: string | null) =>
  version !== null && context.rolledBack[family].has(versionKey(version) ?? '');

/** Every version a command passes as its `version` parameter (JSON `"version":["2.11.0"]` or `version=2.11.0`). */
export function commandVersions(command: string): string[] {
  const found: string[] = [];
  for (const match of command.matchAll(/\bversion["'\]\s]*[:=]\s*\[?\s*["']?(v?\d+(?:\.\d+){1,3})/gi)) {
    if (match[1]) found.push(match[1]);
  }
  return found;
}

/** The versions an install step installs: its `version` and the command's, each once. */
function installedBy(version: string | null, command: string): string[] {
  const byKey = new Map<string, string>();
  for (const candidate of [...(version === null ? [] : [version]), ...commandVersions(command)]) {
    byKey.set(versionKey(candidate) ?? candidate, candidate);
  }
  return [...byKey.values()];
}

/** The version segment of a download path (".../ENA/x64/2.11.0/AwsEnaNetworkDriver.zip"). */
function urlVersions(url: string): string[] {
  return [...url.matchAll(/\/(v?\d+(?:\.\d+){1,3})\//g)].map((match) => match[1] as string);
}

function label(alert: DriverAlert): string {
  return `${alert.kind} alert for ${alert.family} ${alert.version ?? '(no version)'}`;
}

/**
 * A rollback alert installs nothing: no command, no download, no Windows Server row that says "install" the
 * rolled-back version, and the version it sends people back to is not itself marked rolled back.
 */
export function rollbackInstallsNothing(alert: Alert, context: NoticeContext): string[] {
  if (alert.kind !== 'rollback') return [];
  const problems: string[] = [];
  if (alert.install.ssmCommand !== null) problems.push(`${label(alert)} carries an SSM command`);
  if (alert.install.downloadUrl !== null) problems.push(`${label(alert)} carries a download URL`);
  for (const row of alert.windowsServer) {
    if (row.action === 'install' && sameRelease(row.targetVersion, alert.version)) {
      problems.push(`${label(alert)} tells ${row.windowsServer} to install the rolled-back version`);
    }
  }
  if (alert.returnTo !== null && isRolledBack(context, alert.family, alert.returnTo.version)) {
    problems.push(`${label(alert)} sends people back to ${alert.returnTo.version}, which is marked rolled back`);
  }
  return problems;
}

/** The title of each rendering: Slack's header block, the email subject, the first line of the text. */
export function titles(rendered: Rendered): { where: string; title: string }[] {
  const header = rendered.slack.main.blocks.find((block) => block.type === 'header') as
    | { text?: { text?: string } }
    | undefined;
  return [
    { where: 'Slack header', title: header?.text?.text ?? rendered.slack.main.text },
    { where: 'email subject', title: rendered.email.subject },
    { where: 'text title', title: rendered.text.split('\n').find((line) => line.trim() !== '') ?? '' },
  ];
}

/** Upcoming, end-of-support and notice alerts neither install anything nor call the version released. */
export function nonReleaseNeitherInstallsNorSaysReleased(alert: Alert, rendered: Rendered): string[] {
  if (alert.kind !== 'upcoming' && alert.kind !== 'end-of-support' && alert.kind !== 'notice') return [];
  const problems: string[] = [];
  if (alert.install.ssmCommand !== null) problems.push(`${label(alert)} carries an SSM command`);
  if (alert.install.downloadUrl !== null) problems.push(`${label(alert)} carries a download URL`);
  for (const { where, title } of titles(rendered)) {
    if (/\breleased\b/i.test(title)) problems.push(`${label(alert)}: the ${where} says "released": ${title}`);
  }
  return problems;
}

/**
 * No alert of any kind offers to install a version the notice or the history marks rolled back or withdrawn: not
 * in its SSM command, not in its download, not in a Windows Server row that says "install".
 */
export function noInstallOfRolledBackVersion(alert: Alert, context: NoticeContext): string[] {
  if (alert.family === 'unknown') return [];
  const problems: string[] = [];
  const { install, family } = alert;
  if (install.ssmCommand !== null) {
    for (const version of installedBy(install.version, install.ssmCommand)) {
      if (isRolledBack(context, family, version)) {
        problems.push(`${label(alert)}: its SSM command installs ${version}, which is marked rolled back`);
      }
    }
  }
  if (install.downloadUrl !== null) {
    for (const version of urlVersions(install.downloadUrl)) {
      if (isRolledBack(context, family, version)) {
        problems.push(`${label(alert)}: its download is ${version}, which is marked rolled back`);
      }
    }
  }
  for (const row of alert.windowsServer) {
    if (row.action === 'install' && isRolledBack(context, family, row.targetVersion)) {
      problems.push(`${label(alert)} tells ${row.windowsServer} to install ${row.targetVersion}, marked rolled back`);
    }
  }
  return problems;
}

/**
 * A release of a version older than the newest known good one never pins the servers that run "the latest" to it:
 * their rows point at the newest good version, and the SSM command does not install the older one.
 */
export function olderReleaseKeepsLatestServersOnNewest(alert: Alert, context: NoticeContext): string[] {
  if (alert.kind !== 'release' || alert.version === null) return [];
  const newest = context.newestGood[alert.family];
  if (newest === null || compareReleases(alert.version, newest) >= 0) return [];
  const problems: string[] = [];
  for (const server of LATEST_RULE_SERVERS[alert.family]) {
    const row = alert.windowsServer.find((candidate) => candidate.windowsServer === server);
    if (row === undefined) problems.push(`${label(alert)} gives no guidance for ${server}`);
    else if (!sameRelease(row.targetVersion, newest)) {
      problems.push(
        `${label(alert)} points ${server} at ${row.targetVersion ?? 'no version'}, not the newest ${newest}`,
      );
    }
  }
  const { ssmCommand, version } = alert.install;
  if (ssmCommand !== null) {
    for (const installed of installedBy(version, ssmCommand)) {
      if (sameRelease(installed, alert.version)) {
        problems.push(`${label(alert)}: its SSM command installs the older ${installed}, not the newest ${newest}`);
      }
    }
  }
  return problems;
}

/** At most one alert per family; one to four driver alerts, or exactly one unrecognised alert. */
export function alertCountIsBounded(alerts: readonly Alert[]): string[] {
  const problems: string[] = [];
  if (alerts.length === 0) problems.push('the notice produced no alert at all');
  const families = alerts.map((alert) => alert.family);
  for (const family of new Set(families)) {
    const count = families.filter((candidate) => candidate === family).length;
    if (count > 1) problems.push(`${count} alerts for ${family}`);
  }
  if (families.includes('unknown') && alerts.length > 1) {
    problems.push(`an unrecognised alert next to ${alerts.length - 1} other alerts`);
  }
  const drivers = families.filter((family) => family !== 'unknown').length;
  if (drivers > 4) problems.push(`${drivers} driver alerts (there are four driver families)`);
  return problems;
}

// C0/C1 controls and bidi controls the renderers drop, and the zero-width space Slack escaping puts between backticks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters the renderers drop, matched on purpose
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text with every space and invisible character removed, so reflowed or escaped text still compares. */
function fold(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(/\s+/g, '').replace(INVISIBLE, '');
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  mdash: '—',
  ndash: '–',
  rarr: '→',
  rsquo: '’',
  lsquo: '‘',
  ldquo: '“',
  rdquo: '”',
};

function htmlText(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return HTML_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/**
 * The beginning of AWS's message a reader must find in every rendering: its first 40 non-space characters, or, for
 * an HTML body, those of its text (a renderer may show the text rather than the tags).
 */
export function messagePrefixes(message: string): string[] {
  const prefixes = [message, ...(/<[a-z][^>]*>/i.test(message) ? [htmlText(message)] : [])].map((text) =>
    Array.from(fold(text)).slice(0, 40).join(''),
  );
  return prefixes.filter((prefix) => prefix !== '');
}

function strings(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) strings(item, into);
  return into;
}

/** The Slack main message as a reader sees its text: quote markers gone, Slack's escaping undone. */
function slackMainText(rendered: Rendered): string {
  return strings([rendered.slack.main.text, rendered.slack.main.blocks], [])
    .join('\n')
    .replace(/(^|\n)&gt; ?/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** AWS's own words reach the reader: Slack's main message, the email body and the text all show the message's start. */
export function awsWordsReachReader(alert: Alert, rendered: Rendered, context: NoticeContext): string[] {
  const prefixes = messagePrefixes(context.message);
  if (prefixes.length === 0) return [];
  const who = alert.family === 'unknown' ? 'the unrecognised alert' : label(alert);
  const outputs = [
    { where: "Slack's main message", text: fold(slackMainText(rendered)) },
    { where: 'the email body', text: fold(rendered.email.body) },
    { where: 'the text rendering', text: fold(rendered.text) },
  ];
  return outputs
    .filter(({ text }) => !prefixes.some((prefix) => text.includes(prefix)))
    .map(({ where }) => `${who}: ${where} does not show AWS's text (starting "${prefixes[0]}")`);
}

/** Every rule over one notice's alerts. */
export function safetyProblems(alerts: readonly Alert[], facts: NoticeFacts): string[] {
  const context = noticeContext(alerts, facts);
  const problems = alertCountIsBounded(alerts);
  for (const alert of alerts) {
    const rendered = renderAll(alert);
    problems.push(
      ...rollbackInstallsNothing(alert, context),
      ...nonReleaseNeitherInstallsNorSaysReleased(alert, rendered),
      ...noInstallOfRolledBackVersion(alert, context),
      ...olderReleaseKeepsLatestServersOnNewest(alert, context),
      ...awsWordsReachReader(alert, rendered, context),
    );
  }
  return problems;
}

/** The family/version/kind of each alert, the shape the labels are written in. */
export function readAs(alerts: readonly Alert[]): ExpectedAlert[] {
  return alerts.map(({ family, version, kind }) => ({ family, version, kind }));
}
