import { AwsClient } from 'aws4fetch';

/**
 * Calls to the two AWS APIs every cold start needs (DynamoDB for the delivery records, Secrets Manager for the Slack
 * token), signed with SigV4 by aws4fetch and sent with Node's fetch, which the Slack client loads anyway.
 *
 * Why not the AWS SDK: loading its shared core and making the first request with it was the largest part of a cold
 * start (npm run bench: about 45% of the CPU time over a bare node for one event, 150 ms on this machine), while
 * both APIs are one JSON POST each. The SDK still serves the paths that are not on every cold start (SNS for email).
 */

/** One AWS service that speaks the JSON protocol (a POST of the input, `X-Amz-Target` naming the operation). */
export interface AwsJsonService {
  /** SigV4 signing name and endpoint prefix, e.g. 'dynamodb'. */
  readonly signingName: string;
  /** X-Amz-Target before the operation name, e.g. 'DynamoDB_20120810'. */
  readonly targetPrefix: string;
  readonly contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1';
  /** The variable AWS's SDKs and CLI read for this service's endpoint, e.g. AWS_ENDPOINT_URL_DYNAMODB. */
  readonly endpointVariable: string;
}

export const DYNAMODB: AwsJsonService = {
  signingName: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810',
  contentType: 'application/x-amz-json-1.0',
  endpointVariable: 'AWS_ENDPOINT_URL_DYNAMODB',
};

export const SECRETS_MANAGER: AwsJsonService = {
  signingName: 'secretsmanager',
  targetPrefix: 'secretsmanager',
  contentType: 'application/x-amz-json-1.1',
  endpointVariable: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
};

/** Sends one operation and resolves to the service's JSON answer; rejects with AwsApiError. */
export type AwsJsonCall = (operation: string, input: object) => Promise<Record<string, unknown>>;

/**
 * An AWS answer other than success, or no answer. `code` is AWS's error name (ConditionalCheckFailedException,
 * AccessDeniedException, ...) or 'NetworkError' / 'TimeoutError' when no answer came.
 */
export class AwsApiError extends Error {
  override readonly name = 'AwsApiError';
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status, or undefined when no answer came. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface AwsJsonApiOptions {
  /**
   * Region, credentials and endpoint. Lambda puts the function role's credentials into AWS_ACCESS_KEY_ID,
   * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and the region into AWS_REGION; nothing else runs this code.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Whole call, retries included. @default 10000 */
  readonly timeoutMs?: number;
  /** Further attempts after a 5xx or 429 answer, with jittered exponential backoff (aws4fetch's). @default 2 */
  readonly retries?: number;
}

/**
 * Retry policy, as the SDK's standard mode for these cases: 5xx and 429 answers are retried (`retries` times).
 * Everything else rejects at once with AwsApiError, and the caller's failure makes the event retried: a 4xx
 * (a refused condition, missing permissions, throttling), no answer within `timeoutMs`, or a network error.
 * Credentials and region are read when the first call is made, so a function missing them fails loudly there.
 */
export function awsJsonApi(service: AwsJsonService, options: AwsJsonApiOptions = {}): AwsJsonCall {
  const { env = process.env, timeoutMs = 10_000, retries = 2 } = options;
  let client: { aws: AwsClient; endpoint: string } | undefined;
  const connect = () => {
    const { AWS_REGION: region, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
    if (!region || !accessKeyId || !secretAccessKey) {
      throw new AwsApiError(
        'CredentialsMissing',
        'AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set',
      );
    }
    const aws = new AwsClient({
      accessKeyId,
      secretAccessKey,
      sessionToken: env.AWS_SESSION_TOKEN,
      region,
      service: service.signingName,
      retries,
    });
    const endpoint =
      env[service.endpointVariable] ?? env.AWS_ENDPOINT_URL ?? `https://${service.signingName}.${region}.amazonaws.com`;
    return { aws, endpoint };
  };

  return async (operation, input) => {
    client ??= connect();
    const { aws, endpoint } = client;
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await aws.fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': service.contentType, 'X-Amz-Target': `${service.targetPrefix}.${operation}` },
        body: JSON.stringify(input),
        signal,
      });
      text = await response.text();
    } catch (error) {
      const timedOut = signal.aborted;
      throw new AwsApiError(
        timedOut ? 'TimeoutError' : 'NetworkError',
        `${service.signingName} ${operation}: ${timedOut ? `no answer within ${timeoutMs} ms` : 'request failed'}`,
        undefined,
        { cause: error },
      );
    }
    const body = parseJson(text);
    if (response.ok && body !== undefined) return body;
    throw errorOf(service, operation, response, body);
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * AWS names the error in `__type` (e.g. `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`) or in
 * the `x-amzn-errortype` header (`AccessDeniedException:http://internal.amazon.com/...`); the name is the part after
 * '#' and before ':'.
 */
function errorOf(
  service: AwsJsonService,
  operation: string,
  response: Response,
  body: Record<string, unknown> | undefined,
): AwsApiError {
  const type = String(body?.__type ?? response.headers.get('x-amzn-errortype') ?? '');
  const code = type.split('#').pop()?.split(':')[0] || (response.ok ? 'InvalidResponse' : `Http${response.status}`);
  const detail = body?.message ?? body?.Message;
  return new AwsApiError(
    code,
    `${service.signingName} ${operation}: ${code} (HTTP ${response.status})${typeof detail === 'string' ? `: ${detail}` : ''}`,
    response.status,
  );
}
