import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import { type AwsJsonCall, awsJsonApi, SECRETS_MANAGER } from './aws-json-api.js';

/**
 * Powertools Parameters' caching (maxAge, forceFetch) over Secrets Manager's GetSecretValue sent by awsJsonApi,
 * instead of Powertools' own SecretsProvider, which needs the AWS SDK client (see aws-json-api.ts for why not).
 * A failed read rejects with Powertools' GetParameterError, its `cause` the AwsApiError naming what AWS answered.
 */
export class SecretsManagerProvider extends BaseProvider {
  readonly #secretsManager: AwsJsonCall;

  /** @param secretsManager @default awsJsonApi(SECRETS_MANAGER): the function's region and credentials */
  constructor(secretsManager: AwsJsonCall = awsJsonApi(SECRETS_MANAGER)) {
    super({});
    this.#secretsManager = secretsManager;
  }

  /** The secret's string, or its binary value (base64 on the wire). */
  protected async _get(name: string): Promise<string | Uint8Array | undefined> {
    const { SecretString, SecretBinary } = await this.#secretsManager('GetSecretValue', { SecretId: name });
    if (typeof SecretString === 'string') return SecretString;
    if (typeof SecretBinary === 'string') return new Uint8Array(Buffer.from(SecretBinary, 'base64'));
    return undefined;
  }

  protected _getMultiple(): Promise<Record<string, unknown> | undefined> {
    return Promise.reject(new Error('SecretsManagerProvider reads one secret at a time'));
  }
}

let shared: SecretsManagerProvider | undefined;

/** One provider per container, so its cache outlives an invocation, as Powertools' getSecret does with its own. */
export function sharedSecretsProvider(): SecretsManagerProvider {
  shared ??= new SecretsManagerProvider();
  return shared;
}
