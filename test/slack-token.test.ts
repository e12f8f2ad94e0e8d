import { sharedSecretsProvider } from '../lambda/adapters/secrets-provider.js';
import { readSlackToken } from '../lambda/adapters/slack-token.js';
import { RelayError } from '../lambda/core/errors.js';
import { rejectionOf } from './support/rejection.js';
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

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, RelayError);

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

describe('refusing a secret that does not hold a Slack token, without repeating it', () => {
  // A token with a CR/LF inside made fetch refuse the Authorization header and quote it, token and all, in an
  // error that reached the logs and the failure queue.
  const MALFORMED: readonly { name: string; secret: string; problem: string }[] = [
    {
      name: 'a line break (CR/LF) inside the token',
      secret: 'xoxb-1111-2222\r\nSECRETPART',
      problem: 'has a line break (CR or LF) inside the token',
    },
    { name: 'a bare LF inside the token', secret: 'xoxb-1111-2222\nSECRETPART', problem: 'has a line break' },
    {
      name: 'a space inside the token',
      secret: 'xoxb-1111-2222 SECRETPART',
      problem: 'has whitespace inside the token',
    },
    {
      name: 'a tab inside the token',
      secret: 'xoxb-1111-2222\tSECRETPART',
      problem: 'has whitespace inside the token',
    },
    {
      name: 'an "Authorization" value instead of the token',
      secret: 'Bearer xoxb-1111-2222-SECRETPART',
      problem: 'has whitespace',
    },
    {
      name: 'an app-level token (xapp-), which cannot post',
      secret: 'xapp-1-A0111-2222-SECRETPART',
      problem: 'does not start like a Slack token that can post (xoxb- for a bot token',
    },
    {
      name: 'something that is not a Slack token at all',
      secret: '8f14e45fceea167a5a36dedd4bea2543SECRETPART',
      problem: 'does not start like a Slack token that can post',
    },
    {
      name: 'a control character inside the token',
      secret: 'xoxb-1111-2222\u0000SECRETPART',
      problem: 'has a control character inside the token',
    },
    {
      name: 'characters a Slack token never has',
      secret: 'xoxb-1111-2222-SECRET"PART',
      problem: 'has characters a Slack token never has',
    },
  ];

  it.each(MALFORMED)('refuses $name, naming the secret and the problem', async ({ secret, problem }) => {
    secrets.put(SECRET_ID, secret);

    const failure = await failureOf(readSlackToken(SECRET_ID));

    expect(failure.code).toBe('secret-unavailable');
    expect(failure.message).toContain(`The Slack bot token secret ${SECRET_ID} ${problem}`);
    expect(failure.message).toContain(`aws secretsmanager put-secret-value --secret-id ${SECRET_ID}`);
    expect(`${failure.message} ${String(failure.cause)}`).not.toContain('SECRETPART');
  });

  it('refuses a line break inside the token field of a JSON secret', async () => {
    secrets.put(SECRET_ID, JSON.stringify({ token: 'xoxb-1111\r\nSECRETPART' }));

    const failure = await failureOf(readSlackToken(SECRET_ID));

    expect(failure.message).toContain('has a line break (CR or LF) inside the token');
    expect(failure.message).not.toContain('SECRETPART');
  });

  it.each([
    ['a bot token', 'xoxb-1111-2222-AbCdEf'],
    ['a user token', 'xoxp-1111-2222-3333-AbCdEf'],
    ['a rotating bot token', 'xoxe.xoxb-1-AbCdEf'],
  ])('accepts %s', async (_kind, token) => {
    secrets.put(SECRET_ID, `${token}\n`);

    await expect(readSlackToken(SECRET_ID)).resolves.toBe(token);
  });
});
