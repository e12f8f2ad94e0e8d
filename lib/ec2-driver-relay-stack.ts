import {
  Annotations,
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { type CfnSecret, type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { RelayError } from '../lambda/core/errors.js';
import type { RelayConfig } from './app-config.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { RelayAlarms } from './relay-alarms.js';
import { RelayFunction } from './relay-function.js';

export interface Ec2DriverRelayStackProps extends StackProps {
  readonly config: RelayConfig;
}

/** How long the function keeps trying one notification before it goes to the failure queue. */
const MAX_RETRY_ATTEMPTS = 2;
const MAX_EVENT_AGE_HOURS = 6;

/**
 * The relay as users deploy it: the function subscribed to the driver topic, with every undelivered notification
 * kept in a dead-letter queue (SNS could not invoke it; or it failed after its retries) and alarmed on.
 */
export class Ec2DriverRelayStack extends Stack {
  readonly relayFunction: RelayFunction;
  /** Notifications SNS could not hand to the function (body: the SNS notification JSON). */
  readonly subscriptionDeadLetters: DeadLetterQueue;
  /** Invocations that failed after Lambda's retries (body: the on-failure destination record). */
  readonly failedInvocations: DeadLetterQueue;
  readonly deliveryTable: Table;
  readonly alarmTopic: Topic;
  readonly emailTopic: Topic | undefined;
  readonly slackTokenSecret: ISecret | undefined;

  constructor(scope: Construct, id: string, props: Ec2DriverRelayStackProps) {
    super(scope, id, props);
    const { config } = props;
    requireTopicRegion(this, config);

    const topicKey = new Key(this, 'TopicKey', {
      description: 'Encrypts the driver relay email and alarm topics',
      enableKeyRotation: true,
      // Only this stack's topics use the key; it goes (after KMS's waiting period) when they do.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarms to the encrypted alarm topic and needs the key for that (the form SNS documents).
    // The conditions keep the service from using it on behalf of anyone else's alarms (confused deputy): only
    // alarms of this account, in this region. Naming the alarm topic too (kms:EncryptionContext) would make the
    // key and the topic refer to each other, a cycle CloudFormation refuses.
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    this.deliveryTable = new Table(this, 'DeliveryRecords', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      // Records only stop a notification being delivered twice and expire on their own; nothing to keep.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.emailTopic =
      config.emailAddresses.length > 0
        ? new Topic(this, 'EmailTopic', {
            displayName: 'EC2 Windows driver releases',
            masterKey: topicKey,
            enforceSSL: true,
          })
        : undefined;
    for (const address of config.emailAddresses) this.emailTopic?.addSubscription(new EmailSubscription(address));

    this.slackTokenSecret = config.slackChannels.length > 0 ? slackTokenSecret(this, config) : undefined;

    this.relayFunction = new RelayFunction(this, 'Relay', {
      description: 'Relays EC2 Windows driver release notifications to Slack and email',
      logRetention: config.logRetentionDays,
      environment: relayEnvironment({
        config,
        tableName: this.deliveryTable.tableName,
        emailTopicArn: this.emailTopic?.topicArn,
        // An existing secret goes by its name: its partial ARN is ambiguous when the name ends in "-" and six
        // characters (Secrets Manager takes those for the ARN's random suffix and finds no secret).
        slackTokenSecretId: config.slackTokenSecretName ?? this.slackTokenSecret?.secretArn,
      }),
    });
    // Exactly what the delivery records need: read, claim (conditional put/update) and release one record.
    this.deliveryTable.grant(
      this.relayFunction,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
    if (this.emailTopic !== undefined) {
      // Spelled out rather than grantPublish, whose kms:GenerateDataKey* also covers data keys SNS never asks for.
      iam.Grant.addToPrincipal({
        grantee: this.relayFunction,
        actions: ['sns:Publish'],
        resourceArns: [this.emailTopic.topicArn],
      });
      topicKey.grant(this.relayFunction, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    this.slackTokenSecret?.grantRead(this.relayFunction);

    this.failedInvocations = new DeadLetterQueue(this, 'FailedInvocations');
    this.relayFunction.configureAsyncInvoke({
      retryAttempts: MAX_RETRY_ATTEMPTS,
      maxEventAge: Duration.hours(MAX_EVENT_AGE_HOURS),
      onFailure: new SqsDestination(this.failedInvocations),
    });

    this.subscriptionDeadLetters = new DeadLetterQueue(this, 'SubscriptionDeadLetters');
    const driverTopic: ITopic = Topic.fromTopicArn(this, 'DriverTopic', config.topicArn);
    // Adds the lambda permission scoped to the topic and the queue policy letting only this topic's SNS write.
    driverTopic.addSubscription(
      new LambdaSubscription(this.relayFunction, { deadLetterQueue: this.subscriptionDeadLetters }),
    );

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'EC2 driver relay alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    const alarmEmail = config.alarmEmail ?? config.emailAddresses[0];
    if (alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new EmailSubscription(alarmEmail));
    } else {
      // Synth still succeeds (a Slack-only deploy is valid), but nobody would hear of a lost notification.
      Annotations.of(this).addWarningV2(
        'ec2-driver-relay:no-alarm-subscriber',
        'No one is subscribed to the alarm topic, so dead letters, function errors and dropped notifications ' +
          'alarm nobody. Set -c alarmEmail=you@example.com (or -c emailAddresses=...), or subscribe someone to ' +
          'the AlarmTopicArn output after deploying.',
      );
    }
    new RelayAlarms(this, 'Alarms', {
      fn: this.relayFunction,
      topic: this.alarmTopic,
      deadLetterQueues: [
        { label: 'Subscription', queue: this.subscriptionDeadLetters },
        { label: 'FailedInvocation', queue: this.failedInvocations },
      ],
      relayMetrics: RELAY_METRICS,
    });

    this.acknowledgeNagFindings();
    this.addOutputs(alarmEmail);
  }

  /** cdk-nag findings that stay, each with why (AwsSolutionsChecks runs on the app; see bin/). */
  private acknowledgeNagFindings(): void {
    for (const queue of [this.subscriptionDeadLetters, this.failedInvocations]) {
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself a dead-letter queue (of the SNS subscription or of the Lambda on-failure destination); ' +
          'cdk-nag only recognises queues named in another queue’s redrive policy.',
      });
    }
    if (this.slackTokenSecret instanceof Secret) {
      Validations.of(this.slackTokenSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'A Slack bot token is issued by Slack, not generated by AWS: Secrets Manager cannot rotate it. ' +
          'It is revoked and replaced in Slack, then put here.',
      });
    }
  }

  private addOutputs(alarmEmail: string | undefined): void {
    new CfnOutput(this, 'FunctionName', {
      value: this.relayFunction.functionName,
      description: 'The relay function (driver-relay replay --function)',
    });
    new CfnOutput(this, 'LogGroupName', {
      value: this.relayFunction.logGroup.logGroupName,
      description: "The function's logs (its own log group, not /aws/lambda/<FunctionName>)",
    });
    new CfnOutput(this, 'SubscriptionDeadLetterQueueUrl', {
      value: this.subscriptionDeadLetters.queueUrl,
      description: 'Notifications SNS could not deliver to the function (driver-relay replay --queue-url)',
    });
    new CfnOutput(this, 'FailedInvocationQueueUrl', {
      value: this.failedInvocations.queueUrl,
      description: 'Notifications the function failed on after its retries (driver-relay replay --queue-url)',
    });
    if (this.slackTokenSecret !== undefined) {
      new CfnOutput(this, 'SlackTokenSecretName', {
        value: this.slackTokenSecret.secretName,
        description: 'Put the Slack bot token (xoxb-…) in this secret',
      });
      new CfnOutput(this, 'SlackTokenSecretArn', { value: this.slackTokenSecret.secretArn });
    }
    if (this.emailTopic !== undefined) {
      new CfnOutput(this, 'EmailTopicArn', {
        value: this.emailTopic.topicArn,
        description: 'Alerts by email; each address must confirm its subscription',
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description:
        alarmEmail === undefined
          ? 'Alarms (no subscriber configured: subscribe someone, or set alarmEmail)'
          : `Alarms, sent to ${alarmEmail}`,
    });
  }
}

/**
 * An SNS subscription's dead-letter queue must be in the topic's region, so the stack must be too; deployed
 * anywhere else (or region-agnostic) it would lose the no-loss guarantee, so synth refuses.
 */
function requireTopicRegion(stack: Stack, config: RelayConfig): void {
  if (Token.isUnresolved(stack.region) || stack.region !== config.topicRegion) {
    const where = Token.isUnresolved(stack.region) ? 'no fixed region' : `region ${stack.region}`;
    throw new RelayError(
      'invalid-config',
      `The stack has ${where}, but it must be deployed in ${config.topicRegion}, the region of ${config.topicArn}: ` +
        'an SNS subscription’s dead-letter queue has to be in the topic’s region, so the stack goes there.',
    );
  }
}

/** The Slack bot token: the named existing secret, or a new empty one the user fills after deploying. */
function slackTokenSecret(scope: Construct, config: RelayConfig): ISecret {
  if (config.slackTokenSecretName !== undefined) {
    return Secret.fromSecretNameV2(scope, 'SlackToken', config.slackTokenSecretName);
  }
  const secret = new Secret(scope, 'SlackToken', {
    description: 'Slack bot token (xoxb-…) the EC2 driver relay posts with; put it here after deploying',
  });
  // CloudFormation creates an empty secret when it has neither a value nor a generator. Without this, CDK would
  // generate a random password, which Slack would only reject later as invalid_auth.
  (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
  return secret;
}

/** Where the function's Powertools metrics go: their namespace and `service` dimension. */
export const RELAY_METRICS = { namespace: 'Ec2DriverRelay', service: 'ec2-driver-relay' } as const;

/** The handler's configuration contract (see lambda/handler.ts). The token itself never goes in here. */
export function relayEnvironment(parts: {
  config: RelayConfig;
  tableName: string;
  emailTopicArn: string | undefined;
  /** The secret's name or ARN (Secrets Manager's SecretId). */
  slackTokenSecretId: string | undefined;
}): Record<string, string> {
  const { config } = parts;
  return {
    ...(config.slackChannels.length > 0 && parts.slackTokenSecretId !== undefined
      ? { SLACK_CHANNELS: config.slackChannels.join(','), SLACK_TOKEN_SECRET_ID: parts.slackTokenSecretId }
      : {}),
    ...(parts.emailTopicArn !== undefined ? { EMAIL_TOPIC_ARN: parts.emailTopicArn } : {}),
    DELIVERY_TABLE_NAME: parts.tableName,
    LIVE_CHANGELOG: 'true',
    POWERTOOLS_SERVICE_NAME: RELAY_METRICS.service,
    POWERTOOLS_METRICS_NAMESPACE: RELAY_METRICS.namespace,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
}
