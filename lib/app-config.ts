import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as z from 'zod/mini';
import { UNANNOUNCED_AFTER_HOURS, unannouncedAfterHoursProblem } from '../lambda/config.js';
import { CHANNEL_ID, isTopicArn, REGION, splitList, topicArnRegion } from '../lambda/core/config-contract.js';
import { RelayError } from '../lambda/core/errors.js';

/** The AWS-owned topic that announces EC2 Windows driver releases (publisher account 801119661308). */
export const DEFAULT_TOPIC_ARN = 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers';

export const DEFAULT_LOG_RETENTION_DAYS = RetentionDays.THREE_MONTHS;

/** How often the version-history watch runs unless `watchEvery` says otherwise. */
export const DEFAULT_WATCH_EVERY = Duration.hours(6);

/**
 * The bounds of `watchEvery`. Sooner than every 15 minutes buys nothing: a warm function keeps each history page for
 * 15 minutes (lambda/adapters/changelog-source.ts), so a sooner watch reads the pages it already has, and a cold one
 * asks AWS's docs site again for pages that change a few times a month. Rarer than every 2 days defeats the watch: a
 * rollback AWS writes only on a history page would reach the channel told to install days late; and the
 * HistoryWatchNotRunning alarm looks back three intervals, which CloudWatch caps at seven days.
 */
export const WATCH_EVERY_BOUNDS = { shortest: Duration.minutes(15), longest: Duration.days(2) } as const;

/** The CDK context keys the app reads. Other tools pass them by these names: do not rename. */
export const CONTEXT_KEYS = [
  'slackChannels',
  'emailAddresses',
  'alarmEmail',
  'slackTokenSecretName',
  'topicArn',
  'logRetentionDays',
  'fleetImpact',
  'fleetRegions',
  'watchEvery',
  'unannouncedAfterHours',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** What `cdk synth` / `cdk deploy` builds, validated from CDK context. The function's own is FunctionConfig. */
export interface StackConfig {
  /** Slack channel IDs (see CHANNEL_ID in lambda/core/config-contract.ts); empty when Slack is not used. */
  readonly slackChannels: readonly string[];
  /** Addresses subscribed to the email topic; empty when email is not used. */
  readonly emailAddresses: readonly string[];
  /** Who receives alarm notifications; undefined leaves the alarm topic without subscribers. */
  readonly alarmEmail: string | undefined;
  /** Name of an existing Secrets Manager secret holding the Slack bot token; undefined makes the stack create one. */
  readonly slackTokenSecretName: string | undefined;
  readonly topicArn: string;
  /** The topic's region: the stack is deployed there (see topicRegion below). */
  readonly topicRegion: string;
  readonly logRetentionDays: RetentionDays;
  /** Compare release and rollback alerts with the account's SSM Inventory (grants ssm:GetInventory). */
  readonly fleetImpact: boolean;
  /** Regions whose inventory is read; empty means the stack's own region. */
  readonly fleetRegions: readonly string[];
  /** How often the schedule runs the version-history watch; null when the watch is off (no schedule). */
  readonly watchEvery: Duration | null;
  /** Whole hours a version may sit on a history page without a notice before the watch alerts it. */
  readonly unannouncedAfterHours: number;
}

// Names only (an ARN is refused with a hint); the characters Secrets Manager allows in a name.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const EMAIL = z.email();

const ACCEPTED_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (days): days is RetentionDays => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

/** Context arrives as a string from `-c key=value`, or as any JSON value from cdk.json. Blank means absent. */
function absentIfBlank(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return value;
}

/** "a, b,,c" or ["a", "b"] becomes ["a", "b", "c"], without duplicates. */
function contextList(value: unknown): unknown {
  const present = absentIfBlank(value);
  if (present === undefined) return [];
  if (typeof present === 'string') return [...new Set(splitList(present))];
  if (!Array.isArray(present)) return present;
  const trimmed = present.map((item) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== '');
  return [...new Set(trimmed)];
}

/** zod/mini has no preprocess: a transform piped into the schema does the same. */
const preprocess = <Out>(fn: (value: unknown) => unknown, schema: z.ZodMiniType<Out>) =>
  z.pipe(z.transform(fn), schema);

const show = (input: unknown): string => JSON.stringify(input);

const listOf = (item: z.ZodMiniType<string>) =>
  preprocess(
    contextList,
    z.array(item, { error: 'expected a comma-separated list (e.g. "a,b") or a JSON array of strings' }),
  );

const emailAddress = z
  .string({ error: (issue) => `${show(issue.input)} is not an email address (expected a string)` })
  .check(
    z.refine((value) => EMAIL.safeParse(value).success, {
      error: (issue) => `${show(issue.input)} is not an email address (expected e.g. ops@example.com)`,
    }),
  );

const INTERVAL = /^(\d+)\s*(minute|hour|day)s?$/i;
const DURATION_IN = { minute: Duration.minutes, hour: Duration.hours, day: Duration.days } as const;

/**
 * `watchEvery`: "off", or a whole number and minute(s), hour(s) or day(s) ("30 minutes", "1 hour", "2 days"), as
 * EventBridge Scheduler's rate expressions count. The watch's interval, null for off, or why the value is refused.
 */
function watchInterval(text: string): { every: Duration | null } | { problem: string } {
  if (text.toLowerCase() === 'off') return { every: null };
  const match = INTERVAL.exec(text);
  if (match === null) {
    return { problem: `${show(text)} is not an interval (expected "off" or e.g. "30 minutes", "6 hours", "2 days")` };
  }
  const unit = match[2]?.toLowerCase() as keyof typeof DURATION_IN;
  const every = DURATION_IN[unit](Number(match[1]));
  const { shortest, longest } = WATCH_EVERY_BOUNDS;
  if (every.toMinutes() < shortest.toMinutes()) {
    return {
      problem:
        `${show(text)} is more often than every ${shortest.toHumanString()}: the function keeps each history page ` +
        `for ${shortest.toHumanString()}, so a sooner watch reads the same pages again`,
    };
  }
  if (every.toMinutes() > longest.toMinutes()) {
    return {
      problem:
        `${show(text)} is less often than every ${longest.toHumanString()}: a rollback written only on a history ` +
        'page would reach the channel told to install days late (use "off" to turn the watch off)',
    };
  }
  return { every };
}

const contextSchema = z
  .object({
    slackChannels: listOf(
      z.string({ error: (issue) => `${show(issue.input)} is not a channel ID (expected a string)` }).check(
        z.regex(CHANNEL_ID, {
          error: (issue) => `${show(issue.input)} is not a channel ID (expected C…, G… or D…, e.g. C0123456789)`,
        }),
      ),
    ),
    emailAddresses: listOf(emailAddress),
    alarmEmail: preprocess(absentIfBlank, z.optional(emailAddress)),
    slackTokenSecretName: preprocess(
      absentIfBlank,
      z.optional(
        z.string({ error: (issue) => `${show(issue.input)} is not a secret name (expected a string)` }).check(
          z.refine((value) => SECRET_NAME.test(value), {
            error: (issue) =>
              String(issue.input).startsWith('arn:')
                ? `${show(issue.input)} is an ARN; give the secret's name (e.g. slack/driver-relay-bot)`
                : `${show(issue.input)} is not a secret name (1 to 512 letters, digits or any of / _ + = . @ -)`,
          }),
        ),
      ),
    ),
    topicArn: preprocess(
      (value) => absentIfBlank(value) ?? DEFAULT_TOPIC_ARN,
      z.string({ error: 'expected an SNS topic ARN' }).check(
        z.refine(isTopicArn, {
          error: (issue) =>
            `${show(issue.input)} is not a standard SNS topic ARN (expected arn:aws:sns:<region>:<account>:<name>, e.g. ${DEFAULT_TOPIC_ARN})`,
        }),
      ),
    ),
    logRetentionDays: preprocess(
      (value) => {
        const present = absentIfBlank(value);
        if (present === undefined) return DEFAULT_LOG_RETENTION_DAYS;
        return typeof present === 'string' && /^\d+$/.test(present.trim()) ? Number(present) : present;
      },
      z.number().check(
        z.refine((days) => ACCEPTED_RETENTION_DAYS.includes(days), {
          error: (issue) =>
            `${show(issue.input)} is not a retention CloudWatch Logs accepts (one of ${ACCEPTED_RETENTION_DAYS.join(', ')})`,
        }),
      ),
    ),
    fleetImpact: preprocess(
      (value) => {
        const present = absentIfBlank(value);
        if (present === undefined) return true;
        return typeof present === 'string'
          ? ({ true: true, false: false }[present.trim().toLowerCase()] ?? present)
          : present;
      },
      z.boolean({ error: (issue) => `${show(issue.input)} is not true or false` }),
    ),
    fleetRegions: listOf(
      z
        .string({ error: (issue) => `${show(issue.input)} is not a region (expected a string)` })
        .check(z.regex(REGION, { error: (issue) => `${show(issue.input)} is not a region (expected e.g. us-east-1)` })),
    ),
    watchEvery: preprocess(
      (value) => {
        const present = absentIfBlank(value);
        return typeof present === 'string' ? present.trim() : present;
      },
      z.optional(
        z.pipe(
          z.string({
            error: (issue) => `${show(issue.input)} is not an interval (expected a string: "off" or e.g. "6 hours")`,
          }),
          z.transform((text, ctx) => {
            const interval = watchInterval(text);
            if ('every' in interval) return interval.every;
            ctx.issues.push({ code: 'custom', message: interval.problem, input: text });
            return z.NEVER;
          }),
        ),
      ),
    ),
    unannouncedAfterHours: preprocess(
      (value) => {
        const present = absentIfBlank(value);
        return typeof present === 'string' && /^\d+$/.test(present.trim()) ? Number(present) : present;
      },
      z.optional(
        z
          .number({
            error: (issue) =>
              `${show(issue.input)} is not a whole number of hours (expected ${UNANNOUNCED_AFTER_HOURS.least} to ${UNANNOUNCED_AFTER_HOURS.most}, e.g. 24)`,
          })
          .check(
            z.refine((hours) => unannouncedAfterHoursProblem(hours) === undefined, {
              error: (issue) => `${show(issue.input)} ${unannouncedAfterHoursProblem(Number(issue.input))}`,
            }),
          ),
      ),
    ),
  })
  .check(
    z.superRefine((config, ctx) => {
      if (config.watchEvery === null && config.unannouncedAfterHours !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['unannouncedAfterHours'],
          message: `${show(config.unannouncedAfterHours)} is set but "watchEvery" is "off" (only the watch alerts unannounced releases: turn it on, or drop the grace period)`,
        });
      }
      if (!config.fleetImpact && config.fleetRegions.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['fleetRegions'],
          message: `${show(config.fleetRegions.join(','))} is set but "fleetImpact" is false (turn fleet impact on, or drop the regions)`,
        });
      }
      if (config.slackChannels.length === 0 && config.emailAddresses.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            'context keys "slackChannels" and "emailAddresses" are both empty: at least one destination is required (e.g. -c slackChannels=C0123456789 or -c emailAddresses=ops@example.com)',
        });
      }
      if (config.slackTokenSecretName !== undefined && config.slackChannels.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['slackTokenSecretName'],
          message: `${show(config.slackTokenSecretName)} is set but "slackChannels" is empty (set the channels to post to, or drop the secret name)`,
        });
      }
    }),
  );

/** Issues about one key name it; the one about the keys together already says which. */
function describe(issue: z.core.$ZodIssue): string {
  const key = issue.path[0];
  return key === undefined ? issue.message : `context key "${String(key)}": ${issue.message}`;
}

/**
 * Validates raw CDK context. Throws a RelayError ('invalid-config') whose message has one line per problem,
 * each naming the context key and why, so `cdk synth` stops before anything is built from a bad value.
 */
export function parseAppConfig(context: Readonly<Partial<Record<ContextKey, unknown>>>): StackConfig {
  const result = z.safeParse(contextSchema, context);
  if (!result.success) {
    const lines = result.error.issues.map(describe);
    throw new RelayError('invalid-config', `Invalid configuration:\n  ${lines.join('\n  ')}`, { cause: result.error });
  }
  const config = result.data;
  return {
    slackChannels: config.slackChannels,
    emailAddresses: config.emailAddresses,
    alarmEmail: config.alarmEmail,
    slackTokenSecretName: config.slackTokenSecretName,
    topicArn: config.topicArn,
    topicRegion: topicRegion(config.topicArn),
    logRetentionDays: config.logRetentionDays as RetentionDays,
    fleetImpact: config.fleetImpact,
    fleetRegions: config.fleetRegions,
    watchEvery: config.watchEvery === undefined ? DEFAULT_WATCH_EVERY : config.watchEvery,
    unannouncedAfterHours: config.unannouncedAfterHours ?? UNANNOUNCED_AFTER_HOURS.default,
  };
}

/** Reads every context key from the app (cdk.json `context` or `-c key=value`) and validates it. */
export function readAppConfig(node: Node): StackConfig {
  const context: Partial<Record<ContextKey, unknown>> = {};
  for (const key of CONTEXT_KEYS) context[key] = node.tryGetContext(key);
  return parseAppConfig(context);
}

/**
 * The region the stack must be deployed in: the work queue is kept in the topic's region, so SNS never delivers
 * across regions, and the whole stack goes there (us-east-1 for the default topic) rather than to the caller's
 * default.
 */
export function topicRegion(topicArn: string): string {
  const region = topicArnRegion(topicArn);
  if (region === undefined) {
    throw new RelayError('invalid-config', `context key "topicArn": ${show(topicArn)} is not a standard SNS topic ARN`);
  }
  return region;
}
