/**
 * What every Slack message the relay builds is made of, and Slack's limits on it
 * (https://docs.slack.dev/reference/block-kit/blocks), shared by the alert (slack-message.ts) and its fleet section
 * (fleet-slack.ts) so the two cannot drift apart.
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { truncateMrkdwn } from './mrkdwn.js';

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
