/**
 * What the stack (lib/) and the function (lambda/) agree on: the names of the function's environment variables and
 * the rules for the values both sides check. Pure, with no CDK or AWS SDK import, so lib/ can import it without
 * pulling anything into the Lambda bundle that the function does not already use.
 */

/**
 * The function's environment variables: the stack writes them by these names, the function and the CLI read them.
 * An enum rather than an object because esbuild inlines enum members across modules, so the names cost the Lambda
 * bundle nothing beyond the strings it already had.
 */
export enum Env {
  /** Comma-separated Slack channel IDs. */
  slackChannels = 'SLACK_CHANNELS',
  /** Secrets Manager SecretId (name or ARN) of the Slack bot token; the token itself is never in the environment. */
  slackTokenSecretId = 'SLACK_TOKEN_SECRET_ID',
  /** Overrides the Slack Web API base URL (a local stand-in in tests). */
  slackApiUrl = 'SLACK_API_URL',
  emailTopicArn = 'EMAIL_TOPIC_ARN',
  driverTopicArn = 'DRIVER_TOPIC_ARN',
  deliveryTableName = 'DELIVERY_TABLE_NAME',
  /** "false" turns the live history pages off. */
  liveChangelog = 'LIVE_CHANGELOG',
  /** Comma-separated regions; set exactly when the function may read SSM Inventory. */
  fleetRegions = 'FLEET_REGIONS',
  /** Whole hours a version may sit on a history page without a notice before the watch alerts it. @default 24 */
  unannouncedAfterHours = 'UNANNOUNCED_AFTER_HOURS',
}

/**
 * The input the stack's schedule (EventBridge Scheduler) invokes the function with: run the version-history watch
 * instead of reading the work queue. Any other event is an SQS batch.
 */
export const WATCH_EVENT = { 'ec2-driver-relay': 'watch' } as const;

export function isWatchEvent(event: unknown): boolean {
  return (
    typeof event === 'object' && event !== null && (event as Record<string, unknown>)['ec2-driver-relay'] === 'watch'
  );
}

/** Only the CLI reads this one, for a local run; the deployed function gets its token from Secrets Manager. */
export const CLI_SLACK_BOT_TOKEN = 'SLACK_BOT_TOKEN';

/**
 * A Slack conversation ID a bot can post to: C (public channel), G (private channel or group DM) or D (direct
 * message; chat.postMessage accepts it). A user ID (U…, W…) or a "#name" is refused. No upper bound on the length:
 * Slack says IDs may grow and should not be assumed to have a fixed length.
 */
export const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;

/** An AWS region name (us-east-1, us-gov-west-1, cn-north-1). */
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

// Standard topics only (no ".fifo"): a FIFO topic delivers only to FIFO queues, and the work queue is a standard
// one. Any partition (aws, aws-cn, aws-us-gov, aws-iso-b, ...). The region is captured: the stack is deployed there.
const TOPIC_ARN = /^arn:aws(?:-[a-z]+)*:sns:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):[A-Za-z0-9_-]{1,256}$/;

export const isChannelId = (value: string): boolean => CHANNEL_ID.test(value);
export const isRegion = (value: string): boolean => REGION.test(value);
export const isTopicArn = (value: string): boolean => TOPIC_ARN.test(value);

/** The region of a standard SNS topic ARN; undefined when the value is not one. */
export function topicArnRegion(value: string): string | undefined {
  return TOPIC_ARN.exec(value)?.[1];
}

/** "a, b,,c" becomes ["a", "b", "c"]; unset or blank is empty. The one list form for context and environment. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
