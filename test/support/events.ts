/**
 * SNS Lambda events for tests: the fixture files under test/fixtures/events/, and events built from text.
 * Every call returns a fresh copy, so a test may edit its event without leaking into the next test.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SNSEvent } from 'aws-lambda';

const EVENTS_DIR = join(__dirname, '..', 'fixtures', 'events');

export const DRIVERS_TOPIC_ARN = 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers';
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
