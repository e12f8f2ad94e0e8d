/**
 * What every Slack message the relay builds is made of, and Slack's limits on it
 * (https://docs.slack.dev/reference/block-kit/blocks), shared by the alert (slack-message.ts) and its fleet section
 * (fleet-slack.ts) so the two cannot drift apart.
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { fitLine, truncateMrkdwn } from './mrkdwn.js';

export interface SlackMessage {
  /** Fallback shown in notifications and by clients that cannot show blocks. */
  readonly text: string;
  readonly blocks: KnownBlock[];
}

export const SECTION_MAX = 3000;
export const BLOCKS_MAX = 50;
/**
 * Slack also rejects a message whose blocks hold more than about 12,000 characters in all (msg_blocks_too_long;
 * undocumented, see slackapi/bolt-js#2509 and #2867): each thread reply stays under this.
 */
export const THREAD_MESSAGE_CHARS = 9000;

/** A mrkdwn section of at most `max` characters (and never over Slack's limit), shown as written (`verbatim`). */
export function section(mrkdwn: string, max: number = SECTION_MAX): SectionBlock {
  const text = truncateMrkdwn(mrkdwn, Math.min(max, SECTION_MAX));
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

/** A thread reply's heading, which names what the thread holds. */
const HEADING_MAX = 200;

/**
 * Thread replies carrying `pieces` (each at most one section long), as few as Slack's limits allow and at most `max`;
 * when that cuts anything, the last reply ends with `cutNote`.
 */
export function threadMessages(
  heading: string,
  pieces: readonly string[],
  max: number,
  cutNote = '_The rest is cut here to keep the thread short._',
): SlackMessage[] {
  const groups: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    // Two blocks stay free: the heading and a possible "cut" note.
    if (current.length > 0 && (size + piece.length > THREAD_MESSAGE_CHARS || current.length >= BLOCKS_MAX - 2)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(piece);
    size += piece.length;
  }
  if (current.length > 0) groups.push(current);
  const kept = groups.slice(0, max);
  return kept.map((group, index) => {
    const part = kept.length > 1 ? ` (part ${index + 1} of ${kept.length})` : '';
    const blocks: KnownBlock[] = [
      section(`*${fitLine(heading, HEADING_MAX)}*${part}`),
      ...group.map((piece) => section(piece)),
    ];
    if (index === kept.length - 1 && groups.length > kept.length) blocks.push(section(cutNote));
    return { text: `${fitLine(heading, HEADING_MAX)}${part}`, blocks };
  });
}
