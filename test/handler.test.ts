/**
 * The Lambda handler end to end, in process: the real handler module with its real Slack WebClient, DynamoDB
 * delivery store and Secrets Manager token read, against local stand-ins (see test/support/relay-harness.ts). It is
 * invoked as the work queue's event source invokes it: SQS events whose bodies are SNS messages.
 */
import {
  eventText,
  loadEvent,
  loadSqsEvent,
  receivedAgain,
  snsEvent,
  snsMessageBody,
  sqsEvent,
  sqsRecord,
} from './support/events.js';
import {
  HARNESS_TOKEN,
  HARNESS_TOKEN_SECRET_NAME,
  type RecordsFailed,
  type RelayHarness,
  type RelayHarnessOptions,
  startRelayHarness,
} from './support/relay-harness.js';
import type { RecordedRequest } from './support/slack-stand-in.js';
import { answers } from './support/slack-stand-in.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const [FIRST, SECOND] = ['C0ALERTS01', 'C0ALERTS02'] as const;

// Each case loads a fresh handler and talks to stand-ins over loopback, receive after receive: a second or two
// alone, several on a busy machine.
jest.setTimeout(30_000);

let relay: RelayHarness | undefined;

async function harness(options: RelayHarnessOptions = {}): Promise<RelayHarness> {
  relay = await startRelayHarness({ channels: [FIRST, SECOND], ...options });
  return relay;
}

afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

/** Messages a person sees in the channel itself (thread replies hang under them). */
function topLevel(messages: readonly RecordedRequest[]): RecordedRequest[] {
  return messages.filter((message) => message.threadTs === undefined);
}

function headerOf(message: RecordedRequest | undefined): string {
  const blocks = (message?.blocks ?? []) as Array<{ type: string; text?: { text?: string } }>;
  return blocks.find((block) => block.type === 'header')?.text?.text ?? '';
}

async function failureOf(promise: Promise<unknown>): Promise<RecordsFailed> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error && outcome.name === 'RecordsFailed')) {
    throw new Error(`expected records to fail, got ${String(outcome)}`);
  }
  return outcome as RecordsFailed;
}

/** The SNS message of the PV 8.6.1 fixture, as a queue message body, with some fields changed (undefined drops one). */
function bodyWith(fields: Record<string, unknown>): string {
  const sns = loadEvent('pv-8.6.1').Records[0]?.Sns;
  if (sns === undefined) throw new Error('the fixture has no record');
  return JSON.stringify({ ...JSON.parse(snsMessageBody(sns)), ...fields });
}

describe('the Lambda handler', () => {
  it('posts a PV 8.6.1 announcement to every channel and publishes one email with a subject SNS accepts', async () => {
    // Prepare
    const { slack, ...parts } = await harness();

    // Act
    await parts.receive(loadSqsEvent('pv-8.6.1'));

    // Assess
    for (const channel of [FIRST, SECOND]) {
      const posted = topLevel(slack.messages(channel));
      expect(posted).toHaveLength(1);
      expect(headerOf(posted[0])).toMatch(/AWS PV\b.*\b8\.6\.1\b/);
    }
    const emails = parts.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.topicArn).toBe(parts.emailTopicArn);
    expect(emails[0]?.subject).toMatch(/AWS PV\b.*\b8\.6\.1\b/);
    expect(emails[0]?.subject?.length).toBeLessThan(100);
    expect(emails[0]?.message).toContain('8.6.1');
  });

  it('reads the token secret once on a cold start, however many channels post at the same time', async () => {
    const { secrets, receive } = await harness();

    await receive(loadSqsEvent('pv-8.6.1'));

    expect(secrets.requests).toHaveLength(1);
  });

  it('posts nothing new when SNS delivers the same notification to the queue again (a second queue message)', async () => {
    // Prepare
    const { slack, ...parts } = await harness();
    await parts.receive(loadSqsEvent('pv-8.6.1'));
    const postedBefore = slack.messages().length;

    // Act
    await parts.receive(loadSqsEvent('pv-8.6.1'));

    // Assess
    expect(slack.messages()).toHaveLength(postedBefore);
    for (const channel of [FIRST, SECOND]) expect(topLevel(slack.messages(channel))).toHaveLength(1);
    expect(parts.emails()).toHaveLength(1);
  });

  it('when SQS delivers a failed message again, sends only what did not go out', async () => {
    // Prepare: the second channel refuses once, so the first receive fails after the rest went out.
    const { slack, ...parts } = await harness();
    slack.script(answers.slackError('channel_not_found'), { channel: SECOND, times: 1 });
    const event = loadSqsEvent('pv-8.6.1');
    await expect(parts.receive(event)).rejects.toThrow(SECOND);
    expect(topLevel(slack.messages(SECOND))).toHaveLength(0);

    // Act: the message shows up again after its visibility timeout, in a new invocation.
    await parts.receive(receivedAgain(event));

    // Assess
    expect(topLevel(slack.messages(FIRST))).toHaveLength(1);
    expect(topLevel(slack.messages(SECOND))).toHaveLength(1);
    expect(parts.emails()).toHaveLength(1);
  });

  it('posts once when Slack answers 500 and then succeeds', async () => {
    // Prepare
    const { slack, ...parts } = await harness({ email: false });
    slack.script(answers.httpError(500), { method: 'chat.postMessage', channel: FIRST, times: 1 });

    // Act
    await parts.receive(loadSqsEvent('pv-8.6.1'));

    // Assess
    const attempts = slack.requests.filter((request) => request.channel === FIRST && request.threadTs === undefined);
    expect(attempts.map((request) => request.answer)).toEqual(['http-error', 'ok']);
    expect(topLevel(slack.messages(FIRST))).toHaveLength(1);
  });

  it('fails the record, logging the channel and the error, when Slack refuses a channel, after the other destinations got the alert', async () => {
    // Prepare
    const { slack, ...parts } = await harness();
    slack.script(answers.slackError('channel_not_found'), { channel: SECOND });

    // Act
    const error = await failureOf(parts.receive(loadSqsEvent('pv-8.6.1')));

    // Assess
    expect(error.code).toBe('delivery-failed');
    expect(error.message).toMatch(new RegExp(`slack:${SECOND}.*channel_not_found`));
    expect(topLevel(slack.messages(FIRST))).toHaveLength(1);
    expect(parts.emails()).toHaveLength(1);
    const logged = parts.logs.entries.filter(
      (entry) => entry.level === 'ERROR' && entry.destination === `slack:${SECOND}`,
    );
    expect(logged.map((entry) => entry.error)).toEqual([expect.stringMatching(/channel_not_found\. Check that/)]);
  });

  it('fails the record, logging the topic and the AWS error, when SNS refuses the email, after Slack got the alert', async () => {
    // Prepare
    const { slack, ...parts } = await harness();
    parts.failEmail('AuthorizationErrorException');

    // Act
    const error = await failureOf(parts.receive(loadSqsEvent('pv-8.6.1')));

    // Assess
    expect(error.message).toContain(`email:${parts.emailTopicArn}`);
    expect(error.message).toContain('AuthorizationErrorException');
    for (const channel of [FIRST, SECOND]) expect(topLevel(slack.messages(channel))).toHaveLength(1);
    expect(parts.emails()).toHaveLength(0);
  });

  it.each([
    ['a notification text instead of an SNS message', eventText('not-json.txt'), /^invalid SNS message: not JSON/],
    [
      'an SNS message whose Message is not text',
      bodyWith({ Message: { text: 'AWS PV 8.6.1' } }),
      /Message: expected a string, got an object/,
    ],
    ['an SNS message without a MessageId', bodyWith({ MessageId: undefined }), /MessageId: missing/],
    ['a subscription confirmation', bodyWith({ Type: 'SubscriptionConfirmation' }), /Type: expected "Notification"/],
    ['a whole SNS Lambda event', eventText('pv-8.6.1'), /Type: missing \(expected "Notification"\)/],
  ])(
    'fails the record as invalid-event and posts nothing for %s, so it ends in the dead-letter queue',
    async (_name, body, reason) => {
      // Prepare
      const { slack, ...parts } = await harness();

      // Act
      const error = await failureOf(parts.receive({ Records: [sqsRecord(body)] }));

      // Assess
      expect(error.code).toBe('invalid-event');
      expect(error.message).toMatch(/^invalid SNS message: /);
      expect(error.message).toMatch(reason);
      expect(slack.requests).toHaveLength(0);
      expect(parts.emails()).toHaveLength(0);
    },
  );

  it('refuses a notification from another topic: logged and counted, nothing sent, and not failed (no retry)', async () => {
    // Prepare
    const { slack, ...parts } = await harness();
    const otherTopic = 'arn:aws:sns:us-east-1:123456789012:someone-elses-topic';

    // Act
    const response = await parts.invoke({ Records: [sqsRecord(bodyWith({ TopicArn: otherTopic }))] });

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(slack.requests).toHaveLength(0);
    expect(parts.emails()).toHaveLength(0);
    expect(parts.logs.metric('RefusedForeignTopic')).toBe(1);
    const warnings = parts.logs.entries.filter((entry) => entry.level === 'WARN' && entry.topicArn === otherTopic);
    expect(warnings.map((entry) => entry.message)).toEqual([expect.stringMatching(/another topic/)]);
  });

  it('in a batch, reports only the record that failed, and delivers the others', async () => {
    // Prepare
    const { slack, ...parts } = await harness();
    const [good] = loadSqsEvent('pv-8.6.1').Records;
    const bad = sqsRecord(eventText('not-json.txt'));

    // Act
    const response = await parts.invoke({ Records: [good, bad] });

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: bad.messageId }] });
    for (const channel of [FIRST, SECOND]) expect(topLevel(slack.messages(channel))).toHaveLength(1);
    expect(parts.emails()).toHaveLength(1);
  });

  it('in a batch, a delivery failure fails only its record, and the next receive of that record completes it once', async () => {
    // Prepare: the second channel refuses one post, whichever of the two notifications reaches it first.
    const { slack, ...parts } = await harness();
    slack.script(answers.slackError('internal_error'), { channel: SECOND, threadReply: false, times: 1 });
    const batch = sqsEvent({ Records: [...loadEvent('pv-8.6.1').Records, ...loadEvent('ena-2.11.0').Records] });

    // Act
    const error = await failureOf(parts.receive(batch));
    const failed = batch.Records.filter((record) => error.failedMessageIds.includes(record.messageId));
    await parts.receive(receivedAgain({ Records: failed }));

    // Assess
    expect(failed).toHaveLength(1);
    expect(error.message).toContain(`slack:${SECOND}`);
    for (const channel of [FIRST, SECOND]) {
      expect(topLevel(slack.messages(channel)).map(headerOf).sort()).toEqual([
        expect.stringMatching(/AWS PV\b.*8\.6\.1/),
        expect.stringMatching(/ENA\b.*2\.11\.0/),
      ]);
    }
    expect(parts.emails()).toHaveLength(2);
  });

  it('forwards a notification it cannot attribute to a driver to every destination', async () => {
    // Prepare
    const { slack, ...parts } = await harness();
    const event = loadEvent('unknown');
    const subject = event.Records[0]?.Sns.Subject ?? '';

    // Act
    await parts.receive(sqsEvent(event));

    // Assess
    for (const channel of [FIRST, SECOND]) {
      const posted = topLevel(slack.messages(channel));
      expect(posted).toHaveLength(1);
      expect(JSON.stringify(posted[0]?.blocks)).toContain(subject);
    }
    const emails = parts.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toMatch(/^\[EC2 drivers\] Unrecognised notification: Scheduled maintenance/);
    expect(emails[0]?.message).toContain(subject);
  });

  it('reads a notification without a subject (SNS leaves Subject out of the queue message)', async () => {
    // Prepare
    const { slack, ...parts } = await harness({ email: false });
    const event = sqsEvent(loadEvent('no-subject'));
    expect(JSON.parse(event.Records[0]?.body ?? '{}')).not.toHaveProperty('Subject');

    // Act
    await parts.receive(event);

    // Assess
    for (const channel of [FIRST, SECOND]) expect(topLevel(slack.messages(channel))).toHaveLength(1);
  });

  it('fails the Slack destinations naming the token secret when it does not exist, and still sends the email', async () => {
    // Prepare
    const { slack, ...parts } = await harness({ secretValue: null });

    // Act
    const error = await failureOf(parts.receive(loadSqsEvent('pv-8.6.1')));

    // Assess
    expect(error.message).toContain(`slack:${FIRST}`);
    expect(error.message).toContain(`slack:${SECOND}`);
    expect(error.message).toContain(`Could not read the Slack bot token secret ${parts.tokenSecretId}`);
    expect(error.message).toContain('ResourceNotFoundException');
    expect(slack.requests).toHaveLength(0);
    expect(parts.emails()).toHaveLength(1);
  });

  it('sends the bot token only in the Authorization header, never in request bodies, logs or errors', async () => {
    // Prepare: one channel succeeds, the other fails with an error about the token itself.
    const { slack, ...parts } = await harness();
    slack.script(answers.slackError('invalid_auth'), { channel: SECOND });

    // Act
    const error = await failureOf(parts.receive(loadSqsEvent('pv-8.6.1')));

    // Assess
    expect(error.message).toContain('invalid_auth');
    expect(slack.requests.length).toBeGreaterThan(0);
    for (const request of slack.requests) {
      expect(request.hasAuthHeader).toBe(true);
      expect(request.rawBody).not.toContain(HARNESS_TOKEN);
    }
    expect(parts.logs.lines.length).toBeGreaterThan(0);
    expect(parts.logs.text()).not.toContain(HARNESS_TOKEN);
    expect(errorChainText(error)).not.toContain(HARNESS_TOKEN);
  });

  it('reads the token secret again after Slack refused the token, so the next receive after a rotation delivers', async () => {
    // Prepare: the secret holds a revoked token; a person stores the new one after the first attempt failed.
    const { slack, secrets, ...parts } = await harness({ secretValue: 'xoxb-1111-2222-REVOKEDTOKEN', email: false });
    const event = loadSqsEvent('pv-8.6.1');
    await expect(parts.receive(event)).rejects.toThrow('invalid_auth');
    secrets.put(HARNESS_TOKEN_SECRET_NAME, HARNESS_TOKEN);

    // Act: the message shows up again six minutes later, in the same warm container.
    await parts.receive(receivedAgain(event));

    // Assess
    for (const channel of [FIRST, SECOND]) expect(topLevel(slack.messages(channel))).toHaveLength(1);
  });

  it('logs a thread reply Slack refused as a structured warning, and the alert still counts as delivered', async () => {
    // Prepare: a notification long enough that its full text goes in a thread reply, which Slack refuses.
    const { slack, ...parts } = await harness({ channels: [FIRST], email: false });
    const paragraph = 'The download location moves to new storage; installs retry automatically. ';
    const event = snsEvent({ subject: 'Storage move', message: paragraph.repeat(100) });
    slack.script(answers.slackError('invalid_blocks'), { threadReply: true });

    // Act
    await parts.receive(sqsEvent(event));

    // Assess
    expect(topLevel(slack.messages(FIRST))).toHaveLength(1);
    expect(slack.requests.filter((request) => request.threadTs !== undefined).length).toBeGreaterThan(0);
    const warnings = parts.logs.entries.filter((entry) => entry.level === 'WARN');
    expect(warnings.map((entry) => entry.message)).toContainEqual(expect.stringMatching(/thread reply 1 of/));
    expect(parts.logs.lines.filter((line) => line.startsWith('console.'))).toEqual([]);
  });

  it('counts each delivery in the Delivered metric', async () => {
    // Prepare
    const parts = await harness();

    // Act
    await parts.receive(loadSqsEvent('pv-8.6.1'));

    // Assess: two channels and the email.
    expect(parts.logs.metric('Delivered')).toBe(3);
  });

  it.each([
    ['DELIVERY_TABLE_NAME', 'DELIVERY_TABLE_NAME environment variable is not set'],
    ['DRIVER_TOPIC_ARN', 'DRIVER_TOPIC_ARN environment variable is not set'],
  ])('refuses to load without %s, naming the variable', async (name, message) => {
    // Prepare
    const parts = await harness({ env: { [name]: undefined } });

    // Act
    const load = () => parts.loadHandler();

    // Assess
    expect(load).toThrow(message);
  });
});

/** Every message and cause an error carries (and each record's error of a failed batch), as a log line could show them. */
function errorChainText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth += 1) {
    parts.push(current.message, current.stack ?? '', JSON.stringify(current));
    const { cause } = current;
    const recordErrors: unknown = (current as { recordErrors?: unknown }).recordErrors;
    if (Array.isArray(recordErrors)) parts.push(...recordErrors.map((inner: unknown) => errorChainText(inner)));
    current = Array.isArray(cause) ? cause[0] : cause;
    if (Array.isArray(cause)) parts.push(...cause.map((inner: unknown) => errorChainText(inner)));
  }
  return parts.join('\n');
}

describe('the handler and the version-history watch', () => {
  it('keeps a record of each alert it sends, with where it went, for the watch to amend later', async () => {
    const relay = await harness();
    await relay.receive(loadSqsEvent('pv-8.6.1'));

    const { ScanCommand } = await import('@aws-sdk/client-dynamodb');
    const { Items = [] } = await relay.dynamo.client.send(new ScanCommand({ TableName: relay.dynamo.tableName }));
    const records = Items.filter((item) => item.pk?.S?.startsWith('alert#'));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      family: { S: 'aws-pv' },
      version: { S: '8.6.1' },
      kind: { S: 'release' },
      notesPublished: { BOOL: true },
      destinations: { L: [{ S: `slack:${FIRST}` }, { S: `slack:${SECOND}` }, { S: `email:${relay.emailTopicArn}` }] },
    });
  });

  it('runs the watch on the schedule’s event, and with live pages off says it watched nothing instead of reaching out', async () => {
    const relay = await harness();

    await expect(relay.invoke({ 'ec2-driver-relay': 'watch' })).resolves.toBeUndefined();

    expect(relay.logs.entries.map((entry) => entry.message)).toContain(
      'The version-history watch needs the live pages (LIVE_CHANGELOG is false); nothing was watched',
    );
    expect(relay.slack.messages()).toEqual([]);
    expect(relay.emails()).toEqual([]);
  });
});
