/**
 * Amending an alert already in a Slack channel (Destination.amend), with the real WebClient against the Slack
 * stand-in: the update in place and its thread reply, the new message posted when the old one cannot be updated,
 * and the failures that are thrown like a failed send.
 */
import { LogLevel } from '@slack/web-api';
import { sharedSecretsProvider } from '../lambda/adapters/secrets-provider.js';
import { createSlackClient, type LogSink } from '../lambda/adapters/slack-client.js';
import { slackDestination, THREAD_REPLY_RESERVE_MS } from '../lambda/adapters/slack-destination.js';
import { RelayError } from '../lambda/core/errors.js';
import { createDestinations } from '../lambda/destinations.js';
import type { AmendContext, RenderedAmendment } from '../lambda/ports.js';
import { rejectionOf } from './support/rejection.js';
import { renderedAlert } from './support/rendered-alert.js';
import { type SecretsStandIn, startSecretsStandIn } from './support/secrets-stand-in.js';
import { answers, type SlackStandIn, startSlackStandIn } from './support/slack-stand-in.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const TOKEN = 'xoxb-1111-2222-SECRETPART';
const CHANNEL = 'C0123456789';
/** The delivery key the alert was sent with, and the one its amendment comes with. */
const ALERT_KEY = 'notification-1#0#slack:C0123456789';
const AMEND_KEY = 'amend#ena#2.0.0#notes-published#slack:C0123456789';
/** A ts nothing was ever posted under: the alert's message was deleted. */
const DELETED_TS = '1700000000.000001';

let slack: SlackStandIn;
let logLines: string[];

beforeEach(async () => {
  slack = await startSlackStandIn({ acceptToken: TOKEN });
  logLines = [];
});

afterEach(async () => {
  await slack.close();
});

function captureLog(): LogSink {
  const write = (message: string) => {
    logLines.push(message);
  };
  return { debug: write, info: write, warn: write, error: write };
}

function client(options: { timeoutMs?: number; token?: string; fetch?: typeof fetch } = {}) {
  return createSlackClient(options.token ?? TOKEN, {
    apiUrl: slack.apiUrl,
    // Long enough for a loaded machine, except in the tests about Slack answering late.
    timeoutMs: options.timeoutMs ?? 20_000,
    maxRetryTimeMs: 3_000,
    retryDelayMs: 20,
    // Looks for a reply for up to 2 s after the client gave up: well past the moment a slow Slack finishes.
    settleMs: 2_000,
    lookupIntervalMs: 50,
    log: captureLog(),
    logLevel: LogLevel.DEBUG,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

function destination(slackClient = client()) {
  return slackDestination(slackClient, CHANNEL, { log: captureLog() });
}

/** What the watch would render for ENA 2.0.0 once its release notes were published. */
function renderedAmendment(slackOverrides: Partial<RenderedAmendment['slack']> = {}): RenderedAmendment {
  const section = (text: string) => [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }];
  return {
    change: 'notes-published',
    slack: {
      main: { text: 'ENA 2.0.0 released on 2024-05-02', blocks: section('*ENA 2.0.0* released on 2024-05-02') },
      reply: { text: 'Release notes now published', blocks: section('Release notes now published') },
      broadcast: false,
      replacement: {
        main: {
          text: 'Amends the alert ENA 2.0.0 released: release notes now published',
          blocks: section('Amends the alert *ENA 2.0.0 released*: release notes now published'),
        },
        thread: [{ text: 'Release notes for ENA 2.0.0', blocks: section('• Fixed a crash on resume') }],
      },
      ...slackOverrides,
    },
    email: { subject: 'ENA 2.0.0: release notes now published', body: 'The release notes of ENA 2.0.0 are out.\n' },
  };
}

function amendContext(ref: string | undefined, deadline = Date.now() + 60_000): AmendContext {
  return { ref, deadline, deliveryKey: AMEND_KEY };
}

/** Posts the alert the way send does, and returns its main message's ts. */
async function postAlert(): Promise<string> {
  const receipt = await destination().send(renderedAlert(), { deadline: Date.now() + 60_000, deliveryKey: ALERT_KEY });
  if (receipt?.ref === undefined) throw new Error('the alert was not posted');
  slack.clearRequests();
  return receipt.ref;
}

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, RelayError);

function chainText(error: unknown): string {
  const parts: string[] = [];
  for (let at: unknown = error; at instanceof Error; at = at.cause ?? ('original' in at ? at.original : undefined)) {
    parts.push(at.message, at.stack ?? '');
  }
  return parts.join('\n');
}

const topLevel = () => slack.messages(CHANNEL).filter((message) => message.threadTs === undefined);
const repliesUnder = (ts: string) => slack.messages(CHANNEL).filter((message) => message.threadTs === ts);

describe('amending an alert in Slack', () => {
  it("updates the alert's message in place and replies in its thread", async () => {
    // Prepare
    const ts = await postAlert();
    const amendment = renderedAmendment();

    // Act
    const receipt = await destination().amend(amendment, amendContext(ts));

    // Assess
    expect(slack.message(CHANNEL, ts)).toMatchObject({
      text: amendment.slack.main.text,
      blocks: amendment.slack.main.blocks,
      edited: true,
    });
    expect(repliesUnder(ts).map((reply) => reply.text)).toEqual([amendment.slack.reply.text]);
    expect(topLevel()).toHaveLength(0);
    expect(receipt).toEqual({ ref: ts, warnings: [] });
  });

  it('keeps link previews off and tags the updated message and the reply with the amendment key', async () => {
    const ts = await postAlert();

    await destination().amend(renderedAmendment(), amendContext(ts));

    const [update] = slack.updates(CHANNEL);
    expect(update?.params).toMatchObject({ unfurl_links: 'false', unfurl_media: 'false' });
    expect(slack.message(CHANNEL, ts)?.metadata).toEqual({
      event_type: 'ec2_driver_relay_alert',
      event_payload: { delivery_key: AMEND_KEY, part: 0 },
    });
    expect(repliesUnder(ts)[0]?.metadata).toEqual({
      event_type: 'ec2_driver_relay_alert',
      event_payload: { delivery_key: AMEND_KEY, part: 1 },
    });
  });

  it.each([
    [true, 'a rollback'],
    [false, 'new notes'],
  ])('shows the thread reply in the channel too exactly when asked (broadcast %s: %s)', async (broadcast) => {
    const ts = await postAlert();

    await destination().amend(renderedAmendment({ broadcast }), amendContext(ts));

    expect(repliesUnder(ts).map((reply) => reply.replyBroadcast)).toEqual([broadcast]);
  });

  it('keeps the update and reports a thread reply that Slack refused, without throwing', async () => {
    const ts = await postAlert();
    slack.script(answers.slackError('invalid_blocks'), { method: 'chat.postMessage', threadReply: true });

    const receipt = await destination().amend(renderedAmendment(), amendContext(ts));

    expect(slack.message(CHANNEL, ts)?.edited).toBe(true);
    expect(receipt).toEqual({
      ref: ts,
      warnings: [
        expect.stringContaining(
          `thread reply 1 of 1 under ${CHANNEL} message ${ts}: Slack refused to post to ${CHANNEL}: invalid_blocks.`,
        ),
      ],
    });
    expect(logLines).toContainEqual(expect.stringContaining('The alert was updated but a thread reply 1 of 1'));
  });

  it('leaves out the thread reply when the invocation is about to time out, so the amendment is recorded', async () => {
    const ts = await postAlert();

    const receipt = await destination().amend(
      renderedAmendment(),
      amendContext(ts, Date.now() + THREAD_REPLY_RESERVE_MS - 1),
    );

    expect(slack.message(CHANNEL, ts)?.edited).toBe(true);
    expect(repliesUnder(ts)).toHaveLength(0);
    expect(receipt?.warnings).toEqual([expect.stringContaining('not posted, the invocation is about to time out')]);
  });
});

describe('an alert whose message cannot be updated', () => {
  async function expectReplacement(refused: string, ref: string | undefined, notice: (newTs: string) => string) {
    const amendment = renderedAmendment();

    const receipt = await destination().amend(amendment, amendContext(ref));

    const [replacement, ...others] = topLevel();
    expect(others).toHaveLength(0);
    expect(replacement).toMatchObject({ text: amendment.slack.replacement.main.text });
    const newTs = replacement?.ts ?? '';
    expect(repliesUnder(newTs).map((reply) => reply.text)).toEqual(
      amendment.slack.replacement.thread.map((reply) => reply.text),
    );
    expect(receipt).toEqual({ ref: newTs, warnings: [notice(newTs)] });
    expect(receipt?.warnings?.[0]).toContain(`(${refused})`);
  }

  it('posts the replacement with its thread when the message is gone (message_not_found), and says so', async () => {
    await expectReplacement(
      'message_not_found',
      DELETED_TS,
      (newTs) =>
        `could not update the alert's message ${DELETED_TS} in ${CHANNEL} (message_not_found); posted a new message ${newTs} that amends it`,
    );
    expect(slack.requests.filter((request) => request.method === 'chat.update')).toHaveLength(1);
  });

  it.each(['cant_update_message', 'edit_window_closed'])(
    'posts the replacement with its thread when Slack answers %s, and leaves the old message as it was',
    async (refused) => {
      const ts = await postAlert();
      slack.script(answers.slackError(refused), { method: 'chat.update' });

      await expectReplacement(
        refused,
        ts,
        (newTs) =>
          `could not update the alert's message ${ts} in ${CHANNEL} (${refused}); posted a new message ${newTs} that amends it`,
      );
      expect(slack.message(CHANNEL, ts)).toMatchObject({ text: renderedAlert().slack.main.text, edited: false });
    },
  );

  it("posts the replacement without trying an update when the alert's ts was not recorded", async () => {
    await expectReplacement(
      'its ts was not recorded',
      undefined,
      (newTs) =>
        `could not update the alert's message (its ts was not recorded); posted a new message ${newTs} that amends it`,
    );
    expect(slack.requests.some((request) => request.method === 'chat.update')).toBe(false);
  });

  it('fails as permanent and posts nothing when Slack cannot find the channel', async () => {
    const ts = await postAlert();
    slack.script(answers.slackError('channel_not_found'), { channel: CHANNEL });

    const failure = await failureOf(destination().amend(renderedAmendment(), amendContext(ts)));

    expect(failure.code).toBe('slack-permanent');
    expect(failure.message).toContain(`${CHANNEL}: channel_not_found.`);
    expect(failure.message).toContain('/invite @<bot name>');
    expect(slack.requests.map((request) => request.method)).toEqual(['chat.update']);
  });

  it('fails as permanent when the channel is archived (is_inactive), naming what to do', async () => {
    const ts = await postAlert();
    slack.script(answers.slackError('is_inactive'), { method: 'chat.update' });

    const failure = await failureOf(destination().amend(renderedAmendment(), amendContext(ts)));

    expect(failure.code).toBe('slack-permanent');
    expect(failure.message).toContain(`${CHANNEL} is archived, frozen or deleted`);
    expect(slack.messages()).toHaveLength(0);
  });

  it('fails as transient when Slack refuses the replacement for a passing reason, so the amendment is retried', async () => {
    slack.script(answers.slackError('internal_error'), { method: 'chat.postMessage' });

    const failure = await failureOf(destination().amend(renderedAmendment(), amendContext(DELETED_TS)));

    expect(failure.code).toBe('slack-transient');
    expect(failure.message).toContain('internal_error');
  });
});

describe('a Slack that answers slower than the client waits', () => {
  // The client gives up after 200 ms; a slow Slack still acts, and answers after 600 ms. Timers fire in order of
  // their expiry, so the client always gives up before Slack answers, however busy the machine is.
  const CLIENT_TIMEOUT_MS = 200;
  const SLACK_DELAY_MS = 600;

  it.each([
    ['answers the update after the client gave up', answers.slow(SLACK_DELAY_MS)],
    ['never answers the update', answers.neverAnswers()],
  ])('sends the update again when Slack %s, and replies once', async (_case, firstAnswer) => {
    const ts = await postAlert();
    slack.script(firstAnswer, { method: 'chat.update', times: 1 });
    const amendment = renderedAmendment();

    const receipt = await destination(client({ timeoutMs: CLIENT_TIMEOUT_MS })).amend(amendment, amendContext(ts));

    expect(slack.requests.filter((request) => request.method === 'chat.update')).toHaveLength(2);
    expect(slack.message(CHANNEL, ts)).toMatchObject({ text: amendment.slack.main.text, edited: true });
    expect(repliesUnder(ts)).toHaveLength(1);
    expect(receipt).toEqual({ ref: ts, warnings: [] });
  });

  it('posts the thread reply once when Slack answers it after the client gave up, finding it in the thread', async () => {
    const ts = await postAlert();
    slack.script(answers.slow(SLACK_DELAY_MS), { method: 'chat.postMessage', threadReply: true, times: 1 });

    const receipt = await destination(client({ timeoutMs: CLIENT_TIMEOUT_MS })).amend(
      renderedAmendment(),
      amendContext(ts),
    );

    expect(repliesUnder(ts)).toHaveLength(1);
    expect(slack.requests.some((request) => request.method === 'conversations.replies')).toBe(true);
    expect(receipt).toEqual({ ref: ts, warnings: [] });
  });

  it('posts the replacement once when Slack answers it after the client gave up', async () => {
    slack.script(answers.slow(SLACK_DELAY_MS), { method: 'chat.postMessage', threadReply: false, times: 1 });

    const receipt = await destination(client({ timeoutMs: CLIENT_TIMEOUT_MS })).amend(
      renderedAmendment(),
      amendContext(DELETED_TS),
    );

    expect(topLevel()).toHaveLength(1);
    expect(receipt?.ref).toBe(topLevel()[0]?.ts);
  });
});

describe('the bot token, when an amendment fails', () => {
  it('never shows in the error, even when the failure quotes the request', async () => {
    // fetch refusing a header quotes it, token and all (a token with a CR/LF inside did this).
    const quotingFetch: typeof fetch = async () => {
      throw new TypeError(`Headers.append: "Bearer ${TOKEN}\r\n" is an invalid header value.`);
    };

    const failure = await failureOf(
      destination(client({ fetch: quotingFetch })).amend(renderedAmendment(), amendContext(DELETED_TS)),
    );

    expect(failure.code).toBe('slack-transient');
    expect(chainText(failure)).toContain('invalid header value');
    expect(chainText(failure)).not.toContain('SECRETPART');
    expect(logLines.join('\n')).not.toContain('SECRETPART');
  });
});

describe('amending through the configured destinations', () => {
  const SECRET_ID = 'ec2-driver-relay/slack-bot-token';
  const REVOKED = 'xoxb-1111-2222-REVOKEDTOKEN';
  const savedEnv = { ...process.env };
  let secrets: SecretsStandIn;

  beforeAll(async () => {
    secrets = await startSecretsStandIn();
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIASLACKAMENDTEST00',
      AWS_SECRET_ACCESS_KEY: 'slack-amend-test-secret',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    });
  });

  afterAll(async () => {
    process.env = savedEnv;
    await secrets.close();
  });

  beforeEach(() => {
    secrets.reset();
    sharedSecretsProvider().clearCache();
  });

  it('reads the token secret again after Slack refused the token, so the next try after a rotation amends', async () => {
    // Prepare: the secret holds a revoked token; a person stores the new one after the first attempt failed.
    const ts = await postAlert();
    secrets.put(SECRET_ID, REVOKED);
    const [slackChannel] = createDestinations(
      { slackChannels: [CHANNEL], slackTokenSecretId: SECRET_ID, slackApiUrl: slack.apiUrl, emailTopicArn: null },
      { logger: captureLog() },
    );
    if (slackChannel === undefined) throw new Error('no Slack destination');
    const failure = await failureOf(slackChannel.amend(renderedAmendment(), amendContext(ts)));
    secrets.put(SECRET_ID, TOKEN);

    // Act
    const receipt = await slackChannel.amend(renderedAmendment(), amendContext(ts));

    // Assess
    expect(failure.code).toBe('slack-permanent');
    expect(failure.message).toContain('invalid_auth');
    expect(chainText(failure)).not.toContain('REVOKEDTOKEN');
    expect(receipt?.ref).toBe(ts);
    expect(slack.message(CHANNEL, ts)?.edited).toBe(true);
  });
});
