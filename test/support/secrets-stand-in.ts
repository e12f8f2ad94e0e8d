/**
 * An AWS Secrets Manager stand-in on 127.0.0.1 for the relay's signed GetSecretValue call (aws-json-api.ts, under
 * the Slack token's SecretsManagerProvider).
 *
 *   const secrets = await startSecretsStandIn({ secrets: { 'relay/slack-bot-token': 'xoxb-test' } });
 *   process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;  // read at the first call
 *   secrets.script('relay/slack-bot-token', secretAnswers.accessDenied(), { times: 1 });
 *   ... exercise the code ...
 *   expect(secrets.requests).toHaveLength(1);
 *   await secrets.close();
 *
 * It speaks Secrets Manager's JSON 1.1 protocol: POST / with `X-Amz-Target: secretsmanager.GetSecretValue` and a
 * body `{"SecretId": ...}`; errors are status 4xx/5xx with `{"__type", "message"}`, which the relay reads as an
 * AwsApiError with that code. A secret is found by its name or by the ARN the stand-in gives it. Signatures are not
 * checked. Only GetSecretValue is served; any other operation gets UnknownOperationException.
 *
 * Requests are recorded without the answer's value, and nothing here prints a secret: a test may assert that the
 * token appears nowhere, and the stand-in must not be the thing that leaks it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SecretAnswer =
  /** The stored value (or ResourceNotFoundException when nothing is stored under the id). */
  | { readonly kind: 'value' }
  /** An AWS error as the service sends it, e.g. ResourceNotFoundException with status 400. */
  | { readonly kind: 'aws-error'; readonly type: string; readonly message: string; readonly status: number }
  /** Waits, then answers `then` (default the stored value). */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly then?: SecretAnswer }
  /** Reads the request and never answers; the connection stays open until the client gives up or close(). */
  | { readonly kind: 'never-answers' };

export const secretAnswers = {
  value: (): SecretAnswer => ({ kind: 'value' }),
  awsError: (type: string, message: string, status = 400): SecretAnswer => ({
    kind: 'aws-error',
    type,
    message,
    status,
  }),
  notFound: (): SecretAnswer => secretAnswers.awsError('ResourceNotFoundException', NOT_FOUND_MESSAGE),
  accessDenied: (): SecretAnswer =>
    secretAnswers.awsError(
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/relay/relay is not authorized to perform: secretsmanager:GetSecretValue',
    ),
  /** Retried by the caller (5xx). */
  internalError: (): SecretAnswer =>
    secretAnswers.awsError('InternalServiceError', 'An error occurred on the server side.', 500),
  slow: (delayMs: number, then: SecretAnswer = { kind: 'value' }): SecretAnswer => ({ kind: 'slow', delayMs, then }),
  neverAnswers: (): SecretAnswer => ({ kind: 'never-answers' }),
};

const NOT_FOUND_MESSAGE = "Secrets Manager can't find the specified secret.";

export interface SecretRule {
  /** How many requests for the secret the rule answers before it is used up. @default Infinity */
  readonly times?: number;
}

export interface RecordedSecretRequest {
  /** The operation from X-Amz-Target, e.g. 'GetSecretValue'. */
  readonly operation: string;
  /** SecretId as sent: a name or an ARN. */
  readonly secretId: string | undefined;
  /** Whether the request was SigV4-signed (an Authorization header came with it; its value is not kept). */
  readonly signed: boolean;
  /** What the stand-in answered: 'value' or the AWS error type. */
  readonly answer: string;
  /** Milliseconds since the stand-in started. */
  readonly at: number;
}

export interface StartSecretsStandInOptions {
  /** Secrets present from the start: name to SecretString. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Region and account in the ARNs the stand-in gives secrets. @default us-east-1, 123456789012 */
  readonly region?: string;
  readonly account?: string;
}

export interface SecretsStandIn {
  /** For AWS_ENDPOINT_URL_SECRETS_MANAGER or a client's `endpoint`, e.g. `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedSecretRequest[];
  /** Stores (or replaces, as a new version) a secret's value. */
  put(name: string, secretString: string): SecretsStandIn;
  /** Deletes a secret: reads then get ResourceNotFoundException. */
  remove(name: string): SecretsStandIn;
  /** The ARN of a stored secret (name plus a random-looking suffix, as AWS makes them). */
  arnOf(name: string): string;
  /** Adds a rule for one secret (name or ARN); rules are checked in the order added. */
  script(secretId: string, answer: SecretAnswer, rule?: SecretRule): SecretsStandIn;
  /** Forgets recorded requests and rules; stored secrets stay. */
  reset(): void;
  close(): Promise<void>;
}

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly secretString: string;
  readonly versionId: string;
  readonly createdDate: number;
}

export async function startSecretsStandIn(options: StartSecretsStandInOptions = {}): Promise<SecretsStandIn> {
  const { region = 'us-east-1', account = '123456789012' } = options;
  const started = Date.now();
  const stored = new Map<string, StoredSecret>();
  const requests: RecordedSecretRequest[] = [];
  let rules: Array<{ name: string; answer: SecretAnswer; left: number }> = [];
  const timers = new Set<NodeJS.Timeout>();
  let versions = 0;

  const arnOf = (name: string) => `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffixFor(name)}`;

  /** Resolves a SecretId (name or ARN, full or without the suffix) to the secret's name. */
  const nameOf = (secretId: string): string => {
    for (const secret of stored.values()) if (secret.arn === secretId) return secret.name;
    const partial = /^arn:aws[a-z-]*:secretsmanager:[^:]+:\d+:secret:(.+)$/.exec(secretId);
    return partial?.[1] ?? secretId;
  };

  const chooseAnswer = (name: string): SecretAnswer => {
    for (const entry of rules) {
      if (entry.left <= 0 || entry.name !== name) continue;
      entry.left -= 1;
      return entry.answer;
    }
    return { kind: 'value' };
  };

  const respond = (response: ServerResponse, answer: SecretAnswer, name: string) => {
    switch (answer.kind) {
      case 'value': {
        const secret = stored.get(name);
        if (secret === undefined) {
          return sendAwsError(response, 400, 'ResourceNotFoundException', NOT_FOUND_MESSAGE);
        }
        return sendJson(response, 200, {
          ARN: secret.arn,
          Name: secret.name,
          SecretString: secret.secretString,
          VersionId: secret.versionId,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: secret.createdDate,
        });
      }
      case 'aws-error':
        return sendAwsError(response, answer.status, answer.type, answer.message);
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!response.destroyed) respond(response, answer.then ?? { kind: 'value' }, name);
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
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.replace(/^secretsmanager\./, '');
    const secretId = secretIdFrom(rawBody);
    const signed = request.headers.authorization !== undefined;
    if (request.method !== 'POST' || operation !== 'GetSecretValue') {
      requests.push({ operation, secretId, signed, answer: 'UnknownOperationException', at: Date.now() - started });
      return sendAwsError(response, 400, 'UnknownOperationException', `The stand-in does not serve ${target}.`);
    }
    if (secretId === undefined) {
      requests.push({ operation, secretId, signed, answer: 'InvalidParameterException', at: Date.now() - started });
      return sendAwsError(response, 400, 'InvalidParameterException', 'SecretId is required.');
    }
    const name = nameOf(secretId);
    const answer = chooseAnswer(name);
    requests.push({
      operation,
      secretId,
      signed,
      answer: recordedAnswer(answer, stored.has(name)),
      at: Date.now() - started,
    });
    respond(response, answer, name);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const standIn: SecretsStandIn = {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return [...requests];
    },
    put(name, secretString) {
      versions += 1;
      stored.set(name, {
        name,
        arn: arnOf(name),
        secretString,
        versionId: `00000000-0000-4000-8000-${String(versions).padStart(12, '0')}`,
        createdDate: Math.floor(Date.now() / 1000),
      });
      return standIn;
    },
    remove(name) {
      stored.delete(name);
      return standIn;
    },
    arnOf,
    script(secretId, answer, rule = {}) {
      rules.push({ name: nameOf(secretId), answer, left: rule.times ?? Number.POSITIVE_INFINITY });
      return standIn;
    },
    reset() {
      requests.length = 0;
      rules = [];
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
  for (const [name, value] of Object.entries(options.secrets ?? {})) standIn.put(name, value);
  return standIn;
}

/** What the request ends up answered, for the record: a slow answer is recorded as what it finally sends. */
function recordedAnswer(answer: SecretAnswer, exists: boolean): string {
  switch (answer.kind) {
    case 'value':
      return exists ? 'value' : 'ResourceNotFoundException';
    case 'aws-error':
      return answer.type;
    case 'slow':
      return recordedAnswer(answer.then ?? { kind: 'value' }, exists);
    case 'never-answers':
      return 'never-answers';
  }
}

/** AWS appends six random characters to a secret's ARN; derived from the name so an ARN is stable in a test. */
function suffixFor(name: string): string {
  let hash = 7;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash.toString(36).slice(-6).padStart(6, 'a');
}

function secretIdFrom(rawBody: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    if (typeof parsed === 'object' && parsed !== null && 'SecretId' in parsed && typeof parsed.SecretId === 'string') {
      return parsed.SecretId;
    }
  } catch {
    // An unreadable body is answered like a missing SecretId.
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': `stand-in-${Date.now()}`,
  });
  response.end(JSON.stringify(body));
}

function sendAwsError(response: ServerResponse, status: number, type: string, message: string): void {
  sendJson(response, status, { __type: type, message });
}
