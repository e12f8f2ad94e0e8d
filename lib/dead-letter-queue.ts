import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /**
   * How long an undelivered notification waits for someone to fix the cause and move it back. SQS keeps a message's
   * first enqueue time when it moves it here, so this must be longer than the work queue's retention.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * Where the work queue's redrive policy puts a notification the function failed on receive after receive, until a
 * person fixes the cause and moves it back with SQS's own redrive (`aws sqs start-message-move-task`).
 * Encrypted with SQS-managed keys (SSE-SQS) like the work queue, so a message moves between them without a key grant.
 */
export class DeadLetterQueue extends Queue {
  constructor(scope: Construct, id: string, props: DeadLetterQueueProps = {}) {
    super(scope, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
    });
  }
}
