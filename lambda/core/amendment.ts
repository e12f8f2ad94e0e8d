/**
 * What the version-history watch sends: an alert rebuilt from what the page says now (to amend the one sent
 * earlier), an alert of its own for a release AWS sent no notice about, and each rendered for Slack and email.
 */
import type { KnownBlock } from '@slack/types';
import type { DriverAlert } from './alert.js';
import { title } from './alert-wording.js';
import type { Changelog } from './changelog.js';
import { type DriverFamily, FAMILIES } from './driver-family.js';
import { renderEmail, SUBJECT_PREFIX, snsSubject } from './email-message.js';
import { enrich } from './enrich.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { type FamilyNotice, readNotice } from './notice.js';
import { cleanText } from './safe-text.js';
import { BLOCKS_MAX, type SlackMessage, section } from './slack-blocks.js';
import { renderSlackMessages } from './slack-message.js';
import type { SnsNotification } from './sns-event.js';
import { sameVersion } from './version.js';
import type { AmendmentChange } from './watch.js';

/** What an alert record keeps so the watch can rebuild the alert: AWS's words, and which alert of them it was. */
export interface AlertOrigin {
  readonly messageId: string;
  readonly index: number;
  readonly family: DriverFamily;
  readonly version: string;
  readonly source: 'notice' | 'version-history';
  readonly subject: string | null;
  readonly message: string;
  /** When it was sent (epoch ms). */
  readonly sentAt: number;
}

/** The message id of the alert for a release seen only on the history page: one per family and version. */
export function unannouncedMessageId(family: DriverFamily, version: string): string {
  return `version-history:${family}:${version}`;
}

/**
 * An alert for a release AWS sent no notice about, enriched like any release from the page it was seen on. Its
 * `original` says, in the relay's words, that no notice came.
 */
export function unannouncedAlert(
  family: DriverFamily,
  version: string,
  changelog: Changelog,
  seenAt: number,
): DriverAlert {
  const info = FAMILIES[family];
  return rebuild(
    {
      messageId: unannouncedMessageId(family, version),
      index: 0,
      family,
      version,
      source: 'version-history',
      subject: null,
      message: `AWS sent no notice on the topic about ${info.name} ${version}. The relay saw it on the version history (${info.historyUrl}) on ${isoMinute(seenAt)}.`,
      sentAt: seenAt,
    },
    changelog,
    'release',
  );
}

/**
 * The alert as it would be built now: AWS's notice read again (the same reader as when it was sent), enriched
 * with the page as it is now. A version the page marks rolled back is rebuilt as a rollback, so it names the
 * version to go to and carries no install command.
 */
export function rebuild(origin: AlertOrigin, changelog: Changelog, kind: 'release' | 'rollback'): DriverAlert {
  const notification: SnsNotification = {
    messageId: origin.messageId,
    topicArn: '',
    subject: origin.subject,
    message: origin.message,
    timestamp: new Date(origin.sentAt).toISOString(),
  };
  const read = origin.source === 'notice' ? readNotice(origin.subject, origin.message)[origin.index] : undefined;
  // The reader is the same as when the alert went out, so this holds; if it ever does not, the alert is still
  // rebuilt for the family and version that were alerted, never for another.
  const notice: FamilyNotice =
    read !== undefined &&
    read.family === origin.family &&
    read.version !== null &&
    sameVersion(read.version, origin.version)
      ? read
      : {
          family: origin.family,
          version: origin.version,
          kind: 'release',
          rolledBack: [],
          target: null,
          alsoNamed: [],
          supportClaims: [],
        };
  const alert = enrich(
    notification,
    origin.index,
    { ...notice, kind, target: kind === 'rollback' ? null : notice.target },
    changelog,
  );
  if (origin.source === 'notice') return alert;
  return {
    ...alert,
    source: 'version-history',
    notices: [
      `Seen on the version history; AWS sent no notice on the topic about ${alert.familyName} ${origin.version}.`,
      ...alert.notices,
    ],
  };
}

const CHANGE_WORDS: Readonly<Record<AmendmentChange, string>> = {
  'notes-published': 'release notes published',
  'date-published': 'release date published',
  'rolled-back': 'now marked ROLLED BACK',
};

export interface AmendmentInput {
  /** The alert rebuilt with the page as it is now (`rebuild`). */
  readonly alert: DriverAlert;
  readonly change: AmendmentChange;
  /** When the alert being amended was sent (epoch ms). */
  readonly sentAt: number;
  /** When the watch saw the change (epoch ms). */
  readonly now: number;
}

/** The amendment for every kind of destination (ports.ts RenderedAmendment). */
export function renderAmendment({ alert, change, sentAt, now }: AmendmentInput) {
  const { main, thread } = renderSlackMessages(alert);
  const what = `${alert.familyName} ${alert.version}`;
  const amended = `:pencil2: Amended ${isoMinute(now)} by the version-history watch: ${CHANGE_WORDS[change]}. First sent ${isoMinute(sentAt)}.`;
  const replacing = `:pencil2: This amends the alert of ${isoMinute(sentAt)} about ${what} (${CHANGE_WORDS[change]}); that message could not be updated.`;
  return {
    change,
    slack: {
      main: withLine(main, amended),
      reply: { text: replyText(alert, change), blocks: [section(replyMrkdwn(alert, change))] },
      broadcast: change === 'rolled-back',
      replacement: { main: withLine(main, replacing), thread },
    },
    email: amendmentEmail(alert, change, sentAt),
  };
}

/** The alert's message with a line under its headline saying it was amended. */
function withLine(message: SlackMessage, line: string): SlackMessage {
  const [head, ...rest] = message.blocks;
  const note: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(line) }] };
  const blocks = head === undefined ? [note] : [head, note, ...rest];
  // The links block comes last; losing it beats losing the headline or the note.
  return { text: message.text, blocks: blocks.slice(0, BLOCKS_MAX) };
}

/** What the page now says, as one sentence without its full stop (the thread reply and the email go on from it). */
function newsOf(alert: DriverAlert, change: AmendmentChange): string {
  const what = `${alert.familyName} ${alert.version}`;
  switch (change) {
    case 'notes-published':
      return `Release notes now published for ${what}${alert.releaseDate === null ? '' : ` (released ${alert.releaseDate})`}`;
    case 'date-published':
      return `Release date now published: ${what} was released ${alert.releaseDate ?? '(date not shown)'}`;
    case 'rolled-back':
      return `ROLLED BACK: do not install ${what}. The version history now marks it rolled back`;
  }
}

function replyText(alert: DriverAlert, change: AmendmentChange): string {
  const news = newsOf(alert, change);
  return change === 'notes-published' ? `${news}: the alert above shows them.` : `${news}.${goTo(alert)}`;
}

function replyMrkdwn(alert: DriverAlert, change: AmendmentChange): string {
  const text = escapeMrkdwn(replyText(alert, change));
  return change === 'rolled-back'
    ? `:rotating_light: *${text}* The alert above no longer gives an install command.`
    : `:memo: ${text}`;
}

function goTo(alert: DriverAlert): string {
  if (alert.kind !== 'rollback' || alert.returnTo === null) return '';
  return ` Instances that installed it should go to ${alert.familyName} ${alert.returnTo.version}.`;
}

function amendmentEmail(alert: DriverAlert, change: AmendmentChange, sentAt: number) {
  const what = `${alert.familyName} ${alert.version}`;
  const footer = `\n--\nSent by ec2-driver-relay's version-history watch. It follows the alert of ${isoMinute(sentAt)} about ${what}.\n`;
  if (change === 'rolled-back') {
    // The urgent one: the whole corrected alert, so nobody needs the first email to act.
    const full = renderEmail(alert);
    return {
      subject: snsSubject(`${SUBJECT_PREFIX}${title(alert)}`),
      body: `This corrects the alert of ${isoMinute(sentAt)}, which said ${what} was released: the version history now marks it rolled back. Do not install it.${goTo(alert)}\n\n${full.body}`,
    };
  }
  const notes = alert.details.map((line) => `  - ${line}`).join('\n');
  const body = [
    `${newsOf(alert, change)}.`,
    '',
    ...(change === 'notes-published' && notes !== '' ? ['Release notes:', notes, ''] : []),
    `Version history: ${alert.sourceUrl}`,
  ].join('\n');
  const subject =
    change === 'notes-published'
      ? `Release notes published: ${what}`
      : `Release date published: ${what} (${alert.releaseDate ?? 'date not shown'})`;
  // Page text is in it: cleaned like every other rendering (terminal-text.ts cleanText).
  return { subject: snsSubject(`${SUBJECT_PREFIX}${subject}`), body: cleanText(`${body}\n${footer}`) };
}

/** "2026-12-02 15:49 UTC" */
function isoMinute(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
