import { readConfig } from '../lambda/config';
import { parseAppConfig } from '../lib/app-config';
import { relayEnvironment } from '../lib/ec2-driver-relay-stack';

const DRIVER_TOPIC_ARN = 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers';

const base = {
  DELIVERY_TABLE_NAME: 'relay-deliveries',
  DRIVER_TOPIC_ARN,
  EMAIL_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:relay-email',
};

describe('reading the function configuration', () => {
  it('reads Slack channels, the secret id, the email topic and the table', () => {
    const config = readConfig({
      ...base,
      SLACK_CHANNELS: 'C0123456789, G0123456789',
      SLACK_TOKEN_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:relay-slack-AbCdEf',
    });

    expect(config).toEqual({
      slackChannels: ['C0123456789', 'G0123456789'],
      slackTokenSecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:relay-slack-AbCdEf',
      slackApiUrl: null,
      emailTopicArn: 'arn:aws:sns:us-east-1:123456789012:relay-email',
      driverTopicArn: DRIVER_TOPIC_ARN,
      deliveryTableName: 'relay-deliveries',
      liveChangelog: true,
      fleetRegions: [],
      unannouncedAfterHours: 24,
    });
  });

  it('reads the unannounced grace period; unset, it is 24 hours', () => {
    expect(readConfig({ ...base, UNANNOUNCED_AFTER_HOURS: '12' }).unannouncedAfterHours).toBe(12);
    expect(readConfig({ ...base, UNANNOUNCED_AFTER_HOURS: '' }).unannouncedAfterHours).toBe(24);
    expect(readConfig(base).unannouncedAfterHours).toBe(24);
  });

  it('names a grace period that is not whole hours from 1 to 168', () => {
    expect(() => readConfig({ ...base, UNANNOUNCED_AFTER_HOURS: 'a day' })).toThrow(
      'UNANNOUNCED_AFTER_HOURS: "a day" is not a whole number of hours (expected 1 to 168, e.g. 24)',
    );
    expect(() => readConfig({ ...base, UNANNOUNCED_AFTER_HOURS: '0' })).toThrow(
      'UNANNOUNCED_AFTER_HOURS: "0" is less than 1 hour',
    );
    expect(() => readConfig({ ...base, UNANNOUNCED_AFTER_HOURS: '169' })).toThrow(
      'UNANNOUNCED_AFTER_HOURS: "169" is more than 168 hours',
    );
  });

  it('reads the fleet regions; unset, fleet impact is off', () => {
    expect(readConfig({ ...base, FLEET_REGIONS: 'us-east-1, eu-west-1' }).fleetRegions).toEqual([
      'us-east-1',
      'eu-west-1',
    ]);
    expect(readConfig(base).fleetRegions).toEqual([]);
  });

  it('reads back exactly what the stack writes', () => {
    const stackConfig = parseAppConfig({
      slackChannels: 'C0123456789,D0123456789',
      fleetRegions: 'eu-west-1',
      unannouncedAfterHours: '36',
    });

    const env = relayEnvironment({
      config: stackConfig,
      region: 'us-east-1',
      tableName: 'relay-deliveries',
      emailTopicArn: 'arn:aws:sns:us-east-1:123456789012:relay-email',
      slackTokenSecretId: 'slack/driver-relay-bot',
    });

    expect(readConfig(env)).toEqual({
      slackChannels: ['C0123456789', 'D0123456789'],
      slackTokenSecretId: 'slack/driver-relay-bot',
      slackApiUrl: null,
      emailTopicArn: 'arn:aws:sns:us-east-1:123456789012:relay-email',
      driverTopicArn: stackConfig.topicArn,
      deliveryTableName: 'relay-deliveries',
      liveChangelog: true,
      fleetRegions: ['eu-west-1'],
      unannouncedAfterHours: 36,
    });
  });

  it('with the watch off, the stack writes no grace period and the function takes the default', () => {
    const env = relayEnvironment({
      config: parseAppConfig({ emailAddresses: 'ops@example.com', watchEvery: 'off' }),
      region: 'us-east-1',
      tableName: 'relay-deliveries',
      emailTopicArn: 'arn:aws:sns:us-east-1:123456789012:relay-email',
      slackTokenSecretId: undefined,
    });

    expect(env).not.toHaveProperty('UNANNOUNCED_AFTER_HOURS');
    expect(readConfig(env).unannouncedAfterHours).toBe(24);
  });

  it('refuses a FIFO topic as the driver topic, as the stack does', () => {
    expect(() => readConfig({ ...base, DRIVER_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:drivers.fifo' })).toThrow(
      'DRIVER_TOPIC_ARN: expected an SNS topic ARN',
    );
  });

  it('names a fleet region that is not one', () => {
    expect(() => readConfig({ ...base, FLEET_REGIONS: 'us-east-1,Frankfurt' })).toThrow(
      /FLEET_REGIONS: expected regions/,
    );
  });

  it('names a missing table variable', () => {
    expect(() => readConfig({ EMAIL_TOPIC_ARN: base.EMAIL_TOPIC_ARN })).toThrow(
      'DELIVERY_TABLE_NAME environment variable is not set',
    );
  });

  it('refuses a channel name where a channel ID belongs', () => {
    expect(() => readConfig({ ...base, SLACK_CHANNELS: '#ops', SLACK_TOKEN_SECRET_ID: 'relay-slack' })).toThrow(
      'SLACK_CHANNELS: "#ops" is not a channel ID (expected C…, G… or D…',
    );
  });

  it('requires the token secret when Slack channels are set', () => {
    expect(() => readConfig({ ...base, SLACK_CHANNELS: 'C0123456789' })).toThrow('SLACK_TOKEN_SECRET_ID');
  });

  it('requires at least one destination', () => {
    expect(() => readConfig({ DELIVERY_TABLE_NAME: 'relay-deliveries', DRIVER_TOPIC_ARN })).toThrow('no destination');
  });

  it('names a missing driver topic, and refuses one that is not a topic ARN', () => {
    expect(() => readConfig({ ...base, DRIVER_TOPIC_ARN: undefined })).toThrow(
      'DRIVER_TOPIC_ARN environment variable is not set',
    );
    expect(() => readConfig({ ...base, DRIVER_TOPIC_ARN: 'ec2-windows-drivers' })).toThrow(
      'DRIVER_TOPIC_ARN: expected an SNS topic ARN',
    );
  });

  it('refuses a malformed email topic ARN and a non-http Slack URL', () => {
    expect(() => readConfig({ ...base, EMAIL_TOPIC_ARN: 'relay-email' })).toThrow(
      'EMAIL_TOPIC_ARN: expected an SNS topic ARN',
    );
    expect(() => readConfig({ ...base, SLACK_API_URL: 'file:///etc/passwd' })).toThrow('SLACK_API_URL');
  });

  it('treats a variable set to nothing as unset', () => {
    const config = readConfig({
      ...base,
      SLACK_CHANNELS: 'C0123456789',
      SLACK_TOKEN_SECRET_ID: 'relay-slack',
      EMAIL_TOPIC_ARN: '',
    });

    expect(config.emailTopicArn).toBeNull();
    expect(() => readConfig({ ...base, DELIVERY_TABLE_NAME: ' ' })).toThrow(
      'DELIVERY_TABLE_NAME environment variable is not set',
    );
  });

  it('turns the live changelog off only when asked', () => {
    expect(readConfig({ ...base, LIVE_CHANGELOG: 'false' }).liveChangelog).toBe(false);
    expect(() => readConfig({ ...base, LIVE_CHANGELOG: 'no' })).toThrow('LIVE_CHANGELOG');
  });
});
