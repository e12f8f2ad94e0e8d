import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { parseAppConfig } from '../lib/app-config.js';
import { Ec2DriverRelayStack } from '../lib/ec2-driver-relay-stack.js';
import { templateTestApp } from './support/cdk-context.js';

/** A stack built from CDK context as the app would, deployed where the app deploys it (the topic's region). */
function relayStack(context: Record<string, unknown>): Ec2DriverRelayStack {
  const config = parseAppConfig(context);
  return new Ec2DriverRelayStack(templateTestApp(), 'Relay', {
    config,
    env: { account: '123456789012', region: config.topicRegion },
  });
}

const relayTemplate = (context: Record<string, unknown>): Template => Template.fromStack(relayStack(context));

/** The text of every CDK warning the stack raises at synth. */
const warningsOf = (stack: Ec2DriverRelayStack): string[] =>
  Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .map((warning) => String(warning.entry.data));

const environmentOf = (template: Template): Record<string, unknown> => {
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
  return fn?.Properties.Environment.Variables;
};

describe('with an existing Slack-token secret (slackTokenSecretName)', () => {
  const template = relayTemplate({ slackChannels: 'C0123456789', slackTokenSecretName: 'slack/driver-relay-bot' });

  test('creates no secret of its own', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('lets the function read that secret and no other', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
            // The suffix Secrets Manager adds to every secret's ARN, and nothing wider.
            Resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack/driver-relay-bot-??????',
          },
        ]),
      },
    });
  });

  test('tells the function the secret by its name, never the token', () => {
    expect(environmentOf(template).SLACK_TOKEN_SECRET_ID).toBe('slack/driver-relay-bot');
  });

  test('names a secret whose name ends like an ARN suffix by that name, not by an ambiguous partial ARN', () => {
    // Secrets Manager reads a partial ARN ending in "-" and six characters as a complete ARN, and finds nothing.
    const named = relayTemplate({ slackChannels: 'C0123456789', slackTokenSecretName: 'driver-relay-secret' });

    expect(environmentOf(named).SLACK_TOKEN_SECRET_ID).toBe('driver-relay-secret');
  });
});

describe('with email addresses only', () => {
  const template = relayTemplate({ emailAddresses: 'ops@example.com,windows@example.com' });

  test('configures no Slack: no channels, no secret', () => {
    expect(environmentOf(template)).not.toHaveProperty('SLACK_CHANNELS');
    expect(environmentOf(template)).not.toHaveProperty('SLACK_TOKEN_SECRET_ID');
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('raises no warning: alarms have a recipient', () => {
    expect(warningsOf(relayStack({ emailAddresses: 'ops@example.com,windows@example.com' }))).toEqual([]);
  });

  test('sends alarms to the first email address when no alarmEmail is set', () => {
    const [alarmTopicId] = Object.keys(
      template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'EC2 driver relay alarms' } }),
    );
    const alarmSubscriptions = template.findResources('AWS::SNS::Subscription', {
      Properties: { TopicArn: { Ref: alarmTopicId } },
    });
    expect(Object.values(alarmSubscriptions).map((s) => s.Properties.Endpoint)).toEqual(['ops@example.com']);
  });
});

describe('with Slack channels only and no alarmEmail', () => {
  const template = relayTemplate({ slackChannels: 'C0123456789' });

  test('creates no email topic and gives the function no EMAIL_TOPIC_ARN', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(environmentOf(template)).not.toHaveProperty('EMAIL_TOPIC_ARN');
  });

  test('still creates the alarm topic, without subscribers, and outputs it to subscribe to', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'EC2 driver relay alarms' });
    template.resourceCountIs('AWS::SNS::Subscription', 1); // the work queue's subscription to the driver topic
    template.hasOutput('AlarmTopicArn', { Description: Match.stringLikeRegexp('no subscriber') });
  });

  test('warns at synth that nobody will hear the alarms, and how to fix it', () => {
    expect(warningsOf(relayStack({ slackChannels: 'C0123456789' }))).toEqual([
      expect.stringMatching(/No one is subscribed to the alarm topic.*-c alarmEmail=you@example\.com/s),
    ]);
  });

  test('raises no warning once alarmEmail is set', () => {
    expect(warningsOf(relayStack({ slackChannels: 'C0123456789', alarmEmail: 'oncall@example.com' }))).toEqual([]);
  });

  test('outputs the created secret for the user to put the token in', () => {
    template.hasOutput('SlackTokenSecretName', {});
    template.hasOutput('SlackTokenSecretArn', {});
  });
});

describe('with a topic of the user’s own (topicArn, logRetentionDays)', () => {
  const topicArn = 'arn:aws:sns:eu-west-1:123456789012:driver-relay-smoke-test';
  const template = relayTemplate({ emailAddresses: 'ops@example.com', topicArn, logRetentionDays: '30' });

  test('subscribes the work queue to that topic in its region, lets only that topic send, and tells the function', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: topicArn,
      Region: 'eu-west-1',
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Condition: { ArnEquals: { 'aws:SourceArn': topicArn } } }),
        ]),
      },
    });
    expect(environmentOf(template).DRIVER_TOPIC_ARN).toBe(topicArn);
  });

  test('keeps logs for the configured number of days', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

describe('the region', () => {
  const config = parseAppConfig({ slackChannels: 'C0123456789' });

  test('a stack in another region than the topic is refused, saying why', () => {
    const build = () =>
      new Ec2DriverRelayStack(templateTestApp(), 'Relay', { config, env: { region: 'eu-central-1' } });
    expect(build).toThrow(
      'The stack has region eu-central-1, but it must be deployed in us-east-1, the region of arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers',
    );
  });

  test('a stack without a fixed region is refused too', () => {
    const build = () => new Ec2DriverRelayStack(templateTestApp(), 'Relay', { config });
    expect(build).toThrow('The stack has no fixed region, but it must be deployed in us-east-1');
  });

  test('the stack is built in the topic’s region', () => {
    const stack = new Ec2DriverRelayStack(templateTestApp(), 'Relay', { config, env: { region: config.topicRegion } });
    expect(Stack.of(stack).region).toBe('us-east-1');
  });
});
