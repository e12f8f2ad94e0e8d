import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { RELAY_NODE_OPTIONS } from '../lib/relay-bundling.js';
import { startDynalite } from '../test/support/dynalite.js';
import { startSecretsStandIn } from '../test/support/secrets-stand-in.js';
import { startSlackStandIn } from '../test/support/slack-stand-in.js';
import { median, quantile } from './stats.js';

/**
 * What a fresh process does: nothing; load the bundle; or load it and handle one event end to end.
 * The same script serves all three, so the difference between them is the bundle's cost and nothing else.
 */
export type ColdStartMode = 'nothing' | 'load' | 'handle';
const MODES: readonly ColdStartMode[] = ['nothing', 'load', 'handle'];

/**
 * Runs in the child, as CommonJS like the Lambda runtime's own loading of a CommonJS handler (an ES-module script
 * would add Node's ES-module loader to the modes that load the bundle and not to `nothing`). `handle` gives the
 * event a fresh MessageId (the delivery table would otherwise skip it as delivered) and exits at once when the
 * handler settles: Lambda freezes the process there, and open keep-alive sockets would otherwise keep Node running.
 * It reports the CPU time it used on fd 3: on a busy machine that varies less than wall time.
 */
const CHILD = `
const { readFileSync, writeSync } = require('node:fs');
const { randomUUID } = require('node:crypto');
const mode = process.env.BENCH_MODE;
const report = () => {
  const { user, system } = process.cpuUsage();
  writeSync(3, JSON.stringify({ cpuMs: (user + system) / 1000, maxRssKiB: process.resourceUsage().maxRSS }));
  process.exit(0);
};
if (mode === 'nothing') report();
const { handler } = require(process.env.BENCH_BUNDLE);
if (mode === 'load') report();
// What the function gets from its work queue: one SQS record per notification, its body the SNS message.
const notifications = JSON.parse(readFileSync(process.env.BENCH_EVENT, 'utf8'));
const event = {
  Records: notifications.Records.map(({ Sns }) => ({
    messageId: randomUUID(),
    eventSource: 'aws:sqs',
    attributes: { ApproximateReceiveCount: '1' },
    body: JSON.stringify({ ...Sns, MessageId: randomUUID() }),
  })),
};
const deadline = Date.now() + 60000;
const context = {
  functionName: 'relay-bench', functionVersion: '$LATEST', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:relay-bench',
  awsRequestId: randomUUID(), logGroupName: '/aws/lambda/relay-bench', logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => deadline - Date.now(),
};
handler(event, context).then(({ batchItemFailures }) => {
  if (batchItemFailures.length > 0) {
    console.error('records failed: ' + JSON.stringify(batchItemFailures));
    process.exit(1);
  }
  report();
}, (error) => {
  console.error(error);
  process.exit(1);
});
`;

export interface ColdStartOptions {
  readonly bundlePath: string;
  /** Rounds; each round runs one process of every mode, in a rotating order. */
  readonly runs: number;
  /** @default test/fixtures/events/pv-8.6.1.json */
  readonly eventPath?: string;
  /** Extra node flags for the measured children, e.g. ['--cpu-prof', '--cpu-prof-dir=.bench/profiles']. */
  readonly nodeArgs?: readonly string[];
}

interface ChildRun {
  /** Spawn to exit. */
  readonly wallMs: number;
  /** User plus system CPU time the child used. */
  readonly cpuMs: number;
  /** Peak resident memory of the child. */
  readonly maxRssKiB: number;
}

export interface ColdStartResult {
  /** Wall time of each process, spawn to exit, per mode. */
  readonly wallMs: Readonly<Record<ColdStartMode, readonly number[]>>;
  /** Per round: load minus nothing, handle minus nothing (wall time). */
  readonly loadExtraMs: readonly number[];
  readonly handleExtraMs: readonly number[];
  /** The same in CPU time. */
  readonly loadExtraCpuMs: readonly number[];
  readonly handleExtraCpuMs: readonly number[];
  /** Peak resident memory of each `handle` process (what the function's memory setting has to hold). */
  readonly handleMaxRssKiB: readonly number[];
  /** Messages the Slack stand-in received: one per `handle` run, or the handler did not really post. */
  readonly slackMessages: number;
  readonly secretReads: number;
}

const TOKEN_SECRET = 'relay/slack-bot-token';
const CHANNEL = 'C0123456789';

export async function measureColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
  const {
    bundlePath,
    runs,
    eventPath = join(__dirname, '..', 'test', 'fixtures', 'events', 'pv-8.6.1.json'),
    nodeArgs = [],
  } = options;
  const slack = await startSlackStandIn({ acceptToken: 'xoxb-bench' });
  const secrets = await startSecretsStandIn({ secrets: { [TOKEN_SECRET]: 'xoxb-bench' } });
  const dynamo = await startDynalite();
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_OPTIONS: RELAY_NODE_OPTIONS,
      BENCH_BUNDLE: bundlePath,
      BENCH_EVENT: eventPath,
      SLACK_CHANNELS: CHANNEL,
      SLACK_TOKEN_SECRET_ID: TOKEN_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DELIVERY_TABLE_NAME: dynamo.tableName,
      DRIVER_TOPIC_ARN: 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers',
      LIVE_CHANGELOG: 'false',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDBENCH',
      AWS_SECRET_ACCESS_KEY: 'bench-secret',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_LAMBDA_FUNCTION_NAME: 'relay-bench',
      POWERTOOLS_SERVICE_NAME: 'ec2-driver-relay',
      POWERTOOLS_METRICS_NAMESPACE: 'Ec2DriverRelay',
    };
    const wallMs: Record<ColdStartMode, number[]> = { nothing: [], load: [], handle: [] };
    const loadExtraMs: number[] = [];
    const handleExtraMs: number[] = [];
    const loadExtraCpuMs: number[] = [];
    const handleExtraCpuMs: number[] = [];
    const handleMaxRssKiB: number[] = [];
    // One unmeasured round warms the OS file cache, as a Lambda host's would be for a popular runtime.
    for (const mode of MODES) await runChild(mode, env, []);
    for (let round = 0; round < runs; round += 1) {
      const times = {} as Record<ColdStartMode, ChildRun>;
      for (let i = 0; i < MODES.length; i += 1) {
        const mode = MODES[(round + i) % MODES.length] as ColdStartMode;
        times[mode] = await runChild(mode, env, nodeArgs);
        wallMs[mode].push(times[mode].wallMs);
      }
      loadExtraMs.push(times.load.wallMs - times.nothing.wallMs);
      handleExtraMs.push(times.handle.wallMs - times.nothing.wallMs);
      loadExtraCpuMs.push(times.load.cpuMs - times.nothing.cpuMs);
      handleExtraCpuMs.push(times.handle.cpuMs - times.nothing.cpuMs);
      handleMaxRssKiB.push(times.handle.maxRssKiB);
    }
    return {
      wallMs,
      loadExtraMs,
      handleExtraMs,
      loadExtraCpuMs,
      handleExtraCpuMs,
      handleMaxRssKiB,
      // The alerts themselves; their thread replies (AWS's full text, long notes) follow each one.
      slackMessages: slack.messages(CHANNEL).filter((message) => message.threadTs === undefined).length,
      secretReads: secrets.requests.length,
    };
  } finally {
    await Promise.all([slack.close(), secrets.close(), dynamo.close()]);
  }
}

/** Rejects when the child fails, with what it wrote. */
function runChild(mode: ColdStartMode, env: NodeJS.ProcessEnv, nodeArgs: readonly string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, '-e', CHILD], {
      env: { ...env, BENCH_MODE: mode },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let report = '';
    child.stdio[3]?.on('data', (chunk) => {
      report += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) resolve({ wallMs: elapsed, ...(JSON.parse(report) as { cpuMs: number; maxRssKiB: number }) });
      else reject(new Error(`cold-start child (${mode}) exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

export function spread(samples: readonly number[]): string {
  return `p25 ${quantile(samples, 0.25).toFixed(1)} / median ${median(samples).toFixed(1)} / p75 ${quantile(samples, 0.75).toFixed(1)} ms`;
}
