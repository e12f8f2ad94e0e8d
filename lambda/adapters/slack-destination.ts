import {
  type Block,
  type KnownBlock,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  type WebClient,
} from '@slack/web-api';
import { RelayError } from '../core/errors.js';
import type { DeliveryReceipt, Destination } from '../delivery.js';

/** Structurally what core/slack-message.ts renders; declared here so delivery does not depend on rendering. */
export interface SlackMessageLike {
  readonly text: string;
  readonly blocks: readonly (KnownBlock | Block)[];
}

export interface SlackPayload {
  readonly main: SlackMessageLike;
  readonly thread: readonly SlackMessageLike[];
}

export interface PostedToSlack {
  readonly channel: string;
  /** Timestamp of the main message: its id in Slack and the parent of the thread. */
  readonly ts: string;
  /** One line per thread reply that could not be posted (see postToSlack). */
  readonly threadFailures: readonly string[];
}

export interface PostToSlackOptions {
  /** Where thread-reply failures are reported. @default console */
  readonly log?: { warn(message: string): void };
  /**
   * When the invocation ends (epoch ms). Thread replies stop once less than THREAD_REPLY_RESERVE_MS is left, so
   * the invocation finishes and records the delivery instead of timing out after the main message went out (its
   * retry would post the main message again). @default no deadline
   */
  readonly deadline?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Time one more Slack call may take at worst with the client's bounded retries (adapters/slack-client.ts: about
 * 29 s), plus recording the delivery.
 */
export const THREAD_REPLY_RESERVE_MS = 30_000;

/**
 * Posts the main message, then each thread reply under it, in order.
 *
 * Throws RelayError 'slack-permanent' or 'slack-transient' when the main message is not posted: nothing reached the
 * channel, so the caller releases its claim and the retry posts it again.
 *
 * Once the main message is in the channel, the alert counts as delivered: a thread reply that still fails after the
 * client's retries is logged and returned in `threadFailures`, never thrown. Throwing would make the retry post the
 * main message a second time, and a duplicate alert is worse than full notes missing from the thread (the main
 * message links the version history).
 */
export async function postToSlack(
  client: WebClient,
  channel: string,
  { main, thread }: SlackPayload,
  { log = console, deadline = Number.POSITIVE_INFINITY, now = Date.now }: PostToSlackOptions = {},
): Promise<PostedToSlack> {
  let ts: string;
  try {
    const posted = await client.chat.postMessage({ channel, ...messageArguments(main) });
    if (posted.ts === undefined) throw new Error('Slack answered chat.postMessage without a message ts');
    ts = posted.ts;
  } catch (error) {
    throw slackDeliveryError(channel, error);
  }

  const threadFailures: string[] = [];
  for (const [position, reply] of thread.entries()) {
    if (deadline - now() < THREAD_REPLY_RESERVE_MS) {
      const failure = `thread replies ${position + 1} to ${thread.length} under ${channel} message ${ts}: not posted, the invocation is about to time out`;
      log.warn(`The alert was posted but ${failure}`);
      threadFailures.push(failure);
      break;
    }
    try {
      await client.chat.postMessage({ channel, thread_ts: ts, ...messageArguments(reply) });
    } catch (error) {
      const failure = `thread reply ${position + 1} of ${thread.length} under ${channel} message ${ts}: ${slackDeliveryError(channel, error).message}`;
      log.warn(`The alert was posted but a ${failure}`);
      threadFailures.push(failure);
    }
  }
  return { channel, ts, threadFailures };
}

/** A destination that posts each alert's Slack rendering to one channel (id `slack:<channel>`). */
export function slackDestination(client: WebClient, channel: string, options: PostToSlackOptions = {}): Destination {
  return {
    id: `slack:${channel}`,
    async send(alert, { deadline }): Promise<DeliveryReceipt> {
      const posted = await postToSlack(client, channel, alert.slack, { deadline, ...options });
      return { ref: posted.ts, warnings: posted.threadFailures };
    },
  };
}

function messageArguments({ text, blocks }: SlackMessageLike) {
  // Link previews of the AWS docs pages would bury the alert; the message already says where the notes are.
  return { text, blocks: [...blocks], unfurl_links: false, unfurl_media: false };
}

/** What a person has to do about each error that retrying cannot fix. */
const PERMANENT_ERRORS: Readonly<Record<string, (channel: string) => string>> = {
  invalid_auth: () => tokenAdvice('is not valid'),
  not_authed: () => tokenAdvice('was not sent'),
  account_inactive: () => tokenAdvice('belongs to a deactivated bot or workspace'),
  token_revoked: () => tokenAdvice('has been revoked'),
  token_expired: () => tokenAdvice('has expired'),
  not_allowed_token_type: () => tokenAdvice('is not a bot token (xoxb-)'),
  missing_scope: () => 'Add the chat:write scope to the Slack app and reinstall it to the workspace.',
  no_permission: () => 'Add the chat:write scope to the Slack app and reinstall it to the workspace.',
  channel_not_found: (channel) =>
    `Check that ${channel} is a channel ID (e.g. C0123456789, not a name) in the bot's workspace; for a private channel, invite the bot to it with /invite @<bot name>.`,
  not_in_channel: (channel) => `Invite the bot to ${channel} with /invite @<bot name>.`,
  is_archived: (channel) => `Unarchive ${channel} or remove it from the configured Slack channels.`,
  restricted_action: (channel) => `A workspace setting stops the bot posting in ${channel}; ask a Slack admin.`,
  restricted_action_read_only_channel: (channel) => `${channel} is read-only for the bot; ask a Slack admin.`,
  team_access_not_granted: () => 'The Slack app is not installed in this workspace; install it.',
  invalid_blocks: () => rendererAdvice,
  invalid_blocks_format: () => rendererAdvice,
  msg_too_long: () => rendererAdvice,
  no_text: () => rendererAdvice,
  invalid_arguments: () => rendererAdvice,
};

const rendererAdvice = 'Slack refused the rendered message: report this with the SNS event, it is a bug in the relay.';

function tokenAdvice(what: string): string {
  return `The Slack bot token ${what}: put a valid xoxb- token in the Slack token secret (aws secretsmanager put-secret-value) or SLACK_BOT_TOKEN.`;
}

/**
 * Maps a WebClient failure to 'slack-permanent' (retrying cannot help: a person must act) or 'slack-transient'
 * (the client's own retries ran out; a later receive of the message may succeed). Messages name the channel and Slack's error
 * and never the token: they come from Slack's error codes, HTTP statuses and network error names only.
 */
export function slackDeliveryError(channel: string, error: unknown): RelayError {
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const advice = PERMANENT_ERRORS[code];
    if (advice !== undefined) {
      return new RelayError('slack-permanent', `Slack refused to post to ${channel}: ${code}. ${advice(channel)}`, {
        cause: error,
      });
    }
    const retryAfter = error.data.response_metadata?.retryAfter;
    const wait = retryAfter === undefined ? '' : ` (Slack asked to wait ${retryAfter} s)`;
    return new RelayError('slack-transient', `Slack did not post to ${channel}: ${code}${wait}.`, { cause: error });
  }
  if (error instanceof WebAPIRateLimitedError) {
    return new RelayError('slack-transient', `Slack rate-limited posting to ${channel} for ${error.retryAfter} s.`, {
      cause: error,
    });
  }
  if (error instanceof WebAPIHTTPError) {
    return new RelayError('slack-transient', `Slack answered HTTP ${error.statusCode} when posting to ${channel}.`, {
      cause: error,
    });
  }
  if (error instanceof WebAPIRequestError) {
    return new RelayError(
      'slack-transient',
      `Could not reach Slack to post to ${channel}: ${describe(error.original)}.`,
      {
        cause: error,
      },
    );
  }
  return new RelayError('slack-transient', `Posting to ${channel} failed: ${describe(error)}.`, { cause: error });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'request timed out';
  const cause = error.cause instanceof Error && 'code' in error.cause ? ` (${String(error.cause.code)})` : '';
  return `${error.message}${cause}`;
}
