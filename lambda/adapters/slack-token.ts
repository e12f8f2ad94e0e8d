import { RelayError } from '../core/errors.js';
import { AwsApiError } from './aws-json-api.js';
import { sharedSecretsProvider } from './secrets-provider.js';
import { slackTokenProblem } from './slack-token-form.js';

export interface ReadSlackTokenOptions {
  /**
   * Seconds a read token is reused across warm invocations. An unusable value is cached just the same, so a
   * fixed secret takes effect within this time. @default 300
   */
  readonly maxAgeSeconds?: number;
  /** Read the secret even if a cached copy is fresh (e.g. after Slack answered invalid_auth). @default false */
  readonly forceFetch?: boolean;
}

/**
 * Reads the Slack bot token from Secrets Manager. The secret holds either the token itself (`xoxb-...`) or JSON
 * `{"token": "xoxb-..."}`; whitespace around it (a trailing newline) is dropped.
 *
 * Throws RelayError 'secret-unavailable' when the secret cannot be read, is empty, holds no token, or holds one
 * without a Slack token's form (a line break or a space inside, the wrong prefix: see slack-token-form.ts). A
 * malformed token is refused here, before it is sent anywhere: fetch refuses a header with a line break by quoting
 * it, token and all, in its error. The message names the secret, what is wrong and how to fill it, and never
 * contains the value (nor a JSON parser's message, which would quote it).
 */
export async function readSlackToken(secretId: string, options: ReadSlackTokenOptions = {}): Promise<string> {
  const { maxAgeSeconds = 300, forceFetch = false } = options;
  let value: unknown;
  try {
    value = await sharedSecretsProvider().get(secretId, { maxAge: maxAgeSeconds, forceFetch });
  } catch (error) {
    const name = awsErrorName(error);
    throw new RelayError(
      'secret-unavailable',
      `Could not read the Slack bot token secret ${secretId} (${name}). ${advice(secretId, name)}`,
      {
        cause: error,
      },
    );
  }
  const token = tokenFrom(value);
  if (token.kind === 'token') return token.token;
  throw new RelayError(
    'secret-unavailable',
    `The Slack bot token secret ${secretId} ${token.problem}. ${fillIn(secretId)}`,
  );
}

type TokenRead = { kind: 'token'; token: string } | { kind: 'unusable'; problem: string };

function tokenFrom(value: unknown): TokenRead {
  const text = (
    value instanceof Uint8Array ? new TextDecoder().decode(value) : typeof value === 'string' ? value : ''
  ).trim();
  if (text === '') return { kind: 'unusable', problem: 'is empty' };
  if (!text.startsWith('{')) return checked(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'unusable', problem: 'starts with "{" but is not valid JSON' };
  }
  const token = typeof parsed === 'object' && parsed !== null && 'token' in parsed ? parsed.token : undefined;
  if (typeof token === 'string' && token.trim() !== '') return checked(token.trim());
  return { kind: 'unusable', problem: 'is JSON without a non-empty "token" field' };
}

function checked(token: string): TokenRead {
  const problem = slackTokenProblem(token);
  return problem === undefined ? { kind: 'token', token } : { kind: 'unusable', problem };
}

/** Powertools wraps the AwsApiError, whose code is AWS's name for what went wrong. */
function awsErrorName(error: unknown): string {
  const inner = error instanceof Error && error.cause instanceof AwsApiError ? error.cause : error;
  return inner instanceof AwsApiError ? inner.code : 'UnknownError';
}

function advice(secretId: string, name: string): string {
  if (name === 'AccessDeniedException') {
    return `Grant the function's role secretsmanager:GetSecretValue on ${secretId} (and kms:Decrypt on its key if it has one).`;
  }
  return fillIn(secretId);
}

function fillIn(secretId: string): string {
  return `Store the token with: aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string 'xoxb-...'`;
}
