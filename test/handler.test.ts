/**
 * The Lambda handler end to end, in process: the real handler module with its real Slack WebClient, DynamoDB
 * delivery store and Secrets Manager token read, against local stand-ins (see test/support/relay-harness.ts).
 */
import { eventText, loadEvent, snsEvent } from './support/events.js';
import {
  HARNESS_TOKEN,
  HARNESS_TOKEN_SECRET_NAME,
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

async function failureOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected the invocation to throw');
  return outcome;
}

describe('the Lambda handler', () => {
  it('posts a PV 8.6.1 announcement to every channel and publishes one email with a subject SNS accepts', async () => {
    // Prepare
    const { slack, ...parts } = await harness();

    // Act
    await parts.invoke(loadEvent('pv-8.6.1'));

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
    const { secrets, invoke } = await harness();

    await invoke(loadEvent('pv-8.6.1'));

    expect(secrets.requests).toHaveLength(1);
  });

  it('posts nothing new when SNS delivers the same event again under a new request id', async () => {
    // Prepare
    const { slack, ...parts } = await harness();
    await parts.invoke(loadEvent('pv-8.6.1'), { requestId: 'first-delivery' });
    const postedBefore = slack.messages().length;

    // Act
    await parts.invoke(loadEvent('pv-8.6.1'), { requestId: 'second-delivery' });

    // Assess
    expect(slack.messages()).toHaveLength(postedBefore);
    for (const channel of [FIRST, SECOND]) expect(topLevel(slack.messages(channel))).toHaveLength(1);
    expect(parts.emails()).toHaveLength(1);
  });

  it('on a retry with the same request id after a partial failure, sends only what did not go out', async () => {
    // Prepare: the second channel refuses once, so the first attempt throws after the rest went out.
    const { slack, ...parts } = await harness();
    slack.script(answers.slackError('channel_not_found'), { channel: SECOND, times: 1 });
    await expect(parts.invoke(loadEvent('pv-8.6.1'), { requestId: 'lambda-retry' })).rejects.toThrow(SECOND);
    expect(topLevel(slack.messages(SECOND))).toHaveLength(0);

    // Act: Lambda retries the asynchronous invocation with the same request id.
    await parts.invoke(loadEvent('pv-8.6.1'), { requestId: 'lambda-retry' });

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
    await parts.invoke(loadEvent('pv-8.6.1'));

    // Assess
    const attempts = slack.requests.filter((request) => request.channel === FIRST && request.threadTs === undefined);
    expect(attempts.map((request) => request.answer)).toEqual(['http-error', 'ok']);
    expect(topLevel(slack.messages(FIRST))).toHaveLength(1);
  });

  it('fails the invocation naming the channel and the error when Slack refuses a channel, after the other destinations got the alert', async () => {
    // Prepare
    const { slack, ...parts } = await harness();
    slack.script(answers.slackError('channel_not_found'), { channel: SECOND });

    // Act
    const error = await failureOf(parts.invoke(loadEvent('pv-8.6.1')));

    // Assess
    expect(error.message).toMatch(new RegExp(`slack:${SECOND}.*channel_not_found`));
    expect(topLevel(slack.messages(FIRST))).toHaveLength(1);
    expect(parts.emails()).toHaveLength(1);
    const logged = parts.logs.entries.filter(
      (entry) => entry.level === 'ERROR' && entry.destination === `slack:${SECOND}`,
    );
    expect(logged.map((entry) => entry.error)).toEqual([expect.stringMatching(/channel_not_found\. Check that/)]);
  });

  it('fails the invocation naming the topic and the AWS error when SNS refuses the email, after Slack got the alert', async () => {
    // Prepare
    const { slack, ...parts } = await harness();
    parts.failEmail('AuthorizationErrorException');

    // Act
    const error = await failureOf(parts.invoke(loadEvent('pv-8.6.1')));

    // Assess
    expect(error.message).toContain(`email:${parts.emailTopicArn}`);
    expect(error.message).toContain('AuthorizationErrorException');
    for (const channel of [FIRST, SECOND]) expect(topLevel(slack.messages(channel))).toHaveLength(1);
    expect(parts.emails()).toHaveLength(0);
  });

  it.each([
    ['an event without records', loadEvent('malformed-no-records')],
    ['a record whose message is not text', loadEvent('malformed-message-not-string')],
    ['a notification text instead of an SNS event', eventText('not-json.txt')],
  ])('throws an invalid-event error and posts nothing for %s', async (_name, event) => {
    // Prepare
    const { slack, ...parts } = await harness();

    // Act
    const error = await failureOf(parts.invoke(event));

    // Assess
    expect(error).toMatchObject({ code: 'invalid-event', message: expect.stringMatching(/^invalid SNS event: /) });
    expect(slack.requests).toHaveLength(0);
    expect(parts.emails()).toHaveLength(0);
  });

  it('forwards a notification it cannot attribute to a driver to every destination', async () => {
    // Prepare
    const { slack, ...parts } = await harness();
    const event = loadEvent('unknown');
    const subject = event.Records[0]?.Sns.Subject ?? '';

    // Act
    await parts.invoke(event);

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

  it('fails the Slack destinations naming the token secret when it does not exist, and still sends the email', async () => {
    // Prepare
    const { slack, ...parts } = await harness({ secretValue: null });

    // Act
    const error = await failureOf(parts.invoke(loadEvent('pv-8.6.1')));

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
    const error = await failureOf(parts.invoke(loadEvent('pv-8.6.1')));

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

  it('reads the token secret again after Slack refused the token, so the retry after a rotation delivers', async () => {
    // Prepare: the secret holds a revoked token; a person stores the new one after the first attempt failed.
    const { slack, secrets, ...parts } = await harness({ secretValue: 'xoxb-1111-2222-REVOKEDTOKEN', email: false });
    await expect(parts.invoke(loadEvent('pv-8.6.1'), { requestId: 'rotation' })).rejects.toThrow('invalid_auth');
    secrets.put(HARNESS_TOKEN_SECRET_NAME, HARNESS_TOKEN);

    // Act: Lambda's retry, a minute later, lands in the same warm container.
    await parts.invoke(loadEvent('pv-8.6.1'), { requestId: 'rotation' });

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
    await parts.invoke(event);

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
    await parts.invoke(loadEvent('pv-8.6.1'));

    // Assess: two channels and the email.
    expect(parts.logs.metric('Delivered')).toBe(3);
  });

  it('refuses to load without DELIVERY_TABLE_NAME, naming the variable', async () => {
    // Prepare
    const parts = await harness({ env: { DELIVERY_TABLE_NAME: undefined } });

    // Act
    const load = () => parts.loadHandler();

    // Assess
    expect(load).toThrow('DELIVERY_TABLE_NAME environment variable is not set');
  });
});

/** Every message and cause an error carries, as a log line or a dead-letter record could show them. */
function errorChainText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth += 1) {
    parts.push(current.message, current.stack ?? '', JSON.stringify(current));
    const { cause } = current;
    current = Array.isArray(cause) ? cause[0] : cause;
    if (Array.isArray(cause)) parts.push(...cause.map((inner: unknown) => errorChainText(inner)));
  }
  return parts.join('\n');
}
