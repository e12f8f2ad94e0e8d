/**
 * One Alert as Slack messages: a main message a person can act on at a glance, and thread replies for
 * whatever is too long for it (full release notes, a long unrecognised notification).
 *
 * Every piece of outside text goes through mrkdwn.ts (escaped, cut to fit), and every block is built by a
 * helper that enforces Slack's limits, so no input, however large or hostile, makes Slack reject the
 * payload or lets it ping a channel. mrkdwn text objects are `verbatim`, so Slack does not turn a bare
 * "@channel" or "#channel" in the text into a mention or link either.
 */
import type { ContextBlock, HeaderBlock, KnownBlock } from '@slack/types';
import type { Alert, DriverAlert, UnrecognisedAlert, WindowsServerGuidance } from './alert.js';
import {
  changelogText,
  downloadLabel,
  groupDetails,
  historyLinkLabel,
  newerText,
  noDetailsText,
  originalHeading,
  previousText,
  releaseDateText,
  releasePhrase,
  returnToText,
  summary,
  title,
  UNRECOGNISED_EXPLANATION,
  UNRECOGNISED_TITLE,
} from './alert-wording.js';
import { hasFleetView } from './fleet.js';
import { fleetBlocks, fleetThread } from './fleet-slack.js';
import type { FleetView } from './fleet-wording.js';
import {
  codeBlock,
  codeBlocks,
  escapeMrkdwn,
  fitLine,
  inlineCode,
  link,
  packLines,
  splitMrkdwn,
  truncateMrkdwn,
} from './mrkdwn.js';
import { oneLine, truncateText } from './safe-text.js';
import {
  BLOCKS_MAX,
  SECTION_MAX,
  type SlackMessage,
  section,
  THREAD_MESSAGE_CHARS,
  threadMessages,
} from './slack-blocks.js';

export type { SlackMessage } from './slack-blocks.js';

// Slack's limits: https://docs.slack.dev/reference/block-kit/blocks
const HEADER_MAX = 150;
const CONTEXT_ELEMENT_MAX = 3000;
const CONTEXT_ELEMENTS_MAX = 10;
/** Slack cuts `text` at 40,000 characters; a notification preview needs far less. */
const FALLBACK_MAX = 1000;

/**
 * Slack also rejects a message whose blocks hold more than about 12,000 characters in all
 * (msg_blocks_too_long; undocumented, see slackapi/bolt-js#2509 and #2867). Each part of the main message
 * has its own budget (below) and the parts add up to under 10,000; each thread reply stays under 9,000.
 */
const BUDGET = {
  contextElement: 200,
  notices: 1000,
  whatChanged: 1600,
  guidance: 1600,
  caveats: 800,
  original: 1400,
  installText: 1200,
  installCode: 1000,
  verify: 600,
  linkElement: 300,
  subject: 300,
} as const;

/** Notes longer than this stay out of the main message, which shows a preview and points to the thread. */
const NOTES_MAX_LINES = 8;
const NOTES_MAX_CHARS = 1500;
const PREVIEW_LINES = 5;
/** Any one line in the main message (a notice, a guidance line, a caveat). */
const LINE_MAX = 300;
/** How much of an unrecognised notification's message the main message shows when the rest goes to the thread. */
const MESSAGE_PREVIEW_MAX = 1500;
/** How much of AWS's text a recognised alert shows in the main message; the rest goes to the thread. */
const ORIGINAL_PREVIEW_MAX = 900;
/** A flood of replies would bury the channel; past this the thread says the rest was cut. */
const THREAD_MESSAGES_MAX = 20;

const ACTION_EMOJI: Readonly<Record<WindowsServerGuidance['action'], string>> = {
  install: ':white_check_mark:',
  stay: ':pushpin:',
  unsupported: ':no_entry:',
  other: ':information_source:',
};

/** `fleet`: the fleet section, for a release or rollback alert when fleet impact is on; absent, there is none. */
export function renderSlackMessages(alert: Alert, fleet?: FleetView): { main: SlackMessage; thread: SlackMessage[] } {
  const rendered = alert.kind === 'unrecognised' ? renderUnrecognised(alert) : renderDriverAlert(alert, fleet);
  return {
    main: { text: fitLine(summary(alert), FALLBACK_MAX), blocks: rendered.blocks.slice(0, BLOCKS_MAX) },
    thread: rendered.thread,
  };
}

interface Rendered {
  readonly blocks: KnownBlock[];
  readonly thread: SlackMessage[];
}

function renderDriverAlert(alert: DriverAlert, fleet: FleetView | undefined): Rendered {
  const withFleet = fleet !== undefined && hasFleetView(alert) ? { alert, fleet } : null;
  const notes = noteLines(alert);
  const notesTooLong = notes.length > NOTES_MAX_LINES || notes.join('\n').length > NOTES_MAX_CHARS;
  const original = originalText(alert, ORIGINAL_PREVIEW_MAX, THREAD_MESSAGES_MAX / 2);
  const blocks: KnownBlock[] = [
    header(title(alert)),
    context(
      [releaseDateText(alert), returnToText(alert), previousText(alert), newerText(alert), changelogText(alert)]
        .filter((text) => text !== null)
        .map((text) => fitLine(text, BUDGET.contextElement)),
    ),
    ...noticeBlocks(alert),
    section(
      `*What changed*\n${notesTooLong ? notesPreview(notes) : notes.join('\n') || `_${noDetailsText(alert)}_`}`,
      BUDGET.whatChanged,
    ),
    section(
      `*${originalHeading(alert)}*\n*Subject:* ${original.subject}\n*Message:*\n${original.message}${original.cut ? '\n_The full notice is in the thread._' : ''}`,
      BUDGET.original,
    ),
    ...guidanceBlocks(alert),
    ...(withFleet === null ? [] : fleetBlocks(withFleet.alert, withFleet.fleet)),
    ...bulletSection('Caveats', alert.caveats, BUDGET.caveats),
    ...installBlocks(alert),
    ...verifyBlocks(alert),
    linksBlock(alert),
  ];
  // The thread holds what the main message could only preview: AWS's words first, then the notes.
  const originalReplies = original.cut
    ? threadMessages(originalHeading(alert), original.pieces, THREAD_MESSAGES_MAX / 2)
    : [];
  const notesReplies = notesTooLong
    ? threadMessages(
        `Full release notes: ${releasePhrase(alert)}`,
        packLines(notes, SECTION_MAX),
        THREAD_MESSAGES_MAX - originalReplies.length,
      )
    : [];
  const fleetReplies = withFleet === null ? [] : fleetThread(withFleet.fleet);
  return { blocks, thread: [...originalReplies, ...notesReplies, ...fleetReplies] };
}

function renderUnrecognised(alert: UnrecognisedAlert): Rendered {
  const original = originalText(alert, MESSAGE_PREVIEW_MAX, THREAD_MESSAGES_MAX);
  const blocks: KnownBlock[] = [
    header(UNRECOGNISED_TITLE),
    // This line replaces the notices: those an Alert can carry (rolled back, older than the newest, notes
    // not published) are about a known release, and saying "not recognised" twice helps no one.
    section(escapeMrkdwn(UNRECOGNISED_EXPLANATION)),
    section(`*Subject:* ${original.subject}`),
    section(`*Message:*\n${original.message}`),
  ];
  if (original.cut) blocks.push(section('_The full notification is in the thread._'));
  blocks.push(context([`SNS message ${fitLine(alert.messageId, BUDGET.linkElement - 20)}`]));
  const thread = original.cut
    ? threadMessages('Full notification as it came', original.pieces, THREAD_MESSAGES_MAX)
    : [];
  return { blocks, thread };
}

/**
 * AWS's own words, escaped: the subject line and as much of the message as `previewMax` allows for the main
 * message, and, when that cut anything, the whole of both as thread pieces.
 */
function originalText(
  alert: Alert,
  previewMax: number,
  /** How many thread replies the text may fill. */
  replies: number,
): { subject: string; message: string; cut: boolean; pieces: string[] } {
  const { subject, message } = alert.original;
  const fullSubject = subject === null ? '_(no subject)_' : escapeMrkdwn(oneLine(subject));
  const subjectLine = subject === null ? fullSubject : fitLine(subject, BUDGET.subject);
  // Escaping only lengthens text, so a message longer than the preview is cut without escaping all of it.
  const whole = message.length > previewMax ? null : codeBlocks(message, SECTION_MAX - '*Message:*\n'.length);
  const cut = subjectLine !== fullSubject || whole === null || whole.length > 1 || (whole[0]?.length ?? 0) > previewMax;
  return {
    subject: subjectLine,
    message: cut ? codeBlock(message.slice(0, previewMax), previewMax) : (whole ?? []).join(''),
    cut,
    // The thread carries as much as its replies can hold; a longer notice is cut there, and says so.
    pieces: cut
      ? [
          ...splitMrkdwn(`*Subject:* ${fullSubject}`, SECTION_MAX),
          ...codeBlocks(truncateText(message, replies * THREAD_MESSAGE_CHARS), SECTION_MAX),
        ]
      : [],
  };
}

/** The release notes as mrkdwn lines: bold group labels, bulleted items. */
function noteLines(alert: DriverAlert): string[] {
  return groupDetails(alert.details).flatMap((group) => [
    ...(group.label === null ? [] : [`*${escapeMrkdwn(oneLine(group.label))}*`]),
    ...group.items.map((item) => `• ${escapeMrkdwn(oneLine(item))}`),
  ]);
}

function notesPreview(notes: readonly string[]): string {
  const shown = notes.slice(0, PREVIEW_LINES);
  // A group label as the last line shown would introduce nothing.
  if (shown.length > 1 && !shown.at(-1)?.startsWith('•')) shown.pop();
  const more = notes.length - shown.length;
  const tail = `_${more > 0 ? `…and ${more} more ${more === 1 ? 'line' : 'lines'}. ` : ''}Full release notes in the thread._`;
  const room = BUDGET.whatChanged - '*What changed*\n'.length - tail.length - 1;
  const preview = truncateMrkdwn(shown.map((line) => truncateMrkdwn(line, LINE_MAX)).join('\n'), room);
  return `${preview}\n${tail}`;
}

function noticeBlocks(alert: DriverAlert): KnownBlock[] {
  if (alert.notices.length === 0) return [];
  const lines = alert.notices.map((notice) => `:warning: *${fitLine(notice, LINE_MAX)}*`);
  return [section(lines.join('\n'), BUDGET.notices)];
}

function guidanceBlocks(alert: DriverAlert): KnownBlock[] {
  if (alert.windowsServer.length === 0) return [];
  const lines = alert.windowsServer.map(
    (row) =>
      `${ACTION_EMOJI[row.action]} *${fitLine(row.windowsServer, 100)}*: ${fitLine(row.recommendation, LINE_MAX)}`,
  );
  return [section(['*Windows Server*', ...lines].join('\n'), BUDGET.guidance)];
}

function bulletSection(heading: string, items: readonly string[], max: number): KnownBlock[] {
  if (items.length === 0) return [];
  return [section([`*${heading}*`, ...items.map((item) => `• ${fitLine(item, LINE_MAX)}`)].join('\n'), max)];
}

function installBlocks(alert: DriverAlert): KnownBlock[] {
  const { ssmPackage, downloadUrl, ssmCommand: command, version } = alert.install;
  const lines: string[] = [];
  if (ssmPackage !== null) {
    const how = command === null ? '' : ' (AWS-ConfigureAWSPackage); set the targets in the command below and run it';
    lines.push(`• Systems Manager Distributor package ${inlineCode(ssmPackage)}${how}`);
  } else if (downloadUrl !== null) {
    lines.push('• No Systems Manager package: download the package and run its installer');
  }
  if (downloadUrl !== null) lines.push(`• Download: ${link(downloadUrl, downloadLabel(downloadUrl, version))}`);
  for (const note of alert.install.notes) lines.push(`• ${fitLine(note, LINE_MAX)}`);
  const blocks: KnownBlock[] = [];
  if (lines.length > 0) blocks.push(section(`*Install*\n${lines.join('\n')}`, BUDGET.installText));
  if (command !== null) blocks.push(section(codeBlock(command, BUDGET.installCode)));
  return blocks;
}

function verifyBlocks(alert: DriverAlert): KnownBlock[] {
  const intro = '*Verify* in PowerShell on the instance:\n';
  return [section(`${intro}${codeBlock(alert.verifyCommand, BUDGET.verify - intro.length)}`)];
}

function linksBlock(alert: DriverAlert): KnownBlock {
  return context([
    truncateMrkdwn(link(alert.sourceUrl, historyLinkLabel(alert)), BUDGET.linkElement),
    `SNS message ${fitLine(alert.messageId, BUDGET.linkElement - 20)}`,
  ]);
}

function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: fitLine(text, HEADER_MAX), emoji: true } };
}

function context(elements: readonly string[]): ContextBlock {
  return {
    type: 'context',
    elements: elements
      .slice(0, CONTEXT_ELEMENTS_MAX)
      .map((text) => ({ type: 'mrkdwn', text: truncateMrkdwn(text, CONTEXT_ELEMENT_MAX), verbatim: true })),
  };
}
