import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import * as z from 'zod/mini';
import { RelayError } from '../core/errors.js';
import type { SlackMessage } from '../core/slack-message.js';
import type { DeliveryReceipt, Destination, RenderedAmendment, SlackPayload } from '../ports.js';
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

  const threadFailures = await postThread(poster, ts, thread, { done: 'posted' });
  return { channel, ts, threadFailures };
}

export interface AmendInSlackOptions extends PostToSlackOptions {
  /** The ts of the alert's main message (AmendContext.ref), when it was recorded. */
  readonly ref: string | undefined;
}

export interface AmendedInSlack {
  readonly channel: string;
  /** The message that now carries the alert: the alert's own when it was updated, else the new one. */
  readonly ts: string;
  /** Lines a person should read: a new message posted instead of the update, replies that could not be posted. */
  readonly warnings: readonly string[];
}

/**
 * Slack's answers to chat.update that say this message cannot be edited, though the channel still takes posts:
 * it was deleted (message_not_found), is not the bot's to edit (cant_update_message), or is older than the
 * workspace lets messages be edited (edit_window_closed). Any other refusal (channel_not_found, not_in_channel,
 * invalid_auth, ...) would refuse a new post as well, so it is thrown like a failed send.
 */
const CANNOT_UPDATE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/**
 * Corrects an alert posted earlier in `channel`: updates its main message (`ref`) in place with `main`, then posts
 * `reply` in its thread (shown in the channel too when `broadcast`). Each carries the options' delivery key in its
 * metadata, part 0 for the main message and 1 for the reply, so the reply can be looked for like any post.
 *
 * When the message cannot be updated (CANNOT_UPDATE, or `ref` is undefined), `replacement` is posted instead as a
 * new message with its thread (postToSlack), and the first warning says so.
 *
 * Throws RelayError 'slack-permanent' or 'slack-transient' (slackDeliveryError) when neither the update nor the
 * replacement is known to be in the channel, so the caller can retry or give up as for a send. Once one is, a thread
 * reply that fails is returned as a warning and never thrown, for the reason postToSlack gives.
 */
export async function amendInSlack(
  client: SlackClient,
  channel: string,
  { main, reply, broadcast, replacement }: RenderedAmendment['slack'],
  { ref, deliveryKey, log = console, deadline = Number.POSITIVE_INFINITY, metrics }: AmendInSlackOptions,
): Promise<AmendedInSlack> {
  const poster: Poster = { client, channel, deliveryKey, deadline, log, metrics };
  const refused = ref === undefined ? 'its ts was not recorded' : await updateMessage(poster, ref, main);
  if (ref !== undefined && refused === undefined) {
    const warnings = await postThread(poster, ref, [reply], { done: 'updated', broadcast });
    return { channel, ts: ref, warnings };
  }

  const posted = await postToSlack(client, channel, replacement, {
    deliveryKey,
    deadline,
    log,
    ...(metrics ? { metrics } : {}),
  });
  const message = ref === undefined ? "the alert's message" : `the alert's message ${ref} in ${channel}`;
  const notice = `could not update ${message} (${refused}); posted a new message ${posted.ts} that amends it`;
  log.warn(`The alert was amended, but ${notice}`);
  return { channel, ts: posted.ts, warnings: [notice, ...posted.threadFailures] };
}

/** A destination that posts each alert's Slack rendering to one channel (id `slack:<channel>`) and amends it there. */
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
    async amend(amendment, { ref, deadline, deliveryKey, metrics }): Promise<DeliveryReceipt> {
      const amended = await amendInSlack(client, channel, amendment.slack, {
        ref,
        deliveryKey,
        deadline,
        ...options,
        ...(metrics ? { metrics } : {}),
      });
      return { ref: amended.ts, warnings: amended.warnings };
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
  /** A thread reply also shown in the channel (reply_broadcast). @default false */
  readonly broadcast?: boolean;
}

/** What every message the relay posts or updates carries, so it can be told apart in the channel (lookFor). */
function tagOf(deliveryKey: string, part: number) {
  return { event_type: ALERT_EVENT_TYPE, event_payload: { delivery_key: deliveryKey, part } };
}

/**
 * Posts `replies` under the message `ts`, in order, each once (postOnce), as parts 1 to n; returns one line per
 * reply that could not be posted, and logs it. Never throws: the message above is in the channel already, and a
 * throw would make the caller's retry post or amend the alert a second time (see postToSlack).
 */
async function postThread(
  poster: Poster,
  ts: string,
  replies: readonly SlackMessage[],
  { done, broadcast }: { readonly done: 'posted' | 'updated'; readonly broadcast?: boolean },
): Promise<string[]> {
  const { client, channel, deadline, log } = poster;
  const failures: string[] = [];
  for (const [position, reply] of replies.entries()) {
    if (deadline - client.now() < THREAD_REPLY_RESERVE_MS) {
      const failure = `thread replies ${position + 1} to ${replies.length} under ${channel} message ${ts}: not posted, the invocation is about to time out`;
      log.warn(`The alert was ${done} but ${failure}`);
      failures.push(failure);
      break;
    }
    try {
      await postOnce(poster, reply, {
        part: position + 1,
        threadTs: ts,
        ...(broadcast === undefined ? {} : { broadcast }),
      });
    } catch (error) {
      const failure = `thread reply ${position + 1} of ${replies.length} under ${channel} message ${ts}: ${slackDeliveryError(channel, error, client.token).message}`;
      log.warn(`The alert was ${done} but a ${failure}`);
      failures.push(failure);
    }
  }
  return failures;
}

/**
 * Replaces the text and blocks of the message `ts` with `message`, tagged as part 0 of this delivery key. Returns
 * undefined once updated, or Slack's answer when the message cannot be updated but the channel may still take a
 * post (CANNOT_UPDATE); throws slackDeliveryError for any other failure.
 */
async function updateMessage(poster: Poster, ts: string, message: SlackMessage): Promise<string | undefined> {
  const { client, channel, deliveryKey, deadline } = poster;
  const request = {
    channel,
    ts,
    ...messageArguments(message),
    // chat.update's parse defaults to client, unlike the post's none (docs.slack.dev chat.update): the edit's text
    // is read as the post's was.
    parse: 'none' as const,
    // Slack would keep the alert's own tag if none were sent; the amendment's replaces it, so the message carries
    // the key of what last changed it, like a replacement posted for the same amendment would.
    metadata: tagOf(deliveryKey, 0),
  };
  try {
    // An update whose outcome is unknown is simply sent again (idempotent): Slack leaves the message the same
    // whether it made the first attempt or not. A post is never repeated that way, as each attempt Slack made is
    // one more message in the channel: postOnce looks for it first.
    await client.call(() => client.web.chat.update(request), deadline, { idempotent: true });
    return undefined;
  } catch (error) {
    if (error instanceof WebAPIPlatformError && CANNOT_UPDATE.has(error.data.error)) return error.data.error;
    throw slackDeliveryError(channel, error, client.token);
  }
}

/** Posts one message once, settling an unknown outcome by looking for it (see postToSlack); returns its ts. */
async function postOnce(poster: Poster, message: SlackMessage, part: Part): Promise<string> {
  const { client, channel, deliveryKey, deadline } = poster;
  const since = client.now();
  const request = {
    channel,
    ...messageArguments(message),
    ...threadArguments(part),
    metadata: tagOf(deliveryKey, part.part),
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

function threadArguments({ threadTs, broadcast }: Part) {
  if (threadTs === undefined) return {};
  return broadcast === undefined ? { thread_ts: threadTs } : { thread_ts: threadTs, reply_broadcast: broadcast };
}

function messageArguments({ text, blocks }: SlackMessage) {
  // Link previews of the AWS docs pages would bury the alert; the message already says where the notes are.
  // Slack documents the flags for posts only; an update sends them too, should an edit adding a link unfurl it.
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
