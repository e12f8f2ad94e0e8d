/**
 * A Slack Web API stand-in on 127.0.0.1 for the real WebClient (or anything else that speaks the Web API).
 *
 *   const slack = await startSlackStandIn();
 *   const client = createSlackClient('xoxb-test', { apiUrl: slack.apiUrl });
 *   slack.script(answers.rateLimited(1), { method: 'chat.postMessage', times: 1 });
 *   ... exercise the code ...
 *   expect(slack.messages('C0123456789')).toHaveLength(1);
 *   await slack.close();
 *
 * Requests are parsed like Slack does (form-encoded or JSON bodies; `blocks`, `attachments` and `metadata` given as
 * JSON strings are decoded) and every request is recorded, whatever it was answered. Answers are scripted by
 * rules, checked in the order they were added; the first rule that matches the request (method, channel, whether it
 * is a thread reply) and has uses left decides the answer. Without a matching rule chat.postMessage succeeds with a
 * fresh `ts`, chat.update edits a posted message (below), auth.test answers a bot identity, conversations.history
 * and conversations.replies answer from the messages posted so far, and any other method answers `{ ok: true }`.
 *
 * Posted messages keep their `metadata`, which conversations.history and conversations.replies return with
 * `include_all_metadata`, like Slack. A post answered `slow` takes effect when its answer is sent (Slack was slow
 * doing the work), even if the client gave up waiting: it shows in the channel's history only from then on. To play
 * a token without the history scope, script `answers.slackError('missing_scope')` for conversations.history.
 *
 * chat.update edits a posted message in place, like Slack: its text and blocks, and its metadata when the update
 * sends some (Slack keeps the old metadata otherwise); it answers `{ ok: true, channel, ts, text }`, and
 * `message_not_found` for a ts nothing was posted under in that channel. Like a post, an update answered `slow`
 * takes effect when its answer is sent, and one never answered does not take effect. Updates are recorded and
 * scripted like any request (e.g. `answers.slackError('edit_window_closed')` for method 'chat.update');
 * `updates()` lists the ones that took effect and `message(channel, ts)` shows a message as the channel now does.
 * A thread reply's `reply_broadcast` is recorded as `replyBroadcast`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandInAnswer =
  /** Success, as Slack answers it. */
  | { readonly kind: 'ok' }
  /** HTTP 200 with `{ ok: false, error }`, e.g. invalid_auth, channel_not_found, not_in_channel. */
  | { readonly kind: 'slack-error'; readonly error: string }
  /** HTTP 429 with `Retry-After: seconds` (omit seconds to send no header). */
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds?: number }
  /** Any other HTTP status (e.g. 500, 503) with a plain-text body. */
  | { readonly kind: 'http-error'; readonly status: number }
  /** Waits, then answers `then` (default ok). */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly then?: StandInAnswer }
  /** Reads the request and never answers; the connection stays open until the client gives up or close(). */
  | { readonly kind: 'never-answers' };

export const answers = {
  ok: (): StandInAnswer => ({ kind: 'ok' }),
  slackError: (error: string): StandInAnswer => ({ kind: 'slack-error', error }),
  rateLimited: (retryAfterSeconds?: number): StandInAnswer =>
    retryAfterSeconds === undefined ? { kind: 'rate-limited' } : { kind: 'rate-limited', retryAfterSeconds },
  httpError: (status: number): StandInAnswer => ({ kind: 'http-error', status }),
  slow: (delayMs: number, then: StandInAnswer = { kind: 'ok' }): StandInAnswer => ({ kind: 'slow', delayMs, then }),
  neverAnswers: (): StandInAnswer => ({ kind: 'never-answers' }),
};

export interface StandInRule {
  /** Web API method, e.g. 'chat.postMessage'. @default any */
  readonly method?: string;
  /** Only requests for this channel. @default any */
  readonly channel?: string;
  /** true: only thread replies (with thread_ts); false: only top-level messages. @default both */
  readonly threadReply?: boolean;
  /** How many requests the rule answers before it is used up. @default Infinity */
  readonly times?: number;
}

export interface RecordedRequest {
  /** Web API method from the path, e.g. 'chat.postMessage'. */
  readonly method: string;
  readonly contentType: string;
  /** Whether an `Authorization: Bearer ...` header came with it (its value is not kept). */
  readonly hasAuthHeader: boolean;
  /** Decoded parameters, as Slack reads them. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly channel: string | undefined;
  readonly text: string | undefined;
  readonly blocks: unknown;
  readonly threadTs: string | undefined;
  /** The body exactly as sent, to check for things that must never be sent. */
  readonly rawBody: string;
  /** What the stand-in answered. */
  readonly answer: StandInAnswer['kind'];
  /** The `ts` given to a posted message. */
  readonly ts: string | undefined;
  /** The message metadata sent with a post or an update (`{ event_type, event_payload }`), decoded. */
  readonly metadata: unknown;
  /** `reply_broadcast` as Slack reads it (`true` or `"true"`), when it was sent. */
  readonly replyBroadcast: boolean | undefined;
  /** Milliseconds since the stand-in started. */
  readonly at: number;
}

export interface StartSlackStandInOptions {
  /**
   * When set, requests must carry this token (Bearer header or `token` parameter), else they get `not_authed`
   * (none) or `invalid_auth` (another), like Slack. @default any token accepted
   */
  readonly acceptToken?: string;
}

export interface SlackStandIn {
  /** Base URL for WebClient's `slackApiUrl`, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly apiUrl: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Messages Slack would show: successful chat.postMessage calls, optionally for one channel. */
  messages(channel?: string): RecordedRequest[];
  /** Successful chat.update calls, optionally for one channel. */
  updates(channel?: string): RecordedRequest[];
  /** A posted message as the channel shows it now (after any updates), or undefined when none has that ts. */
  message(channel: string, ts: string): ShownMessage | undefined;
  /** Adds a rule; returns the stand-in for chaining. */
  script(answer: StandInAnswer, rule?: StandInRule): SlackStandIn;
  /** Forgets recorded requests, posted messages and rules. */
  reset(): void;
  /** Forgets recorded requests only: the channel keeps its messages (e.g. an alert posted before the test acts). */
  clearRequests(): void;
  /** Stops listening and drops open connections (including never-answered ones). */
  close(): Promise<void>;
}

/** A message as a person (or conversations.history) sees it now. */
export interface ShownMessage {
  readonly text: unknown;
  readonly blocks: unknown;
  readonly metadata: unknown;
  readonly threadTs: string | undefined;
  /** Whether a chat.update changed it. */
  readonly edited: boolean;
}

/** Parameters Slack accepts as JSON-encoded strings in a form body. */
const JSON_PARAMS = new Set(['blocks', 'attachments', 'metadata']);

/** A message in a channel, as conversations.history and conversations.replies see it. */
interface StoredMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string | undefined;
  text: unknown;
  blocks: unknown;
  metadata: unknown;
  edited: boolean;
  /** When it shows in the channel (epoch ms): when the post's answer was sent. */
  readonly visibleAt: number;
}

export async function startSlackStandIn(options: StartSlackStandInOptions = {}): Promise<SlackStandIn> {
  const started = Date.now();
  const requests: RecordedRequest[] = [];
  let stored: StoredMessage[] = [];
  let rules: Array<{ answer: StandInAnswer; rule: StandInRule; left: number }> = [];
  const timers = new Set<NodeJS.Timeout>();
  let posted = 0;

  /** Messages of a channel visible now, newest first; only top-level ones, or one thread (parent first). */
  const visible = (params: Record<string, unknown>, method: string): StoredMessage[] => {
    const oldest = Number(params.oldest ?? 0);
    const at = Date.now();
    const inChannel = stored.filter(
      (message) => message.channel === params.channel && message.visibleAt <= at && Number(message.ts) > oldest,
    );
    if (method === 'conversations.replies') {
      return inChannel
        .filter((message) => message.ts === params.ts || message.threadTs === params.ts)
        .sort((a, b) => Number(a.ts) - Number(b.ts));
    }
    return inChannel.filter((message) => message.threadTs === undefined).sort((a, b) => Number(b.ts) - Number(a.ts));
  };

  const history = (method: string, params: Record<string, unknown>) => {
    const withMetadata = params.include_all_metadata === true || params.include_all_metadata === 'true';
    return {
      ok: true,
      messages: visible(params, method).map((message) => ({
        type: 'message',
        bot_id: 'B0STANDIN',
        ts: message.ts,
        text: message.text,
        ...(message.edited ? { edited: { user: 'U0STANDIN', ts: message.ts } } : {}),
        ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
        ...(withMetadata && message.metadata !== undefined ? { metadata: message.metadata } : {}),
      })),
      has_more: false,
    };
  };

  const chooseAnswer = (method: string, params: Record<string, unknown>, token: unknown): StandInAnswer => {
    const auth = authProblem(token);
    if (auth !== undefined) return { kind: 'slack-error', error: auth };
    for (const entry of rules) {
      const { rule } = entry;
      if (entry.left <= 0) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.channel !== undefined && rule.channel !== params.channel) continue;
      if (rule.threadReply !== undefined && rule.threadReply !== (params.thread_ts !== undefined)) continue;
      entry.left -= 1;
      return entry.answer;
    }
    return { kind: 'ok' };
  };

  /** The message chat.update names, among those posted (or being posted) so far. */
  const messageToUpdate = (params: Record<string, unknown>): StoredMessage | undefined =>
    stored.find((message) => message.channel === params.channel && message.ts === params.ts);

  /** Slack answers an update of a message it does not have with message_not_found, whatever else was scripted. */
  const forUpdate = (answer: StandInAnswer, params: Record<string, unknown>): StandInAnswer => {
    if (answer.kind === 'slow') return answers.slow(answer.delayMs, forUpdate(answer.then ?? answers.ok(), params));
    if (answer.kind !== 'ok' || messageToUpdate(params) !== undefined) return answer;
    return { kind: 'slack-error', error: 'message_not_found' };
  };

  const authProblem = (token: unknown): string | undefined => {
    if (options.acceptToken === undefined) return undefined;
    if (token === undefined) return 'not_authed';
    return token === options.acceptToken ? undefined : 'invalid_auth';
  };

  const respond = (
    response: ServerResponse,
    answer: StandInAnswer,
    method: string,
    params: Record<string, unknown>,
    ts: string | undefined,
  ) => {
    switch (answer.kind) {
      case 'ok':
        if (method === 'chat.postMessage' && ts !== undefined) {
          stored.push({
            channel: String(params.channel),
            ts,
            threadTs: typeof params.thread_ts === 'string' ? params.thread_ts : undefined,
            text: params.text,
            blocks: params.blocks,
            metadata: params.metadata,
            edited: false,
            visibleAt: Date.now(),
          });
        }
        if (method === 'chat.update') {
          const message = messageToUpdate(params);
          if (message === undefined) {
            if (response.destroyed) return;
            return sendJson(response, 200, { ok: false, error: 'message_not_found' });
          }
          message.text = params.text;
          message.blocks = params.blocks;
          if (params.metadata !== undefined) message.metadata = params.metadata;
          message.edited = true;
        }
        if (response.destroyed) return;
        if (method === 'conversations.history' || method === 'conversations.replies') {
          return sendJson(response, 200, history(method, params));
        }
        return sendJson(response, 200, successBody(method, params, ts));
      case 'slack-error':
        if (response.destroyed) return;
        return sendJson(response, 200, { ok: false, error: answer.error });
      case 'rate-limited':
        if (response.destroyed) return;
        response.writeHead(
          429,
          answer.retryAfterSeconds === undefined ? {} : { 'retry-after': String(answer.retryAfterSeconds) },
        );
        return response.end('rate limited');
      case 'http-error':
        if (response.destroyed) return;
        response.writeHead(answer.status, { 'content-type': 'text/plain' });
        return response.end(`stand-in answered ${answer.status}`);
      case 'slow': {
        // Slack finishes the work whether or not the client is still waiting for the answer.
        const timer = setTimeout(() => {
          timers.delete(timer);
          respond(response, answer.then ?? { kind: 'ok' }, method, params, ts);
        }, answer.delayMs);
        timers.add(timer);
        return;
      }
      case 'never-answers':
        return;
    }
  };

  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const rawBody = await readBody(request);
    const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const contentType = request.headers['content-type'] ?? '';
    const params = parseParams(contentType, rawBody);
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : params.token;
    const chosen = chooseAnswer(method, params, token);
    const answer = method === 'chat.update' ? forUpdate(chosen, params) : chosen;
    const finalAnswer = answer.kind === 'slow' ? (answer.then ?? { kind: 'ok' }) : answer;
    const ts = method === 'chat.postMessage' && finalAnswer.kind === 'ok' ? nextTs() : undefined;
    requests.push({
      method,
      contentType,
      hasAuthHeader: header !== undefined,
      params,
      channel: typeof params.channel === 'string' ? params.channel : undefined,
      text: typeof params.text === 'string' ? params.text : undefined,
      blocks: params.blocks,
      threadTs: typeof params.thread_ts === 'string' ? params.thread_ts : undefined,
      rawBody,
      answer: finalAnswer.kind,
      ts,
      metadata: params.metadata,
      replyBroadcast: params.reply_broadcast === undefined ? undefined : String(params.reply_broadcast) === 'true',
      at: Date.now() - started,
    });
    respond(response, answer, method, params, ts);
  });

  // Slack's ts is the post's time in epoch seconds, unique in the channel; history's `oldest` filters on it.
  const nextTs = () => {
    posted += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(posted).padStart(6, '0')}`;
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const standIn: SlackStandIn = {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    get requests() {
      return [...requests];
    },
    messages: (channel) =>
      requests.filter(
        (request) =>
          request.method === 'chat.postMessage' &&
          request.ts !== undefined &&
          (channel === undefined || request.channel === channel),
      ),
    updates: (channel) =>
      requests.filter(
        (request) =>
          request.method === 'chat.update' &&
          request.answer === 'ok' &&
          (channel === undefined || request.channel === channel),
      ),
    message(channel, ts) {
      const message = stored.find((candidate) => candidate.channel === channel && candidate.ts === ts);
      if (message === undefined) return undefined;
      const { text, blocks, metadata, threadTs, edited } = message;
      return { text, blocks, metadata, threadTs, edited };
    },
    script(answer, rule = {}) {
      rules.push({ answer, rule, left: rule.times ?? Number.POSITIVE_INFINITY });
      return standIn;
    },
    reset() {
      requests.length = 0;
      stored = [];
      rules = [];
    },
    clearRequests() {
      requests.length = 0;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
  return standIn;
}

function successBody(method: string, params: Record<string, unknown>, ts: string | undefined): object {
  if (method === 'chat.postMessage') {
    return {
      ok: true,
      channel: params.channel,
      ts,
      message: { type: 'message', text: params.text, ts, ...(params.thread_ts ? { thread_ts: params.thread_ts } : {}) },
    };
  }
  if (method === 'chat.update') {
    return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
  }
  if (method === 'auth.test') {
    return {
      ok: true,
      url: 'https://stand-in.slack.test/',
      team: 'Stand-in',
      user: 'relay-bot',
      team_id: 'T0STANDIN',
      user_id: 'U0STANDIN',
      bot_id: 'B0STANDIN',
    };
  }
  return { ok: true };
}

function parseParams(contentType: string, rawBody: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(rawBody);
      return typeof parsed === 'object' && parsed !== null ? { ...parsed } : {};
    } catch {
      return {};
    }
  }
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(rawBody)) {
    params[key] = JSON_PARAMS.has(key) ? decodeJson(value) : value;
  }
  return params;
}

function decodeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
