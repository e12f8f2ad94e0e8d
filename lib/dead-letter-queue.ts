import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /**
   * How long an undelivered notification waits for someone to fix the cause and replay it.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * A queue that holds what could not be delivered until `driver-relay replay` re-invokes the function with it.
 * Encrypted with SQS-managed keys (SSE-SQS) rather than KMS: SNS can write a subscription's dead letters to it
 * without a customer-managed key whose policy admits the SNS service (the AWS-managed aws/sqs key cannot).
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
