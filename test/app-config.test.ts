import { App, Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RelayError } from '../lambda/core/errors.js';
import { parseAppConfig, readAppConfig } from '../lib/app-config.js';

/** The message parseAppConfig refuses the context with (fails the test if it accepts it). */
function refusal(context: Record<string, unknown>): string {
  try {
    parseAppConfig(context);
  } catch (error) {
    expect(error).toBeInstanceOf(RelayError);
    expect((error as RelayError).code).toBe('invalid-config');
    return (error as RelayError).message;
  }
  throw new Error(`expected ${JSON.stringify(context)} to be refused`);
}

describe('app configuration from CDK context', () => {
  describe('accepted', () => {
    test('one Slack channel is enough; everything else takes its default', () => {
      expect(parseAppConfig({ slackChannels: 'C0123456789' })).toEqual({
        slackChannels: ['C0123456789'],
        emailAddresses: [],
        alarmEmail: undefined,
        slackTokenSecretName: undefined,
        topicArn: 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers',
        topicRegion: 'us-east-1',
        logRetentionDays: RetentionDays.THREE_MONTHS,
        fleetImpact: true,
        fleetRegions: [],
        watchEvery: Duration.hours(6),
        unannouncedAfterHours: 24,
      });
    });

    test('the watch runs at the interval given, in minutes, hours or days, or not at all with "off"', () => {
      const every = (watchEvery: unknown) => parseAppConfig({ slackChannels: 'C0123456789', watchEvery }).watchEvery;

      expect(every('30 minutes')).toEqual(Duration.minutes(30));
      expect(every('1 hour')).toEqual(Duration.hours(1));
      expect(every(' 2 days ')).toEqual(Duration.days(2));
      expect(every('15 minutes')).toEqual(Duration.minutes(15));
      expect(every('off')).toBeNull();
      expect(every('OFF')).toBeNull();
    });

    test('the unannounced grace period, from the command line (a string) or cdk.json (a number)', () => {
      const grace = (unannouncedAfterHours: unknown) =>
        parseAppConfig({ slackChannels: 'C0123456789', unannouncedAfterHours }).unannouncedAfterHours;

      expect(grace('12')).toBe(12);
      expect(grace(48)).toBe(48);
      expect(grace(1)).toBe(1);
      expect(grace(168)).toBe(168);
    });

    test('public, private and direct-message channel IDs, as the function accepts them', () => {
      expect(parseAppConfig({ slackChannels: 'C0123456789,G0123456789,D0123456789' }).slackChannels).toEqual([
        'C0123456789',
        'G0123456789',
        'D0123456789',
      ]);
    });

    test('fleet impact can be turned off, or pointed at other regions', () => {
      expect(parseAppConfig({ slackChannels: 'C0123456789', fleetImpact: 'false' }).fleetImpact).toBe(false);
      expect(parseAppConfig({ slackChannels: 'C0123456789', fleetImpact: false }).fleetImpact).toBe(false);
      expect(
        parseAppConfig({ slackChannels: 'C0123456789', fleetRegions: 'eu-west-1, us-west-2' }).fleetRegions,
      ).toEqual(['eu-west-1', 'us-west-2']);
    });

    test('one email address is enough', () => {
      expect(parseAppConfig({ emailAddresses: 'ops@example.com' }).emailAddresses).toEqual(['ops@example.com']);
    });

    test('lists are comma-separated, trimmed and without duplicates', () => {
      const config = parseAppConfig({ slackChannels: ' C0123456789, G0ABCDEF12,,C0123456789 ' });
      expect(config.slackChannels).toEqual(['C0123456789', 'G0ABCDEF12']);
    });

    test('lists may be JSON arrays, as cdk.json writes them', () => {
      const config = parseAppConfig({ emailAddresses: ['ops@example.com', 'oncall@example.com'] });
      expect(config.emailAddresses).toEqual(['ops@example.com', 'oncall@example.com']);
    });

    test('the stack region is the region of the configured topic', () => {
      const config = parseAppConfig({
        slackChannels: 'C0123456789',
        topicArn: 'arn:aws:sns:eu-west-1:123456789012:my-smoke-test',
      });
      expect(config.topicRegion).toBe('eu-west-1');
    });

    test('logRetentionDays given on the command line (a string) becomes a CloudWatch retention', () => {
      expect(parseAppConfig({ slackChannels: 'C0123456789', logRetentionDays: '365' }).logRetentionDays).toBe(
        RetentionDays.ONE_YEAR,
      );
    });

    test('readAppConfig reads the documented context keys from the app', () => {
      const app = new App({
        context: {
          emailAddresses: 'ops@example.com',
          alarmEmail: 'oncall@example.com',
          logRetentionDays: 30,
          watchEvery: '12 hours',
          unannouncedAfterHours: '36',
        },
      });
      expect(readAppConfig(app.node)).toMatchObject({
        emailAddresses: ['ops@example.com'],
        alarmEmail: 'oncall@example.com',
        logRetentionDays: RetentionDays.ONE_MONTH,
        watchEvery: Duration.hours(12),
        unannouncedAfterHours: 36,
      });
    });
  });

  describe('refused, naming the key and why', () => {
    test('fleet impact neither true nor false, a fleet region that is not one, regions with fleet impact off', () => {
      const slack = { slackChannels: 'C0123456789' };
      expect(refusal({ ...slack, fleetImpact: 'yes' })).toContain(
        'context key "fleetImpact": "yes" is not true or false',
      );
      expect(refusal({ ...slack, fleetRegions: 'Frankfurt' })).toContain(
        'context key "fleetRegions": "Frankfurt" is not a region (expected e.g. us-east-1)',
      );
      expect(refusal({ ...slack, fleetImpact: 'false', fleetRegions: 'eu-west-1' })).toContain(
        'context key "fleetRegions": "eu-west-1" is set but "fleetImpact" is false',
      );
    });

    test('no destination at all', () => {
      expect(refusal({})).toContain(
        'context keys "slackChannels" and "emailAddresses" are both empty: at least one destination is required',
      );
    });

    test('a channel name instead of a channel ID', () => {
      expect(refusal({ slackChannels: '#ops' })).toContain(
        'context key "slackChannels": "#ops" is not a channel ID (expected C…, G… or D…, e.g. C0123456789)',
      );
    });

    test('a user ID as a channel', () => {
      expect(refusal({ slackChannels: 'U0123456789' })).toContain(
        'context key "slackChannels": "U0123456789" is not a channel ID',
      );
    });

    test('a malformed email address', () => {
      expect(refusal({ emailAddresses: 'ops@example.com,ops-at-example.com' })).toContain(
        'context key "emailAddresses": "ops-at-example.com" is not an email address',
      );
    });

    test('a malformed alarm email address', () => {
      expect(refusal({ slackChannels: 'C0123456789', alarmEmail: 'oncall' })).toContain(
        'context key "alarmEmail": "oncall" is not an email address',
      );
    });

    test('a topic ARN of another service', () => {
      expect(refusal({ slackChannels: 'C0123456789', topicArn: 'arn:aws:sqs:us-east-1:801119661308:x' })).toContain(
        'context key "topicArn": "arn:aws:sqs:us-east-1:801119661308:x" is not a standard SNS topic ARN',
      );
    });

    test('a FIFO topic, which a Lambda function cannot subscribe to', () => {
      expect(
        refusal({ slackChannels: 'C0123456789', topicArn: 'arn:aws:sns:us-east-1:123456789012:drivers.fifo' }),
      ).toContain('context key "topicArn": "arn:aws:sns:us-east-1:123456789012:drivers.fifo" is not a standard SNS');
    });

    test('a log retention CloudWatch does not offer', () => {
      expect(refusal({ slackChannels: 'C0123456789', logRetentionDays: '10' })).toContain(
        'context key "logRetentionDays": 10 is not a retention CloudWatch Logs accepts (one of 1, 3, 5, 7, 14, 30,',
      );
    });

    test('a secret ARN where the secret name belongs', () => {
      const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack-AbCdEf';
      expect(refusal({ slackChannels: 'C0123456789', slackTokenSecretName: arn })).toContain(
        `context key "slackTokenSecretName": "${arn}" is an ARN; give the secret's name`,
      );
    });

    test('a secret name with characters Secrets Manager does not allow', () => {
      expect(refusal({ slackChannels: 'C0123456789', slackTokenSecretName: 'slack token!' })).toContain(
        'context key "slackTokenSecretName": "slack token!" is not a secret name',
      );
    });

    test('a Slack token secret without any Slack channel', () => {
      expect(refusal({ emailAddresses: 'ops@example.com', slackTokenSecretName: 'slack/bot' })).toContain(
        'context key "slackTokenSecretName": "slack/bot" is set but "slackChannels" is empty',
      );
    });

    test('a watch interval that is not one, or sooner than the pages change in the function, or days apart', () => {
      const slack = { slackChannels: 'C0123456789' };
      expect(refusal({ ...slack, watchEvery: 'hourly' })).toContain(
        'context key "watchEvery": "hourly" is not an interval (expected "off" or e.g. "30 minutes", "6 hours", "2 days")',
      );
      expect(refusal({ ...slack, watchEvery: '1.5 hours' })).toContain(
        'context key "watchEvery": "1.5 hours" is not an interval',
      );
      expect(refusal({ ...slack, watchEvery: 6 })).toContain('context key "watchEvery": 6 is not an interval');
      expect(refusal({ ...slack, watchEvery: '10 minutes' })).toContain(
        'context key "watchEvery": "10 minutes" is more often than every 15 minutes: the function keeps each history page for 15 minutes',
      );
      expect(refusal({ ...slack, watchEvery: '3 days' })).toContain(
        'context key "watchEvery": "3 days" is less often than every 2 days',
      );
    });

    test('a grace period that is not whole hours, none at all, or over a week', () => {
      const slack = { slackChannels: 'C0123456789' };
      expect(refusal({ ...slack, unannouncedAfterHours: 'a day' })).toContain(
        'context key "unannouncedAfterHours": "a day" is not a whole number of hours (expected 1 to 168, e.g. 24)',
      );
      expect(refusal({ ...slack, unannouncedAfterHours: 1.5 })).toContain(
        'context key "unannouncedAfterHours": 1.5 is not a whole number of hours',
      );
      expect(refusal({ ...slack, unannouncedAfterHours: '0' })).toContain(
        'context key "unannouncedAfterHours": 0 is less than 1 hour: AWS\'s notice sometimes comes after the history page',
      );
      expect(refusal({ ...slack, unannouncedAfterHours: 169 })).toContain(
        'context key "unannouncedAfterHours": 169 is more than 168 hours (a week)',
      );
    });

    test('a grace period with the watch off', () => {
      expect(refusal({ slackChannels: 'C0123456789', watchEvery: 'off', unannouncedAfterHours: 12 })).toContain(
        'context key "unannouncedAfterHours": 12 is set but "watchEvery" is "off"',
      );
    });

    test('every problem at once, one line each', () => {
      const message = refusal({ slackChannels: '#ops', emailAddresses: 'nope', logRetentionDays: 'forever' });
      expect(message.split('\n').filter((line) => line.includes('context key'))).toHaveLength(3);
    });
  });
});
