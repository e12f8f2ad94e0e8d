import { WebAPIPlatformError } from '@slack/web-api';
import { createSlackClient, type LogSink, type SlackClient } from './adapters/slack-client.js';
import { slackDestination } from './adapters/slack-destination.js';
import { isBadTokenError } from './adapters/slack-errors.js';
import { readSlackToken } from './adapters/slack-token.js';
import { redactErrorChain } from './adapters/slack-token-form.js';
import type { FunctionConfig } from './config.js';
import { RelayError } from './core/errors.js';
import type { Destination } from './ports.js';

export interface DestinationOptions {
  /** Where the Slack client's own log lines go. @default console */
  readonly logger?: LogSink;
  /** Reads the Slack bot token. @default readSlackToken(config.slackTokenSecretId) from Secrets Manager */
  readonly slackToken?: () => Promise<string>;
}

/**
 * One destination per configured Slack channel, plus the email topic.
 *
 * The token and the SNS client are fetched when a destination first sends or amends, not here: a token that cannot be read
 * fails the Slack destinations of that invocation only (RelayError 'secret-unavailable', so the event is retried)
 * while email still goes out, and a cold start that only posts to Slack never loads the SNS client.
 */
export function createDestinations(
  config: Pick<FunctionConfig, 'slackChannels' | 'slackTokenSecretId' | 'slackApiUrl' | 'emailTopicArn'>,
  options: DestinationOptions = {},
): Destination[] {
  const destinations: Destination[] = [];
  const { slackTokenSecretId, emailTopicArn } = config;
  if (config.slackChannels.length > 0) {
    // Channels are served concurrently: they share one read in flight, so a cold start asks Secrets Manager once.
    // After Slack refuses the token, the next read skips the cache: the fix is a new token in the secret, and
    // SQS's next receives (minutes later) would otherwise reuse the refused one until the cache expires,
    // sending the event to the dead-letter queue although the token was already replaced.
    let tokenRefused = false;
    let inFlight: Promise<string> | undefined;
    const readToken =
      options.slackToken ??
      (() => {
        if (slackTokenSecretId === null) throw new Error('slack channels configured without a token secret');
        if (inFlight === undefined || tokenRefused) {
          const forceFetch = tokenRefused;
          tokenRefused = false;
          const read = readSlackToken(slackTokenSecretId, { forceFetch }).finally(() => {
            if (inFlight === read) inFlight = undefined;
          });
          inFlight = read;
        }
        return inFlight;
      });
    const slackClient = cachedByToken(readToken, (token) =>
      createSlackClient(token, {
        ...(config.slackApiUrl ? { apiUrl: config.slackApiUrl } : {}),
        ...(options.logger ? { log: options.logger } : {}),
      }),
    );
    for (const channel of config.slackChannels) {
      // Sends and amends alike: a refused token is read again next time, and nothing thrown carries a token.
      const inChannel = async <T>(act: (destination: Destination) => Promise<T>): Promise<T> => {
        try {
          return await act(
            slackDestination(await slackClient(), channel, options.logger ? { log: options.logger } : {}),
          );
        } catch (error) {
          if (isTokenRefusal(error)) tokenRefused = true;
          throw redactErrorChain(error);
        }
      };
      destinations.push({
        id: `slack:${channel}`,
        send: (alert, context) => inChannel((destination) => destination.send(alert, context)),
        amend: (amendment, context) => inChannel((destination) => destination.amend(amendment, context)),
      });
    }
  }
  if (emailTopicArn !== null) {
    let sns: Promise<Destination> | undefined;
    const email = (): Promise<Destination> => {
      sns ??= emailDestinationFor(emailTopicArn).catch((error: unknown) => {
        sns = undefined;
        throw error;
      });
      return sns;
    };
    destinations.push({
      id: `email:${emailTopicArn}`,
      send: async (alert, context) => (await email()).send(alert, context),
      amend: async (amendment, context) => (await email()).amend(amendment, context),
    });
  }
  return destinations;
}

async function emailDestinationFor(topicArn: string): Promise<Destination> {
  const [{ SNSClient }, { emailDestination }] = await Promise.all([
    import('@aws-sdk/client-sns'),
    import('./adapters/email-destination.js'),
  ]);
  return emailDestination(new SNSClient({}), topicArn);
}

/** Reuses one WebClient while the token stays the same; a rotated token gets a new client. */
function cachedByToken(readToken: () => Promise<string>, create: (token: string) => SlackClient) {
  let current: { token: string; client: SlackClient } | undefined;
  return async (): Promise<SlackClient> => {
    const token = await readToken();
    if (current?.token !== token) current = { token, client: create(token) };
    return current.client;
  };
}

function isTokenRefusal(error: unknown): boolean {
  return (
    error instanceof RelayError && error.cause instanceof WebAPIPlatformError && isBadTokenError(error.cause.data.error)
  );
}
