import { sharedSecretsProvider } from '../lambda/adapters/secrets-provider.js';
import { readSlackToken } from '../lambda/adapters/slack-token.js';
import { RelayError } from '../lambda/core/errors.js';
import { type SecretsStandIn, secretAnswers, startSecretsStandIn } from './support/secrets-stand-in.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const SECRET_ID = 'ec2-driver-relay/slack-bot-token';
const TOKEN = 'xoxb-1111-2222-SECRETPART';
const AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIASLACKTOKENTEST00',
  AWS_SECRET_ACCESS_KEY: 'slack-token-test-secret',
};
let secrets: SecretsStandIn;
const savedEnv = { ...process.env };

beforeAll(async () => {
  secrets = await startSecretsStandIn();
  Object.assign(process.env, AWS_ENV, { AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint });
});

afterAll(async () => {
  process.env = savedEnv;
  await secrets.close();
});

beforeEach(() => {
  secrets.reset();
  secrets.remove(SECRET_ID);
  sharedSecretsProvider().clearCache();
});

async function failureOf(promise: Promise<unknown>): Promise<RelayError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof RelayError)) throw new Error(`expected a RelayError, got ${String(outcome)}`);
  return outcome;
}

describe('reading the Slack bot token', () => {
  it('reads a secret that holds the token itself', async () => {
    secrets.put(SECRET_ID, `${TOKEN}\n`);

    await expect(readSlackToken(SECRET_ID)).resolves.toBe(TOKEN);
  });

  it('reads a secret that holds JSON with a token field', async () => {
    secrets.put(SECRET_ID, JSON.stringify({ token: TOKEN, note: 'bot' }));

    await expect(readSlackToken(SECRET_ID)).resolves.toBe(TOKEN);
  });

  it('reuses the token across invocations instead of reading Secrets Manager each time', async () => {
    secrets.put(SECRET_ID, TOKEN);

    await readSlackToken(SECRET_ID);
    await readSlackToken(SECRET_ID);

    expect(secrets.requests).toHaveLength(1);
  });

  it('reads Secrets Manager again when asked to, e.g. after Slack refused the cached token', async () => {
    secrets.put(SECRET_ID, 'xoxb-old');
    await readSlackToken(SECRET_ID);
    secrets.put(SECRET_ID, TOKEN);

    await expect(readSlackToken(SECRET_ID, { forceFetch: true })).resolves.toBe(TOKEN);
  });

  it('says how to fill a secret that has no value yet', async () => {
    secrets.script(SECRET_ID, secretAnswers.notFound());

    const failure = await failureOf(readSlackToken(SECRET_ID));

    expect(failure.code).toBe('secret-unavailable');
    expect(failure.message).toBe(
      `Could not read the Slack bot token secret ${SECRET_ID} (ResourceNotFoundException). Store the token with: aws secretsmanager put-secret-value --secret-id ${SECRET_ID} --secret-string 'xoxb-...'`,
    );
  });

  it('says which permission is missing when the function may not read the secret', async () => {
    secrets.script(SECRET_ID, secretAnswers.accessDenied());

    const failure = await failureOf(readSlackToken(SECRET_ID));

    expect(failure.code).toBe('secret-unavailable');
    expect(failure.message).toContain(`secretsmanager:GetSecretValue on ${SECRET_ID}`);
  });

  it('refuses an empty secret, naming it and how to fill it', async () => {
    secrets.put(SECRET_ID, '  \n');

    const failure = await failureOf(readSlackToken(SECRET_ID));

    expect(failure.code).toBe('secret-unavailable');
    expect(failure.message).toContain(`The Slack bot token secret ${SECRET_ID} is empty.`);
    expect(failure.message).toContain(`aws secretsmanager put-secret-value --secret-id ${SECRET_ID}`);
  });

  it('refuses JSON without a token field and does not repeat the secret', async () => {
    secrets.put(SECRET_ID, JSON.stringify({ bot_token: TOKEN }));

    const failure = await failureOf(readSlackToken(SECRET_ID));

    expect(failure.message).toContain('is JSON without a non-empty "token" field');
    expect(failure.message).not.toContain('SECRETPART');
  });

  it('refuses broken JSON without quoting it', async () => {
    secrets.put(SECRET_ID, `{"token": "${TOKEN}"`);

    const failure = await failureOf(readSlackToken(SECRET_ID));

    expect(failure.message).toContain('is not valid JSON');
    expect(`${failure.message} ${String(failure.cause)}`).not.toContain('SECRETPART');
  });
});
