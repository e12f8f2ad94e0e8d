import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import * as z from 'zod/mini';
import { RelayError } from '../core/errors.js';
import type { SlackMessage } from '../core/slack-message.js';
import type { DeliveryReceipt, Destination, SlackPayload } from '../ports.js';
import { outcomeOf, type SlackClient } from './slack-client.js';
import { permanentSlackErrorAdvice } from './slack-errors.js';
import { redactErrorChain } from './slack-token-form.js';

export interface PostedToSlack {
  readonly channel: string;
  /** Timestamp of the main message: its id in Slack and the parent of the thread. */
  readonly ts: string;
  /** One line per thread reply that could not be posted (see postToSlack). */
  readonly threadFailures: readonly string[];
}

export interface PostToSlackOptions {
  /** Tags every post (SendContext.deliveryKey), so a post whose outcome was unknown can be found in the channel. */
  readonly deliveryKey: string;
  /** Where thread-reply failures and unverified re-posts are reported. @default console */
  readonly log?: { warn(message: string): void };
  /**
   * When posting must be over (epoch ms). No request starts that could outlast it, and thread replies stop once
   * less than THREAD_REPLY_RESERVE_MS is left, so the invocation finishes and records the delivery instead of timing
   * out after the main message went out (its retry would post the main message again). @default no deadline
   */
  readonly deadline?: number;
  /** Counts PossiblyDuplicated. @default not counted */
  readonly metrics?: Pick<Metrics, 'addMetric'>;
}

/** Time kept for thread replies: one post through the client's retries and a settling look at the channel. */
export const THREAD_REPLY_RESERVE_MS = 30_000;

/** The metadata `event_type` of every message the relay posts (docs.slack.dev/messaging/message-metadata). */
export const ALERT_EVENT_TYPE = 'ec2_driver_relay_alert';

/**
 * How often one message is posted at most while its earlier attempts' outcome is unknown: the first post, and one
 * more after the channel showed (or could not show) that it did not arrive.
 */
const MAX_POSTS = 2;

/** Slack's `ts` comes from Slack's clock: the look back starts this much before the first attempt. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Posts the main message, then each thread reply under it, in order. Each carries the delivery key and its part
 * (0 for the main message, n for reply n) in its message metadata.
 *
 * A post whose outcome is unknown (the client timed out or the connection broke after sending: slack-client.ts
 * outcomeOf) is not repeated blindly. The channel is looked at (conversations.history, or conversations.replies
 * for a reply, with include_all_metadata) for a message carrying its key, for up to `settleMs`, as Slack can finish
 * a post after the client stopped waiting:
 * - found: that is the post; nothing is posted again.
 * - not found once the channel settled: it did not arrive; it is posted again (once).
 * - the channel cannot be read (missing_scope: the token lacks channels:history / groups:history, or the look
 *   itself failed): it is posted again (once), logged, and counted as PossiblyDuplicated.
 *
 * Throws RelayError 'slack-permanent' or 'slack-transient' when the main message is not known to be posted, so the
 * caller releases its claim and the retry posts it again; after two posts with unknown outcomes the message says it
 * may have been posted.
 *
 * Once the main message is in the channel, the alert counts as delivered: a thread reply that still fails is logged
 * and returned in `threadFailures`, never thrown. Throwing would make the retry post the main message a second
 * time, and a duplicate alert is worse than full notes missing from the thread (the main message links the version
 * history).
 */
export async function postToSlack(
  client: SlackClient,
  channel: string,
  { main, thread }: SlackPayload,
  { deliveryKey, log = console, deadline = Number.POSITIVE_INFINITY, metrics }: PostToSlackOptions,
): Promise<PostedToSlack> {
  const poster: Poster = { client, channel, deliveryKey, deadline, log, metrics };
  let ts: string;
  try {
    ts = await postOnce(poster, main, { part: 0 });
  } catch (error) {
    throw slackDeliveryError(channel, error, client.token);
  }

  const threadFailures: string[] = [];
  for (const [position, reply] of thread.entries()) {
    if (deadline - client.now() < THREAD_REPLY_RESERVE_MS) {
      const failure = `thread replies ${position + 1} to ${thread.length} under ${channel} message ${ts}: not posted, the invocation is about to time out`;
      log.warn(`The alert was posted but ${failure}`);
      threadFailures.push(failure);
      break;
    }
    try {
      await postOnce(poster, reply, { part: position + 1, threadTs: ts });
    } catch (error) {
      const failure = `thread reply ${position + 1} of ${thread.length} under ${channel} message ${ts}: ${slackDeliveryError(channel, error, client.token).message}`;
      log.warn(`The alert was posted but a ${failure}`);
      threadFailures.push(failure);
    }
  }
  return { channel, ts, threadFailures };
}

/** A destination that posts each alert's Slack rendering to one channel (id `slack:<channel>`). */
export function slackDestination(
  client: SlackClient,
  channel: string,
  options: Pick<PostToSlackOptions, 'log'> = {},
): Destination {
  return {
    id: `slack:${channel}`,
    async send(alert, { deadline, deliveryKey, metrics }): Promise<DeliveryReceipt> {
      const posted = await postToSlack(client, channel, alert.slack, {
        deliveryKey,
        deadline,
        ...options,
        ...(metrics ? { metrics } : {}),
      });
      return { ref: posted.ts, warnings: posted.threadFailures };
    },
    // TODO(watch): replaced by the Slack/email amend branch before this lands.
    amend: async () => {
      throw new Error('amend: not built yet');
    },
  };
}

interface Poster {
  readonly client: SlackClient;
  readonly channel: string;
  readonly deliveryKey: string;
  readonly deadline: number;
  readonly log: { warn(message: string): void };
  readonly metrics: Pick<Metrics, 'addMetric'> | undefined;
}

interface Part {
  /** 0 for the main message, n for thread reply n. */
  readonly part: number;
  /** The main message's ts, for a thread reply. */
  readonly threadTs?: string;
}

/** Posts one message once, settling an unknown outcome by looking for it (see postToSlack); returns its ts. */
async function postOnce(poster: Poster, message: SlackMessage, part: Part): Promise<string> {
  const { client, channel, deliveryKey, deadline } = poster;
  const since = client.now();
  const request = {
    channel,
    ...messageArguments(message),
    ...(part.threadTs === undefined ? {} : { thread_ts: part.threadTs }),
    metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { delivery_key: deliveryKey, part: part.part } },
  };
  for (let posts = 1; ; posts += 1) {
    try {
      const posted = await client.call(() => client.web.chat.postMessage(request), deadline);
      if (posted.ts === undefined) throw new Error('Slack answered chat.postMessage without a message ts');
      return posted.ts;
    } catch (error) {
      if (outcomeOf(error) !== 'unknown') throw error;
      const look = await lookFor(poster, part, since);
      if (look.kind === 'found') return look.ts;
      if (posts >= MAX_POSTS || client.now() + client.timeoutMs > deadline) throw new OutcomeUnknownError(error);
      if (look.kind === 'unreadable') {
        poster.metrics?.addMetric('PossiblyDuplicated', MetricUnit.Count, 1);
        poster.log.warn(
          `Posting to ${channel} again without knowing whether the first attempt arrived (${look.reason}): the ` +
            'message may show twice. Give the Slack app the channels:history scope (groups:history for private ' +
            'channels) so the relay can check.',
        );
      }
    }
  }
}

type Look = { kind: 'found'; ts: string } | { kind: 'absent' } | { kind: 'unreadable'; reason: string };

/** What the relay's own messages carry (the rest of a message is not read). */
const TaggedMessage = z.object({
  ts: z.string(),
  metadata: z.object({
    event_type: z.literal(ALERT_EVENT_TYPE),
    event_payload: z.object({ delivery_key: z.string(), part: z.number() }),
  }),
});

/**
 * Looks in the channel (or the thread) for the message with this key and part, from shortly before the first
 * attempt, until it shows or `settleMs` passed. Only the newest 100 messages of that window are read: the window
 * is seconds long.
 */
async function lookFor(poster: Poster, { part, threadTs }: Part, since: number): Promise<Look> {
  const { client, channel, deliveryKey, deadline } = poster;
  const oldest = ((since - CLOCK_SKEW_MS) / 1000).toFixed(6);
  const settled = Math.min(client.now() + client.settleMs, deadline);
  for (;;) {
    let messages: unknown[];
    try {
      const query = { channel, oldest, include_all_metadata: true, limit: 100 };
      const page = await client.call(
        () =>
          threadTs === undefined
            ? client.web.conversations.history(query)
            : client.web.conversations.replies({ ...query, ts: threadTs }),
        deadline,
      );
      messages = page.messages ?? [];
    } catch (error) {
      return { kind: 'unreadable', reason: lookFailure(error) };
    }
    for (const candidate of messages) {
      const tagged = TaggedMessage.safeParse(candidate);
      if (!tagged.success) continue;
      const { delivery_key, part: taggedPart } = tagged.data.metadata.event_payload;
      if (delivery_key === deliveryKey && taggedPart === part) return { kind: 'found', ts: tagged.data.ts };
    }
    if (client.now() + client.lookupIntervalMs > settled) return { kind: 'absent' };
    await client.sleep(client.lookupIntervalMs);
  }
}

function lookFailure(error: unknown): string {
  if (error instanceof WebAPIPlatformError) return `Slack answered ${error.data.error} to reading the channel`;
  return 'the channel could not be read';
}

/** A post that may or may not have reached the channel, twice: nothing more can be learned in this invocation. */
class OutcomeUnknownError extends Error {
  override readonly name = 'OutcomeUnknownError';

  constructor(cause: unknown) {
    super('Slack did not answer in time', { cause });
  }
}

function messageArguments({ text, blocks }: SlackMessage) {
  // Link previews of the AWS docs pages would bury the alert; the message already says where the notes are.
  return { text, blocks: [...blocks], unfurl_links: false, unfurl_media: false };
}

/**
 * Maps a WebClient failure to 'slack-permanent' (retrying cannot help: a person must act) or 'slack-transient'
 * (the client's own retries ran out; a later receive of the message may succeed). Messages name the channel and Slack's error.
 * The error and its whole cause chain pass through the one redaction step (slack-token-form.ts) on the way out:
 * a network error's message can quote the request, Authorization header included.
 */
export function slackDeliveryError(channel: string, error: unknown, token?: string): RelayError {
  return redactErrorChain(describeSlackFailure(channel, error), token === undefined ? [] : [token]);
}

function describeSlackFailure(channel: string, error: unknown): RelayError {
  if (error instanceof RelayError) return error;
  if (error instanceof OutcomeUnknownError) {
    const last = describeSlackFailure(channel, error.cause).message.replace(/\.$/, '');
    return new RelayError(
      'slack-transient',
      `Slack did not confirm two posts to ${channel}, which may have been posted (${last}). A retry posts it again; ` +
        'with the channels:history scope (groups:history for private channels) the relay checks the channel first.',
      { cause: error },
    );
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const advice = permanentSlackErrorAdvice(code, channel);
    if (advice !== undefined) {
      return new RelayError('slack-permanent', `Slack refused to post to ${channel}: ${code}. ${advice}`, {
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
  const { cause: inner } = error;
  const cause = typeof inner === 'object' && inner !== null && 'code' in inner ? ` (${String(inner.code)})` : '';
  return `${error.message}${cause}`;
}
