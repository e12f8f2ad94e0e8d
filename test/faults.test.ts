/**
 * Fault injection: the relay against real local parts (Slack stand-in over HTTP, dynalite, the Secrets Manager
 * stand-in, a loopback docs server), each fault checked for what a user sees. Every alert must reach every
 * destination exactly once, or the invocation must throw on every attempt Lambda makes so the event lands in the
 * failure queue: never silently dropped, never duplicated.
 *
 * Lambda retries an asynchronous invocation twice with the same request id (the stack's retryAttempts: 2), then
 * sends the event to the failure queue; `invokeAsLambda` plays that. A replay from the queue re-invokes the
 * function, so it gets a new request id.
 *
 * Most cases run the real handler (test/support/relay-harness.ts). Two groups run relayEvent (lambda/relay.ts, the
 * whole of the handler but its wiring) so they can change what the handler hard-wires:
 * - Slack never answering uses the real Slack client with its timeouts scaled down (250 ms instead of 5 s), so the
 *   case takes a second instead of half a minute; the retry policy and the error mapping are the production ones.
 * - Docs page faults need the live changelog source pointed at the loopback page server instead of
 *   docs.aws.amazon.com.
 */
import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import { createChangelogSource } from '../lambda/adapters/changelog-source.js';
import { createDeliveryStore } from '../lambda/adapters/delivery-store.js';
import { fetchHistoryPage, type HistoryPageUrls } from '../lambda/adapters/history-page-fetch.js';
import { createSlackClient } from '../lambda/adapters/slack-client.js';
import { slackDestination } from '../lambda/adapters/slack-destination.js';
import type { DriverFamily } from '../lambda/core/driver-family.js';
import { createDestinations } from '../lambda/destinations.js';
import { relayEvent } from '../lambda/relay.js';
import { type Dynalite, startDynalite } from './support/dynalite.js';
import { loadEvent, snsEvent } from './support/events.js';
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
/** The stack's retryAttempts (2) plus the first attempt. */
const LAMBDA_ATTEMPTS = 3;

/** The PV 8.6.1 announcement under a fresh SNS message id, so cases sharing a delivery table stay apart. */
function pvEvent(): SNSEvent {
  const event = loadEvent('pv-8.6.1');
  (event.Records[0] as SNSEvent['Records'][number]).Sns.MessageId = randomUUID();
  return event;
}

// ---------------------------------------------------------------------------------------------------------------
// Playing Lambda, and counting what reached each destination

interface LambdaRun {
  /** Invocations made for this event, retries and replays included. */
  readonly invocations: number;
  /** Whether the last attempt still threw: the event is in the failure queue, for a person or a replay. */
  readonly deadLettered: boolean;
  readonly errors: readonly unknown[];
}

/**
 * Invokes like Lambda does for an asynchronous event: up to three attempts with one request id, stopping at the
 * first that succeeds. `beforeRetry` changes the world between attempts (the fault clears, a person fixes it).
 */
async function invokeAsLambda(
  invoke: (requestId: string) => Promise<void>,
  { beforeRetry }: { beforeRetry?: (attempt: number) => void | Promise<void> } = {},
): Promise<LambdaRun> {
  const requestId = randomUUID();
  const errors: unknown[] = [];
  for (let attempt = 1; attempt <= LAMBDA_ATTEMPTS; attempt += 1) {
    if (attempt > 1) await beforeRetry?.(attempt);
    try {
      await invoke(requestId);
      return { invocations: attempt, deadLettered: false, errors };
    } catch (error) {
      errors.push(error);
    }
  }
  return { invocations: LAMBDA_ATTEMPTS, deadLettered: true, errors };
}

/** One more run after the event left the failure queue: a replay re-invokes the function (a new request id). */
async function replay(run: LambdaRun, invoke: (requestId: string) => Promise<void>): Promise<LambdaRun> {
  try {
    await invoke(randomUUID());
    return { invocations: run.invocations + 1, deadLettered: false, errors: run.errors };
  } catch (error) {
    return { invocations: run.invocations + 1, deadLettered: true, errors: [...run.errors, error] };
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
 * event ended in the failure queue; every copy beyond the first is a duplicate.
 */
function judge(run: LambdaRun, alerts: number, destinations: Readonly<Record<string, Copies>>): Verdict {
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
  const tries = `${run.invocations} ${run.invocations === 1 ? 'invocation' : 'invocations'}`;
  let outcome: string;
  if (duplicated > 0) outcome = `DUPLICATED (${tries})`;
  else if (lost > 0) outcome = `LOST (${tries})`;
  else if (run.deadLettered && servedNothing.length === total) outcome = `failure queue after ${tries}; nothing sent`;
  else if (run.deadLettered) {
    outcome = `failure queue after ${tries}; ${servedOnce.length}/${total} destinations served once`;
  } else outcome = servedOnce.length === total ? `delivered once (${tries})` : `partly delivered (${tries})`;
  return { outcome, lost, duplicated, servedOnce, servedNothing };
}

function record(name: string, run: LambdaRun, verdict: Verdict): Verdict {
  tally.record({
    name,
    tried: run.invocations,
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
    readonly beforeRetry?: (attempt: number) => void | Promise<void>;
    /** What a person fixes before replaying the event from the failure queue; no replay without it. */
    readonly fixThenReplay?: () => void | Promise<void>;
  }

  async function faultCase(
    name: string,
    parts: RelayHarness,
    event: unknown,
    options: CaseOptions = {},
  ): Promise<Verdict & { run: LambdaRun; beforeReplay: Verdict | undefined }> {
    const invoke = (requestId: string) => parts.invoke(event, { requestId });
    let run = await invokeAsLambda(invoke, options.beforeRetry ? { beforeRetry: options.beforeRetry } : {});
    let beforeReplay: Verdict | undefined;
    if (options.fixThenReplay && run.deadLettered) {
      beforeReplay = judge(run, options.alerts ?? 1, destinations(parts));
      await options.fixThenReplay();
      run = await replay(run, invoke);
    }
    const verdict = record(name, run, judge(run, options.alerts ?? 1, destinations(parts)));
    return { ...verdict, run, beforeReplay };
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

    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { invocations: 1, deadLettered: false } });
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

    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { invocations: 1, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('Slack refusing a channel for good: every attempt throws, the others get the alert once, a replay after the fix posts it once', async () => {
    const parts = await harness();
    // Refused on each of Lambda's three attempts; the replay comes after a person invited the bot.
    parts.slack.script(answers.slackError('not_in_channel'), { channel: SECOND, times: LAMBDA_ATTEMPTS });

    const verdict = await faultCase('Slack permanent error (not_in_channel), then replay', parts, pvEvent(), {
      fixThenReplay: () => undefined,
    });

    expect(verdict.beforeReplay).toMatchObject({ servedNothing: [`slack:${SECOND}`] });
    expect(verdict.beforeReplay?.servedOnce).toEqual([`slack:${FIRST}`, 'email']);
    expect(codesOf(verdict.run.errors)).toEqual(['delivery-failed', 'delivery-failed', 'delivery-failed']);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { invocations: 4, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('a revoked bot token: Slack refuses every attempt, the email still goes once, and the event lands in the failure queue', async () => {
    const parts = await harness({ secretValue: 'xoxb-revoked-token-0000' });

    const verdict = await faultCase('Slack token revoked (invalid_auth)', parts, pvEvent());

    expect(verdict.run).toMatchObject({ invocations: 3, deadLettered: true });
    expect(verdict.servedOnce).toEqual(['email']);
    expect(verdict.servedNothing).toEqual([`slack:${FIRST}`, `slack:${SECOND}`]);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
    expect(String((verdict.run.errors[2] as Error).message)).toMatch(/invalid_auth/);
  });

  test('a revoked token replaced in the secret before Lambda retries: the retry posts once with the new token', async () => {
    const parts = await harness({ secretValue: 'xoxb-revoked-token-0000' });

    const verdict = await faultCase('Slack token revoked, rotated before the retry', parts, pvEvent(), {
      beforeRetry: () => {
        parts.secrets.put(HARNESS_TOKEN_SECRET_NAME, HARNESS_TOKEN);
      },
    });

    expect(String((verdict.run.errors[0] as Error).message)).toMatch(/invalid_auth/);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { invocations: 2, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('the token secret missing: Slack fails loudly on every attempt, the email goes once, and a replay after creating it posts once', async () => {
    const parts = await harness({ secretValue: null });

    const verdict = await faultCase('token secret missing, then created and replayed', parts, pvEvent(), {
      fixThenReplay: () => {
        parts.secrets.put(HARNESS_TOKEN_SECRET_NAME, HARNESS_TOKEN);
      },
    });

    expect(verdict.beforeReplay).toMatchObject({ servedOnce: ['email'] });
    expect(verdict.run.errors.map((error) => (error as Error).message)).toEqual(
      Array(3).fill(expect.stringMatching(/secret/i)),
    );
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { invocations: 4, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('the token secret unreadable (access denied): every attempt throws naming the permission, the email goes once', async () => {
    const parts = await harness();
    parts.secrets.script(parts.tokenSecretId, secretAnswers.accessDenied());

    const verdict = await faultCase('token secret unreadable (AccessDenied)', parts, pvEvent());

    expect(verdict.run).toMatchObject({ invocations: 3, deadLettered: true });
    expect(String((verdict.run.errors[0] as Error).message)).toMatch(/secretsmanager:GetSecretValue/);
    expect(verdict.servedOnce).toEqual(['email']);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
  });

  test('the token secret holding no token: every attempt throws saying how to fill it, the email goes once', async () => {
    const parts = await harness({ secretValue: '{"token": ""}' });

    const verdict = await faultCase('token secret unusable (empty token field)', parts, pvEvent());

    expect(verdict.run).toMatchObject({ invocations: 3, deadLettered: true });
    expect(String((verdict.run.errors[0] as Error).message)).toMatch(/put-secret-value/);
    expect(verdict.servedOnce).toEqual(['email']);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
  });

  test('the email publish failing once: the retry publishes it once and does not post to Slack again', async () => {
    const parts = await harness();
    parts.failEmail('InternalErrorException', { times: 1 });

    const verdict = await faultCase('email publish fails once', parts, pvEvent());

    expect(codesOf(verdict.run.errors)).toEqual(['delivery-failed']);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { invocations: 2, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('the email publish failing on every attempt: Slack gets the alert once and the event lands in the failure queue', async () => {
    const parts = await harness();
    parts.failEmail('AuthorizationErrorException');

    const verdict = await faultCase('email publish fails every time', parts, pvEvent());

    expect(verdict.run).toMatchObject({ invocations: 3, deadLettered: true });
    expect(String((verdict.run.errors[0] as Error).message)).toMatch(/sns:Publish/);
    expect(verdict.servedOnce).toEqual([`slack:${FIRST}`, `slack:${SECOND}`]);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
  });

  test('DynamoDB unreachable (a dead port): nothing is sent without a claim, and every attempt throws', async () => {
    const parts = await harness({ env: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' } });

    const verdict = await faultCase('DynamoDB unreachable (dead port)', parts, pvEvent());

    expect(verdict.run).toMatchObject({ invocations: 3, deadLettered: true });
    expect(verdict.servedNothing).toHaveLength(3);
    expect(String((verdict.run.errors[0] as Error).message)).toMatch(/delivery table/);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
  });

  test('DynamoDB going away between invocations: the next event is not sent and throws, none is lost', async () => {
    const parts = await harness();
    await parts.invoke(pvEvent());
    await parts.dynamo.close();
    parts.slack.reset();
    const before = parts.emails().length;

    const run = await invokeAsLambda((requestId) => parts.invoke(loadEvent('ena-2.11.0'), { requestId }));
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

    expect(run).toMatchObject({ invocations: 3, deadLettered: true });
    expect(verdict.servedNothing).toHaveLength(3);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
  });

  test('a crash between two destinations, then Lambda retrying with the same request id: each destination gets it once', async () => {
    const parts = await harness();
    // internal_error is transient for the relay and not retried by the client: the invocation fails after the
    // first channel and the email went out, as a crash there would leave it.
    parts.slack.script(answers.slackError('internal_error'), { channel: SECOND, times: 1 });

    const verdict = await faultCase('failure between destinations, then retry (same request id)', parts, pvEvent());

    expect(codesOf(verdict.run.errors)).toEqual(['delivery-failed']);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { invocations: 2, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('a failure between two alerts of one notification: the retry sends only the second alert', async () => {
    const parts = await harness();
    const event = loadEvent('multi-driver');
    (event.Records[0] as SNSEvent['Records'][number]).Sns.MessageId = randomUUID();
    parts.slack
      .script(answers.ok(), { channel: SECOND, threadReply: false, times: 1 })
      .script(answers.slackError('internal_error'), { channel: SECOND, threadReply: false, times: 1 });

    const verdict = await faultCase('failure between two alerts, then retry', parts, event, { alerts: 2 });

    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, run: { invocations: 2, deadLettered: false } });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('a thread reply failing: the alert counts as delivered (logged), and a redelivery posts nothing again', async () => {
    const parts = await harness({ email: false });
    // A notification the relay cannot attribute and too long for one message: its full text goes to the thread.
    const event = snsEvent({ subject: 'Driver news', message: 'Something happened to a driver.\n'.repeat(120) });
    parts.slack.script(answers.slackError('internal_error'), { threadReply: true });

    const first = await invokeAsLambda((requestId) => parts.invoke(event, { requestId }));
    const again = await invokeAsLambda((requestId) => parts.invoke(event, { requestId }));
    const run = { invocations: first.invocations + again.invocations, deadLettered: again.deadLettered, errors: [] };
    const verdict = record(
      'Slack thread reply fails (main message posted), then redelivery',
      run,
      judge(run, 1, {
        [`slack:${FIRST}`]: slackCopies(parts.slack, FIRST),
        [`slack:${SECOND}`]: slackCopies(parts.slack, SECOND),
      }),
    );

    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
    expect(run.invocations).toBe(2);
    expect(verdict.servedOnce).toHaveLength(2);
    expect(parts.logs.entries.filter((entry) => entry.message === 'Delivered with a problem')).toHaveLength(2);
  });

  test('a malformed event: every attempt throws invalid-event and nothing is posted, so it waits in the failure queue', async () => {
    const parts = await harness();

    const verdict = await faultCase('malformed event (no records)', parts, loadEvent('malformed-no-records'), {
      alerts: 0,
    });

    expect(codesOf(verdict.run.errors)).toEqual(['invalid-event', 'invalid-event', 'invalid-event']);
    expect(verdict.run.deadLettered).toBe(true);
    expect(parts.slack.messages()).toHaveLength(0);
    expect(parts.emails()).toHaveLength(0);
  });

  test('the same event delivered 100 times in a row: one post per channel and one email', async () => {
    const parts = await harness();
    const event = pvEvent();

    const errors: unknown[] = [];
    for (let delivery = 0; delivery < 100; delivery += 1) {
      await parts.invoke(event).catch((error: unknown) => errors.push(error));
    }
    const run = { invocations: 100, deadLettered: false, errors };
    const verdict = record('same event 100 times, one after another', run, judge(run, 1, destinations(parts)));

    expect(errors).toEqual([]);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
    expect(verdict.servedOnce).toHaveLength(3);
  });

  test('the same event delivered 100 times, 20 at a time: one post per channel and one email', async () => {
    const parts = await harness();
    const event = pvEvent();
    // Slow answers keep claims in flight while other invocations arrive.
    parts.slack.script(answers.slow(50), { method: 'chat.postMessage' });

    const errors: unknown[] = [];
    for (let wave = 0; wave < 5; wave += 1) {
      await Promise.all(
        Array.from({ length: 20 }, () => parts.invoke(event).catch((error: unknown) => errors.push(error))),
      );
    }
    const run = { invocations: 100, deadLettered: false, errors };
    const verdict = record('same event 100 times, 20 at a time', run, judge(run, 1, destinations(parts)));

    expect(errors).toEqual([]);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0 });
    expect(verdict.servedOnce).toHaveLength(3);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// relayEvent with parts the handler hard-wires swapped: a Slack client with short timeouts, a live changelog
// source reading the loopback docs server.

describe('faults: Slack never answering, and the docs pages failing, through relayEvent', () => {
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
  const invokeRelay =
    (event: unknown, deps: Omit<Parameters<typeof relayEvent>[1], 'store'>) =>
    async (requestId: string): Promise<void> => {
      await relayEvent(event, { ...deps, store: store() }, { owner: requestId, deadline: Date.now() + 60_000 });
    };

  describe('Slack never answering', () => {
    /** The production client and retry policy, with a 250 ms timeout instead of 5 s. */
    const impatientSlack = () =>
      slackDestination(
        createSlackClient(TOKEN, {
          apiUrl: slack.apiUrl,
          timeoutMs: 250,
          retryDelayMs: 50,
          maxRetryTimeMs: 5000,
          log: quiet,
        }),
        FIRST,
        { log: quiet },
      );

    test('Slack not answering one request: the client times out, tries again and the alert is posted once', async () => {
      slack.script(answers.neverAnswers(), { method: 'chat.postMessage', times: 1 });
      const deps = { changelogs: createChangelogSource({ live: false }), destinations: [impatientSlack()] };

      const run = await invokeAsLambda(invokeRelay(pvEvent(), deps));
      const verdict = record(
        'Slack never answers once (client timeout, retry)',
        run,
        judge(run, 1, {
          [`slack:${FIRST}`]: slackCopies(slack, FIRST),
        }),
      );

      expect(verdict).toMatchObject({ lost: 0, duplicated: 0, servedOnce: [`slack:${FIRST}`] });
      expect(run.invocations).toBe(1);
      expect(slack.requests.map((request) => request.answer)).toEqual(['never-answers', 'ok']);
    });

    test('Slack not answering at all during an invocation: it throws (timed out), and the next attempt posts once', async () => {
      // Every attempt the client makes in the first invocation goes unanswered (1 + 2 retries).
      slack.script(answers.neverAnswers(), { method: 'chat.postMessage', times: 3 });
      const deps = { changelogs: createChangelogSource({ live: false }), destinations: [impatientSlack()] };

      const run = await invokeAsLambda(invokeRelay(pvEvent(), deps));
      const verdict = record(
        'Slack never answers for a whole invocation',
        run,
        judge(run, 1, {
          [`slack:${FIRST}`]: slackCopies(slack, FIRST),
        }),
      );

      expect(String((run.errors[0] as Error).message)).toMatch(/timed out|due to timeout/);
      expect(verdict).toMatchObject({ lost: 0, duplicated: 0, servedOnce: [`slack:${FIRST}`] });
      expect(run).toMatchObject({ invocations: 2, deadLettered: false });
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
      const run = await invokeAsLambda(invokeRelay(pvEvent(), deps));
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

      await invokeRelay(pvEvent(), { changelogs, destinations })(randomUUID());

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

        expect(run).toMatchObject({ invocations: 1, deadLettered: false });
        expect(verdict).toMatchObject({ lost: 0, duplicated: 0, servedOnce: [`slack:${FIRST}`] });
        expect(fallbacks).toEqual([expect.stringMatching(reason)]);
        expect(fallbacks[0]).toMatch(/^aws-pv: /);
        expect(changelogLine).toMatch(/^Changelog: bundled snapshot of the version history/);
      },
    );
  });
});
