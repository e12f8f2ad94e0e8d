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
const workQueueId = logicalId('AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
const deadLetterQueueId = logicalId('AWS::SQS::Queue', { RedrivePolicy: Match.absent() });
const emailTopicId = logicalId('AWS::SNS::Topic', { DisplayName: 'EC2 Windows driver releases' });
const alarmTopicId = logicalId('AWS::SNS::Topic', { DisplayName: 'EC2 driver relay alarms' });
const secretId = logicalId('AWS::SecretsManager::Secret');
const tableId = logicalId('AWS::DynamoDB::Table');
const keyId = logicalId('AWS::KMS::Key');
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

const queuePolicyOf = (queueId: string) => {
  const [policy] = Object.values(
    template.findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [{ Ref: queueId }] } }),
  );
  return policy?.Properties.PolicyDocument.Statement as { Effect: string }[];
};

describe('the path a notification takes: driver topic -> work queue -> function', () => {
  test('subscribes the work queue to ec2-windows-drivers in us-east-1, keeping the SNS message as the body', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2 + 1 + 1); // two emails, one alarm email, the work queue
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Region: 'us-east-1',
      TopicArn: DEFAULT_TOPIC_ARN,
      Endpoint: arnOf(workQueueId),
      // Raw delivery would drop the MessageId, Subject and TopicArn the function needs.
      RawMessageDelivery: false,
      // One dead-letter queue, the work queue's own: no second one on the subscription.
      RedrivePolicy: Match.absent(),
    });
  });

  test('lets SNS write to the work queue only on behalf of that topic', () => {
    expect(queuePolicyOf(workQueueId).filter((s) => s.Effect === 'Allow')).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: arnOf(workQueueId),
        Condition: { ArnEquals: { 'aws:SourceArn': DEFAULT_TOPIC_ARN } },
      },
    ]);
  });

  test('the function reads the work queue and reports each failed record on its own', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(workQueueId),
      FunctionName: { Ref: functionId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('nothing may invoke the function through its resource policy (the watch’s schedule uses a role of its own)', () => {
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });
});

describe('the work queue and its one dead-letter queue', () => {
  test('there are exactly two queues: the work queue and its dead-letter queue', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
  });

  test('the work queue hides a received message for six times the function timeout, and moves it to the dead-letter queue after 5 receives', () => {
    expect(template.toJSON().Resources[workQueueId].Properties).toEqual({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 6 * 60,
      MessageRetentionPeriod: 4 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterQueueId), maxReceiveCount: 5 },
    });
  });

  test('the dead-letter queue keeps messages 14 days, longer than the work queue (SQS keeps their first enqueue time)', () => {
    expect(template.toJSON().Resources[deadLetterQueueId].Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  test.each([
    ['work queue', () => workQueueId],
    ['dead-letter queue', () => deadLetterQueueId],
  ])('the %s refuses non-TLS access', (_name, id) => {
    expect(queuePolicyOf(id())).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sqs:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  test('nothing but SQS’s redrive writes to the dead-letter queue', () => {
    expect(queuePolicyOf(deadLetterQueueId).filter((s) => s.Effect === 'Allow')).toEqual([]);
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
      DRIVER_TOPIC_ARN: DEFAULT_TOPIC_ARN,
      DELIVERY_TABLE_NAME: { Ref: tableId },
      LIVE_CHANGELOG: 'true',
      FLEET_REGIONS: 'us-east-1',
      UNANNOUNCED_AFTER_HOURS: '24',
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
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: {
          Roles: [{ Ref: logicalId('AWS::IAM::Role', { Description: Match.stringLikeRegexp('^Execution role') }) }],
        },
      }),
    );
    expect(policies).toHaveLength(1);
    return policies[0]?.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[];
  };

  test('the execution role carries no managed policy', () => {
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('every permission names its resource (log group, table, email topic and key, secret, work queue) but one', () => {
    expect(statements()).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arnOf(logicalId('AWS::Logs::LogGroup')),
      },
      {
        Effect: 'Allow',
        // Scan for the version-history watch (on by default), which reads every alert record.
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
        Resource: arnOf(tableId),
      },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: emailTopicId } },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: arnOf(keyId) },
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: { Ref: secretId },
      },
      // Fleet impact (on by default): GetInventory supports no resource-level permissions.
      { Effect: 'Allow', Action: 'ssm:GetInventory', Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        Resource: arnOf(workQueueId),
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
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
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

  test('CloudWatch may use the topic key only for this stack’s alarms (of this account, in this region)', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    const forCloudWatch = key?.Properties.KeyPolicy.Statement.filter(
      (s: { Principal: { Service?: string } }) => s.Principal.Service === 'cloudwatch.amazonaws.com',
    );
    expect(forCloudWatch.map((s: { Condition: unknown }) => s.Condition)).toEqual([
      {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:Relay-*' },
      },
    ]);
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm'));

  test('one message in the dead-letter queue raises an alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Relay-DeadLetters',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('a notification waiting in the work queue longer than all its receives take (5 x 6 min, twice over) raises an alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Relay-NotificationsNotRead',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [workQueueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 3600,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
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

  // The watch's schedule is the one asynchronous caller: a dropped watch event is HistoryWatchNotRunning's to notice.
  test('no alarm is left that cannot fire (AsyncEventsDropped, DestinationDeliveryFailures: no destination)', () => {
    const metrics = alarms().map((alarm) => alarm.Properties.MetricName);
    expect(metrics).not.toContain('AsyncEventsDropped');
    expect(metrics).not.toContain('DestinationDeliveryFailures');
  });

  test('every alarm is named for the stack and notifies the alarm topic, and alarmEmail is subscribed to it', () => {
    expect(alarms()).toHaveLength(6);
    for (const alarm of alarms()) {
      expect(alarm.Properties.AlarmName).toMatch(/^Relay-/);
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: alarmTopicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: alarmTopicId }]);
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: alarmTopicId },
    });
  });
});

describe('the alarm topic', () => {
  test('lets CloudWatch publish, for this stack’s alarms only (a topic policy replaces the default one)', () => {
    const [policy] = Object.values(
      template.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: alarmTopicId }] } }),
    );
    const allows = policy?.Properties.PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Sid: 'AllowCloudWatchAlarmsToPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: alarmTopicId },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:Relay-*' },
        },
      },
    ]);
  });
});

describe('outputs', () => {
  test('name what the walk-through and a move back from the dead-letter queue need', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.FunctionName.Value).toEqual({ Ref: functionId });
    expect(outputs.DeadLetterQueueArn.Value).toEqual(arnOf(deadLetterQueueId));
    expect(outputs.DeadLetterQueueUrl.Value).toEqual({ Ref: deadLetterQueueId });
    expect(outputs.WorkQueueUrl.Value).toEqual({ Ref: workQueueId });
    expect(outputs).not.toHaveProperty('SubscriptionDeadLetterQueueUrl');
    expect(outputs).not.toHaveProperty('FailedInvocationQueueUrl');
    expect(outputs.SlackTokenSecretArn.Value).toEqual({ Ref: secretId });
    expect(outputs.SlackTokenSecretName).toBeDefined();
    expect(outputs.EmailTopicArn.Value).toEqual({ Ref: emailTopicId });
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: alarmTopicId });
  });
});
