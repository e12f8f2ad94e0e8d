import type { SNSEvent, SNSEventRecord, SNSMessage } from 'aws-lambda';
import { RelayError } from '../lambda/core/errors';
import {
  parseNotifications,
  parseNotificationsJson,
  parseSnsEvent,
  parseSnsMessage,
  parseSnsMessageJson,
  parseSqsEvent,
} from '../lambda/core/sns-event';
import { eventText, loadEvent, loadSqsEvent, snsEvent, snsMessageBody, sqsRecord } from './support/events';

/** The error parseSnsEvent throws for an input, so a test can assert on what an operator would read. */
function failure(parse: () => unknown): RelayError {
  try {
    parse();
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  throw new Error('expected the event to be rejected');
}

/** The Sns object of record `index`, for tests that edit one field of a fixture. */
function snsOf(event: SNSEvent, index = 0): SNSMessage {
  const record = event.Records[index];
  if (record === undefined) throw new Error(`the event has no record ${index}`);
  return record.Sns;
}

describe('parseSnsEvent', () => {
  test('a notification from the drivers topic comes out with its id, topic, subject, text and time', () => {
    const [notification] = parseSnsEvent(loadEvent('pv-8.6.1'));
    expect(notification).toEqual({
      messageId: '2f9f1403-ae4c-51ea-a445-605b59d2d01e',
      topicArn: 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers',
      subject: 'New AWS PV driver version 8.6.1 now available',
      message: expect.stringContaining('AWS PV driver version 8.6.1 is now available'),
      timestamp: '2026-07-21T17:42:09.311Z',
    });
  });

  test('several records come out in the order SNS delivered them', () => {
    const notifications = parseSnsEvent(loadEvent('two-records'));
    expect(notifications.map((n) => n.subject)).toEqual([
      'New AWS PV driver version 8.6.1 now available',
      'New ENA driver 2.11.0 for Windows now available',
    ]);
  });

  test('a null subject is accepted and comes out as null', () => {
    expect(parseSnsEvent(loadEvent('no-subject'))[0]?.subject).toBeNull();
  });

  test('an absent subject is accepted and comes out as null', () => {
    const event = snsEvent({ subject: 'x', message: 'AWS PV 8.6.1' });
    delete snsOf(event).Subject;
    expect(parseSnsEvent(event)[0]?.subject).toBeNull();
  });

  test('fields the relay does not read are allowed', () => {
    const event = snsEvent({ subject: 'New ENA driver 2.11.0', message: 'ENA 2.11.0', messageId: 'id-1' });
    Object.assign(snsOf(event), { Token: 'abc', Extra: { nested: true } });
    expect(parseSnsEvent(event)).toEqual([
      {
        messageId: 'id-1',
        topicArn: 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers',
        subject: 'New ENA driver 2.11.0',
        message: 'ENA 2.11.0',
        timestamp: '2026-07-21T17:42:09.311Z',
      },
    ]);
  });

  test('an event with no records is rejected as an invalid event', () => {
    const error = failure(() => parseSnsEvent(loadEvent('malformed-no-records')));
    expect(error.code).toBe('invalid-event');
    expect(error.message).toBe('invalid SNS event: Records: expected at least one record');
  });

  test('an event without a Records array says Records is missing', () => {
    expect(failure(() => parseSnsEvent({ detail: {} })).message).toBe(
      'invalid SNS event: Records: missing (expected an array)',
    );
  });

  test('a message that is not a string is rejected naming the record and field', () => {
    expect(failure(() => parseSnsEvent(loadEvent('malformed-message-not-string'))).message).toBe(
      'invalid SNS event: Records[0].Sns.Message: expected a string, got an object',
    );
  });

  test('a record from another event source is rejected naming the expected source', () => {
    const event = snsEvent({ subject: null, message: 'AWS PV 8.6.1' });
    Object.assign(event.Records[0] as SNSEventRecord, { EventSource: 'aws:sqs' });
    expect(failure(() => parseSnsEvent(event)).message).toBe(
      'invalid SNS event: Records[0].EventSource: expected "aws:sns"',
    );
  });

  test('a subject that is neither text nor null is rejected', () => {
    const event = snsEvent({ subject: null, message: 'AWS PV 8.6.1' });
    Object.assign(snsOf(event), { Subject: 42 });
    expect(failure(() => parseSnsEvent(event)).message).toBe(
      'invalid SNS event: Records[0].Sns.Subject: expected a string or null',
    );
  });

  test('many problems are listed up to three, on one line, with a count of the rest', () => {
    const error = failure(() => parseSnsEvent({ Records: [{ EventSource: 'aws:sns', Sns: {} }] }));
    expect(error.message).toBe(
      'invalid SNS event: Records[0].Sns.MessageId: missing (expected a string); ' +
        'Records[0].Sns.TopicArn: missing (expected a string); ' +
        'Records[0].Sns.Message: missing (expected a string) (and 1 more)',
    );
  });

  test('a problem in a later record names that record', () => {
    const event = loadEvent('two-records');
    Object.assign(snsOf(event, 1), { MessageId: null });
    expect(failure(() => parseSnsEvent(event)).message).toBe(
      'invalid SNS event: Records[1].Sns.MessageId: expected a string, got null',
    );
  });

  test('something that is not an object at all is rejected', () => {
    expect(failure(() => parseSnsEvent('hello')).message).toBe(
      'invalid SNS event: event: expected an object, got a string',
    );
  });
});

/** The PV 8.6.1 fixture's SNS message as SNS writes it to the queue, as an object to edit. */
function pvMessage(): Record<string, unknown> {
  return JSON.parse(snsMessageBody(snsOf(loadEvent('pv-8.6.1'))));
}

const PV_NOTIFICATION = {
  messageId: '2f9f1403-ae4c-51ea-a445-605b59d2d01e',
  topicArn: 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers',
  subject: 'New AWS PV driver version 8.6.1 now available',
  message: expect.stringContaining('AWS PV driver version 8.6.1 is now available'),
  timestamp: '2026-07-21T17:42:09.311Z',
};

describe('parseSnsMessageJson (the body of a message from the work queue)', () => {
  test('an SNS message as SNS writes it to the queue comes out like the same notification in an SNS event', () => {
    expect(parseSnsMessageJson(JSON.stringify(pvMessage()))).toEqual(PV_NOTIFICATION);
  });

  test('a message without Subject (SNS leaves it out when the publisher set none) has a null subject', () => {
    const { Subject: _, ...withoutSubject } = pvMessage();
    expect(parseSnsMessageJson(JSON.stringify(withoutSubject)).subject).toBeNull();
  });

  test('a body that is not JSON is rejected saying so, with the parser reason', () => {
    const error = failure(() => parseSnsMessageJson(eventText('not-json.txt')));
    expect(error.code).toBe('invalid-event');
    expect(error.message).toMatch(/^invalid SNS message: not JSON \(.+\)$/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  test('a subscription confirmation is not a notification', () => {
    const body = JSON.stringify({ ...pvMessage(), Type: 'SubscriptionConfirmation' });
    expect(failure(() => parseSnsMessageJson(body)).message).toBe('invalid SNS message: Type: expected "Notification"');
  });

  test('JSON of another shape names each missing field', () => {
    expect(failure(() => parseSnsMessageJson('{"Message": "AWS PV 8.6.1"}')).message).toBe(
      'invalid SNS message: Type: missing (expected "Notification"); MessageId: missing (expected a string); ' +
        'TopicArn: missing (expected a string) (and 1 more)',
    );
  });

  test('JSON that is not an object is named as the message', () => {
    expect(failure(() => parseSnsMessageJson('"AWS PV 8.6.1"')).message).toBe(
      'invalid SNS message: message: expected an object, got a string',
    );
  });
});

describe('parseSqsEvent', () => {
  test('each record body is read as an SNS message, in record order', () => {
    const event = loadSqsEvent('two-records');
    expect(parseSqsEvent(event).map((n) => n.subject)).toEqual([
      'New AWS PV driver version 8.6.1 now available',
      'New ENA driver 2.11.0 for Windows now available',
    ]);
  });

  test('a problem inside a body names the record and the field', () => {
    const event = { Records: [sqsRecord(JSON.stringify({ ...pvMessage(), Message: 42 }))] };
    expect(failure(() => parseSqsEvent(event)).message).toBe(
      'invalid SQS event: Records[0].body.Message: expected a string, got a number',
    );
  });

  test('a body that is not JSON names the record', () => {
    const event = { Records: [sqsRecord('AWS PV 8.6.1 is out')] };
    expect(failure(() => parseSqsEvent(event)).message).toMatch(/^invalid SQS event: Records\[0\]\.body: not JSON \(/);
  });
});

describe('parseNotifications (what the command line accepts)', () => {
  test('an SNS Lambda event, an SQS event of SNS messages and one SNS message give the same notification', () => {
    expect(parseNotifications(loadEvent('pv-8.6.1'))).toEqual([PV_NOTIFICATION]);
    expect(parseNotifications(loadSqsEvent('pv-8.6.1'))).toEqual([PV_NOTIFICATION]);
    expect(parseNotifications(pvMessage())).toEqual([PV_NOTIFICATION]);
    expect(parseSnsMessage(pvMessage())).toEqual(PV_NOTIFICATION);
  });

  test('an SNS event keeps its own one-line errors', () => {
    expect(failure(() => parseNotifications(loadEvent('malformed-message-not-string'))).message).toBe(
      'invalid SNS event: Records[0].Sns.Message: expected a string, got an object',
    );
  });

  test('something of none of the three shapes says which shapes are accepted', () => {
    expect(failure(() => parseNotifications({ detail: {} })).message).toBe(
      'invalid event: expected an SNS Lambda event (Records[].Sns), an SQS event (Records[].body) or an SNS message ' +
        '(Type, MessageId, Message), got an object with none of Records, Type or MessageId',
    );
    expect(failure(() => parseNotifications('hello')).message).toMatch(/^invalid event: .*, got a string$/);
  });
});

describe('parseNotificationsJson', () => {
  test('the text of an event file is read like the event', () => {
    expect(parseNotificationsJson(eventText('ena-2.11.0')).map((n) => n.subject)).toEqual([
      'New ENA driver 2.11.0 for Windows now available',
    ]);
  });

  test('text that is not JSON is rejected saying so, with the parser reason', () => {
    const error = failure(() => parseNotificationsJson(eventText('not-json.txt')));
    expect(error.code).toBe('invalid-event');
    expect(error.message).toMatch(/^invalid event: not JSON \(.+\)$/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  test('valid JSON of the wrong shape gets the same one-line error as an event', () => {
    expect(failure(() => parseNotificationsJson('{"Records": []}')).message).toBe(
      'invalid SNS event: Records: expected at least one record',
    );
  });
});

describe('fixtures', () => {
  test('every well-formed fixture comes from the drivers topic with its own message id', () => {
    const names = [
      'pv-8.6.1',
      'ena-2.11.0',
      'nvme-1.8.2',
      'ec2winutil-3.2.0',
      'pv-4-part-version',
      'multi-driver',
      'unknown',
      'two-records',
      'pv-older-8.5.0',
      'future-version',
      'no-subject',
    ];
    const notifications = names.flatMap((name) => parseSnsEvent(loadEvent(name)));
    expect(new Set(notifications.map((n) => n.topicArn))).toEqual(
      new Set(['arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers']),
    );
    expect(new Set(notifications.map((n) => n.messageId)).size).toBe(notifications.length);
  });

  test('loadEvent hands out a fresh copy each time', () => {
    const first = loadEvent('pv-8.6.1');
    Object.assign(snsOf(first), { Message: 'edited' });
    expect(snsOf(loadEvent('pv-8.6.1')).Message).not.toBe('edited');
  });
});
