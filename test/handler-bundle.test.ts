/**
 * The deployed artifact, end to end: lambda/handler.ts bundled with the stack's own esbuild settings
 * (lib/relay-bundling.ts), then invoked in a fresh Node process per invocation, as a Lambda container would run it,
 * with SQS events from the work queue, against the local stand-ins. Only the delivery table carries state from one
 * invocation to the next.
 */

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { createChangelogSource } from '../lambda/adapters/changelog-source.js';
import { alertsForEvent, renderAlert } from '../lambda/relay.js';
import { RELAY_BUNDLE_FILE, RELAY_NODE_OPTIONS } from '../lib/relay-bundling.js';
import { eventText, loadEvent, loadSqsEvent, sqsRecord } from './support/events.js';
import { relayBundleDir } from './support/relay-bundle.js';
import { HARNESS_TOKEN, type RelayHarness, startRelayHarness } from './support/relay-harness.js';
import type { RecordedRequest } from './support/slack-stand-in.js';
import { PROCESS_TEST_MS } from './support/timeouts.js';

/**
 * Runs in the child: loads the bundle (BUNDLE_DIR) and calls its handler once with a context like the runtime's, then exits
 * at once (Lambda freezes the process there; open keep-alive sockets would otherwise keep Node running).
 * Exit code 0: the handler resolved, and what it returned is printed; 1: it threw.
 */
const RUNNER = `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const bundle = process.env.BUNDLE_DIR + '/${RELAY_BUNDLE_FILE}';
const { handler } = createRequire(bundle)(bundle);

const [eventFile, requestId] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const deadline = Date.now() + 60000;
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME,
  memoryLimitInMB: '256',
  awsRequestId: requestId,
  logGroupName: '/aws/lambda/' + process.env.AWS_LAMBDA_FUNCTION_NAME,
  logStreamName: '2026/07/21/[$LATEST]bundle',
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
try {
  const response = await handler(event, context);
  console.log('handler returned: ' + JSON.stringify(response));
  process.exit(0);
} catch (error) {
  console.error('handler threw:', error instanceof Error ? error.message : String(error));
  process.exit(1);
}
`;

interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// Bundles the handler once and runs it in a fresh Node process per invocation: see support/timeouts.ts.
jest.setTimeout(PROCESS_TEST_MS);

let bundleDir: string;
let runnerDir: string;
let relay: RelayHarness;

beforeAll(async () => {
  bundleDir = await relayBundleDir();
  runnerDir = mkdtempSync(join(tmpdir(), 'relay-bundle-runner-'));
  writeFileSync(join(runnerDir, 'run.mjs'), RUNNER);
});

afterAll(() => {
  rmSync(runnerDir, { recursive: true, force: true });
});

beforeEach(async () => {
  // No email topic: there is no SNS to publish to outside this process's stub.
  relay = await startRelayHarness({ email: false });
});

afterEach(async () => {
  await relay.close();
});

/** Asynchronous on purpose: the stand-ins answer from this process's event loop while the child runs. */
function runBundle(requestId: string, event: SQSEvent = loadSqsEvent('pv-8.6.1')): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...relay.env,
    NODE_OPTIONS: RELAY_NODE_OPTIONS,
    BUNDLE_DIR: bundleDir,
  };
  delete env.AWS_PROFILE;
  const eventFile = join(runnerDir, `event-${randomUUID()}.json`);
  writeFileSync(eventFile, JSON.stringify(event));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(runnerDir, 'run.mjs'), eventFile, requestId], {
      cwd: bundleDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    // A child that hangs is killed rather than left behind when the test times out.
    const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_TEST_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What the handler returned to the event source mapping (the runner prints it). */
function responseOf({ stdout }: RunResult): unknown {
  const line = stdout.split('\n').find((each) => each.startsWith('handler returned: '));
  return line === undefined ? undefined : JSON.parse(line.slice('handler returned: '.length));
}

/** The Logger's JSON lines: INFO and WARN on stdout, ERROR on stderr. */
function logEntries({ stdout, stderr }: RunResult): Array<Record<string, unknown>> {
  return `${stdout}\n${stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function topLevel(messages: readonly RecordedRequest[]): RecordedRequest[] {
  return messages.filter((message) => message.threadTs === undefined);
}

/** What the source posts for the fixture: the bundle must post exactly this. */
async function expectedMainMessage() {
  const alerts = await alertsForEvent(loadEvent('pv-8.6.1'), { changelogs: createChangelogSource({ live: false }) });
  expect(alerts).toHaveLength(1);
  return renderAlert(alerts[0] as (typeof alerts)[number]).slack.main;
}

describe('the bundled handler', () => {
  it('posts the PV 8.6.1 alert to every channel, exactly as the source renders it', async () => {
    // Prepare
    const expected = await expectedMainMessage();

    // Act
    const run = await runBundle('bundle-first');

    // Assess
    expect({ code: run.code, errors: run.stderr }).toEqual({ code: 0, errors: '' });
    expect(responseOf(run)).toEqual({ batchItemFailures: [] });
    for (const channel of relay.channels) {
      const posted = topLevel(relay.slack.messages(channel));
      expect(posted).toHaveLength(1);
      expect(posted[0]?.text).toBe(expected.text);
      expect(posted[0]?.blocks).toEqual(expected.blocks);
      expect(JSON.stringify(posted[0]?.blocks)).toMatch(/AWS PV\b[^"]*\b8\.6\.1\b/);
    }
    const relayed = logEntries(run).find((entry) => entry.message === 'Relayed');
    expect(relayed).toMatchObject({ level: 'INFO', cold_start: true, function_request_id: 'bundle-first' });
    expect(`${run.stdout}${run.stderr}`).not.toContain(HARNESS_TOKEN);
  });

  it('posts nothing new when a second container gets the same notification in another queue message', async () => {
    // Prepare
    const first = await runBundle('bundle-first');
    expect(first.code).toBe(0);
    const postedBefore = relay.slack.messages().length;

    // Act
    const second = await runBundle('bundle-redelivery');

    // Assess
    expect({ code: second.code, errors: second.stderr }).toEqual({ code: 0, errors: '' });
    expect(relay.slack.messages()).toHaveLength(postedBefore);
    for (const channel of relay.channels) expect(topLevel(relay.slack.messages(channel))).toHaveLength(1);
  });

  it('reports only an invalid message of a batch as failed, with a logged stack trace that points into the TypeScript sources', async () => {
    // Prepare
    const good = loadSqsEvent('pv-8.6.1').Records;
    const bad = sqsRecord(eventText('not-json.txt'));

    // Act
    const run = await runBundle('bundle-invalid', { Records: [...good, bad] });

    // Assess: SQS retries only the bad one, and a stack a person can follow (the stack's NODE_OPTIONS and source map).
    expect(run.code).toBe(0);
    expect(responseOf(run)).toEqual({ batchItemFailures: [{ itemIdentifier: bad.messageId }] });
    const failure = logEntries(run).find((entry) => entry.level === 'ERROR') as {
      sqsMessageId?: string;
      error?: { message?: string; stack?: string };
    };
    expect(failure?.sqsMessageId).toBe(bad.messageId);
    expect(failure?.error?.message).toMatch(/^invalid SNS message: not JSON/);
    expect(failure?.error?.stack).toContain(join(__dirname, '..', 'lambda', 'core', 'sns-event.ts'));
    for (const channel of relay.channels) expect(topLevel(relay.slack.messages(channel))).toHaveLength(1);
  });

  it('throws when every record of the batch failed, so the invocation counts as a function error', async () => {
    // Act
    const run = await runBundle('bundle-all-failed', { Records: [sqsRecord(eventText('not-json.txt'))] });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('handler threw: All records failed processing');
    expect(relay.slack.requests).toHaveLength(0);
  });
});
