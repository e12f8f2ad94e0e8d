/**
 * The real Lambda handler (lambda/handler.ts) wired to real local parts: the Slack stand-in, dynalite holding the
 * delivery table and the Secrets Manager stand-in holding the bot token, all on 127.0.0.1. Only SNS publishing is
 * stubbed (aws-sdk-client-mock), as there is no local SNS.
 *
 *   const relay = await startRelayHarness();
 *   await relay.receive(loadSqsEvent('pv-8.6.1'));   // rejects with RecordsFailed if any record failed
 *   expect(relay.slack.messages('C0ALERTS01')).toHaveLength(1);
 *   expect(relay.emails()).toHaveLength(1);
 *   await relay.close();
 *
 * The handler reads its configuration at module load, so each harness loads a fresh copy of it, and of everything
 * it imports (the Powertools secret cache, the Slack client cache, the changelog cache), into a fresh module
 * registry (jest.resetModules). Every invocation of one harness runs in that one warm container; start another
 * harness for a cold start. Harnesses must not overlap: they share process.env, stdout and the module registry.
 *
 * Environment: set as the stack sets it (lib/ec2-driver-relay-stack.ts relayEnvironment), with the secret's ARN as
 * SLACK_TOKEN_SECRET_ID, LIVE_CHANGELOG=false (tests never reach docs.aws.amazon.com), fake static credentials, and
 * every AWS endpoint on loopback: DynamoDB and Secrets Manager at their stand-ins, any other service at a closed
 * port, so nothing can leave the machine even if a stub is missed. restoreEnv()/close() put process.env back.
 *
 * Logs: the function's stdout JSON lines (Powertools Logger entries and Metrics EMF records) and anything it sends
 * to console.* are captured, not printed, so tests can assert on them (and that the token never shows up).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { format } from 'node:util';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type Dynalite, startDynalite } from './dynalite.js';
import { DRIVERS_TOPIC_ARN } from './events.js';
import { type SecretsStandIn, startSecretsStandIn } from './secrets-stand-in.js';
import { type SlackStandIn, startSlackStandIn } from './slack-stand-in.js';

type HandlerModule = typeof import('../../lambda/handler.js');
export type RelayHandler = HandlerModule['handler'];

export const HARNESS_CHANNELS: readonly string[] = ['C0ALERTS01', 'C0ALERTS02'];
export const HARNESS_TOKEN = 'xoxb-1111-2222-HARNESSTOKENSECRETPART';
export const HARNESS_TOKEN_SECRET_NAME = 'ec2-driver-relay/slack-bot-token';
export const HARNESS_EMAIL_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:ec2-driver-relay-alerts';
export const HARNESS_FUNCTION_NAME = 'ec2-driver-relay-RelayFunction';
/** The stack's function timeout: a fresh invocation has this long left. */
export const HARNESS_TIMEOUT_MS = 60_000;

/** Nothing listens on the discard port: an AWS client without a stand-in fails at once, on loopback. */
const NOWHERE = 'http://127.0.0.1:9';

// Without the .js suffix: jest maps that suffix only in relative imports.
const HANDLER_PATH = join(__dirname, '..', '..', 'lambda', 'handler');

export interface RelayHarnessOptions {
  /** Slack channels (SLACK_CHANNELS); [] leaves Slack unconfigured. @default HARNESS_CHANNELS */
  readonly channels?: readonly string[];
  /** Configure the email topic (EMAIL_TOPIC_ARN). @default true */
  readonly email?: boolean;
  /** What the token secret holds; null stores no secret (ResourceNotFoundException). @default HARNESS_TOKEN */
  readonly secretValue?: string | null;
  /** The token the Slack stand-in accepts (others get invalid_auth). @default HARNESS_TOKEN */
  readonly acceptToken?: string;
  /** Applied last, over everything the harness sets; undefined removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface InvokeOptions {
  /** @default a fresh UUID (every invocation from an SQS event source gets its own) */
  readonly requestId?: string;
  /** Time left before the function's timeout. @default HARNESS_TIMEOUT_MS */
  readonly remainingMs?: number;
}

/** One email the function published to the alert topic. */
export interface PublishedEmail {
  readonly topicArn: string | undefined;
  readonly subject: string | undefined;
  readonly message: string | undefined;
}

/** A Powertools Logger entry, as printed. */
export interface LogEntry {
  readonly level: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

export interface CapturedLogs {
  /** Every line the function wrote (log entries, metric records, console output), in order. */
  readonly lines: readonly string[];
  /** The Logger's entries, parsed. */
  readonly entries: readonly LogEntry[];
  /** Sum of a metric's values over every published EMF record, e.g. metric('Delivered'). */
  metric(name: string): number;
  /** Everything captured as one string, to check that something never appears. */
  text(): string;
  clear(): void;
}

export interface RelayHarness {
  readonly slack: SlackStandIn;
  readonly dynamo: Dynalite;
  readonly secrets: SecretsStandIn;
  readonly logs: CapturedLogs;
  /** The variables the harness set, as the function sees them (also for running the bundle in a child process). */
  readonly env: Readonly<Record<string, string>>;
  readonly channels: readonly string[];
  /** SLACK_TOKEN_SECRET_ID: the secret's ARN, as the stack passes it. */
  readonly tokenSecretId: string;
  readonly emailTopicArn: string | null;
  /** Emails the function published successfully, in order. */
  emails(): PublishedEmail[];
  /** Makes the next `times` publishes fail with an AWS error of this name (e.g. 'AuthorizationErrorException'). */
  failEmail(errorName: string, options?: { times?: number }): void;
  /** The handler of this harness's container, loaded on first use; throws what loading the module throws. */
  loadHandler(): RelayHandler;
  /** Invokes the handler with `event` as Lambda does, with a realistic context: what it returns, or what it throws. */
  invoke(event: unknown, options?: InvokeOptions): Promise<SQSBatchResponse>;
  /**
   * One receive of these queue messages, as the SQS event source mapping makes it: resolves when every record
   * succeeded (SQS deletes them); rejects with RecordsFailed, naming the reason the function logged for each, when
   * it reported records failed or threw FullBatchFailureError (SQS will deliver those again). Anything else the
   * handler throws (it failed to load) is rethrown as it is.
   */
  receive(event: SQSEvent, options?: InvokeOptions): Promise<void>;
  /** Puts process.env back as it was before the harness started (close() does it too). */
  restoreEnv(): void;
  close(): Promise<void>;
}

export async function startRelayHarness(options: RelayHarnessOptions = {}): Promise<RelayHarness> {
  const savedEnv = { ...process.env };
  // The Lambda runtime is newer than the Node.js running the tests; the SDK's warning about that is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const channels = options.channels ?? HARNESS_CHANNELS;
  const secretValue = options.secretValue === undefined ? HARNESS_TOKEN : options.secretValue;
  const [slack, dynamo, secrets] = await Promise.all([
    startSlackStandIn({ acceptToken: options.acceptToken ?? HARNESS_TOKEN }),
    startDynalite(),
    startSecretsStandIn(),
  ]);
  if (secretValue !== null) secrets.put(HARNESS_TOKEN_SECRET_NAME, secretValue);
  const tokenSecretId = secrets.arnOf(HARNESS_TOKEN_SECRET_NAME);
  const emailTopicArn = options.email === false ? null : HARNESS_EMAIL_TOPIC_ARN;

  const env = withOverrides(
    {
      ...(channels.length > 0 ? { SLACK_CHANNELS: channels.join(','), SLACK_TOKEN_SECRET_ID: tokenSecretId } : {}),
      ...(emailTopicArn !== null ? { EMAIL_TOPIC_ARN: emailTopicArn } : {}),
      DRIVER_TOPIC_ARN: DRIVERS_TOPIC_ARN,
      SLACK_API_URL: slack.apiUrl,
      DELIVERY_TABLE_NAME: dynamo.tableName,
      LIVE_CHANGELOG: 'false',
      POWERTOOLS_SERVICE_NAME: 'ec2-driver-relay',
      POWERTOOLS_METRICS_NAMESPACE: 'Ec2DriverRelay',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      AWS_LAMBDA_FUNCTION_NAME: HARNESS_FUNCTION_NAME,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      // Set by the runtime; without it Powertools never reports a cold start.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAHARNESSFAKEKEY00',
      AWS_SECRET_ACCESS_KEY: 'harness-fake-secret-access-key',
      AWS_SESSION_TOKEN: 'harness-fake-session-token',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_CONFIG_FILE: join(__dirname, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(__dirname, 'no-aws-credentials'),
      AWS_ENDPOINT_URL: NOWHERE,
      AWS_ENDPOINT_URL_SNS: NOWHERE,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    },
    options.env ?? {},
  );

  let envRestored = false;
  const restoreEnv = () => {
    if (envRestored) return;
    envRestored = true;
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
  };
  // A developer's profile must not choose credentials or endpoints for the function under test.
  delete process.env.AWS_PROFILE;
  for (const name of Object.keys(env)) delete process.env[name];
  for (const name of Object.keys(options.env ?? {})) delete process.env[name];
  Object.assign(process.env, env);

  const capture = captureOutput();

  // One fresh registry for this container: the handler, its lazily imported modules (the SNS client, the email
  // destination) and the SNS stub all come from it, so the stub patches the very class the handler uses.
  shareStatelessPackages();
  jest.resetModules();
  const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
  const { mockClient } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
  const sns = mockClient(SNSClient);
  const published: PublishedEmail[] = [];
  let emailFailures: { name: string; left: number } | undefined;
  sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
    if (emailFailures !== undefined && emailFailures.left > 0) {
      emailFailures.left -= 1;
      throw Object.assign(new Error(`${emailFailures.name} (harness)`), {
        name: emailFailures.name,
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    }
    published.push({ topicArn: input.TopicArn, subject: input.Subject, message: input.Message });
    return { MessageId: randomUUID() };
  });

  let handler: RelayHandler | undefined;
  const loadHandler = (): RelayHandler => {
    handler ??= (require(HANDLER_PATH) as HandlerModule).handler;
    return handler;
  };

  const invoke = (
    event: unknown,
    { requestId = randomUUID(), remainingMs = HARNESS_TIMEOUT_MS }: InvokeOptions = {},
  ): Promise<SQSBatchResponse> =>
    // An SQS event gets a batch response; only the schedule's watch event resolves to nothing (see watch below).
    loadHandler()(event as SQSEvent, lambdaContext(requestId, remainingMs)) as Promise<SQSBatchResponse>;

  let closed = false;
  return {
    slack,
    dynamo,
    secrets,
    logs: capture.logs,
    env,
    channels,
    tokenSecretId,
    emailTopicArn,
    emails: () => [...published],
    failEmail(errorName, { times = Number.POSITIVE_INFINITY } = {}) {
      emailFailures = { name: errorName, left: times };
    },
    loadHandler,
    invoke,
    async receive(event, { requestId = randomUUID(), remainingMs = HARNESS_TIMEOUT_MS } = {}) {
      let failed: readonly string[];
      let thrown: unknown;
      try {
        const response = await invoke(event, { requestId, remainingMs });
        failed = response.batchItemFailures.map((failure) => failure.itemIdentifier);
      } catch (error) {
        // Duck-typed: the handler's Powertools classes come from the harness's own module registry.
        if ((error as Error | undefined)?.name !== 'FullBatchFailureError') throw error;
        failed = event.Records.map((record) => record.messageId);
        thrown = error;
      }
      if (failed.length > 0) throw new RecordsFailed(failed, loggedFailures(capture.logs, requestId, failed), thrown);
    },
    restoreEnv,
    async close() {
      if (closed) return;
      closed = true;
      sns.restore();
      capture.stop();
      restoreEnv();
      await Promise.all([slack.close(), dynamo.close(), secrets.close()]);
    },
  };
}

/** What the function logged about one record it failed. */
export interface LoggedFailure {
  readonly sqsMessageId: string;
  /** The RelayError code, e.g. 'delivery-failed' or 'invalid-event'. */
  readonly code: string | undefined;
  readonly message: string;
}

/**
 * Records of one receive that the function reported failed, with the reason it logged for each: what a person reads
 * in the logs, and what SQS acts on. `cause` is what the handler threw, when every record failed.
 */
export class RecordsFailed extends Error {
  readonly failedMessageIds: readonly string[];
  readonly failures: readonly LoggedFailure[];
  /** The code of every failure, when they agree (one record failed, or all for the same reason). */
  readonly code: string | undefined;

  constructor(failedMessageIds: readonly string[], failures: readonly LoggedFailure[], cause: unknown) {
    super(failures.map((failure) => failure.message).join('\n'), { cause });
    this.name = 'RecordsFailed';
    this.failedMessageIds = failedMessageIds;
    this.failures = failures;
    const codes = new Set(failures.map((failure) => failure.code));
    this.code = codes.size === 1 ? [...codes][0] : undefined;
  }
}

/**
 * The failure the function logged for each failed record of one invocation. A failed record without one is a bug
 * (a person could not tell why it is retried), so it throws.
 */
function loggedFailures(logs: CapturedLogs, requestId: string, failed: readonly string[]): LoggedFailure[] {
  const entries = logs.entries.filter(
    (entry) => entry.level === 'ERROR' && entry.function_request_id === requestId && 'sqsMessageId' in entry,
  );
  return failed.map((sqsMessageId) => {
    const entry = entries.find((candidate) => candidate.sqsMessageId === sqsMessageId);
    const error = entry?.error as { message?: unknown } | undefined;
    if (entry === undefined || typeof error?.message !== 'string') {
      throw new Error(`record ${sqsMessageId} was reported failed, but no error with its reason was logged for it`);
    }
    return { sqsMessageId, code: typeof entry.code === 'string' ? entry.code : undefined, message: error.message };
  });
}

/**
 * Third-party packages whose module state does not matter between containers, loaded once per test file and handed
 * to every fresh registry: reloading them for each harness took most of a test's time (zod alone about 100 ms).
 * The relay's own modules and Powertools (its Parameters cache holds the token) are always loaded fresh.
 */
const SHARED_PACKAGES = [
  'zod/mini',
  'htmlparser2',
  '@slack/web-api',
  'aws4fetch',
  '@aws-sdk/client-sns',
  'aws-sdk-client-mock',
] as const;

let packagesShared = false;

function shareStatelessPackages(): void {
  if (packagesShared) return;
  packagesShared = true;
  for (const name of SHARED_PACKAGES) {
    const loaded: unknown = jest.requireActual(name);
    // A factory, not a mock: every registry gets the very same real module.
    jest.doMock(name, () => loaded);
  }
}

function withOverrides(
  base: Record<string, string>,
  overrides: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const env = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** A context shaped like the one the Node.js runtime passes, its clock running from now. */
export function lambdaContext(requestId: string, remainingMs: number): Context {
  const deadline = Date.now() + remainingMs;
  const fail = () => {
    throw new Error('the relay handler is async; it must not use the callback-style context methods');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: HARNESS_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${HARNESS_FUNCTION_NAME}`,
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${HARNESS_FUNCTION_NAME}`,
    logStreamName: `2026/07/21/[$LATEST]${requestId.replace(/-/g, '').slice(0, 32)}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Powertools prints through its own Console on process.stdout/stderr, one JSON object per write; those writes are
 * captured. Other writes (jest's own reporter) pass through untouched.
 */
function captureOutput(): { logs: CapturedLogs; stop(): void } {
  const lines: string[] = [];
  const spies: jest.SpyInstance[] = [];

  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    spies.push(
      jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
        if (!text.trimStart().startsWith('{')) return original(chunk, ...rest);
        lines.push(...text.split('\n').filter((line) => line.trim() !== ''));
        const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
        callback?.();
        return true;
      }) as typeof stream.write),
    );
  }
  for (const method of CONSOLE_METHODS) {
    spies.push(
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(`console.${method}: ${format(...args)}`);
      }),
    );
  }

  const parsed = () =>
    lines.flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });

  const logs: CapturedLogs = {
    get lines() {
      return [...lines];
    },
    get entries() {
      return parsed().filter(
        (record): record is LogEntry => typeof record.level === 'string' && typeof record.message === 'string',
      );
    },
    metric(name) {
      return parsed()
        .filter((record) => '_aws' in record)
        .reduce((sum, record) => {
          const value = record[name];
          if (typeof value === 'number') return sum + value;
          if (Array.isArray(value)) return sum + value.reduce((a: number, b: unknown) => a + Number(b), 0);
          return sum;
        }, 0);
    },
    text: () => lines.join('\n'),
    clear: () => {
      lines.length = 0;
    },
  };
  return {
    logs,
    stop() {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
