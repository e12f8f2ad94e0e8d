/**
 * Alarms that can actually publish: every alarm of the stack, walked to its topic, the topic's policy and the
 * topic's key (test/support/alarm-publish-check.ts). The stack's alarm topic once held only a TLS Deny, which
 * replaced SNS's default policy and left CloudWatch no way to publish: every alarm would have failed silently.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { parseAppConfig } from '../lib/app-config.js';
import { Ec2DriverRelayStack } from '../lib/ec2-driver-relay-stack.js';
import { alarmPublishProblems, type StackEnvironment, type TemplateJson } from './support/alarm-publish-check.js';
import { templateTestApp } from './support/cdk-context.js';

const ENV: StackEnvironment = { partition: 'aws', account: '123456789012', region: 'us-east-1' };

function relayTemplate(context: Record<string, unknown>): TemplateJson {
  const config = parseAppConfig(context);
  const stack = new Ec2DriverRelayStack(templateTestApp(), 'Relay', {
    config,
    env: { account: ENV.account, region: config.topicRegion },
  });
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

const SLACK_AND_EMAIL = { slackChannels: 'C0123456789', emailAddresses: 'ops@example.com' };

/** DeadLetters, NotificationsNotRead, FunctionErrors, DeliveredNotRecorded; with the watch on, HistoryWatchNotRunning and HistoryPagesUnusable. */
const ALARMS = 6;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** A copy of the relay's template with one resource of `type` changed by `edit`, to break one link of the walk. */
function brokenTemplate(type: string, edit: (properties: Record<string, unknown>, id: string) => void): TemplateJson {
  const template = structuredClone(relayTemplate(SLACK_AND_EMAIL)) as { Resources: Resources };
  const matching = Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
  if (matching.length === 0) throw new Error(`the template has no ${type} to break`);
  for (const [id, resource] of matching) edit(resource.Properties, id);
  return template;
}

type PolicyStatement = { Principal?: { Service?: string }; Condition?: { ArnLike?: Record<string, string> } };

const statementsOf = (document: unknown): PolicyStatement[] => (document as { Statement: PolicyStatement[] }).Statement;
const forCloudWatch = (statement: PolicyStatement) => statement.Principal?.Service === 'cloudwatch.amazonaws.com';

describe('every alarm of the stack can publish to its topic', () => {
  test.each([
    ['Slack and email, alarms to the first address', SLACK_AND_EMAIL, 'us-east-1', ALARMS],
    ['Slack only, no alarm subscriber yet', { slackChannels: 'C0123456789' }, 'us-east-1', ALARMS],
    [
      'email only, on a topic of the user’s own in another region',
      { emailAddresses: 'ops@example.com', topicArn: 'arn:aws:sns:eu-west-1:123456789012:smoke-test' },
      'eu-west-1',
      ALARMS,
    ],
    [
      'the version-history watch off (no HistoryWatchNotRunning, no HistoryPagesUnusable)',
      { ...SLACK_AND_EMAIL, watchEvery: 'off' },
      'us-east-1',
      ALARMS - 2,
    ],
  ])('%s', (_name, context, region, alarms) => {
    const check = alarmPublishProblems(relayTemplate(context), { ...ENV, region });

    expect(check.alarms).toBe(alarms);
    expect(check.problems).toEqual([]);
  });

  test('HistoryWatchNotRunning is one of the alarms checked', () => {
    const template = relayTemplate(SLACK_AND_EMAIL);
    const names = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
      .map((resource) => resource.Properties?.AlarmName);

    expect(names).toContain('Relay-HistoryWatchNotRunning');
  });
});

describe('the check catches an alarm that could not publish', () => {
  test('a topic policy holding only the TLS Deny (the stack before the fix): every alarm fails', () => {
    const template = brokenTemplate('AWS::SNS::TopicPolicy', (properties) => {
      const document = properties.PolicyDocument as { Statement: PolicyStatement[] };
      document.Statement = document.Statement.filter((statement) => !forCloudWatch(statement));
    });

    const check = alarmPublishProblems(template, ENV);

    expect(check.alarms).toBe(ALARMS);
    expect(check.problems).toHaveLength(ALARMS);
    for (const problem of check.problems) {
      expect(problem).toMatch(/^alarm Relay-\w+: no statement of the policy of topic AlarmTopic\w+ lets cloudwatch/);
    }
  });

  test('a stack built like the old one, in CDK, fails too: an encrypted TLS-only topic and an alarm on it', () => {
    const stack = new Stack(templateTestApp(), 'Old', { env: { account: ENV.account, region: ENV.region } });
    const topic = new Topic(stack, 'AlarmTopic', { masterKey: new Key(stack, 'Key'), enforceSSL: true });
    new Alarm(stack, 'Errors', {
      alarmName: 'Old-Errors',
      metric: new Metric({ namespace: 'AWS/Lambda', metricName: 'Errors' }),
      threshold: 1,
      evaluationPeriods: 1,
    }).addAlarmAction(new SnsAction(topic));

    const check = alarmPublishProblems(Template.fromStack(stack).toJSON() as TemplateJson, ENV);

    expect(check.alarms).toBe(1);
    expect(check.problems).toEqual([
      expect.stringMatching(/^alarm Old-Errors: no statement of the policy of topic AlarmTopic\w+ lets cloudwatch/),
      expect.stringMatching(/^alarm Old-Errors: key Key\w+ of topic AlarmTopic\w+ does not let cloudwatch/),
    ]);
  });

  test('a key policy without the CloudWatch grant: every alarm fails', () => {
    const template = brokenTemplate('AWS::KMS::Key', (properties) => {
      const document = properties.KeyPolicy as { Statement: PolicyStatement[] };
      document.Statement = document.Statement.filter((statement) => !forCloudWatch(statement));
    });

    const check = alarmPublishProblems(template, ENV);

    expect(check.problems).toHaveLength(ALARMS);
    expect(check.problems[0]).toMatch(
      /key TopicKey\w+ of topic AlarmTopic\w+ does not let .* kms:GenerateDataKey and kms:Decrypt/,
    );
  });

  test('an allow scoped to another stack’s alarms: every alarm fails', () => {
    const template = brokenTemplate('AWS::SNS::TopicPolicy', (properties) => {
      for (const statement of statementsOf(properties.PolicyDocument).filter(forCloudWatch)) {
        statement.Condition = {
          ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:Other-*' },
        };
      }
    });

    expect(alarmPublishProblems(template, ENV).problems).toHaveLength(ALARMS);
  });

  test('an alarm whose name does not carry the stack’s prefix fails alone', () => {
    const template = brokenTemplate('AWS::CloudWatch::Alarm', (properties) => {
      if (properties.AlarmName === 'Relay-FunctionErrors') properties.AlarmName = 'FunctionErrors';
    });

    const check = alarmPublishProblems(template, ENV);

    expect(check.problems).toEqual([
      expect.stringMatching(/^alarm FunctionErrors: no statement of the policy/),
      expect.stringMatching(/^alarm FunctionErrors: key TopicKey\w+ of topic AlarmTopic\w+ does not let/),
    ]);
  });

  test('a Deny that stops CloudWatch fails every alarm, whatever the Allow says', () => {
    const template = brokenTemplate('AWS::SNS::TopicPolicy', (properties) => {
      statementsOf(properties.PolicyDocument).push({
        Effect: 'Deny',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:*',
        Resource: '*',
      } as PolicyStatement);
    });

    const problems = alarmPublishProblems(template, ENV).problems;

    expect(problems.filter((problem) => problem.includes('a Deny in the policy of topic'))).toHaveLength(ALARMS);
  });

  test('an alarm notifying a topic outside the template cannot be checked, so it fails', () => {
    const template = brokenTemplate('AWS::CloudWatch::Alarm', (properties) => {
      if (properties.AlarmName === 'Relay-DeadLetters') {
        properties.AlarmActions = ['arn:aws:sns:us-east-1:123456789012:somewhere-else'];
      }
    });

    expect(alarmPublishProblems(template, ENV).problems).toEqual([
      expect.stringMatching(/^alarm Relay-DeadLetters: its action "arn:aws:sns:.*somewhere-else" is not a topic/),
    ]);
  });

  test('a template without alarms reports zero alarms checked, which the tests above refuse as proof', () => {
    const template = brokenTemplate('AWS::CloudWatch::Alarm', () => undefined) as { Resources: Resources };
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type === 'AWS::CloudWatch::Alarm') delete template.Resources[id];
    }

    expect(alarmPublishProblems(template, ENV)).toEqual({ alarms: 0, problems: [] });
  });
});
