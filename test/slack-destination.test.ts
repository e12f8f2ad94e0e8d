import { LogLevel } from '@slack/web-api';
import { createSlackClient, type LogSink } from '../lambda/adapters/slack-client.js';
import { postToSlack, slackDestination, THREAD_REPLY_RESERVE_MS } from '../lambda/adapters/slack-destination.js';
import { RelayError } from '../lambda/core/errors.js';
import { renderedAlert } from './support/rendered-alert.js';
import { answers, type SlackStandIn, startSlackStandIn } from './support/slack-stand-in.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const TOKEN = 'xoxb-1111-2222-SECRETPART';
const CHANNEL = 'C0123456789';

let slack: SlackStandIn;
let logLines: string[];

beforeEach(async () => {
  slack = await startSlackStandIn({ acceptToken: TOKEN });
  logLines = [];
});

afterEach(async () => {
  await slack.close();
});

function captureLog(): LogSink & { warn(message: string): void } {
  const write = (message: string) => {
    logLines.push(message);
  };
  return { debug: write, info: write, warn: write, error: write };
}

function client(options: { timeoutMs?: number; maxRetryTimeMs?: number; token?: string } = {}) {
  return createSlackClient(options.token ?? TOKEN, {
    apiUrl: slack.apiUrl,
    // Long enough for a loaded machine, except in the test about Slack never answering.
    timeoutMs: options.timeoutMs ?? 20_000,
    maxRetryTimeMs: options.maxRetryTimeMs ?? 3_000,
    retryDelayMs: 20,
    log: captureLog(),
    logLevel: LogLevel.DEBUG,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<RelayError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof RelayError)) throw new Error(`expected a RelayError, got ${String(outcome)}`);
  return outcome;
}

const { slack: payload } = renderedAlert();

describe('posting an alert to Slack', () => {
  it('posts the main message, then the thread reply under it', async () => {
    await postToSlack(client(), CHANNEL, payload);

    const [main, reply] = slack.messages(CHANNEL);
    expect(main).toMatchObject({ text: payload.main.text, blocks: payload.main.blocks, threadTs: undefined });
    expect(reply).toMatchObject({ text: payload.thread[0]?.text, threadTs: main?.ts });
    expect(slack.messages()).toHaveLength(2);
  });

  it('sends the token only in the Authorization header', async () => {
    await postToSlack(client(), CHANNEL, payload);

    expect(slack.requests.every((request) => request.hasAuthHeader)).toBe(true);
    expect(slack.requests.map((request) => request.rawBody).join('\n')).not.toContain(TOKEN);
  });

  it('posts once when Slack answers 500 and then succeeds', async () => {
    slack.script(answers.httpError(500), { method: 'chat.postMessage', times: 1 });

    await postToSlack(client(), CHANNEL, payload);

    expect(slack.requests.map((request) => request.answer)).toEqual(['http-error', 'ok', 'ok']);
    expect(slack.messages(CHANNEL).filter((message) => message.threadTs === undefined)).toHaveLength(1);
  });

  it('waits out a 429 with Retry-After: 1 and then posts', async () => {
    slack.script(answers.rateLimited(1), { method: 'chat.postMessage', times: 1 });

    await postToSlack(client(), CHANNEL, payload);

    const [limited, posted] = slack.requests;
    expect(limited?.answer).toBe('rate-limited');
    expect(posted?.answer).toBe('ok');
    expect((posted?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(slack.messages(CHANNEL)).toHaveLength(2);
  });

  it('does not wait out a Retry-After longer than a Lambda can afford, and fails as transient', async () => {
    slack.script(answers.rateLimited(60), { method: 'chat.postMessage' });

    const failure = await failureOf(postToSlack(client(), CHANNEL, payload));

    expect(failure.code).toBe('slack-transient');
    expect(failure.message).toBe(`Slack did not post to ${CHANNEL}: ratelimited (Slack asked to wait 60 s).`);
    expect(slack.requests).toHaveLength(1);
  });

  it('fails as permanent with what to do when the token is not valid, without retrying', async () => {
    const failure = await failureOf(postToSlack(client({ token: 'xoxb-revoked-OTHERSECRET' }), CHANNEL, payload));

    expect(failure.code).toBe('slack-permanent');
    expect(failure.message).toContain(`Slack refused to post to ${CHANNEL}: invalid_auth.`);
    expect(failure.message).toContain('put a valid xoxb- token');
    expect(failure.message).not.toContain('OTHERSECRET');
    expect(slack.requests).toHaveLength(1);
  });

  it('fails as permanent naming the channel when Slack cannot find it', async () => {
    slack.script(answers.slackError('channel_not_found'), { channel: CHANNEL });

    const failure = await failureOf(postToSlack(client(), CHANNEL, payload));

    expect(failure.code).toBe('slack-permanent');
    expect(failure.message).toContain(`Slack refused to post to ${CHANNEL}: channel_not_found.`);
    expect(failure.message).toContain('/invite @<bot name>');
  });

  it('tells the reader to invite the bot when it is not in the channel', async () => {
    slack.script(answers.slackError('not_in_channel'), { channel: CHANNEL });

    const failure = await failureOf(postToSlack(client(), CHANNEL, payload));

    expect(failure.message).toBe(
      `Slack refused to post to ${CHANNEL}: not_in_channel. Invite the bot to ${CHANNEL} with /invite @<bot name>.`,
    );
  });

  it('gives up within its time budget when Slack never answers, as transient', async () => {
    slack.script(answers.neverAnswers());
    const started = Date.now();

    const failure = await failureOf(postToSlack(client({ timeoutMs: 200, maxRetryTimeMs: 300 }), CHANNEL, payload));

    expect(failure.code).toBe('slack-transient');
    expect(failure.message).toContain(CHANNEL);
    expect(slack.messages()).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('keeps the alert posted and reports a thread reply that Slack refused', async () => {
    slack.script(answers.slackError('invalid_blocks'), { threadReply: true });

    const posted = await postToSlack(client(), CHANNEL, payload, { log: captureLog() });

    expect(slack.messages(CHANNEL)).toHaveLength(1);
    expect(posted.ts).toBe(slack.messages(CHANNEL)[0]?.ts);
    expect(posted.threadFailures).toEqual([
      expect.stringContaining(
        `thread reply 1 of 1 under ${CHANNEL} message ${posted.ts}: Slack refused to post to ${CHANNEL}: invalid_blocks.`,
      ),
    ]);
    expect(logLines).toContainEqual(expect.stringContaining('The alert was posted but a thread reply 1 of 1'));
  });

  it('is a destination named after its channel that reports the main message ts', async () => {
    const destination = slackDestination(client(), CHANNEL);

    const receipt = await destination.send(renderedAlert(), { deadline: Date.now() + 60_000 });

    expect(destination.id).toBe(`slack:${CHANNEL}`);
    expect(receipt).toEqual({ ref: slack.messages(CHANNEL)[0]?.ts, warnings: [] });
  });

  it('leaves out thread replies when the invocation is about to time out, so the posted alert is recorded', async () => {
    const destination = slackDestination(client(), CHANNEL, { log: { warn: (line) => logLines.push(line) } });

    const receipt = await destination.send(renderedAlert(), { deadline: Date.now() + THREAD_REPLY_RESERVE_MS - 1 });

    expect(slack.messages(CHANNEL).map((message) => message.threadTs)).toEqual([undefined]);
    expect(receipt?.warnings).toEqual([expect.stringContaining('not posted, the invocation is about to time out')]);
  });

  it('never writes the token into a log line or an error message, even at debug level', async () => {
    slack.script(answers.httpError(500), { times: 1 }).script(answers.slackError('invalid_auth'), { channel: 'C0BAD' });

    await postToSlack(client(), CHANNEL, payload);
    const failure = await failureOf(postToSlack(client(), 'C0BAD', payload));

    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(TOKEN);
    expect(`${failure.message} ${String(failure.cause)}`).not.toContain(TOKEN);
    expect(slack.requests.map((request) => request.rawBody).join('\n')).not.toContain(TOKEN);
  });
});
