import { LogLevel } from '@slack/web-api';
import { createSlackClient, type LogSink } from '../lambda/adapters/slack-client.js';
import { postToSlack, slackDestination, THREAD_REPLY_RESERVE_MS } from '../lambda/adapters/slack-destination.js';
import { RelayError } from '../lambda/core/errors.js';
import { countedMetrics } from './support/counted-metrics.js';
import { rejectionOf } from './support/rejection.js';
import { renderedAlert } from './support/rendered-alert.js';
import { answers, type SlackStandIn, startSlackStandIn } from './support/slack-stand-in.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const TOKEN = 'xoxb-1111-2222-SECRETPART';
const CHANNEL = 'C0123456789';
/** What deliverAlerts passes as SendContext.deliveryKey. */
const KEY = 'notification-1#0#slack:C0123456789';

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

/**
 * fetch, with its errors re-created in the test's realm. Jest runs tests in a VM context, so an error from Node's
 * own fetch is not `instanceof Error` here, and the SDK replaces it with `new Error(String(error))`, dropping the
 * cause that says why the connection failed; in Lambda the SDK keeps it.
 */
const sameRealmFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (error) {
    const { name, message, cause } = error as Error;
    throw Object.assign(new TypeError(message, { cause }), { name });
  }
};

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, RelayError);

const { slack: payload } = renderedAlert();

describe('posting an alert to Slack', () => {
  it('posts the main message, then the thread reply under it', async () => {
    await postToSlack(client(), CHANNEL, payload, { deliveryKey: KEY });

    const [main, reply] = slack.messages(CHANNEL);
    expect(main).toMatchObject({ text: payload.main.text, blocks: payload.main.blocks, threadTs: undefined });
    expect(reply).toMatchObject({ text: payload.thread[0]?.text, threadTs: main?.ts });
    expect(slack.messages()).toHaveLength(2);
  });

  it('sends the token only in the Authorization header', async () => {
    await postToSlack(client(), CHANNEL, payload, { deliveryKey: KEY });

    expect(slack.requests.every((request) => request.hasAuthHeader)).toBe(true);
    expect(slack.requests.map((request) => request.rawBody).join('\n')).not.toContain(TOKEN);
  });

  it('posts once when Slack answers 500 and then succeeds', async () => {
    slack.script(answers.httpError(500), { method: 'chat.postMessage', times: 1 });

    await postToSlack(client(), CHANNEL, payload, { deliveryKey: KEY });

    expect(slack.requests.map((request) => request.answer)).toEqual(['http-error', 'ok', 'ok']);
    expect(slack.messages(CHANNEL).filter((message) => message.threadTs === undefined)).toHaveLength(1);
  });

  it('waits out a 429 with Retry-After: 1 and then posts', async () => {
    slack.script(answers.rateLimited(1), { method: 'chat.postMessage', times: 1 });

    await postToSlack(client(), CHANNEL, payload, { deliveryKey: KEY });

    const [limited, posted] = slack.requests;
    expect(limited?.answer).toBe('rate-limited');
    expect(posted?.answer).toBe('ok');
    expect((posted?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(slack.messages(CHANNEL)).toHaveLength(2);
  });

  it('does not wait out a Retry-After longer than a Lambda can afford, and fails as transient', async () => {
    slack.script(answers.rateLimited(60), { method: 'chat.postMessage' });

    const failure = await failureOf(postToSlack(client(), CHANNEL, payload, { deliveryKey: KEY }));

    expect(failure.code).toBe('slack-transient');
    expect(failure.message).toBe(`Slack rate-limited posting to ${CHANNEL} for 60 s.`);
    expect(slack.requests).toHaveLength(1);
  });

  it('fails as permanent with what to do when the token is not valid, without retrying', async () => {
    const failure = await failureOf(
      postToSlack(client({ token: 'xoxb-revoked-OTHERSECRET' }), CHANNEL, payload, { deliveryKey: KEY }),
    );

    expect(failure.code).toBe('slack-permanent');
    expect(failure.message).toContain(`Slack refused to post to ${CHANNEL}: invalid_auth.`);
    expect(failure.message).toContain('put a valid xoxb- token');
    expect(failure.message).not.toContain('OTHERSECRET');
    expect(slack.requests).toHaveLength(1);
  });

  it('fails as permanent naming the channel when Slack cannot find it', async () => {
    slack.script(answers.slackError('channel_not_found'), { channel: CHANNEL });

    const failure = await failureOf(postToSlack(client(), CHANNEL, payload, { deliveryKey: KEY }));

    expect(failure.code).toBe('slack-permanent');
    expect(failure.message).toContain(`Slack refused to post to ${CHANNEL}: channel_not_found.`);
    expect(failure.message).toContain('/invite @<bot name>');
  });

  it('tells the reader to invite the bot when it is not in the channel', async () => {
    slack.script(answers.slackError('not_in_channel'), { channel: CHANNEL });

    const failure = await failureOf(postToSlack(client(), CHANNEL, payload, { deliveryKey: KEY }));

    expect(failure.message).toBe(
      `Slack refused to post to ${CHANNEL}: not_in_channel. Invite the bot to ${CHANNEL} with /invite @<bot name>.`,
    );
  });

  it('gives up within its time budget when Slack never answers, as transient', async () => {
    slack.script(answers.neverAnswers());
    const started = Date.now();

    const failure = await failureOf(
      postToSlack(client({ timeoutMs: 200, maxRetryTimeMs: 300 }), CHANNEL, payload, {
        deliveryKey: KEY,
        log: captureLog(),
      }),
    );

    expect(failure.code).toBe('slack-transient');
    expect(failure.message).toContain(CHANNEL);
    expect(failure.message).toMatch(/timed out|due to timeout/);
    expect(slack.messages()).toHaveLength(0);
    // Two posts and two looks at the channel, each given up after 200 ms: far from a 5 s default or a hang.
    expect(slack.requests.map((request) => request.method)).toEqual([
      'chat.postMessage',
      'conversations.history',
      'chat.postMessage',
      'conversations.history',
    ]);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('keeps the alert posted and reports a thread reply that Slack refused', async () => {
    slack.script(answers.slackError('invalid_blocks'), { threadReply: true });

    const posted = await postToSlack(client(), CHANNEL, payload, { deliveryKey: KEY, log: captureLog() });

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

    const receipt = await destination.send(renderedAlert(), { deadline: Date.now() + 60_000, deliveryKey: KEY });

    expect(destination.id).toBe(`slack:${CHANNEL}`);
    expect(receipt).toEqual({ ref: slack.messages(CHANNEL)[0]?.ts, warnings: [] });
  });

  it('leaves out thread replies when the invocation is about to time out, so the posted alert is recorded', async () => {
    const destination = slackDestination(client(), CHANNEL, { log: { warn: (line) => logLines.push(line) } });

    const receipt = await destination.send(renderedAlert(), {
      deadline: Date.now() + THREAD_REPLY_RESERVE_MS - 1,
      deliveryKey: KEY,
    });

    expect(slack.messages(CHANNEL).map((message) => message.threadTs)).toEqual([undefined]);
    expect(receipt?.warnings).toEqual([expect.stringContaining('not posted, the invocation is about to time out')]);
  });

  it('never writes the token into a log line or an error message, even at debug level', async () => {
    slack.script(answers.httpError(500), { times: 1 }).script(answers.slackError('invalid_auth'), { channel: 'C0BAD' });

    await postToSlack(client(), CHANNEL, payload, { deliveryKey: KEY });
    const failure = await failureOf(postToSlack(client(), 'C0BAD', payload, { deliveryKey: KEY }));

    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(TOKEN);
    expect(`${failure.message} ${String(failure.cause)}`).not.toContain(TOKEN);
    expect(slack.requests.map((request) => request.rawBody).join('\n')).not.toContain(TOKEN);
  });
});

describe('a Slack that answers slower than the client waits', () => {
  // The client gives up after 200 ms; Slack still posts, and answers after 600 ms. Timers fire in order of their
  // expiry, so the client always gives up before Slack answers, however busy the machine is.
  const CLIENT_TIMEOUT_MS = 200;
  const SLACK_DELAY_MS = 600;
  const SLOW_KEY = 'notification-slow#0#slack:C0123456789';

  function impatientClient() {
    return createSlackClient(TOKEN, {
      apiUrl: slack.apiUrl,
      timeoutMs: CLIENT_TIMEOUT_MS,
      maxRetryTimeMs: 3_000,
      retryDelayMs: 20,
      // Looks for the post for up to 2 s after the client gave up: well past the moment Slack finishes.
      settleMs: 2_000,
      lookupIntervalMs: 50,
      log: captureLog(),
    });
  }

  async function send(options: { metrics?: ReturnType<typeof countedMetrics>['metrics'] } = {}) {
    const destination = slackDestination(impatientClient(), CHANNEL, { log: { warn: (line) => logLines.push(line) } });
    return destination.send(renderedAlert({ messageId: 'notification-slow' }), {
      deadline: Date.now() + 60_000,
      deliveryKey: SLOW_KEY,
      ...options,
    });
  }

  const mainPosts = () => slack.messages(CHANNEL).filter((message) => message.threadTs === undefined);
  const replies = () => slack.messages(CHANNEL).filter((message) => message.threadTs !== undefined);

  it('tags every post with its delivery key in the message metadata', async () => {
    await send();

    expect(slack.messages(CHANNEL).map((message) => message.metadata)).toEqual([
      { event_type: 'ec2_driver_relay_alert', event_payload: { delivery_key: SLOW_KEY, part: 0 } },
      { event_type: 'ec2_driver_relay_alert', event_payload: { delivery_key: SLOW_KEY, part: 1 } },
    ]);
  });

  it('posts once when Slack answers the post after the client gave up, finding it in the channel history', async () => {
    slack.script(answers.slow(SLACK_DELAY_MS), { method: 'chat.postMessage', threadReply: false, times: 1 });
    const { metrics, counted } = countedMetrics();

    const receipt = await send({ metrics });

    expect(mainPosts()).toHaveLength(1);
    expect(receipt?.ref).toBe(mainPosts()[0]?.ts);
    expect(replies().map((reply) => reply.threadTs)).toEqual([mainPosts()[0]?.ts]);
    expect(slack.requests.some((request) => request.method === 'conversations.history')).toBe(true);
    expect(counted().PossiblyDuplicated).toBeUndefined();
  });

  it('posts the alert and its thread reply once each when every post is answered late', async () => {
    slack.script(answers.slow(SLACK_DELAY_MS), { method: 'chat.postMessage' });
    const { metrics, counted } = countedMetrics();

    const receipt = await send({ metrics });

    expect(mainPosts()).toHaveLength(1);
    expect(replies()).toHaveLength(1);
    expect(receipt).toEqual({ ref: mainPosts()[0]?.ts, warnings: [] });
    expect(counted().PossiblyDuplicated).toBeUndefined();
  });

  it('without the history scope, posts at most twice and counts PossiblyDuplicated', async () => {
    slack
      .script(answers.slow(SLACK_DELAY_MS), { method: 'chat.postMessage', threadReply: false, times: 1 })
      .script(answers.slackError('missing_scope'), { method: 'conversations.history' });
    const { metrics, counted } = countedMetrics();

    const receipt = await send({ metrics });

    expect(mainPosts()).toHaveLength(2);
    expect(receipt?.ref).toBe(mainPosts()[1]?.ts);
    expect(counted().PossiblyDuplicated).toBe(1);
    expect(logLines).toContainEqual(expect.stringContaining('channels:history'));
  });

  it('without the history scope and with every post answered late, stops after two posts and fails as transient', async () => {
    slack
      .script(answers.slow(SLACK_DELAY_MS), { method: 'chat.postMessage' })
      .script(answers.slackError('missing_scope'), { method: 'conversations.history' });
    const { metrics, counted } = countedMetrics();

    const failure = await failureOf(send({ metrics }));

    expect(failure.code).toBe('slack-transient');
    expect(failure.message).toContain('may have been posted');
    expect(mainPosts()).toHaveLength(2);
    expect(counted().PossiblyDuplicated).toBe(1);
  });

  it('retries a post whose connection was refused without looking for it: nothing was sent', async () => {
    const closed = await startSlackStandIn();
    await closed.close();
    const { metrics, counted } = countedMetrics();
    const unreachable = createSlackClient(TOKEN, {
      apiUrl: closed.apiUrl,
      retryDelayMs: 20,
      log: captureLog(),
      fetch: sameRealmFetch,
    });

    const failure = await failureOf(
      postToSlack(unreachable, CHANNEL, payload, { deliveryKey: SLOW_KEY, metrics, log: captureLog() }),
    );

    expect(failure.code).toBe('slack-transient');
    expect(failure.message).toContain('ECONNREFUSED');
    expect(counted().PossiblyDuplicated).toBeUndefined();
  });

  it('posts again without counting a duplicate when Slack never answered and the post is not in the history', async () => {
    slack.script(answers.neverAnswers(), { method: 'chat.postMessage', threadReply: false, times: 1 });
    const { metrics, counted } = countedMetrics();

    const receipt = await send({ metrics });

    expect(mainPosts()).toHaveLength(1);
    expect(receipt?.ref).toBe(mainPosts()[0]?.ts);
    expect(counted().PossiblyDuplicated).toBeUndefined();
  });
});
