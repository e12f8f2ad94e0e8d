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
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type CfnSecret, type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { Env } from '../lambda/core/config-contract.js';
import { RelayError } from '../lambda/core/errors.js';
import type { StackConfig } from './app-config.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { HistoryWatch } from './history-watch.js';
import { alarmNamePrefix, RelayAlarms } from './relay-alarms.js';
import { RelayFunction } from './relay-function.js';
import { WorkQueue } from './work-queue.js';

export interface Ec2DriverRelayStackProps extends StackProps {
  readonly config: StackConfig;
}

/** Enough for a live page fetch, Slack and email with their retries; the work queue's visibility follows it. */
const FUNCTION_TIMEOUT = Duration.seconds(60);

/**
 * The relay as users deploy it: the driver topic -> an SQS work queue -> the function (an SQS event source), with
 * a notification that fails on every receive kept in one dead-letter queue, and alarms that can reach a person.
 */
export class Ec2DriverRelayStack extends Stack {
  readonly relayFunction: RelayFunction;
  /** The driver topic's notifications, waiting for the function (body: the SNS message JSON). */
  readonly workQueue: WorkQueue;
  /** What the function failed on, receive after receive (body: the SNS message JSON, as in the work queue). */
  readonly deadLetterQueue: DeadLetterQueue;
  readonly deliveryTable: Table;
  readonly alarmTopic: Topic;
  readonly emailTopic: Topic | undefined;
  readonly slackTokenSecret: ISecret | undefined;
  /** The schedule running the version-history watch; undefined when `watchEvery` is off. */
  readonly historyWatch: HistoryWatch | undefined;

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
    // The conditions keep the service from using it on behalf of any other alarm (confused deputy): only this
    // stack's alarms, by their name prefix. Naming the alarms or the topic themselves would make the key, the topic
    // and the alarms refer to each other in a cycle CloudFormation refuses.
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: this.fromThisStacksAlarms(),
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
      timeout: FUNCTION_TIMEOUT,
      logRetention: config.logRetentionDays,
      environment: relayEnvironment({
        config,
        region: this.region,
        tableName: this.deliveryTable.tableName,
        emailTopicArn: this.emailTopic?.topicArn,
        // An existing secret goes by its name: its partial ARN is ambiguous when the name ends in "-" and six
        // characters (Secrets Manager takes those for the ARN's random suffix and finds no secret).
        slackTokenSecretId: config.slackTokenSecretName ?? this.slackTokenSecret?.secretArn,
      }),
    });
    // Exactly what the delivery records need: read, claim (conditional put/update) and release one record; and, for
    // the version-history watch only, read every alert record kept there to compare it with the pages.
    this.deliveryTable.grant(
      this.relayFunction,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      ...(config.watchEvery !== null ? ['dynamodb:Scan'] : []),
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
    if (config.fleetImpact) this.grantInventoryRead();

    this.historyWatch =
      config.watchEvery !== null
        ? new HistoryWatch(this, 'HistoryWatch', { fn: this.relayFunction, every: config.watchEvery })
        : undefined;

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue');
    this.workQueue = new WorkQueue(this, 'WorkQueue', {
      deadLetterQueue: this.deadLetterQueue,
      consumerTimeout: FUNCTION_TIMEOUT,
    });
    // Created from this account (the topic's owner lets anyone subscribe), so it needs no confirmation. The SNS
    // message stays the body, not raw: its MessageId keys the delivery records, its TopicArn is checked, its Subject
    // is part of the alert. Also adds the queue policy letting SNS write on behalf of this topic only.
    const driverTopic: ITopic = Topic.fromTopicArn(this, 'DriverTopic', config.topicArn);
    driverTopic.addSubscription(new SqsSubscription(this.workQueue, { rawMessageDelivery: false }));
    // Reads and deletes from the work queue; a failed record is reported on its own (batchItemFailures), so the
    // records that went out are not sent again with it.
    this.relayFunction.addEventSource(new SqsEventSource(this.workQueue, { reportBatchItemFailures: true }));

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'EC2 driver relay alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, which is what lets CloudWatch publish to a topic without a
    // policy: without this statement every alarm would fail to notify, silently. Scoped like the key grant above.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: this.fromThisStacksAlarms(),
      }),
    );
    const alarmEmail = config.alarmEmail ?? config.emailAddresses[0];
    if (alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new EmailSubscription(alarmEmail));
    } else {
      // Synth still succeeds (a Slack-only deploy is valid), but nobody would hear of a lost notification.
      Annotations.of(this).addWarningV2(
        'ec2-driver-relay:no-alarm-subscriber',
        'No one is subscribed to the alarm topic, so dead letters, function errors and unread notifications ' +
          'alarm nobody. Set -c alarmEmail=you@example.com (or -c emailAddresses=...), or subscribe someone to ' +
          'the AlarmTopicArn output after deploying.',
      );
    }
    new RelayAlarms(this, 'Alarms', {
      fn: this.relayFunction,
      topic: this.alarmTopic,
      workQueue: this.workQueue,
      longestExpectedWait: this.workQueue.longestExpectedWait,
      deadLetterQueue: this.deadLetterQueue,
      relayMetrics: RELAY_METRICS,
      watchEvery: config.watchEvery ?? undefined,
    });

    this.acknowledgeNagFindings();
    this.addOutputs(alarmEmail);
  }

  /** Conditions on a statement for the CloudWatch service: on behalf of this stack's alarms only. */
  private fromThisStacksAlarms(): Record<string, Record<string, string>> {
    return {
      StringEquals: { 'aws:SourceAccount': this.account },
      ArnLike: {
        'aws:SourceArn': this.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `${alarmNamePrefix(this)}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
  }

  /**
   * Read-only access to SSM Inventory for the fleet section. GetInventory has no resource-level permissions (the
   * Service Authorization Reference lists no resource type for it), so the only resource it can be granted on is *.
   */
  private grantInventoryRead(): void {
    iam.Grant.addToPrincipal({ grantee: this.relayFunction, actions: ['ssm:GetInventory'], resourceArns: ['*'] });
    Validations.of(this.relayFunction.role ?? this.relayFunction).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ssm:GetInventory supports no resource-level permissions, so it can only be granted on "*". It is read-only ' +
        'and is the only action granted on "*"; it is granted only when fleet impact is on (context fleetImpact).',
    });
  }

  /** cdk-nag findings that stay, each with why (AwsSolutionsChecks runs on the app; see bin/). */
  private acknowledgeNagFindings(): void {
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
    new CfnOutput(this, 'FunctionName', { value: this.relayFunction.functionName, description: 'The relay function' });
    new CfnOutput(this, 'LogGroupName', {
      value: this.relayFunction.logGroup.logGroupName,
      description: "The function's logs (its own log group, not /aws/lambda/<FunctionName>)",
    });
    new CfnOutput(this, 'WorkQueueUrl', {
      value: this.workQueue.queueUrl,
      description: 'The driver topic’s notifications, waiting for the function',
    });
    new CfnOutput(this, 'DeadLetterQueueArn', {
      value: this.deadLetterQueue.queueArn,
      description:
        'Notifications the function failed on; after fixing the cause: aws sqs start-message-move-task --source-arn <this>',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.deadLetterQueue.queueUrl,
      description: 'The same queue, to read its messages (aws sqs receive-message --queue-url <this>)',
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
 * The work queue is subscribed in the topic's region and kept there, so SNS never delivers across regions (which
 * costs transfer and depends on both regions being enabled); deployed anywhere else, or region-agnostic, synth
 * refuses rather than guess.
 */
function requireTopicRegion(stack: Stack, config: StackConfig): void {
  if (Token.isUnresolved(stack.region) || stack.region !== config.topicRegion) {
    const where = Token.isUnresolved(stack.region) ? 'no fixed region' : `region ${stack.region}`;
    throw new RelayError(
      'invalid-config',
      `The stack has ${where}, but it must be deployed in ${config.topicRegion}, the region of ${config.topicArn}: ` +
        'the queue the topic delivers to is kept in the topic’s region, so the stack goes there.',
    );
  }
}

/** The Slack bot token: the named existing secret, or a new empty one the user fills after deploying. */
function slackTokenSecret(scope: Construct, config: StackConfig): ISecret {
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
  config: StackConfig;
  /** The stack's region: the fleet's when fleetRegions names none. */
  region: string;
  tableName: string;
  emailTopicArn: string | undefined;
  /** The secret's name or ARN (Secrets Manager's SecretId). */
  slackTokenSecretId: string | undefined;
}): Record<string, string> {
  const { config } = parts;
  return {
    ...(config.slackChannels.length > 0 && parts.slackTokenSecretId !== undefined
      ? {
          [Env.slackChannels]: config.slackChannels.join(','),
          [Env.slackTokenSecretId]: parts.slackTokenSecretId,
        }
      : {}),
    ...(parts.emailTopicArn !== undefined ? { [Env.emailTopicArn]: parts.emailTopicArn } : {}),
    [Env.driverTopicArn]: config.topicArn,
    [Env.deliveryTableName]: parts.tableName,
    [Env.liveChangelog]: 'true',
    // Set exactly when ssm:GetInventory is granted: the function reads inventory only then.
    ...(config.fleetImpact
      ? { [Env.fleetRegions]: (config.fleetRegions.length > 0 ? config.fleetRegions : [parts.region]).join(',') }
      : {}),
    // Only the watch reads it, so it is set with the schedule.
    ...(config.watchEvery !== null ? { [Env.unannouncedAfterHours]: String(config.unannouncedAfterHours) } : {}),
    POWERTOOLS_SERVICE_NAME: RELAY_METRICS.service,
    POWERTOOLS_METRICS_NAMESPACE: RELAY_METRICS.namespace,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
}
