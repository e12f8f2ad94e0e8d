import { AwsApiError, awsJsonApi, SECRETS_MANAGER } from '../lambda/adapters/aws-json-api.js';
import { rejectionOf } from './support/rejection.js';
import { type SecretsStandIn, secretAnswers, startSecretsStandIn } from './support/secrets-stand-in.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

const apiRejection = (promise: Promise<unknown>) => rejectionOf(promise, AwsApiError);

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const SECRET_ID = 'relay/slack-bot-token';
let secrets: SecretsStandIn;

beforeAll(async () => {
  secrets = await startSecretsStandIn({ secrets: { [SECRET_ID]: 'xoxb-aws-json-api' } });
});

afterAll(() => secrets.close());

beforeEach(() => secrets.reset());

const api = (options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) =>
  awsJsonApi(SECRETS_MANAGER, {
    env: options.env ?? {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAAWSJSONAPITEST00',
      AWS_SECRET_ACCESS_KEY: 'aws-json-api-test-secret',
      AWS_SESSION_TOKEN: 'aws-json-api-session',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });

describe('calling an AWS JSON API', () => {
  it('sends a signed request for the operation and resolves to the answer', async () => {
    const answer = await api()('GetSecretValue', { SecretId: SECRET_ID });

    expect(answer).toMatchObject({ Name: SECRET_ID, SecretString: 'xoxb-aws-json-api' });
    expect(secrets.requests).toEqual([expect.objectContaining({ operation: 'GetSecretValue', signed: true })]);
  });

  it('retries an answer of 500 and resolves once the service recovers', async () => {
    secrets.script(SECRET_ID, secretAnswers.internalError(), { times: 1 });

    await expect(api()('GetSecretValue', { SecretId: SECRET_ID })).resolves.toMatchObject({ Name: SECRET_ID });
    expect(secrets.requests.map((request) => request.answer)).toEqual(['InternalServiceError', 'value']);
  });

  it("rejects a 4xx answer at once, with AWS's name for the error", async () => {
    secrets.script(SECRET_ID, secretAnswers.accessDenied());

    const error = await apiRejection(api()('GetSecretValue', { SecretId: SECRET_ID }));

    expect(error).toMatchObject({ code: 'AccessDeniedException', status: 400 });
    expect(error.message).toContain('secretsmanager GetSecretValue: AccessDeniedException (HTTP 400)');
    expect(secrets.requests).toHaveLength(1);
  });

  it('gives up when the service does not answer within the timeout', async () => {
    secrets.script(SECRET_ID, secretAnswers.neverAnswers());

    const error = await apiRejection(api({ timeoutMs: 100 })('GetSecretValue', { SecretId: SECRET_ID }));

    expect(error.code).toBe('TimeoutError');
  });

  it('refuses to send anything without a region and credentials', async () => {
    const error = await apiRejection(api({ env: { AWS_REGION: 'us-east-1' } })('GetSecretValue', { SecretId: 'x' }));

    expect(error.code).toBe('CredentialsMissing');
    expect(secrets.requests).toHaveLength(0);
  });
});
