import * as z from 'zod/mini';
import { RelayError } from './core/errors.js';

/** The function's configuration, read once from its environment. The Slack token is never one of these. */
export interface RelayConfig {
  /** Slack channel IDs to post to; empty when Slack is not configured. */
  readonly slackChannels: readonly string[];
  /** Secrets Manager secret (name or ARN) holding the Slack bot token; set whenever slackChannels is. */
  readonly slackTokenSecretId: string | null;
  /** Overrides the Slack Web API base URL (a local stand-in in tests). */
  readonly slackApiUrl: string | null;
  /** The stack's SNS topic whose subscribers receive the email alerts. */
  readonly emailTopicArn: string | null;
  /** The topic the relay serves: a notification from any other topic is refused (logged, counted, not sent). */
  readonly driverTopicArn: string;
  /** DynamoDB table recording deliveries, so a redelivered event is not posted twice. */
  readonly deliveryTableName: string;
  /** Read the history pages live (with the bundled snapshot as fallback). */
  readonly liveChangelog: boolean;
  /** Regions whose SSM Inventory release and rollback alerts are compared with; empty when fleet impact is off. */
  readonly fleetRegions: readonly string[];
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;
/** An AWS region name; the stack's context check (lib/app-config.ts) uses the same one. */
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** Comma-separated Slack channel IDs; throws RelayError 'invalid-config' naming SLACK_CHANNELS. */
export function parseSlackChannels(value: string | undefined): string[] {
  const channels = list(value);
  const bad = channels.filter((channel) => !CHANNEL_ID.test(channel));
  if (bad.length > 0) {
    throw new RelayError(
      'invalid-config',
      `SLACK_CHANNELS: ${bad.map((c) => JSON.stringify(c)).join(', ')} is not a channel ID (expected e.g. C0123456789)`,
    );
  }
  return channels;
}

const optional = (value: string | undefined) => (value?.trim() ? value.trim() : null);

const schema = z.object({
  SLACK_CHANNELS: z.optional(z.string()),
  SLACK_TOKEN_SECRET_ID: z.optional(z.string()),
  SLACK_API_URL: z.optional(z.url({ protocol: /^https?$/ })),
  EMAIL_TOPIC_ARN: z.optional(z.string().check(z.regex(TOPIC_ARN, 'expected an SNS topic ARN'))),
  DRIVER_TOPIC_ARN: z.string().check(z.regex(TOPIC_ARN, 'expected an SNS topic ARN')),
  DELIVERY_TABLE_NAME: z.string().check(z.minLength(3, 'expected a DynamoDB table name')),
  LIVE_CHANGELOG: z.optional(z.enum(['true', 'false'])),
  FLEET_REGIONS: z.optional(
    z
      .string()
      .check(
        z.refine(
          (value) => list(value).every((region) => REGION.test(region)),
          'expected regions, e.g. us-east-1,eu-west-1',
        ),
      ),
  ),
});

/**
 * Reads and checks the configuration. Throws RelayError 'invalid-config' naming the variable: at module load
 * in the Lambda, so a misconfigured function fails every invocation loudly instead of dropping alerts.
 */
export function readConfig(env: NodeJS.ProcessEnv): RelayConfig {
  // A variable set to nothing counts as unset (a template or a shell may well write EMAIL_TOPIC_ARN=).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value?.trim()));
  const result = z.safeParse(schema, present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return present[name] === undefined ? `${name} environment variable is not set` : `${name}: ${issue.message}`;
    });
    throw new RelayError('invalid-config', problems.join('; '));
  }
  const vars = result.data;
  const slackChannels = parseSlackChannels(vars.SLACK_CHANNELS);
  const slackTokenSecretId = optional(vars.SLACK_TOKEN_SECRET_ID);
  if (slackChannels.length > 0 && slackTokenSecretId === null) {
    throw new RelayError('invalid-config', 'SLACK_TOKEN_SECRET_ID environment variable is not set (needed for Slack)');
  }
  const emailTopicArn = optional(vars.EMAIL_TOPIC_ARN);
  if (slackChannels.length === 0 && emailTopicArn === null) {
    throw new RelayError('invalid-config', 'no destination: set SLACK_CHANNELS or EMAIL_TOPIC_ARN');
  }
  return {
    slackChannels,
    slackTokenSecretId,
    slackApiUrl: optional(vars.SLACK_API_URL),
    emailTopicArn,
    driverTopicArn: vars.DRIVER_TOPIC_ARN,
    deliveryTableName: vars.DELIVERY_TABLE_NAME,
    liveChangelog: vars.LIVE_CHANGELOG !== 'false',
    // Unset means off: the stack sets it exactly when it grants ssm:GetInventory.
    fleetRegions: list(vars.FLEET_REGIONS),
  };
}
