import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { LogLevel } from '@slack/web-api';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsApiError, type AwsJsonCall } from '../lambda/adapters/aws-json-api.js';
import { createDeliveryStore, deliveryKey } from '../lambda/adapters/delivery-store.js';
import { emailDestination } from '../lambda/adapters/email-destination.js';
import { createSlackClient } from '../lambda/adapters/slack-client.js';
import { slackDestination } from '../lambda/adapters/slack-destination.js';
import {
  type DeliverAlertsInput,
  DeliveryFailedError,
  type DeliveryLog,
  deliverAlerts,
  RECORD_RESERVE_MS,
} from '../lambda/delivery.js';
import type { DeliveryStore, Destination, RenderedAlert, SendContext } from '../lambda/ports.js';
import { countedMetrics } from './support/counted-metrics.js';
import { type Dynalite, startDynalite } from './support/dynalite.js';
import { rejectionOf } from './support/rejection.js';
import { renderedAlert } from './support/rendered-alert.js';
import { answers, type SlackStandIn, startSlackStandIn } from './support/slack-stand-in.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const TOKEN = 'xoxb-1111-2222-SECRETPART';
const OPS = 'C0OPS000001';
const TEAM = 'C0TEAM00002';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ec2-driver-relay-email';
const MINUTE = 60_000;

const sns = mockClient(SNSClient);
let slack: SlackStandIn;
let dynamo: Dynalite;
let store: DeliveryStore;
let logLines: string[];
let messageCounter = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  store = createDeliveryStore({ dynamodb: dynamo.dynamodb, tableName: dynamo.tableName });
});

afterAll(async () => {
  await dynamo.close();
});

beforeEach(async () => {
  slack = await startSlackStandIn({ acceptToken: TOKEN });
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
  logLines = [];
});

afterEach(async () => {
  await slack.close();
});

/** Each test delivers its own notification, so records in the shared table never collide. */
function freshAlerts(count = 1): RenderedAlert[] {
  messageCounter += 1;
  const messageId = `notification-${messageCounter}`;
  return Array.from({ length: count }, (_, index) => renderedAlert({ messageId, index }));
}

const captured = (level: string) => (message: string, attributes?: Record<string, unknown>) => {
  logLines.push(`${level} ${message} ${JSON.stringify(attributes ?? {})}`);
};
const logger: DeliveryLog = { info: captured('info'), warn: captured('warn'), error: captured('error') };

function destinations(channels: readonly string[] = [OPS, TEAM]): Destination[] {
  const write = (message: string) => {
    logLines.push(message);
  };
  const client = createSlackClient(TOKEN, {
    apiUrl: slack.apiUrl,
    // Long enough for a loaded machine: no test here is about Slack being slow.
    timeoutMs: 20_000,
    maxRetryTimeMs: 20_000,
    retryDelayMs: 20,
    logLevel: LogLevel.DEBUG,
    log: { debug: write, info: write, warn: write, error: write },
  });
  return [
    ...channels.map((channel) => slackDestination(client, channel, { log: { warn: write } })),
    emailDestination(new SNSClient({}), TOPIC),
  ];
}

function deliver(alerts: readonly RenderedAlert[], overrides: Partial<DeliverAlertsInput> = {}) {
  return deliverAlerts({
    alerts,
    destinations: destinations(),
    store,
    owner: 'request-1',
    deadline: Date.now() + MINUTE,
    logger,
    ...overrides,
  });
}

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, DeliveryFailedError);

const mainMessages = (channel: string) => slack.messages(channel).filter((message) => message.threadTs === undefined);
const emailsPublished = () => sns.commandCalls(PublishCommand).length;

describe('delivering alerts exactly once per destination', () => {
  it('sends an alert to every destination and says where it went', async () => {
    const summary = await deliver(freshAlerts());

    expect(mainMessages(OPS)).toHaveLength(1);
    expect(mainMessages(TEAM)).toHaveLength(1);
    expect(emailsPublished()).toBe(1);
    expect(summary.destinations).toEqual([
      { destination: `slack:${OPS}`, sent: 1, skipped: 0, failed: 0 },
      { destination: `slack:${TEAM}`, sent: 1, skipped: 0, failed: 0 },
      { destination: `email:${TOPIC}`, sent: 1, skipped: 0, failed: 0 },
    ]);
  });

  it('posts a redelivered event once per destination', async () => {
    const alerts = freshAlerts();

    await deliver(alerts, { owner: 'request-1' });
    const again = await deliver(alerts, { owner: 'request-2' });

    expect(mainMessages(OPS)).toHaveLength(1);
    expect(mainMessages(TEAM)).toHaveLength(1);
    expect(emailsPublished()).toBe(1);
    expect(again.deliveries.map(({ outcome }) => outcome)).toEqual([
      { status: 'skipped', reason: 'already-delivered' },
      { status: 'skipped', reason: 'already-delivered' },
      { status: 'skipped', reason: 'already-delivered' },
    ]);
  });

  it('posts the alerts of one notification to a channel in their order', async () => {
    await deliver(freshAlerts(2));

    expect(mainMessages(OPS).map((message) => message.text)).toEqual(['ENA 2.0.0 released', 'ENA 2.1.0 released']);
  });

  it('posts once when Slack answers 500 and then succeeds', async () => {
    slack.script(answers.httpError(500), { channel: OPS, times: 1 });

    const summary = await deliver(freshAlerts());

    expect(mainMessages(OPS)).toHaveLength(1);
    expect(summary.destinations[0]).toEqual({ destination: `slack:${OPS}`, sent: 1, skipped: 0, failed: 0 });
  });

  it('honours a 429 with Retry-After: 1 and then posts', async () => {
    slack.script(answers.rateLimited(1), { channel: OPS, times: 1 });

    await deliver(freshAlerts());

    expect(slack.requests.filter((request) => request.channel === OPS).map((request) => request.answer)).toEqual([
      'rate-limited',
      'ok',
      'ok',
    ]);
    expect(mainMessages(OPS)).toHaveLength(1);
  });

  it('fails naming the channel and the error when Slack refuses one channel, and still delivers the others', async () => {
    slack.script(answers.slackError('channel_not_found'), { channel: TEAM });

    const failure = await failureOf(deliver(freshAlerts()));

    expect(failure.code).toBe('delivery-failed');
    expect(failure.message).toContain(`slack:${TEAM}`);
    expect(failure.message).toContain(`Slack refused to post to ${TEAM}: channel_not_found.`);
    expect(failure.message).not.toContain(OPS);
    expect(mainMessages(OPS)).toHaveLength(1);
    expect(emailsPublished()).toBe(1);
    expect(failure.summary.destinations.map(({ destination, failed }) => [destination, failed])).toEqual([
      [`slack:${OPS}`, 0],
      [`slack:${TEAM}`, 1],
      [`email:${TOPIC}`, 0],
    ]);
  });

  it('fails naming each destination that failed and why', async () => {
    slack.script(answers.slackError('invalid_auth'));
    sns.on(PublishCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottledException' }));

    const failure = await failureOf(deliver(freshAlerts()));

    expect(failure.message.split('\n')).toEqual([
      '3 of 3 deliveries failed:',
      expect.stringMatching(
        new RegExp(
          `^- slack:${OPS} \\(alert 0 of message notification-\\d+\\): Slack refused to post to ${OPS}: invalid_auth\\.`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^- slack:${TEAM} \\(alert 0 of message notification-\\d+\\): Slack refused to post to ${TEAM}: invalid_auth\\.`,
        ),
      ),
      expect.stringMatching(/^- email:arn:aws:sns:.+: Could not publish the alert email to .+: ThrottledException\./),
    ]);
  });

  it('re-sends only what did not go out when Lambda retries after a partial failure', async () => {
    const alerts = freshAlerts();
    slack.script(answers.httpError(503), { channel: TEAM, times: 3 });
    await failureOf(deliver(alerts, { owner: 'request-1' }));
    expect(mainMessages(TEAM)).toHaveLength(0);

    const retry = await deliver(alerts, { owner: 'request-1' });

    expect(mainMessages(OPS)).toHaveLength(1);
    expect(mainMessages(TEAM)).toHaveLength(1);
    expect(emailsPublished()).toBe(1);
    expect(retry.destinations).toEqual([
      { destination: `slack:${OPS}`, sent: 0, skipped: 1, failed: 0 },
      { destination: `slack:${TEAM}`, sent: 1, skipped: 0, failed: 0 },
      { destination: `email:${TOPIC}`, sent: 0, skipped: 1, failed: 0 },
    ]);
  });

  it('posts exactly once when 20 invocations deliver the same alert at the same time', async () => {
    const alerts = freshAlerts();
    slack.script(answers.slow(100), { channel: OPS });

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, invocation) => deliver(alerts, { owner: `request-${invocation}` })),
    );

    expect(results.map((result) => result.status)).toEqual(Array(20).fill('fulfilled'));
    expect(mainMessages(OPS)).toHaveLength(1);
    expect(mainMessages(TEAM)).toHaveLength(1);
    expect(emailsPublished()).toBe(1);
  });

  it('takes over the claim of an invocation that crashed once its lease has run out', async () => {
    const alerts = freshAlerts();
    const [alert] = alerts;
    const longAgo = Date.now() - 10 * MINUTE;
    const crashedStore = createDeliveryStore({
      dynamodb: dynamo.dynamodb,
      tableName: dynamo.tableName,
      now: () => longAgo,
    });
    await crashedStore.claim(deliveryKey(alert?.messageId ?? '', 0, `slack:${OPS}`), 'crashed-request', MINUTE);

    await deliver(alerts, { owner: 'request-2' });

    expect(mainMessages(OPS)).toHaveLength(1);
  });

  it('holds each claim only until the invocation ends, however long earlier sends took', async () => {
    let clock = Date.parse('2026-07-21T18:00:00.000Z');
    const leases: number[] = [];
    const recording: DeliveryStore = {
      claim: (key, owner, leaseMs) => {
        leases.push(leaseMs);
        return store.claim(key, owner, leaseMs);
      },
      markDelivered: (key, owner, info) => store.markDelivered(key, owner, info),
      release: (key, owner) => store.release(key, owner),
    };
    const slow = {
      id: 'slack:CSLOW00001',
      send: async () => {
        clock += 20_000;
        return {};
      },
    };

    await deliver(freshAlerts(3), {
      store: recording,
      destinations: [slow],
      deadline: clock + MINUTE,
      now: () => clock,
    });

    expect(leases).toEqual([MINUTE, MINUTE - 20_000, MINUTE - 40_000]);
  });

  it('gives each destination its delivery key, the metrics, and a deadline that leaves time to record the send', async () => {
    const alerts = freshAlerts();
    const contexts: SendContext[] = [];
    const { metrics } = countedMetrics();
    const deadline = Date.now() + MINUTE;

    await deliver(alerts, {
      destinations: [{ id: 'slack:CCONTEXT01', send: async (_alert, context) => void contexts.push(context) }],
      deadline,
      metrics,
    });

    expect(contexts).toEqual([
      {
        deliveryKey: deliveryKey(alerts[0]?.messageId ?? '', 0, 'slack:CCONTEXT01'),
        deadline: deadline - RECORD_RESERVE_MS,
        metrics,
      },
    ]);
  });

  it('leaves a delivery that a live invocation is sending to that invocation', async () => {
    const alerts = freshAlerts();
    const [alert] = alerts;
    await store.claim(deliveryKey(alert?.messageId ?? '', 0, `slack:${OPS}`), 'live-request', MINUTE);

    const summary = await deliver(alerts, { owner: 'request-2' });

    expect(mainMessages(OPS)).toHaveLength(0);
    expect(summary.deliveries[0]?.outcome).toEqual({ status: 'skipped', reason: 'in-progress-elsewhere' });
  });

  it('counts an alert whose thread reply failed as delivered and does not post it again', async () => {
    const alerts = freshAlerts();
    slack.script(answers.slackError('invalid_blocks'), { channel: OPS, threadReply: true });

    const summary = await deliver(alerts, { owner: 'request-1' });
    await deliver(alerts, { owner: 'request-2' });

    expect(mainMessages(OPS)).toHaveLength(1);
    expect(summary.destinations[0]).toEqual({ destination: `slack:${OPS}`, sent: 1, skipped: 0, failed: 0 });
    expect(logLines).toContainEqual(expect.stringMatching(/^warn Delivered with a problem .*invalid_blocks/));
  });

  it('fails without sending anything when the delivery table cannot be reached', async () => {
    const missingTable = createDeliveryStore({ dynamodb: dynamo.dynamodb, tableName: 'no-such-table' });

    const failure = await failureOf(deliver(freshAlerts(), { store: missingTable }));

    expect(failure.message).toContain('The delivery table no-such-table could not claim');
    expect(failure.summary.destinations.every(({ failed }) => failed === 1)).toBe(true);
    expect(slack.messages()).toHaveLength(0);
    expect(emailsPublished()).toBe(0);
  });

  it('never lets the token into a log line, an error message or a request body', async () => {
    slack
      .script(answers.httpError(500), { channel: OPS, times: 1 })
      .script(answers.slackError('not_in_channel'), { channel: TEAM });

    const failure = await failureOf(deliver(freshAlerts()));

    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(TOKEN);
    expect(failure.message).not.toContain(TOKEN);
    expect(slack.requests.length).toBeGreaterThan(0);
    expect(slack.requests.map((request) => request.rawBody).join('\n')).not.toContain(TOKEN);
  });
});

describe('recording a delivery that went out', () => {
  /**
   * The delivery table behind a client that answers the first `times` record writes (UpdateItem) as DynamoDB does
   * when it throttles; everything else reaches dynalite.
   */
  function throttledRecords(times: number) {
    let left = times;
    let recordWrites = 0;
    const dynamodb: AwsJsonCall = (operation, input) => {
      if (operation === 'UpdateItem') {
        recordWrites += 1;
        if (left > 0) {
          left -= 1;
          return Promise.reject(
            new AwsApiError(
              'ProvisionedThroughputExceededException',
              'The level of configured provisioned throughput for the table was exceeded.',
              400,
            ),
          );
        }
      }
      return dynamo.dynamodb(operation, input);
    };
    return {
      store: createDeliveryStore({ dynamodb, tableName: dynamo.tableName }),
      recordWrites: () => recordWrites,
    };
  }

  const noWait = async () => {};

  it('records a delivery whose first record write was throttled, so a retry of the invocation posts nothing again', async () => {
    const alerts = freshAlerts();
    const { store: throttled } = throttledRecords(1);
    const { counted, metrics } = countedMetrics();
    const slackOnly = destinations([OPS]).slice(0, 1);

    await deliver(alerts, { store: throttled, destinations: slackOnly, owner: 'request-1', metrics, sleep: noWait });
    // Lambda retries with the same request id, e.g. because another destination failed.
    const retry = await deliver(alerts, { destinations: slackOnly, owner: 'request-1' });

    expect(mainMessages(OPS)).toHaveLength(1);
    expect(retry.deliveries.map(({ outcome }) => outcome)).toEqual([
      { status: 'skipped', reason: 'already-delivered' },
    ]);
    expect(counted().DeliveredNotRecorded).toBeUndefined();
  });

  it('counts DeliveredNotRecorded and logs an error when every record write fails, without failing the delivery', async () => {
    const { store: throttled, recordWrites } = throttledRecords(Number.POSITIVE_INFINITY);
    const { counted, metrics } = countedMetrics();
    const waits: number[] = [];

    const summary = await deliver(freshAlerts(), {
      store: throttled,
      destinations: destinations([OPS]).slice(0, 1),
      metrics,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

    expect(summary.destinations).toEqual([{ destination: `slack:${OPS}`, sent: 1, skipped: 0, failed: 0 }]);
    expect(counted()).toMatchObject({ Delivered: 1, DeliveredNotRecorded: 1 });
    expect(recordWrites()).toBeGreaterThan(1);
    expect(waits).toHaveLength(recordWrites() - 1);
    expect(logLines).toContainEqual(
      expect.stringMatching(/^error Delivered but not recorded.*ProvisionedThroughputExceededException/),
    );
  });

  it('stops retrying the record write before the invocation ends', async () => {
    let clock = Date.parse('2026-07-21T18:00:00.000Z');
    const { store: throttled, recordWrites } = throttledRecords(Number.POSITIVE_INFINITY);
    const { counted, metrics } = countedMetrics();

    await deliver(freshAlerts(), {
      store: throttled,
      destinations: [{ id: 'slack:CQUICK0001', send: async () => ({}) }],
      metrics,
      now: () => clock,
      deadline: clock + 1_000,
      sleep: async (ms) => {
        clock += ms;
      },
    });

    expect(clock).toBeLessThanOrEqual(Date.parse('2026-07-21T18:00:01.000Z'));
    expect(recordWrites()).toBeGreaterThan(1);
    expect(counted().DeliveredNotRecorded).toBe(1);
  });
});
