import type { SNSClient } from '@aws-sdk/client-sns';
import { snsSubject } from '../core/email-message.js';
import { RelayError } from '../core/errors.js';
import type { DeliveryReceipt, Destination, EmailPayload } from '../ports.js';

/**
 * Publishes the email to the stack's topic; SNS mails it to every confirmed subscriber.
 * Throws RelayError 'email-failed' (naming the topic and the AWS error) so the caller releases its claim and the
 * invocation is retried.
 */
export async function publishEmail(
  sns: SNSClient,
  topicArn: string,
  { subject, body }: EmailPayload,
): Promise<{ messageId: string | undefined }> {
  // Imported here, not at the top: esbuild hoists a static import of an external package to the top of the
  // bundle, which would load the SNS client on every cold start, Slack-only ones included.
  const { PublishCommand } = await import('@aws-sdk/client-sns');
  try {
    const published = await sns.send(
      new PublishCommand({ TopicArn: topicArn, Subject: snsSubject(subject), Message: body }),
    );
    return { messageId: published.MessageId };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'UnknownError';
    const advice =
      ADVICE[name] ?? 'SQS delivers the notification again; after its last receive it goes to the dead-letter queue.';
    throw new RelayError('email-failed', `Could not publish the alert email to ${topicArn}: ${name}. ${advice}`, {
      cause: error,
    });
  }
}

/**
 * A destination that publishes each alert's email rendering to one topic (id `email:<topicArn>`), and later its
 * follow-up email when the alert is amended. Both throw like publishEmail.
 */
export function emailDestination(sns: SNSClient, topicArn: string): Destination {
  const publish = async (email: EmailPayload): Promise<DeliveryReceipt> => {
    const { messageId } = await publishEmail(sns, topicArn, email);
    return messageId === undefined ? {} : { ref: messageId };
  };
  return {
    id: `email:${topicArn}`,
    send: (alert) => publish(alert.email),
    amend: (amendment) => publish(amendment.email),
  };
}

const ADVICE: Readonly<Record<string, string>> = {
  NotFoundException: 'Check EMAIL_TOPIC_ARN: the topic does not exist in this account and region.',
  AuthorizationErrorException: "Grant the function's role sns:Publish on the topic.",
  KMSAccessDeniedException: "Grant the function's role kms:GenerateDataKey and kms:Decrypt on the topic's key.",
  InvalidParameterValueException:
    'SNS refused the rendered email: report this with the SNS event, it is a bug in the relay.',
  InvalidParameterException:
    'SNS refused the rendered email: report this with the SNS event, it is a bug in the relay.',
};
