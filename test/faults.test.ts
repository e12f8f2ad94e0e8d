/**
 * Fault injection: the relay against real local parts (Slack stand-in over HTTP, dynalite, the Secrets Manager
 * stand-in, a loopback docs server), each fault checked for what a user sees. Every alert must reach every
 * destination exactly once, or its queue message must fail on every receive SQS makes so it lands in the
 * dead-letter queue: never silently dropped, never duplicated.
 *
 * SQS delivers a message whose record failed again once its visibility timeout ends, each time to a new
 * invocation, up to the work queue's maxReceiveCount (MAX_RECEIVE_COUNT) receives, then moves it to the dead-letter
 * queue; `receiveAsSqs` plays that. Moving it back after a fix (aws sqs start-message-move-task) makes it a new
 * message in the work queue; `moveBack` plays that.
 *
 * Most cases run the real handler (test/support/relay-harness.ts). Two groups run relayMessage (lambda/relay.ts,
 * the whole of the handler but its wiring) so they can change what the handler hard-wires:
 * - Slack never answering uses the real Slack client with its timeouts scaled down (250 ms instead of 5 s), so the
 *   case takes a second instead of half a minute; the retry policy and the error mapping are the production ones.
 * - Docs page faults need the live changelog source pointed at the loopback page server instead of
 *   docs.aws.amazon.com.
 */
import { randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { createChangelogSource } from '../lambda/adapters/changelog-source.js';
import { createDeliveryStore } from '../lambda/adapters/delivery-store.js';
import { fetchHistoryPage, type HistoryPageUrls } from '../lambda/adapters/history-page-fetch.js';
import { createSlackClient } from '../lambda/adapters/slack-client.js';
import { slackDestination } from '../lambda/adapters/slack-destination.js';
import type { DriverFamily } from '../lambda/core/driver-family.js';
import { createDestinations } from '../lambda/destinations.js';
import { relayMessage } from '../lambda/relay.js';
import { MAX_RECEIVE_COUNT } from '../lib/work-queue.js';
import { type Dynalite, startDynalite } from './support/dynalite.js';
import {
  DRIVERS_TOPIC_ARN,
  eventText,
  loadEvent,
  loadSqsEvent,
  receivedAgain,
  snsEvent,
  snsMessageBody,
  sqsEvent,
  sqsRecord,
} from './support/events.js';
import { fixturePage, type PageRoute, type PageServer, startPageServer } from './support/page-server.js';
import {
  HARNESS_TOKEN,
  HARNESS_TOKEN_SECRET_NAME,
  type RelayHarness,
  type RelayHarnessOptions,
  startRelayHarness,
} from './support/relay-harness.js';
import { reliabilityTally } from './support/reliability-tally.js';
import { secretAnswers } from './support/secrets-stand-in.js';
import { answers, type RecordedRequest, type SlackStandIn, startSlackStandIn } from './support/slack-stand-in.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const tally = reliabilityTally('faults');
afterAll(() => tally.flush());

const [FIRST, SECOND] = ['C0ALERTS01', 'C0ALERTS02'] as const;

// A case plays up to five receives against stand-ins over loopback: a few seconds alone, more on a busy machine.
jest.setTimeout(30_000);

/** The PV 8.6.1 announcement under a fresh SNS message id, so cases sharing a delivery table stay apart. */
function pvEvent(): SQSEvent {
  return withFreshMessageId('pv-8.6.1');
}

/** A fixture's notification as one queue message, under a fresh SNS message id. */
function withFreshMessageId(name: string): SQSEvent {
  const event = loadEvent(name);
  for (const record of event.Records) record.Sns.MessageId = randomUUID();
  return sqsEvent(event);
}

// ---------------------------------------------------------------------------------------------------------------
// Playing SQS, and counting what reached each destination

/** One receive of the queue messages in `event`: resolves when every record succeeded, rejects when any failed. */
type Receive = (event: SQSEvent) => Promise<void>;

interface SqsRun {
  /** Receives of this notification's queue message, a move back from the dead-letter queue included. */
  readonly receives: number;
  /** Whether the last receive still failed: the message is in the dead-letter queue, for a person to move back. */
  readonly deadLettered: boolean;
  readonly errors: readonly unknown[];
}

/**
 * Receives a queue message as SQS and the event source mapping do: again after each failed receive, up to
 * MAX_RECEIVE_COUNT receives, stopping at the first that succeeds. `beforeRetry` changes the world between receives
 * (the fault clears, a person fixes it).
 */
async function receiveAsSqs(
  receive: Receive,
  event: SQSEvent,
  { beforeRetry }: { beforeRetry?: (receiveCount: number) => void | Promise<void> } = {},
): Promise<SqsRun> {
  const errors: unknown[] = [];
  let current = event;
  for (let receiveCount = 1; receiveCount <= MAX_RECEIVE_COUNT; receiveCount += 1) {
    if (receiveCount > 1) {
      await beforeRetry?.(receiveCount);
      current = receivedAgain(current);
    }
    try {
      await receive(current);
      return { receives: receiveCount, deadLettered: false, errors };
    } catch (error) {
      errors.push(error);
    }
  }
  return { receives: MAX_RECEIVE_COUNT, deadLettered: true, errors };
}

/**
 * A person moved the message back from the dead-letter queue (start-message-move-task): a new message in the work
 * queue with the same body, received once more.
 */
async function moveBack(run: SqsRun, receive: Receive, event: SQSEvent): Promise<SqsRun> {
  const moved = { Records: event.Records.map((record) => sqsRecord(record.body)) };
  try {
    await receive(moved);
    return { receives: run.receives + 1, deadLettered: false, errors: run.errors };
  } catch (error) {
    return { receives: run.receives + 1, deadLettered: true, errors: [...run.errors, error] };
  }
}

/** Messages a person sees in the channel itself (thread replies hang under them). */
function topLevel(messages: readonly RecordedRequest[]): RecordedRequest[] {
  return messages.filter((message) => message.threadTs === undefined);
}

function headerOf(message: RecordedRequest): string {
  const blocks = (message.blocks ?? []) as Array<{ type: string; text?: { text?: string } }>;
  return blocks.find((block) => block.type === 'header')?.text?.text ?? '(no header)';
}

/** Copies of each alert that reached one destination, keyed by what identifies the alert there. */
type Copies = ReadonlyMap<string, number>;

function count(keys: readonly string[]): Copies {
  const copies = new Map<string, number>();
  for (const key of keys) copies.set(key, (copies.get(key) ?? 0) + 1);
  return copies;
}

function slackCopies(slack: SlackStandIn, channel: string): Copies {
  return count(topLevel(slack.messages(channel)).map(headerOf));
}

interface Verdict {
  readonly outcome: string;
  readonly lost: number;
  readonly duplicated: number;
  /** Destinations that got every alert exactly once. */
  readonly servedOnce: readonly string[];
  /** Destinations that got nothing. */
  readonly servedNothing: readonly string[];
}

/**
 * What happened, from what the destinations received: an alert missing at a destination is lost unless the
 * message ended in the dead-letter queue; every copy beyond the first is a duplicate.
 */
function judge(run: SqsRun, alerts: number, destinations: Readonly<Record<string, Copies>>): Verdict {
  let lost = 0;
  let duplicated = 0;
  const servedOnce: string[] = [];
  const servedNothing: string[] = [];
  for (const [destination, copies] of Object.entries(destinations)) {
    const values = [...copies.values()];
    duplicated += values.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const missing = alerts - copies.size;
    if (!run.deadLettered) lost += Math.max(0, missing);
    if (alerts > 0 && missing === 0 && values.every((n) => n === 1)) servedOnce.push(destination);
    if (copies.size === 0) servedNothing.push(destination);
  }
  const total = Object.keys(destinations).length;
  const tries = `${run.receives} ${run.receives === 1 ? 'receive' : 'receives'}`;
  let outcome: string;
  if (duplicated > 0) outcome = `DUPLICATED (${tries})`;
  else if (lost > 0) outcome = `LOST (${tries})`;
  else if (run.deadLettered && servedNothing.length === total)
    outcome = `dead-letter queue after ${tries}; nothing sent`;
  else if (run.deadLettered) {
    outcome = `dead-letter queue after ${tries}; ${servedOnce.length}/${total} destinations served once`;
  } else outcome = servedOnce.length === total ? `delivered once (${tries})` : `partly delivered (${tries})`;
  return { outcome, lost, duplicated, servedOnce, servedNothing };
}

function record(name: string, run: SqsRun, verdict: Verdict): Verdict {
  tally.record({
    name,
    tried: run.receives,
    outcome: verdict.outcome,
    lost: verdict.lost,
    duplicated: verdict.duplicated,
  });
  return verdict;
}

// ---------------------------------------------------------------------------------------------------------------
// The real handler

describe('faults: the real handler against Slack, DynamoDB and Secrets Manager stand-ins', () => {
  let relay: RelayHarness | undefined;

  async function harness(options: RelayHarnessOptions = {}): Promise<RelayHarness> {
    relay = await startRelayHarness({ channels: [FIRST, SECOND], ...options });
    return relay;
  }

  afterEach(async () => {
    // A case that stopped dynalite itself leaves the harness a server that is already closed.
    await relay?.close().catch((error: unknown) => {
      if (!String(error).includes('Server is not running')) throw error;
    });
    relay = undefined;
  });

  /** Slack channels and the email topic, with the copies of each alert they got. */
  function destinations(parts: RelayHarness): Record<string, Copies> {
    return {
      [`slack:${FIRST}`]: slackCopies(parts.slack, FIRST),
      [`slack:${SECOND}`]: slackCopies(parts.slack, SECOND),
      email: count(parts.emails().map((email) => email.subject ?? '(no subject)')),
    };
  }

  interface CaseOptions {
    /** Alerts the event carries. @default 1 */
    readonly alerts?: number;
    readonly beforeRetry?: (receiveCount: number) => void | Promise<void>;
    /** What a person fixes before moving the message back from the dead-letter queue; no move without it. */
    readonly fixThenMoveBack?: () => void | Promise<void>;
  }

  async function faultCase(
    name: string,
    parts: RelayHarness,
    event: SQSEvent,
    options: CaseOptions = {},
  ): Promise<Verdict & { run: SqsRun; beforeMoveBack: Verdict | undefined }> {
    const receive: Receive = (current) => parts.receive(current);
    let run = await receiveAsSqs(receive, event, options.beforeRetry ? { beforeRetry: options.beforeRetry } : {});
    let beforeMoveBack: Verdict | undefined;
    if (options.fixThenMoveBack && run.deadLettered) {
      beforeMoveBack = judge(run, options.alerts ?? 1, destinations(parts));
      await options.fixThenMoveBack();
      run = await moveBack(run, receive, event);
    }
    const verdict = record(name, run, judge(run, options.alerts ?? 1, destinations(parts)));
    return { ...verdict, run, beforeMoveBack };
  }

  /** Duck-typed: the harness loads the handler, and so its RelayError class, in a module registry of its own. */
  function codesOf(errors: readonly unknown[]): string[] {
    return errors.map((error) =>
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error),
    );
  }

  test('Slack answering 429 with Retry-After: the client waits it out and the alert is posted once', async () => {
    const parts = await harness();
    parts.slack.script(answers.rateLimited(1), { method: 'chat.postMessage', channel: FIRST, times: 1 });

    const verdict = await faultCase('Slack 429 with Retry-After: 1', parts, pvEvent());

    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { receives: 1, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
    const attempts = parts.slack.requests.filter(
      (request) => request.channel === FIRST && request.threadTs === undefined,
    );
    expect(attempts.map((request) => request.answer)).toEqual(['rate-limited', 'ok']);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  test('Slack answering 500 and then succeeding: the alert is posted once, in the same invocation', async () => {
    const parts = await harness();
    parts.slack.script(answers.httpError(500), { method: 'chat.postMessage', channel: SECOND, times: 1 });

    const verdict = await faultCase('Slack 500, then success', parts, pvEvent());

    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { receives: 1, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('Slack refusing a channel for good: every receive fails, the others get the alert once, a move back after the fix posts it once', async () => {
    const parts = await harness();
    // Refused on each of SQS's receives; the move back comes after a person invited the bot.
    parts.slack.script(answers.slackError('not_in_channel'), { channel: SECOND, times: MAX_RECEIVE_COUNT });

    const verdict = await faultCase('Slack permanent error (not_in_channel), then move back', parts, pvEvent(), {
      fixThenMoveBack: () => undefined,
    });

    expect(verdict.beforeMoveBack).toMatchObject({ servedNothing: [`slack:${SECOND}`] });
    expect(verdict.beforeMoveBack?.servedOnce).toEqual([`slack:${FIRST}`, 'email']);
    expect(codesOf(verdict.run.errors)).toEqual(Array(MAX_RECEIVE_COUNT).fill('delivery-failed'));
    expect(verdict).toMatchObject({
      lost: 0,
      duplicated: 0,
      run: { receives: MAX_RECEIVE_COUNT + 1, deadLettered: false },
    });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('a revoked bot token: Slack refuses every receive, the email still goes once, and the message lands in the dead-letter queue', async () => {
    const parts = await harness({ secretValue: 'xoxb-revoked-token-0000' });

    const verdict = await faultCase('Slack token revoked (invalid_auth)', parts, pvEvent());

    expect(verdict.run).toMatchObject({ receives: MAX_RECEIVE_COUNT, deadLettered: true });
    expect(verdict.servedOnce).toEqual(['email']);
    expect(verdict.servedNothing).toEqual([`slack:${FIRST}`, `slack:${SECOND}`]);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
    expect(String((verdict.run.errors[2] as Error).message)).toMatch(/invalid_auth/);
  });

  test('a revoked token replaced in the secret before SQS delivers the message again: the next receive posts once with the new token', async () => {
    const parts = await harness({ secretValue: 'xoxb-revoked-token-0000' });

    const verdict = await faultCase('Slack token revoked, rotated before the retry', parts, pvEvent(), {
      beforeRetry: () => {
        parts.secrets.put(HARNESS_TOKEN_SECRET_NAME, HARNESS_TOKEN);
      },
    });

    expect(String((verdict.run.errors[0] as Error).message)).toMatch(/invalid_auth/);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { receives: 2, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('the token secret missing: Slack fails loudly on every receive, the email goes once, and a move back after creating it posts once', async () => {
    const parts = await harness({ secretValue: null });

    const verdict = await faultCase('token secret missing, then created and moved back', parts, pvEvent(), {
      fixThenMoveBack: () => {
        parts.secrets.put(HARNESS_TOKEN_SECRET_NAME, HARNESS_TOKEN);
      },
    });

    expect(verdict.beforeMoveBack).toMatchObject({ servedOnce: ['email'] });
    expect(verdict.run.errors.map((error) => (error as Error).message)).toEqual(
      Array(MAX_RECEIVE_COUNT).fill(expect.stringMatching(/secret/i)),
    );
    expect(verdict).toMatchObject({
      lost: 0,
      duplicated: 0,
      run: { receives: MAX_RECEIVE_COUNT + 1, deadLettered: false },
    });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('the token secret unreadable (access denied): every receive fails naming the permission, the email goes once', async () => {
    const parts = await harness();
    parts.secrets.script(parts.tokenSecretId, secretAnswers.accessDenied());

    const verdict = await faultCase('token secret unreadable (AccessDenied)', parts, pvEvent());

    expect(verdict.run).toMatchObject({ receives: MAX_RECEIVE_COUNT, deadLettered: true });
    expect(String((verdict.run.errors[0] as Error).message)).toMatch(/secretsmanager:GetSecretValue/);
    expect(verdict.servedOnce).toEqual(['email']);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
  });

  test('the token secret holding no token: every receive fails saying how to fill it, the email goes once', async () => {
    const parts = await harness({ secretValue: '{"token": ""}' });

    const verdict = await faultCase('token secret unusable (empty token field)', parts, pvEvent());

    expect(verdict.run).toMatchObject({ receives: MAX_RECEIVE_COUNT, deadLettered: true });
    expect(String((verdict.run.errors[0] as Error).message)).toMatch(/put-secret-value/);
    expect(verdict.servedOnce).toEqual(['email']);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
  });

  test('the email publish failing once: the retry publishes it once and does not post to Slack again', async () => {
    const parts = await harness();
    parts.failEmail('InternalErrorException', { times: 1 });

    const verdict = await faultCase('email publish fails once', parts, pvEvent());

    expect(codesOf(verdict.run.errors)).toEqual(['delivery-failed']);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { receives: 2, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('the email publish failing on every receive: Slack gets the alert once and the message lands in the dead-letter queue', async () => {
    const parts = await harness();
    parts.failEmail('AuthorizationErrorException');

    const verdict = await faultCase('email publish fails every time', parts, pvEvent());

    expect(verdict.run).toMatchObject({ receives: MAX_RECEIVE_COUNT, deadLettered: true });
    expect(String((verdict.run.errors[0] as Error).message)).toMatch(/sns:Publish/);
    expect(verdict.servedOnce).toEqual([`slack:${FIRST}`, `slack:${SECOND}`]);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
  });

  test('DynamoDB unreachable (a dead port): nothing is sent without a claim, and every receive fails', async () => {
    const parts = await harness({ env: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' } });

    const verdict = await faultCase('DynamoDB unreachable (dead port)', parts, pvEvent());

    expect(verdict.run).toMatchObject({ receives: MAX_RECEIVE_COUNT, deadLettered: true });
    expect(verdict.servedNothing).toHaveLength(3);
    expect(String((verdict.run.errors[0] as Error).message)).toMatch(/delivery table/);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
  });

  test('DynamoDB going away between invocations: the next notification is not sent and fails, none is lost', async () => {
    const parts = await harness();
    await parts.receive(pvEvent());
    await parts.dynamo.close();
    parts.slack.reset();
    const before = parts.emails().length;

    const run = await receiveAsSqs((event) => parts.receive(event), loadSqsEvent('ena-2.11.0'));
    const emails = count(
      parts
        .emails()
        .slice(before)
        .map((email) => email.subject ?? ''),
    );
    const verdict = record(
      'DynamoDB closed mid-life (dynalite stopped)',
      run,
      judge(run, 1, {
        [`slack:${FIRST}`]: slackCopies(parts.slack, FIRST),
        [`slack:${SECOND}`]: slackCopies(parts.slack, SECOND),
        email: emails,
      }),
    );

    expect(run).toMatchObject({ receives: MAX_RECEIVE_COUNT, deadLettered: true });
    expect(verdict.servedNothing).toHaveLength(3);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
  });

  test('a failure between two destinations, then SQS delivering the message again: each destination gets it once', async () => {
    const parts = await harness();
    // internal_error is transient for the relay and not retried by the client: the invocation fails after the
    // first channel and the email went out, as a crash there would leave it.
    parts.slack.script(answers.slackError('internal_error'), { channel: SECOND, times: 1 });

    const verdict = await faultCase('failure between destinations, then the next receive', parts, pvEvent());

    expect(codesOf(verdict.run.errors)).toEqual(['delivery-failed']);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { receives: 2, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('a failure between two alerts of one notification: the retry sends only the second alert', async () => {
    const parts = await harness();
    const event = withFreshMessageId('multi-driver');
    parts.slack
      .script(answers.ok(), { channel: SECOND, threadReply: false, times: 1 })
      .script(answers.slackError('internal_error'), { channel: SECOND, threadReply: false, times: 1 });

    const verdict = await faultCase('failure between two alerts, then retry', parts, event, { alerts: 2 });

    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { receives: 2, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('a thread reply failing: the alert counts as delivered (logged), and a redelivery posts nothing again', async () => {
    const parts = await harness({ email: false });
    // A notification the relay cannot attribute and too long for one message: its full text goes to the thread.
    const event = snsEvent({ subject: 'Driver news', message: 'Something happened to a driver.\n'.repeat(120) });
    parts.slack.script(answers.slackError('internal_error'), { threadReply: true });

    const first = await receiveAsSqs((current) => parts.receive(current), sqsEvent(event));
    const again = await receiveAsSqs((current) => parts.receive(current), sqsEvent(event));
    const run = { receives: first.receives + again.receives, deadLettered: again.deadLettered, errors: [] };
    const verdict = record(
      'Slack thread reply fails (main message posted), then redelivery',
      run,
      judge(run, 1, {
        [`slack:${FIRST}`]: slackCopies(parts.slack, FIRST),
        [`slack:${SECOND}`]: slackCopies(parts.slack, SECOND),
      }),
    );

    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
    expect(run.receives).toBe(2);
    expect(verdict.servedOnce).toHaveLength(2);
    expect(parts.logs.entries.filter((entry) => entry.message === 'Delivered with a problem')).toHaveLength(2);
  });

  test('a message that is not an SNS notification: every receive fails invalid-event and nothing is posted, so it waits in the dead-letter queue', async () => {
    const parts = await harness();
    const notJson = { Records: [sqsRecord(eventText('not-json.txt'))] };

    const verdict = await faultCase('malformed message (body not an SNS notification)', parts, notJson, { alerts: 0 });

    expect(codesOf(verdict.run.errors)).toEqual(Array(MAX_RECEIVE_COUNT).fill('invalid-event'));
    expect(verdict.run.deadLettered).toBe(true);
    expect(parts.slack.messages()).toHaveLength(0);
    expect(parts.emails()).toHaveLength(0);
  });

  test('a notification from another topic: refused on the first receive, never retried, nothing posted', async () => {
    const parts = await harness();
    const [pv] = loadEvent('pv-8.6.1').Records;
    if (pv === undefined) throw new Error('the fixture has no record');
    const body = JSON.stringify({
      ...JSON.parse(snsMessageBody(pv.Sns)),
      MessageId: randomUUID(),
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:lookalike-topic',
    });

    const verdict = await faultCase(
      'notification from another topic (refused)',
      parts,
      {
        Records: [sqsRecord(body)],
      },
      { alerts: 0 },
    );

    expect(verdict.run).toMatchObject({ receives: 1, deadLettered: false, errors: [] });
    expect(parts.slack.messages()).toHaveLength(0);
    expect(parts.emails()).toHaveLength(0);
    expect(parts.logs.metric('RefusedForeignTopic')).toBe(1);
  });

  test('the same notification delivered to the queue 100 times, received one after another: one post per channel and one email', async () => {
    const parts = await harness();
    const notification = loadEvent('pv-8.6.1');
    for (const each of notification.Records) each.Sns.MessageId = randomUUID();

    const errors: unknown[] = [];
    for (let delivery = 0; delivery < 100; delivery += 1) {
      await parts.receive(sqsEvent(notification)).catch((error: unknown) => errors.push(error));
    }
    const run = { receives: 100, deadLettered: false, errors };
    const verdict = record('same notification 100 times, one after another', run, judge(run, 1, destinations(parts)));

    expect(errors).toEqual([]);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('the same notification delivered to the queue 100 times, 20 invocations at a time of 5-message batches: one post per channel and one email', async () => {
    const parts = await harness();
    const notification = loadEvent('pv-8.6.1');
    for (const each of notification.Records) each.Sns.MessageId = randomUUID();
    const batchOfFive = () => ({ Records: Array.from({ length: 5 }, () => sqsEvent(notification).Records).flat() });
    // Slow answers keep claims in flight while other invocations, and other records of the same batch, arrive.
    parts.slack.script(answers.slow(50), { method: 'chat.postMessage' });

    const errors: unknown[] = [];
    await Promise.all(
      Array.from({ length: 20 }, () => parts.receive(batchOfFive()).catch((error: unknown) => errors.push(error))),
    );
    const run = { receives: 100, deadLettered: false, errors };
    const verdict = record(
      'same notification 100 times, 20 batches of 5 at a time',
      run,
      judge(run, 1, destinations(parts)),
    );

    expect(errors).toEqual([]);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
    expect(verdict.servedOnce).toHaveLength(3);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// relayMessage with parts the handler hard-wires swapped: a Slack client with short timeouts, a live changelog
// source reading the loopback docs server.

describe('faults: Slack never answering, and the docs pages failing, through relayMessage', () => {
  const TOKEN = 'xoxb-relay-event-faults-token';
  let slack: SlackStandIn;
  let dynamo: Dynalite;
  const clientLog: string[] = [];
  const quiet = {
    debug: (line: string) => clientLog.push(line),
    info: (line: string) => clientLog.push(line),
    warn: (line: string) => clientLog.push(line),
    error: (line: string) => clientLog.push(line),
  };

  beforeAll(async () => {
    [slack, dynamo] = await Promise.all([startSlackStandIn(), startDynalite()]);
  });
  afterAll(async () => {
    await Promise.all([slack.close(), dynamo.close()]);
  });
  beforeEach(() => {
    slack.reset();
  });

  const store = () => createDeliveryStore({ dynamodb: dynamo.dynamodb, tableName: dynamo.tableName });
  /** Receives like the handler, one record after another, with these parts instead of the hard-wired ones. */
  const relayWith =
    (deps: Omit<Parameters<typeof relayMessage>[1], 'store' | 'topicArn'>): Receive =>
    async (event) => {
      for (const message of event.Records) {
        await relayMessage(
          message.body,
          { ...deps, store: store(), topicArn: DRIVERS_TOPIC_ARN },
          { owner: `${randomUUID()}/${message.messageId}`, deadline: Date.now() + 60_000 },
        );
      }
    };

  describe('Slack never answering, or answering late', () => {
    /**
     * The production client and retry policy, with a 250 ms timeout instead of 5 s, watching the channel for a post
     * with an unknown outcome for 1.5 s instead of 5 s.
     */
    const impatientSlack = () =>
      slackDestination(
        createSlackClient(TOKEN, {
          apiUrl: slack.apiUrl,
          timeoutMs: 250,
          retryDelayMs: 50,
          maxRetryTimeMs: 5000,
          settleMs: 1_500,
          lookupIntervalMs: 50,
          log: quiet,
        }),
        FIRST,
        { log: quiet },
      );

    test('Slack posting every message but answering after the client gave up: the alert is posted once', async () => {
      // Before the relay looked in the channel, the client re-posted on each timeout: 2 copies for one late answer,
      // 6 for a Slack that stayed slow. Slack answers after 700 ms; the client gives up at 250 ms and looks for the
      // post (the token has the history scope, as the stand-in assumes unless told otherwise).
      slack.script(answers.slow(700), { method: 'chat.postMessage' });
      const deps = { changelogs: createChangelogSource({ live: false }), destinations: [impatientSlack()] };

      const run = await receiveAsSqs(relayWith(deps), pvEvent());
      const verdict = record(
        'Slack slow but successful (answers after the client timeout)',
        run,
        judge(run, 1, { [`slack:${FIRST}`]: slackCopies(slack, FIRST) }),
      );

      expect(verdict).toMatchObject({ lost: 0, duplicated: 0, servedOnce: [`slack:${FIRST}`] });
      expect(run).toMatchObject({ receives: 1, deadLettered: false });
    }, 30_000);

    test('Slack not answering one request: the client times out, tries again and the alert is posted once', async () => {
      slack.script(answers.neverAnswers(), { method: 'chat.postMessage', times: 1 });
      const deps = { changelogs: createChangelogSource({ live: false }), destinations: [impatientSlack()] };

      const run = await receiveAsSqs(relayWith(deps), pvEvent());
      const verdict = record(
        'Slack never answers once (client timeout, retry)',
        run,
        judge(run, 1, {
          [`slack:${FIRST}`]: slackCopies(slack, FIRST),
        }),
      );

      expect(verdict).toMatchObject({ lost: 0, duplicated: 0, servedOnce: [`slack:${FIRST}`] });
      expect(run.receives).toBe(1);
      // The unanswered post may have reached Slack: the relay looks for it in the channel before posting again.
      const methods = slack.requests.map((request) => request.method);
      expect(methods.indexOf('conversations.history')).toBe(1);
      // The alert itself (its thread replies carry AWS's full text and follow it).
      expect(
        slack.requests
          .filter((request) => request.method === 'chat.postMessage' && request.threadTs === undefined)
          .map((request) => request.answer),
      ).toEqual(['never-answers', 'ok']);
    });

    test('Slack not answering at all during an invocation: it throws (timed out), and the next attempt posts once', async () => {
      // Every attempt the client makes in the first invocation goes unanswered (1 + 2 retries).
      slack.script(answers.neverAnswers(), { method: 'chat.postMessage', times: 3 });
      const deps = { changelogs: createChangelogSource({ live: false }), destinations: [impatientSlack()] };

      const run = await receiveAsSqs(relayWith(deps), pvEvent());
      const verdict = record(
        'Slack never answers for a whole invocation',
        run,
        judge(run, 1, {
          [`slack:${FIRST}`]: slackCopies(slack, FIRST),
        }),
      );

      expect(String((run.errors[0] as Error).message)).toMatch(/timed out|due to timeout/);
      expect(verdict).toMatchObject({ lost: 0, duplicated: 0, servedOnce: [`slack:${FIRST}`] });
      expect(run).toMatchObject({ receives: 2, deadLettered: false });
    });
  });

  describe('the docs pages failing', () => {
    const PATHS: Readonly<Record<DriverFamily, string>> = {
      'aws-pv': '/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
      ena: '/AWSEC2/latest/UserGuide/ena-driver-releases-windows.html',
      nvme: '/AWSEC2/latest/UserGuide/nvme-driver-version-history.html',
      ec2winutil: '/AWSEC2/latest/UserGuide/ec2winutil-driver-version-history.html',
    };
    let pages: PageServer;

    beforeEach(async () => {
      pages = await startPageServer();
    });
    afterEach(async () => {
      await pages.close();
    });

    function urls(origin = pages.origin): HistoryPageUrls {
      return Object.fromEntries(Object.entries(PATHS).map(([family, path]) => [family, `${origin}${path}`])) as Record<
        DriverFamily,
        string
      >;
    }

    /**
     * The page fetch budget where running out of it is not the case under test: long enough for a loaded machine
     * to serve a 3 MB page over loopback, so the outcome never depends on the machine's speed.
     */
    const PAGE_BUDGET_MS = 20_000;

    /** Relays the PV 8.6.1 announcement reading the live PV page from the page server. */
    async function relayWithDocs(name: string, pageUrls = urls(), budgetMs = PAGE_BUDGET_MS) {
      const fallbacks: string[] = [];
      const deps = {
        changelogs: createChangelogSource({
          live: true,
          fetchPage: (family: DriverFamily) => fetchHistoryPage(family, { urls: pageUrls, timeoutMs: budgetMs }),
          onFallback: (family: DriverFamily, reason: string) => fallbacks.push(`${family}: ${reason}`),
        }),
        destinations: createDestinations(
          { slackChannels: [FIRST], slackTokenSecretId: null, slackApiUrl: slack.apiUrl, emailTopicArn: null },
          { slackToken: async () => TOKEN, logger: quiet },
        ),
      };
      const run = await receiveAsSqs(relayWith(deps), pvEvent());
      const posted = topLevel(slack.messages(FIRST));
      const verdict = record(name, run, judge(run, 1, { [`slack:${FIRST}`]: slackCopies(slack, FIRST) }));
      return { verdict, run, fallbacks, changelogLine: changelogLineOf(posted[0]) };
    }

    function changelogLineOf(message: RecordedRequest | undefined): string {
      const blocks = (message?.blocks ?? []) as Array<{ type: string; elements?: Array<{ text?: string }> }>;
      return (
        blocks
          .filter((block) => block.type === 'context')
          .flatMap((block) => block.elements ?? [])
          .map((element) => element.text ?? '')
          .find((text) => text.startsWith('Changelog:')) ?? '(no changelog line)'
      );
    }

    test('a page that reads fine is used live, and the alert says so (the control case)', async () => {
      pages.route(PATHS['aws-pv'], { body: fixturePage('aws-pv.html') });
      const fallbacks: string[] = [];
      const changelogs = createChangelogSource({
        live: true,
        fetchPage: (family) => fetchHistoryPage(family, { urls: urls(), timeoutMs: PAGE_BUDGET_MS }),
        onFallback: (family, reason) => fallbacks.push(`${family}: ${reason}`),
      });
      const destinations = createDestinations(
        { slackChannels: [FIRST], slackTokenSecretId: null, slackApiUrl: slack.apiUrl, emailTopicArn: null },
        { slackToken: async () => TOKEN, logger: quiet },
      );

      await relayWith({ changelogs, destinations })(pvEvent());

      expect(fallbacks).toEqual([]);
      expect(changelogLineOf(topLevel(slack.messages(FIRST))[0])).toMatch(/^Changelog: live version-history page/);
    });

    const HUGE = `<html><body>${'<p>padding</p>'.repeat(220_000)}</body></html>`;

    /**
     * What the PV page does; `down` points the PV address at a port nothing listens on; `budgetMs` is the fetch
     * budget of the cases about running out of it.
     */
    const PAGE_FAULTS: readonly { name: string; route?: PageRoute; down?: true; budgetMs?: number; reason: RegExp }[] =
      [
        { name: 'docs page down (connection refused)', down: true, reason: /fetch-failed: network error/ },
        { name: 'docs page answering 500', route: { status: 500 }, reason: /HTTP 500/ },
        {
          name: 'docs page slow (answers after the fetch budget)',
          route: { delayMs: 1000, body: fixturePage('aws-pv.html') },
          budgetMs: 300,
          reason: /timeout/,
        },
        { name: 'docs page never answering', route: { hang: true }, budgetMs: 300, reason: /timeout/ },
        { name: 'docs page truncated', route: { body: fixturePage('truncated.html') }, reason: /./ },
        { name: 'docs page reshaped (no history table)', route: { body: fixturePage('reshaped.html') }, reason: /./ },
        { name: 'docs page empty', route: { body: fixturePage('empty.html') }, reason: /./ },
        { name: 'docs page huge (3 MB)', route: { body: HUGE }, reason: /too large/ },
        {
          name: 'docs page not HTML',
          route: { body: '{}', headers: { 'content-type': 'application/json' } },
          reason: /not HTML/,
        },
        {
          name: 'docs page redirecting elsewhere',
          route: { redirect: 'http://127.0.0.1:9/phish.html' },
          reason: /fetch-refused/,
        },
      ];

    test.each(PAGE_FAULTS)(
      '$name: the alert still goes out once, built from the snapshot, and says so',
      async ({ name, route, down, budgetMs, reason }) => {
        if (route !== undefined) pages.route(PATHS['aws-pv'], route);
        const pageUrls = down ? { ...urls(), 'aws-pv': `http://127.0.0.1:9${PATHS['aws-pv']}` } : urls();

        const { verdict, run, fallbacks, changelogLine } = await relayWithDocs(name, pageUrls, budgetMs);

        expect(run).toMatchObject({ receives: 1, deadLettered: false });
        expect(verdict).toMatchObject({ lost: 0, duplicated: 0, servedOnce: [`slack:${FIRST}`] });
        expect(fallbacks).toEqual([expect.stringMatching(reason)]);
        expect(fallbacks[0]).toMatch(/^aws-pv: /);
        expect(changelogLine).toMatch(/^Changelog: bundled snapshot of the version history/);
      },
    );
  });
});
