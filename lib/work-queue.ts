import { Duration } from 'aws-cdk-lib';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * Receives of one message before SQS moves it to the dead-letter queue. AWS advises at least 5 for a queue feeding
 * Lambda: a throttled function can leave a received message unprocessed, and every such receive counts. Five
 * receives, each after a full visibility timeout, also give a fault that clears by itself (Slack or DynamoDB down
 * for a while, a rotated token) half an hour to clear before a person is paged.
 */
export const MAX_RECEIVE_COUNT = 5;

/** AWS's advice for an SQS event source: a visibility timeout of at least six times the function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface WorkQueueProps {
  /** Where a message goes after MAX_RECEIVE_COUNT receives that did not delete it. */
  readonly deadLetterQueue: IQueue;
  /**
   * The timeout of the function reading the queue. A received message stays invisible for six times that: the
   * extra time lets Lambda retry a throttled invocation before the message shows up again for another receive.
   */
  readonly consumerTimeout: Duration;
  /**
   * @default Duration.days(4) (SQS's default; the dead-letter queue keeps messages longer)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * The queue between the driver topic and the function: SNS writes each notification to it (the SNS message, not
 * raw, as the body), the function reads it through an SQS event source, and what fails MAX_RECEIVE_COUNT times moves
 * to the dead-letter queue. Encrypted with SQS-managed keys (SSE-SQS): SNS can write to it without a customer-managed
 * key whose policy admits the SNS service. TLS only.
 */
export class WorkQueue extends Queue {
  /** How long the oldest message may wait before something is wrong: every receive it can get, twice over. */
  readonly longestExpectedWait: Duration;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    const visibilityTimeout = Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR);
    super(scope, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      deadLetterQueue: { queue: props.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.longestExpectedWait = Duration.seconds(2 * MAX_RECEIVE_COUNT * visibilityTimeout.toSeconds());
  }
}
