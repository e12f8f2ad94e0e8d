/**
 * The version-history watch end to end with real parts: the loopback page server serving history pages that change
 * between two watches, the real WebClient against the Slack stand-in (recording chat.update and thread replies),
 * dynalite holding the delivery records, the alert records and the watch's state. Only SNS (email) is stubbed.
 */
import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SNSEventRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createChangelogSource, readPage } from '../lambda/adapters/changelog-source.js';
import { createDeliveryStore } from '../lambda/adapters/delivery-store.js';
import { fetchHistoryPage, type HISTORY_PAGE_URLS } from '../lambda/adapters/history-page-fetch.js';
import { createWatchStore } from '../lambda/adapters/watch-store.js';
import { DRIVER_FAMILIES, type DriverFamily } from '../lambda/core/driver-family.js';
import { createDestinations } from '../lambda/destinations.js';
import { relayMessage } from '../lambda/relay.js';
import { runWatch, type WatchDependencies } from '../lambda/watch.js';
import { countedMetrics } from './support/counted-metrics.js';
import { type Dynalite, startDynalite } from './support/dynalite.js';
import { DRIVERS_TOPIC_ARN, snsEvent, snsMessageBody } from './support/events.js';
import { ENA_FIXTURE_ROWS, enaPage, type PageRow } from './support/history-pages.js';
import { fixturePage, type PageServer, startPageServer } from './support/page-server.js';
import { answers, type SlackStandIn, startSlackStandIn } from './support/slack-stand-in.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const CHANNEL = 'C0WATCH0001';
const TOKEN = 'xoxb-1111-2222-WATCHTESTTOKENPART';
const EMAIL_TOPIC = 'arn:aws:sns:us-east-1:123456789012:driver-alerts';
const HOUR = 60 * 60 * 1000;

let slack: SlackStandIn;
let pages: PageServer;
let dynamo: Dynalite;
const sns = mockClient(SNSClient);
const emails: { subject: string | undefined; body: string | undefined }[] = [];

beforeAll(async () => {
  [slack, pages, dynamo] = await Promise.all([
    startSlackStandIn({ acceptToken: TOKEN }),
    startPageServer(),
    startDynalite(),
  ]);
});

afterAll(async () => {
  await Promise.all([slack.close(), pages.close(), dynamo.close()]);
  sns.restore();
});

/** Each test gets its own table, so records and states never leak between tests. */
let tableName: string;
beforeEach(async () => {
  tableName = `watch-${randomUUID()}`;
  const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb');
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  slack.reset();
  emails.length = 0;
  sns.reset();
  sns.on(PublishCommand).callsFake((input) => {
    emails.push({ subject: input.Subject, body: input.Message });
    return { MessageId: randomUUID() };
  });
  for (const family of DRIVER_FAMILIES) pages.route(`/${family}`, { body: fixturePage(`${family}.html`) });
});

const urls = () =>
  Object.fromEntries(DRIVER_FAMILIES.map((family) => [family, pages.url(`/${family}`)])) as typeof HISTORY_PAGE_URLS;
const fetchPage = (family: DriverFamily) => fetchHistoryPage(family, { urls: urls() });

function serveEna(rows: readonly PageRow[], status = 200) {
  pages.route('/ena', { status, body: enaPage(rows) });
}

/**
 * The relay's parts as the function wires them, on this test's table and stand-ins, with a clock the test moves
 * (`advance`). It starts now, since the Slack client's deadlines are real time.
 */
function relayParts() {
  let offset = 0;
  const clock = () => Date.now() + offset;
  const advance = (ms: number) => {
    offset += ms;
  };
  const { metrics, counted } = countedMetrics();
  const logs: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
  const logger = {
    info: (message: string, attributes: Record<string, unknown>) => logs.push({ level: 'info', message, attributes }),
    warn: (message: string, attributes: Record<string, unknown>) => logs.push({ level: 'warn', message, attributes }),
    error: (message: string, attributes: Record<string, unknown>) => logs.push({ level: 'error', message, attributes }),
  };
  const destinations = createDestinations(
    { slackChannels: [CHANNEL], slackTokenSecretId: null, slackApiUrl: slack.apiUrl, emailTopicArn: EMAIL_TOPIC },
    { slackToken: async () => TOKEN, logger: { debug() {}, info() {}, warn() {}, error() {} } },
  );
  const deliveries = createDeliveryStore({ dynamodb: dynamo.dynamodb, tableName, now: clock });
  const records = createWatchStore({ dynamodb: dynamo.dynamodb, tableName });
  const watchDeps: WatchDependencies = {
    readPage: (family) => readPage(family, { fetchPage, now: clock }),
    store: records,
    deliveries,
    destinations,
    graceMs: 24 * HOUR,
    logger,
    metrics,
    now: clock,
  };
  const watch = (owner: string = randomUUID()) => runWatch(watchDeps, { owner, deadline: clock() + 60_000 });
  const relay = (subject: string, message: string) =>
    relayMessage(
      snsMessageBody((snsEvent({ subject, message }).Records[0] as SNSEventRecord).Sns),
      {
        changelogs: createChangelogSource({ live: true, fetchPage, now: clock }),
        destinations,
        store: deliveries,
        records,
        topicArn: DRIVERS_TOPIC_ARN,
        logger,
        metrics,
        now: clock,
      },
      { owner: randomUUID(), deadline: clock() + 60_000 },
    );
  return { watch, relay, advance, logs, counted, records };
}

const NEW_ROW: PageRow = {
  version: '2.12.0',
  date: 'November 30, 2026',
  notes: ['Fixed a hang when the adapter resets.'],
};

function headerOf(blocks: unknown): string {
  const header = (blocks as { type: string; text?: { text: string } }[]).find((block) => block.type === 'header');
  return header?.text?.text ?? '';
}

/** The first look at the pages, then a watch that sees ENA 2.12.0 appear (its grace period starts). */
async function seenNewVersion(watch: () => Promise<unknown>) {
  serveEna(ENA_FIXTURE_ROWS);
  await watch();
  serveEna([NEW_ROW, ...ENA_FIXTURE_ROWS]);
  await watch();
}

/** An ENA 2.12.0 release alert sent before the page listed 2.12.0, and the first watch that recorded the page. */
async function alertBeforeTheNotes() {
  const parts = relayParts();
  serveEna(ENA_FIXTURE_ROWS);
  await parts.watch();
  await parts.relay('ENA driver 2.12.0 released', 'ENA Windows driver version 2.12.0 is now available.');
  const [alert] = slack.messages(CHANNEL);
  expect(alert?.ts).toBeDefined();
  expect(JSON.stringify(alert?.blocks)).toContain('not on the version-history page yet');
  slack.clearRequests();
  emails.length = 0;
  return { ...parts, ts: alert?.ts as string };
}

describe('the watch amends alerts in place', () => {
  it('puts the notes and the date into the same Slack message once they are published, replies in its thread and emails a follow-up, once', async () => {
    const { watch, advance, ts } = await alertBeforeTheNotes();

    serveEna([NEW_ROW, ...ENA_FIXTURE_ROWS]);
    advance(6 * HOUR);
    const report = await watch();

    expect(report.amended).toEqual([{ family: 'ena', version: '2.12.0', change: 'notes-published' }]);
    const shown = slack.message(CHANNEL, ts);
    expect(shown?.edited).toBe(true);
    expect(JSON.stringify(shown?.blocks)).toContain('Fixed a hang when the adapter resets.');
    expect(JSON.stringify(shown?.blocks)).toContain('Released 2026-11-30');
    expect(JSON.stringify(shown?.blocks)).not.toContain('not on the version-history page yet');
    const replies = slack.messages(CHANNEL).filter((message) => message.threadTs === ts);
    expect(replies.map((reply) => reply.text)).toEqual([
      expect.stringContaining('Release notes now published for ENA 2.12.0'),
    ]);
    expect(emails).toEqual([
      { subject: '[EC2 drivers] Release notes published: ENA 2.12.0', body: expect.stringContaining('Fixed a hang') },
    ]);

    slack.clearRequests();
    advance(6 * HOUR);
    await watch();
    expect(slack.updates()).toEqual([]);
    expect(slack.messages()).toEqual([]);
    expect(emails).toHaveLength(1);
  });

  it('rewrites the headline of a release later marked rolled back, with the version to go to and no install command, and emails at once', async () => {
    const { watch, advance, ts } = await alertBeforeTheNotes();

    serveEna([
      { ...NEW_ROW, notes: ['This release has been rolled back due to a connectivity regression.'] },
      ...ENA_FIXTURE_ROWS,
    ]);
    advance(HOUR);
    const report = await watch();

    expect(report.amended).toEqual([{ family: 'ena', version: '2.12.0', change: 'rolled-back' }]);
    const shown = slack.message(CHANNEL, ts);
    expect(headerOf(shown?.blocks)).toBe('ROLLED BACK: do not install ENA 2.12.0');
    const text = JSON.stringify(shown?.blocks);
    expect(text).toContain('ENA 2.11.0');
    expect(text).not.toContain('send-command');
    expect(text).not.toContain('2.12.0/AwsEnaNetworkDriver.zip');
    const [reply] = slack.messages(CHANNEL).filter((message) => message.threadTs === ts);
    expect(reply?.text).toContain('ROLLED BACK: do not install ENA 2.12.0');
    expect(reply?.replyBroadcast).toBe(true);
    expect(emails.map((email) => email.subject)).toEqual(['[EC2 drivers] ROLLED BACK: do not install ENA 2.12.0']);
    expect(emails[0]?.body).not.toContain('send-command');
  });

  it('posts a new message saying which alert it amends when the bot can no longer update the old one', async () => {
    const { watch, advance, ts } = await alertBeforeTheNotes();
    slack.script(answers.slackError('cant_update_message'), { method: 'chat.update' });

    serveEna([NEW_ROW, ...ENA_FIXTURE_ROWS]);
    advance(HOUR);
    await watch();

    expect(slack.message(CHANNEL, ts)?.edited).toBe(false);
    const posted = slack.messages(CHANNEL).filter((message) => message.threadTs === undefined);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.blocks)).toContain('This amends the alert of');
  });

  it('amends once when two watches run at the same time', async () => {
    const { watch, advance, ts } = await alertBeforeTheNotes();

    serveEna([NEW_ROW, ...ENA_FIXTURE_ROWS]);
    advance(HOUR);
    await Promise.all([watch('watch-a'), watch('watch-b')]);

    expect(slack.updates(CHANNEL)).toHaveLength(1);
    expect(slack.messages(CHANNEL).filter((message) => message.threadTs === ts)).toHaveLength(1);
    expect(emails).toHaveLength(1);
  });
});

describe('the watch alerts releases AWS sent no notice about', () => {
  it('records what it finds on the first look and alerts nothing', async () => {
    const { watch, logs } = relayParts();
    serveEna([NEW_ROW, ...ENA_FIXTURE_ROWS]);

    const report = await watch();

    expect(report.unannounced).toEqual([]);
    expect(slack.messages()).toEqual([]);
    expect(emails).toEqual([]);
    expect(logs.filter((entry) => entry.message.startsWith('First look'))).toHaveLength(DRIVER_FAMILIES.length);
  });

  it('alerts a version that stays unannounced past the grace period, once, with the same enrichment as a release', async () => {
    const { watch, advance } = relayParts();
    serveEna(ENA_FIXTURE_ROWS);
    await watch();

    serveEna([NEW_ROW, ...ENA_FIXTURE_ROWS]);
    advance(6 * HOUR);
    expect((await watch()).unannounced).toEqual([]);
    // The grace period counts from the watch that first saw it.
    advance(24 * HOUR - 60_000);
    expect((await watch()).unannounced).toEqual([]);
    advance(60_000);
    expect((await watch()).unannounced).toEqual([{ family: 'ena', version: '2.12.0' }]);

    const [alert] = slack.messages(CHANNEL);
    expect(headerOf(alert?.blocks)).toBe('ENA driver 2.12.0 released: seen on the version history, AWS sent no notice');
    expect(JSON.stringify(alert?.blocks)).toContain('Fixed a hang when the adapter resets.');
    expect(JSON.stringify(alert?.blocks)).toContain('AwsEnaNetworkDriver');
    expect(emails.map((email) => email.subject)).toEqual([expect.stringContaining('ENA 2.12.0 released')]);

    advance(6 * HOUR);
    await watch();
    expect(slack.messages(CHANNEL)).toHaveLength(1);
    expect(emails).toHaveLength(1);
  });

  it('does not alert a version announced on the topic during the grace period', async () => {
    const { watch, relay, advance } = relayParts();
    await seenNewVersion(() => watch());
    await relay('ENA driver 2.12.0 released', 'ENA Windows driver version 2.12.0 is now available.');
    slack.clearRequests();

    advance(30 * HOUR);
    expect((await watch()).unannounced).toEqual([]);
    expect(slack.messages().filter((message) => message.threadTs === undefined)).toEqual([]);
  });

  it('changes nothing when a page cannot be read or suddenly lists fewer rows, and says so in a log line and a metric', async () => {
    const { watch, logs, counted, records, advance } = relayParts();
    serveEna(ENA_FIXTURE_ROWS);
    await watch();
    const before = await records.familyState('ena');

    serveEna([NEW_ROW], 503);
    advance(30 * HOUR);
    const failed = await watch();
    serveEna([NEW_ROW]);
    advance(30 * HOUR);
    const shrunk = await watch();

    expect(failed.plans.find((plan) => plan.family === 'ena')?.problem).toMatchObject({ kind: 'unreadable' });
    expect(shrunk.plans.find((plan) => plan.family === 'ena')?.problem).toMatchObject({ kind: 'shrank', rows: 1 });
    expect(slack.messages()).toEqual([]);
    expect(emails).toEqual([]);
    expect((await records.familyState('ena'))?.state).toMatchObject({ newest: before?.state.newest, pending: {} });
    expect(counted().WatchPageProblem).toBe(2);
    // One figure per completed watch, 0 included, for HistoryPagesUnusable: 0 on the first, 1 on each later one.
    expect(counted().WatchPagesUnusable).toBe(2);
    expect(counted().WatchRan).toBe(3);
    expect(logs.filter((entry) => entry.level === 'warn' && entry.attributes.family === 'ena')).toHaveLength(2);
  });

  it('alerts an unannounced version once when two watches run at the same time', async () => {
    const { watch, advance } = relayParts();
    await seenNewVersion(() => watch());

    advance(25 * HOUR);
    await Promise.all([watch('watch-a'), watch('watch-b')]);

    expect(slack.messages(CHANNEL).filter((message) => message.threadTs === undefined)).toHaveLength(1);
    expect(emails).toHaveLength(1);
  });

  it('amends an unannounced alert like any other when its version is later rolled back', async () => {
    const { watch, advance } = relayParts();
    await seenNewVersion(() => watch());
    advance(25 * HOUR);
    await watch();
    const [alert] = slack.messages(CHANNEL);

    serveEna([{ ...NEW_ROW, notes: ['Withdrawn: causes link flaps.'] }, ...ENA_FIXTURE_ROWS]);
    advance(6 * HOUR);
    await watch();

    expect(headerOf(slack.message(CHANNEL, alert?.ts as string)?.blocks)).toBe(
      'ROLLED BACK: do not install ENA 2.12.0',
    );
  });
});
