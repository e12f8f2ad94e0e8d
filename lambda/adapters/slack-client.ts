import {
  type FetchFunction,
  LogLevel,
  type Logger as SlackLogger,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { RelayError } from '../core/errors.js';
import { redactSlackTokens } from './slack-token-form.js';

/** Where the client's own log lines go: console, or a Powertools Logger. */
export interface LogSink {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SlackClientOptions {
  /** Base URL of the Web API, ending in `/api/` (SLACK_API_URL). @default 'https://slack.com/api/' */
  apiUrl?: string;
  /** Per-request timeout. @default 5000 */
  timeoutMs?: number;
  /** No new attempt starts once this much time has passed since the first one. @default 10000 */
  maxRetryTimeMs?: number;
  /** Wait before the first retry; it doubles (with jitter) for the next. @default 1000 */
  retryDelayMs?: number;
  /**
   * Longest Retry-After (seconds) the client waits out. A longer one fails the call at once with the SDK's
   * WebAPIRateLimitedError, so Lambda's retry (a minute or more later) tries again. @default 10
   */
  maxRetryAfterSeconds?: number;
  /**
   * After a post whose outcome is unknown (see outcomeOf), how long the channel is watched for it before it counts
   * as not posted: Slack can finish a post after the client stopped waiting. @default timeoutMs
   */
  settleMs?: number;
  /** Wait between two looks at the channel while it settles. @default 1000 */
  lookupIntervalMs?: number;
  /** @default 'info' */
  logLevel?: LogLevel;
  /** @default console */
  log?: LogSink;
  /** @default globalThis.fetch */
  fetch?: FetchFunction;
  /** @default Date.now */
  now?: () => number;
  /** @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** The Web API client, with the retry policy this relay states instead of the SDK's. */
export interface SlackClient {
  /** The SDK's client: one request per call, never retried by the SDK itself. */
  readonly web: WebClient;
  /** The token it sends, for redaction. */
  readonly token: string;
  readonly timeoutMs: number;
  readonly settleMs: number;
  readonly lookupIntervalMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * Runs one Web API call, retrying it only when Slack certainly did not act on it (outcomeOf 'not-done'), with
   * backoff, at most 3 attempts, within maxRetryTimeMs, and never starting an attempt that could outlast the
   * deadline (epoch ms). Any other failure is thrown as the SDK threw it, for the caller to judge.
   */
  call<T>(request: () => Promise<T>, deadline: number, options?: CallOptions): Promise<T>;
}

export interface CallOptions {
  /**
   * The request leaves Slack in the same state however often it is made (chat.update with the same content), so an
   * attempt whose outcome is unknown is retried like one Slack did not act on, under the same limits. A post is
   * never idempotent: each attempt Slack acts on is one more message. @default false
   */
  readonly idempotent?: boolean;
}

/**
 * What a failed call tells about whether Slack acted on it:
 * - 'refused': Slack answered, and did not act (`{ ok: false, error }`: invalid_auth, channel_not_found, ...).
 *   Never retried here: the caller maps it to a permanent or transient failure.
 * - 'not-done': Slack did not act, and asking again may work: HTTP 429 (rate-limited), another status than 200
 *   (Slack's edge answered 500/503 instead of the API: the Web API answers errors in a 200 body), or a connection
 *   that never opened (refused, DNS, connect timeout), so the request never left.
 * - 'unknown': the request may have reached Slack and been acted on: the client timed out, the connection broke
 *   after it was sent, or an answer could not be read. Repeating a post after this may post it twice.
 * Anything not recognised counts as 'unknown', the one outcome that is never repeated blindly.
 */
export type FailureOutcome = 'refused' | 'not-done' | 'unknown';

/** Connection errors (undici's and the OS's codes) that happen before any byte of the request is sent. */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function outcomeOf(error: unknown): FailureOutcome {
  // The relay's own refusals (no time left for a request: see `call`) come before anything is sent.
  if (error instanceof RelayError) return 'not-done';
  if (error instanceof WebAPIPlatformError) return 'refused';
  if (error instanceof WebAPIRateLimitedError || error instanceof WebAPIHTTPError) return 'not-done';
  if (error instanceof WebAPIRequestError) {
    const code = codeOf(error.original) ?? codeOf(error.original.cause);
    return code !== undefined && NEVER_SENT.has(code) ? 'not-done' : 'unknown';
  }
  return 'unknown';
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

const MAX_ATTEMPTS = 3;

/**
 * Retry policy stated here rather than inherited. The SDK's own retries are off (`retries: 0`): it retries request
 * timeouts and broken connections like any failure, so a post Slack had already made was made again (a Slack answering
 * in 5.5 s got two copies of an alert), and its default (10 retries over about 30 minutes) outlasts a Lambda.
 * `rejectRateLimitedCalls` hands a 429 to `call` at once instead of the SDK sleeping for whatever Retry-After says.
 * What `call` retries is what outcomeOf calls 'not-done' (and 'unknown' for an idempotent request); a post with an
 * unknown outcome is the caller's to settle (slack-destination.ts looks for it in the channel before posting again).
 */
export function createSlackClient(token: string, options: SlackClientOptions = {}): SlackClient {
  const {
    apiUrl = 'https://slack.com/api/',
    timeoutMs = 5000,
    maxRetryTimeMs = 10_000,
    retryDelayMs = 1000,
    maxRetryAfterSeconds = 10,
    settleMs = timeoutMs,
    lookupIntervalMs = 1000,
    logLevel = LogLevel.INFO,
    log = console,
    fetch = globalThis.fetch,
    now = Date.now,
    sleep = wait,
  } = options;
  const web = new WebClient(token, {
    slackApiUrl: apiUrl,
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: redactingLogger(token, log, logLevel),
    fetch,
  });

  /** How long to wait before trying again, or undefined when this failure is not worth another attempt. */
  const waitBefore = (error: unknown, attempt: number, idempotent: boolean): number | undefined => {
    const outcome = outcomeOf(error);
    if (outcome !== 'not-done' && !(idempotent && outcome === 'unknown')) return undefined;
    if (error instanceof WebAPIRateLimitedError) {
      return error.retryAfter <= maxRetryAfterSeconds ? error.retryAfter * 1000 : undefined;
    }
    const backoff = Math.min(retryDelayMs * 2 ** (attempt - 1), retryDelayMs * 4);
    return backoff * (1 + Math.random());
  };

  return {
    web,
    token,
    timeoutMs,
    settleMs,
    lookupIntervalMs,
    now,
    sleep,
    async call<T>(request: () => Promise<T>, deadline: number, { idempotent = false }: CallOptions = {}): Promise<T> {
      const started = now();
      for (let attempt = 1; ; attempt += 1) {
        if (now() + timeoutMs > deadline) throw outOfTime(timeoutMs);
        try {
          return await request();
        } catch (error) {
          const pause = waitBefore(error, attempt, idempotent);
          const late = (ms: number) => now() - started + ms > maxRetryTimeMs || now() + ms + timeoutMs > deadline;
          if (pause === undefined || attempt >= MAX_ATTEMPTS || late(pause)) throw error;
          await sleep(pause);
        }
      }
    },
  };
}

/** Thrown before a request that could outlast the invocation: nothing was sent, so a retry is safe. */
function outOfTime(timeoutMs: number): RelayError {
  return new RelayError(
    'slack-transient',
    `Not enough time left in this invocation for a Slack request (up to ${timeoutMs / 1000} s); nothing was sent.`,
  );
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const SEVERITY: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

/**
 * The SDK already redacts token fields in its debug lines; this also covers anything else that might carry the
 * token (an error message quoting a request, a header dump), because a leaked bot token lets anyone post as us.
 */
function redactingLogger(token: string, sink: LogSink, initialLevel: LogLevel): SlackLogger {
  let level = initialLevel;
  let name = 'slack';
  const write = (at: LogLevel, parts: unknown[]) => {
    if (SEVERITY[at] < SEVERITY[level]) return;
    const text = parts.map((part) => (typeof part === 'string' ? part : safeStringify(part))).join(' ');
    sink[at](redactSlackTokens(`${name}: ${text}`, [token]));
  };
  return {
    debug: (...parts) => write(LogLevel.DEBUG, parts),
    info: (...parts) => write(LogLevel.INFO, parts),
    warn: (...parts) => write(LogLevel.WARN, parts),
    error: (...parts) => write(LogLevel.ERROR, parts),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      name = next;
    },
  };
}

function safeStringify(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
