import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_TOPIC_ARN, parseAppConfig } from '../lib/app-config.js';
import { Ec2DriverRelayStack } from '../lib/ec2-driver-relay-stack.js';
import { templateTestApp } from './support/cdk-context.js';

// Every test here only reads the template, so one stack is synthesized for all of them (bundling skipped).
const app = templateTestApp();
const stack = new Ec2DriverRelayStack(app, 'Relay', {
  config: parseAppConfig({
    slackChannels: 'C0123456789,G0ABCDEF12',
    emailAddresses: 'ops@example.com,windows-team@example.com',
    alarmEmail: 'oncall@example.com',
  }),
  env: { account: '123456789012', region: 'us-east-1' },
});
const template = Template.fromStack(stack);

const logicalId = (type: string, props: Record<string, unknown> = {}): string => {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching, found ${ids.length}`);
  return ids[0] as string;
};
const functionId = logicalId('AWS::Lambda::Function');
const subscriptionDlqId = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) =>
  id.startsWith('SubscriptionDeadLetters'),
) as string;
const failureQueueId = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) =>
  id.startsWith('FailedInvocations'),
) as string;
const emailTopicId = logicalId('AWS::SNS::Topic', { DisplayName: 'EC2 Windows driver releases' });
const alarmTopicId = logicalId('AWS::SNS::Topic', { DisplayName: 'EC2 driver relay alarms' });
const secretId = logicalId('AWS::SecretsManager::Secret');
const tableId = logicalId('AWS::DynamoDB::Table');
const keyId = logicalId('AWS::KMS::Key');
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe('the subscription to the driver topic', () => {
  test('subscribes the function to ec2-windows-drivers in us-east-1, with the subscription dead-letter queue', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2 + 1 + 1); // two emails, one alarm email, the function
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Region: 'us-east-1',
      TopicArn: DEFAULT_TOPIC_ARN,
      Endpoint: arnOf(functionId),
      RedrivePolicy: { deadLetterTargetArn: arnOf(subscriptionDlqId) },
    });
  });

  test('lets SNS invoke the function only for that topic', () => {
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(functionId),
      Principal: 'sns.amazonaws.com',
      SourceArn: DEFAULT_TOPIC_ARN,
    });
  });

  test('lets SNS write to the subscription dead-letter queue only on behalf of that topic', () => {
    const [policy] = Object.values(
      template.findResources('AWS::SQS::QueuePolicy', {
        Properties: { Queues: [{ Ref: subscriptionDlqId }] },
      }),
    );
    const allows = policy?.Properties.PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: arnOf(subscriptionDlqId),
        Condition: { ArnEquals: { 'aws:SourceArn': DEFAULT_TOPIC_ARN } },
      },
    ]);
  });
});

describe('asynchronous invocation', () => {
  test('retries a bounded number of times for a bounded time, then sends the event to the failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: arnOf(failureQueueId) } },
    });
  });
});

describe('the dead-letter queues', () => {
  test.each([
    ['subscription dead-letter queue', () => subscriptionDlqId],
    ['failure queue', () => failureQueueId],
  ])('the %s is encrypted, keeps messages 14 days and refuses non-TLS access', (_name, id) => {
    expect(template.toJSON().Resources[id()].Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('the function', () => {
  test('runs the newest Node.js on ARM64 with 256 MB and a 60 s timeout', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 60,
      Handler: 'index.handler',
    });
  });

  test('receives exactly the configuration the handler reads, and never the Slack token', () => {
    const variables = template.toJSON().Resources[functionId].Properties.Environment.Variables;
    expect(variables).toEqual({
      SLACK_CHANNELS: 'C0123456789,G0ABCDEF12',
      SLACK_TOKEN_SECRET_ID: { Ref: secretId },
      EMAIL_TOPIC_ARN: { Ref: emailTopicId },
      DELIVERY_TABLE_NAME: { Ref: tableId },
      LIVE_CHANGELOG: 'true',
      POWERTOOLS_SERVICE_NAME: 'ec2-driver-relay',
      POWERTOOLS_METRICS_NAMESPACE: 'Ec2DriverRelay',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  test('logs to its own log group, kept for the default 90 days', () => {
    const logGroupId = logicalId('AWS::Logs::LogGroup');
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroupId } } });
  });
});

describe('least privilege', () => {
  const statements = () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    return policies[0]?.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[];
  };

  test('the execution role carries no managed policy', () => {
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('every permission names its resource: log group, table, email topic and key, secret, failure queue', () => {
    expect(statements()).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arnOf(logicalId('AWS::Logs::LogGroup')),
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: arnOf(tableId),
      },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: emailTopicId } },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: arnOf(keyId) },
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: { Ref: secretId },
      },
      {
        Effect: 'Allow',
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Resource: arnOf(failureQueueId),
      },
    ]);
  });

  test('the Slack-token secret has no resource policy opening it to anyone else', () => {
    template.resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
  });
});

describe('the Slack-token secret', () => {
  test('is created empty, for the user to put the bot token in (no generated password)', () => {
    const properties = template.toJSON().Resources[secretId].Properties;
    expect(properties.GenerateSecretString).toBeUndefined();
    expect(properties.SecretString).toBeUndefined();
  });
});

describe('the delivery-records table', () => {
  test('is on-demand, keyed by pk, expires records by expiresAt and has point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});

describe('email', () => {
  test('each configured address is subscribed to the encrypted email topic', () => {
    for (const address of ['ops@example.com', 'windows-team@example.com']) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: address,
        TopicArn: { Ref: emailTopicId },
      });
    }
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'EC2 Windows driver releases',
      KmsMasterKeyId: arnOf(keyId),
    });
  });

  test('both topics refuse publishing without TLS', () => {
    for (const topicId of [emailTopicId, alarmTopicId]) {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
        },
      });
    }
  });

  test('the topic key rotates and lets CloudWatch publish alarms to the encrypted alarm topic', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  test('CloudWatch may use the topic key only for alarms of this account in this region', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    const forCloudWatch = key?.Properties.KeyPolicy.Statement.filter(
      (s: { Principal: { Service?: string } }) => s.Principal.Service === 'cloudwatch.amazonaws.com',
    );
    expect(forCloudWatch.map((s: { Condition: unknown }) => s.Condition)).toEqual([
      {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:*' },
      },
    ]);
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm'));

  test('one message in either dead-letter queue raises an alarm', () => {
    for (const queueId of [subscriptionDlqId, failureQueueId]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  test('one function error raises an alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test.each([
    ['Lambda could not put a failed notification in the failure queue', 'DestinationDeliveryFailures'],
    ['Lambda dropped a notification (too old, retries used up, or throttled)', 'AsyncEventsDropped'],
  ])('%s: raises an alarm at the first occurrence', (_name, metricName) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopicId }],
    });
  });

  test('one alert that went out but could not be recorded raises an alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Ec2DriverRelay',
      MetricName: 'DeliveredNotRecorded',
      Dimensions: [{ Name: 'service', Value: 'ec2-driver-relay' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopicId }],
    });
  });

  test('every alarm notifies the alarm topic, and alarmEmail is subscribed to it', () => {
    expect(alarms()).toHaveLength(6);
    for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: alarmTopicId }]);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: alarmTopicId },
    });
  });
});

describe('outputs', () => {
  test('name what the walk-through and driver-relay replay need', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.FunctionName.Value).toEqual({ Ref: functionId });
    expect(outputs.SubscriptionDeadLetterQueueUrl.Value).toEqual({ Ref: subscriptionDlqId });
    expect(outputs.FailedInvocationQueueUrl.Value).toEqual({ Ref: failureQueueId });
    expect(outputs.SlackTokenSecretArn.Value).toEqual({ Ref: secretId });
    expect(outputs.SlackTokenSecretName).toBeDefined();
    expect(outputs.EmailTopicArn.Value).toEqual({ Ref: emailTopicId });
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: alarmTopicId });
  });
});
