import { type FetchFunction, LogLevel, type RetryOptions, type Logger as SlackLogger, WebClient } from '@slack/web-api';
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
   * Longest Retry-After (seconds) the client waits out. A longer one fails the call at once with Slack's own
   * `ratelimited` error, so Lambda's retry (a minute or more later) tries again. @default 10
   */
  maxRetryAfterSeconds?: number;
  /** @default 'info' */
  logLevel?: LogLevel;
  /** @default console */
  log?: LogSink;
  /** @default globalThis.fetch */
  fetch?: FetchFunction;
}

/**
 * Retry policy stated here rather than inherited: the SDK's default (10 retries over about 30 minutes) outlasts a
 * 60 s Lambda. What the SDK retries, as read in @slack/web-api 8 (dist/WebClient.js makeRequest):
 * - HTTP status other than 200 and 429 (e.g. 500), network errors and request timeouts: retried by this policy.
 * - 429 with a numeric Retry-After: the SDK pauses its request queue for Retry-After seconds, then retries by this
 *   policy (`rejectRateLimitedCalls: false`); a 429 without one fails at once.
 * - `{ ok: false, error }` answers (invalid_auth, channel_not_found, ...): never retried.
 * `maxRetryTime` is only checked when an attempt fails, so one call lasts at most about
 * maxRetryTimeMs + timeoutMs + maxRetryAfterSeconds + 4 x retryDelayMs (29 s with the defaults).
 */
export function retryPolicy(maxRetryTimeMs: number, retryDelayMs = 1000): RetryOptions {
  return {
    retries: 2,
    factor: 2,
    minTimeout: retryDelayMs,
    maxTimeout: retryDelayMs * 4,
    randomize: true,
    maxRetryTime: maxRetryTimeMs,
  };
}

export function createSlackClient(token: string, options: SlackClientOptions = {}): WebClient {
  const {
    apiUrl = 'https://slack.com/api/',
    timeoutMs = 5000,
    maxRetryTimeMs = 10_000,
    retryDelayMs = 1000,
    maxRetryAfterSeconds = 10,
    logLevel = LogLevel.INFO,
    log = console,
    fetch = globalThis.fetch,
  } = options;
  return new WebClient(token, {
    slackApiUrl: apiUrl,
    timeout: timeoutMs,
    retryConfig: retryPolicy(maxRetryTimeMs, retryDelayMs),
    rejectRateLimitedCalls: false,
    logger: redactingLogger(token, log, logLevel),
    fetch: refuseLongRateLimitWaits(fetch, maxRetryAfterSeconds),
  });
}

/**
 * The SDK sleeps for whatever Retry-After Slack sends, with no upper bound. A wait longer than the budget is turned
 * into the answer Slack gives for rate limits in a body (`{ ok: false, error: 'ratelimited' }`, status 200), which
 * the SDK rejects without retrying; the Retry-After header is kept so the error still says how long to wait.
 */
function refuseLongRateLimitWaits(fetch: FetchFunction, maxRetryAfterSeconds: number): FetchFunction {
  return async (url, init) => {
    const response = await fetch(url, init);
    const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    if (response.status !== 429 || Number.isNaN(retryAfter) || retryAfter <= maxRetryAfterSeconds) return response;
    await response.text();
    return new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), {
      status: 200,
      headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter) },
    });
  };
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
