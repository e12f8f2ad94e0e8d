import * as z from 'zod/mini';
import { CHANNEL_ID, Env, isTopicArn, REGION, splitList } from './core/config-contract.js';
import { RelayError } from './core/errors.js';

/** The function's configuration, read once from its environment. The Slack token is never one of these. */
export interface FunctionConfig {
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
  /** Whole hours a version may sit on a history page without a notice before the watch alerts it. */
  readonly unannouncedAfterHours: number;
}

/**
 * The grace period before the watch alerts a release the topic never announced, in whole hours; the stack's
 * `unannouncedAfterHours` and the function's UNANNOUNCED_AFTER_HOURS accept the same values. At least 1: AWS's notice
 * sometimes comes after the history page lists the version, and with no grace that release would be alerted as
 * unannounced and then again by its notice. At most a week: a late notice comes within a day or two, and waiting
 * longer only delays the one alert about a release nobody announced.
 */
export const UNANNOUNCED_AFTER_HOURS = { default: 24, least: 1, most: 7 * 24 } as const;

/** Why `hours` is not a grace period the watch accepts (a phrase following the value), or undefined when it is. */
export function unannouncedAfterHoursProblem(hours: number): string | undefined {
  const { least, most } = UNANNOUNCED_AFTER_HOURS;
  if (!Number.isInteger(hours)) return `is not a whole number of hours (expected ${least} to ${most}, e.g. 24)`;
  if (hours < least) {
    return (
      `is less than ${least} hour: AWS's notice sometimes comes after the history page lists the version, and ` +
      'with no grace that release would be alerted as unannounced, then again by its notice'
    );
  }
  if (hours > most) {
    return `is more than ${most} hours (a week): a late notice comes within a day or two; waiting longer only delays the alert`;
  }
  return undefined;
}

/** The destination settings the function and the CLI's `send` both read from the environment. */
export type DestinationEnv = Pick<FunctionConfig, 'slackChannels' | 'slackApiUrl' | 'emailTopicArn'>;

/** Comma-separated Slack channel IDs; throws RelayError 'invalid-config' naming SLACK_CHANNELS. */
export function parseSlackChannels(value: string | undefined): string[] {
  const channels = splitList(value);
  const bad = channels.filter((channel) => !CHANNEL_ID.test(channel));
  if (bad.length > 0) {
    throw new RelayError(
      'invalid-config',
      `${Env.slackChannels}: ${bad.map((c) => JSON.stringify(c)).join(', ')} is not a channel ID (expected C…, G… or D…, e.g. C0123456789)`,
    );
  }
  return channels;
}

const optional = (value: string | undefined) => (value?.trim() ? value.trim() : null);

const topicArn = z.string().check(z.refine(isTopicArn, 'expected an SNS topic ARN'));

const destinationSchema = {
  [Env.slackChannels]: z.optional(z.string()),
  [Env.slackApiUrl]: z.optional(z.url({ protocol: /^https?$/ })),
  [Env.emailTopicArn]: z.optional(topicArn),
};

/** What the function and the CLI's `watch` (reading the deployed table) both read. */
const watchSchema = {
  [Env.deliveryTableName]: z.string().check(z.minLength(3, 'expected a DynamoDB table name')),
  [Env.unannouncedAfterHours]: z.optional(
    z.pipe(
      z.string(),
      z.transform((value, ctx) => {
        const hours = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
        const problem = unannouncedAfterHoursProblem(hours);
        if (problem !== undefined)
          ctx.issues.push({ code: 'custom', message: `${JSON.stringify(value)} ${problem}`, input: value });
        return hours;
      }),
    ),
  ),
};

const functionSchema = z.object({
  ...destinationSchema,
  [Env.slackTokenSecretId]: z.optional(z.string()),
  [Env.driverTopicArn]: topicArn,
  [Env.liveChangelog]: z.optional(z.enum(['true', 'false'])),
  [Env.fleetRegions]: z.optional(
    z
      .string()
      .check(
        z.refine(
          (value) => splitList(value).every((region) => REGION.test(region)),
          'expected regions, e.g. us-east-1,eu-west-1',
        ),
      ),
  ),
  ...watchSchema,
});

/**
 * Checks the environment against a schema and names every variable at fault. Throws RelayError 'invalid-config'.
 * A variable set to nothing counts as unset (a template or a shell may well write EMAIL_TOPIC_ARN=).
 */
function parseEnv<Shape extends z.ZodMiniObject>(schema: Shape, env: NodeJS.ProcessEnv): z.infer<Shape> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value?.trim()));
  const result = z.safeParse(schema, present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return present[name] === undefined ? `${name} environment variable is not set` : `${name}: ${issue.message}`;
    });
    throw new RelayError('invalid-config', problems.join('; '));
  }
  return result.data;
}

function destinationsOf(vars: Partial<Record<keyof typeof destinationSchema, string>>): DestinationEnv {
  return {
    slackChannels: parseSlackChannels(vars[Env.slackChannels]),
    slackApiUrl: optional(vars[Env.slackApiUrl]),
    emailTopicArn: optional(vars[Env.emailTopicArn]),
  };
}

/**
 * The Slack channels, Slack API URL and email topic, checked as the function checks them; the CLI's `send` reads
 * its destinations here. Throws RelayError 'invalid-config' naming the variable.
 */
export function readDestinationEnv(env: NodeJS.ProcessEnv): DestinationEnv {
  return destinationsOf(parseEnv(z.object(destinationSchema), env));
}

/**
 * The delivery table and the watch's grace period, checked as the function checks them; the CLI's `watch` reads
 * the deployed table with these. Throws RelayError 'invalid-config' naming the variable.
 */
export function readWatchEnv(
  env: NodeJS.ProcessEnv,
): Pick<FunctionConfig, 'deliveryTableName' | 'unannouncedAfterHours'> {
  const vars = parseEnv(z.object(watchSchema), env);
  return {
    deliveryTableName: vars[Env.deliveryTableName],
    unannouncedAfterHours: vars[Env.unannouncedAfterHours] ?? UNANNOUNCED_AFTER_HOURS.default,
  };
}

/**
 * Reads and checks the configuration. Throws RelayError 'invalid-config' naming the variable: at module load
 * in the Lambda, so a misconfigured function fails every invocation loudly instead of dropping alerts.
 */
export function readConfig(env: NodeJS.ProcessEnv): FunctionConfig {
  const vars = parseEnv(functionSchema, env);
  const { slackChannels, slackApiUrl, emailTopicArn } = destinationsOf(vars);
  const slackTokenSecretId = optional(vars[Env.slackTokenSecretId]);
  if (slackChannels.length > 0 && slackTokenSecretId === null) {
    throw new RelayError(
      'invalid-config',
      `${Env.slackTokenSecretId} environment variable is not set (needed for Slack)`,
    );
  }
  if (slackChannels.length === 0 && emailTopicArn === null) {
    throw new RelayError('invalid-config', `no destination: set ${Env.slackChannels} or ${Env.emailTopicArn}`);
  }
  return {
    slackChannels,
    slackTokenSecretId,
    slackApiUrl,
    emailTopicArn,
    driverTopicArn: vars[Env.driverTopicArn],
    deliveryTableName: vars[Env.deliveryTableName],
    liveChangelog: vars[Env.liveChangelog] !== 'false',
    // Unset means off: the stack sets it exactly when it grants ssm:GetInventory.
    fleetRegions: splitList(vars[Env.fleetRegions]),
    // Unset when the watch is off (the stack sets it with the schedule); the default keeps a local run working.
    unannouncedAfterHours: vars[Env.unannouncedAfterHours] ?? UNANNOUNCED_AFTER_HOURS.default,
  };
}
