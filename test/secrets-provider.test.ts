import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import { AwsApiError } from '../lambda/adapters/aws-json-api.js';
import { SecretsManagerProvider } from '../lambda/adapters/secrets-provider.js';

describe('the Secrets Manager provider', () => {
  it('reads a secret stored as binary', async () => {
    const provider = new SecretsManagerProvider(async () => ({
      SecretBinary: Buffer.from('xoxb-binary').toString('base64'),
    }));

    const value = await provider.get('relay/slack-bot-token');

    expect(new TextDecoder().decode(value as Uint8Array)).toBe('xoxb-binary');
  });

  it('keeps a read value for maxAge seconds and reads again when forced', async () => {
    const calls: unknown[] = [];
    const provider = new SecretsManagerProvider(async (_operation, input) => {
      calls.push(input);
      return { SecretString: `xoxb-${calls.length}` };
    });

    await provider.get('relay/slack-bot-token', { maxAge: 300 });
    const cached = await provider.get('relay/slack-bot-token', { maxAge: 300 });
    const forced = await provider.get('relay/slack-bot-token', { maxAge: 300, forceFetch: true });

    expect([cached, forced]).toEqual(['xoxb-1', 'xoxb-2']);
    expect(calls).toEqual([{ SecretId: 'relay/slack-bot-token' }, { SecretId: 'relay/slack-bot-token' }]);
  });

  it("rejects with Powertools' GetParameterError caused by what AWS answered", async () => {
    const denied = new AwsApiError(
      'AccessDeniedException',
      'secretsmanager GetSecretValue: AccessDeniedException',
      400,
    );
    const provider = new SecretsManagerProvider(() => Promise.reject(denied));

    const error = await provider.get('relay/slack-bot-token').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GetParameterError);
    expect((error as Error).cause).toBe(denied);
  });
});
