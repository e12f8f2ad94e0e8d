/**
 * Events for tests: the SNS Lambda event fixtures under test/fixtures/events/ and events built from text, and the
 * SQS events the function really receives, made from them as SNS and the work queue would make them.
 * Every call returns a fresh copy, so a test may edit its event without leaking into the next test.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SNSEvent, SNSMessage, SQSEvent, SQSRecord } from 'aws-lambda';

const EVENTS_DIR = join(__dirname, '..', 'fixtures', 'events');

export const DRIVERS_TOPIC_ARN = 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers';
export const WORK_QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:Ec2DriverRelay-WorkQueue94013F35-a1B2c3D4e5F6';
const SUBSCRIPTION_ARN = `${DRIVERS_TOPIC_ARN}:6f1d7c2e-3b8a-4f59-9c41-0e2d5a7b8c93`;

const parsed = new Map<string, unknown>();

function fileName(name: string): string {
  return name.endsWith('.json') || name.endsWith('.txt') ? name : `${name}.json`;
}

/** The raw text of a fixture, e.g. eventText('not-json.txt'). */
export function eventText(name: string): string {
  return readFileSync(join(EVENTS_DIR, fileName(name)), 'utf8');
}

/**
 * A fixture event by name, with or without ".json" (loadEvent('pv-8.6.1')). Typed as an SNSEvent for handler
 * tests; the malformed-* fixtures are deliberately not one.
 */
export function loadEvent(name: string): SNSEvent {
  const file = fileName(name);
  if (!parsed.has(file)) parsed.set(file, JSON.parse(eventText(file)));
  return structuredClone(parsed.get(file)) as SNSEvent;
}

export interface EventText {
  /** null publishes without a subject (SNS then sends Subject null). */
  readonly subject: string | null;
  readonly message: string;
  /** @default a random UUID, so each event is a new delivery */
  readonly messageId?: string;
}

/** A one-record event from the drivers topic carrying the given text, shaped like the fixtures. */
export function snsEvent({ subject, message, messageId = randomUUID() }: EventText): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: SUBSCRIPTION_ARN,
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: DRIVERS_TOPIC_ARN,
          // The aws-lambda types leave out the null SNS really sends when there is no subject.
          Subject: subject as string,
          Message: message,
          Timestamp: '2026-07-21T17:42:09.311Z',
          SignatureVersion: '1',
          Signature: 'dGVzdCBzaWduYXR1cmU=',
          SigningCertUrl:
            'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem',
          UnsubscribeUrl: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${SUBSCRIPTION_ARN}`,
          MessageAttributes: {},
        },
      },
    ],
  };
}

/**
 * The SNS message as SNS writes it to a subscribed SQS queue without raw delivery: the body of the queue message.
 * Its field names differ slightly from a Lambda SNS event's (SigningCertURL, not SigningCertUrl), and SNS leaves
 * Subject and MessageAttributes out rather than sending null or {}.
 */
export function snsMessageBody(sns: SNSMessage): string {
  const attributes =
    Object.keys(sns.MessageAttributes ?? {}).length > 0 ? { MessageAttributes: sns.MessageAttributes } : {};
  return JSON.stringify({
    Type: sns.Type,
    MessageId: sns.MessageId,
    TopicArn: sns.TopicArn,
    ...(sns.Subject === null || sns.Subject === undefined ? {} : { Subject: sns.Subject }),
    Message: sns.Message,
    Timestamp: sns.Timestamp,
    SignatureVersion: sns.SignatureVersion,
    Signature: sns.Signature,
    SigningCertURL: sns.SigningCertUrl,
    UnsubscribeURL: sns.UnsubscribeUrl,
    ...attributes,
  });
}

export interface SqsRecordOptions {
  /** SQS's id for the queue message; it stays the same each time the message is received. @default a random UUID */
  readonly messageId?: string;
  /** @default 1 (the first receive) */
  readonly receiveCount?: number;
}

/** One message from the work queue, as the event source mapping hands it to the function. */
export function sqsRecord(
  body: string,
  { messageId = randomUUID(), receiveCount = 1 }: SqsRecordOptions = {},
): SQSRecord {
  return {
    messageId,
    receiptHandle: `AQEB${messageId.replace(/-/g, '')}${receiveCount}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1784655729311',
      SenderId: 'AIDAIT2UOQQY3AUEKVGXU',
      ApproximateFirstReceiveTimestamp: '1784655729412',
    },
    messageAttributes: {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: WORK_QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

/** The SQS event the function gets for an SNS test event: one queue message per notification, in order. */
export function sqsEvent(event: SNSEvent): SQSEvent {
  return { Records: event.Records.map((record) => sqsRecord(snsMessageBody(record.Sns))) };
}

/** A fixture as the function receives it from the work queue (sqsEvent(loadEvent(name))). */
export function loadSqsEvent(name: string): SQSEvent {
  return sqsEvent(loadEvent(name));
}

/** The same queue messages received once more: SQS keeps each message id and counts the receive. */
export function receivedAgain(event: SQSEvent): SQSEvent {
  return {
    Records: event.Records.map((record) =>
      sqsRecord(record.body, {
        messageId: record.messageId,
        receiveCount: Number(record.attributes.ApproximateReceiveCount) + 1,
      }),
    ),
  };
}
