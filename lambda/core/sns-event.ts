import * as z from 'zod/mini';
import { RelayError } from './errors.js';
import { foldWhitespace } from './safe-text.js';

/** One notification from the topic, as the rest of the relay sees it. */
export interface SnsNotification {
  readonly messageId: string;
  readonly topicArn: string;
  /** SNS omits the subject when the publisher sets none. */
  readonly subject: string | null;
  readonly message: string;
  readonly timestamp: string;
}

// Only the fields the relay reads are checked; SNS adds fields over time and those pass through untouched.
const notificationFields = {
  MessageId: z.string(),
  TopicArn: z.string(),
  // null in a Lambda SNS event, absent from an SNS message delivered to SQS, when the publisher set no subject.
  Subject: z.nullish(z.string({ error: 'expected a string or null' })),
  Message: z.string(),
  Timestamp: z.string(),
};

const SnsRecord = z.object({
  EventSource: z.literal('aws:sns'),
  Sns: z.object(notificationFields),
});

const SnsEvent = z.object({
  Records: z.array(SnsRecord).check(z.minLength(1, { error: 'expected at least one record' })),
});

/**
 * An SNS message as SNS delivers it to an SQS queue without raw message delivery (the queue message's body). The
 * Type tells a notification from a subscription confirmation or any other JSON someone put in the queue.
 */
const SnsMessage = z.object({ Type: z.literal('Notification'), ...notificationFields });

const SqsRecord = z.object({ eventSource: z.literal('aws:sqs'), body: z.string() });

const SqsEvent = z.object({
  Records: z.array(SqsRecord).check(z.minLength(1, { error: 'expected at least one record' })),
});

/** Problems named in the error; the rest are counted, so the message stays one readable line. */
const MAX_LISTED = 3;

const ARTICLE: Readonly<Record<string, string>> = { array: 'an array', object: 'an object' };

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

function describe(issue: z.core.$ZodRawIssue): string {
  if (issue.code === 'invalid_type') {
    const expected = ARTICLE[issue.expected] ?? `a ${issue.expected}`;
    return issue.input === undefined
      ? `missing (expected ${expected})`
      : `expected ${expected}, got ${typeOf(issue.input)}`;
  }
  if (issue.code === 'invalid_value') {
    const expected = issue.values.map((value) => JSON.stringify(value)).join(' or ');
    return issue.input === undefined ? `missing (expected ${expected})` : `expected ${expected}`;
  }
  return 'invalid';
}

function pathOf(path: readonly PropertyKey[], root: string): string {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : `${text === '' ? '' : '.'}${String(key)}`;
  return text === '' ? root : text;
}

/** What was being read, for the error: its name in the message and the name of its top level in a path. */
interface Subject {
  readonly what: string;
  readonly root: string;
  /** Where it sits in an enclosing input (an SQS record's body), so the path points into the whole input. */
  readonly at?: readonly PropertyKey[];
}

const SNS_EVENT: Subject = { what: 'SNS event', root: 'event' };
const SQS_EVENT: Subject = { what: 'SQS event', root: 'event' };
const SNS_MESSAGE: Subject = { what: 'SNS message', root: 'message' };

function check<T>(schema: z.ZodMiniType<T>, input: unknown, subject: Subject): T {
  const result = schema.safeParse(input, { reportInput: true, error: describe });
  if (result.success) return result.data;
  const issues = result.error.issues;
  const listed = issues
    .slice(0, MAX_LISTED)
    .map(
      (issue) => `${pathOf([...(subject.at ?? []), ...issue.path], subject.root)}: ${foldWhitespace(issue.message)}`,
    );
  const more = issues.length > MAX_LISTED ? ` (and ${issues.length - MAX_LISTED} more)` : '';
  throw new RelayError('invalid-event', `invalid ${subject.what}: ${listed.join('; ')}${more}`, {
    cause: result.error,
  });
}

function readJson(text: string, subject: Subject): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? foldWhitespace(error.message) : 'unreadable';
    const where = subject.at === undefined ? '' : `${pathOf(subject.at, subject.root)}: `;
    throw new RelayError('invalid-event', `invalid ${subject.what}: ${where}not JSON (${reason})`, { cause: error });
  }
}

function toNotification(sns: z.infer<typeof SnsRecord>['Sns']): SnsNotification {
  return {
    messageId: sns.MessageId,
    topicArn: sns.TopicArn,
    subject: sns.Subject ?? null,
    message: sns.Message,
    timestamp: sns.Timestamp,
  };
}

/**
 * The notifications in an SNS Lambda event (Records[].Sns), in record order. Throws RelayError 'invalid-event'
 * naming what is wrong and where.
 */
export function parseSnsEvent(input: unknown): SnsNotification[] {
  return check(SnsEvent, input, SNS_EVENT).Records.map(({ Sns }) => toNotification(Sns));
}

/** One SNS message object as SNS delivers it to SQS. Throws RelayError 'invalid-event' naming the field. */
export function parseSnsMessage(input: unknown): SnsNotification {
  return toNotification(check(SnsMessage, input, SNS_MESSAGE));
}

/**
 * The SNS message in the body of a message from the work queue. Throws RelayError 'invalid-event' when the body is
 * not JSON or not an SNS notification: no retry can fix that, but failing it keeps it (in the dead-letter queue).
 */
export function parseSnsMessageJson(body: string): SnsNotification {
  return parseSnsMessage(readJson(body, SNS_MESSAGE));
}

/** The notifications in an SQS event whose bodies are SNS messages, in record order. */
export function parseSqsEvent(input: unknown): SnsNotification[] {
  return check(SqsEvent, input, SQS_EVENT).Records.map((record, index) => {
    const at = ['Records', index, 'body'];
    const body = readJson(record.body, { ...SQS_EVENT, at });
    return toNotification(check(SnsMessage, body, { ...SQS_EVENT, at }));
  });
}

const has = (input: unknown, key: string): input is Record<string, unknown> =>
  typeof input === 'object' && input !== null && !Array.isArray(input) && key in input;

/**
 * The notifications in whatever a person hands the command line: an SNS Lambda event (Records[].Sns), an SQS event
 * whose bodies are SNS messages (what the function receives from the work queue), or one SNS message (the body of
 * a message from the queue or its dead-letter queue). The shape is told by its keys; the error then names the path
 * within that shape. Throws RelayError 'invalid-event'.
 */
export function parseNotifications(input: unknown): SnsNotification[] {
  if (has(input, 'Records')) {
    const first: unknown = Array.isArray(input.Records) ? input.Records[0] : undefined;
    return has(first, 'eventSource') && first.eventSource === 'aws:sqs' ? parseSqsEvent(input) : parseSnsEvent(input);
  }
  if (has(input, 'Type') || has(input, 'MessageId')) return [parseSnsMessage(input)];
  const got = typeOf(input) === 'an object' ? 'an object with none of Records, Type or MessageId' : typeOf(input);
  throw new RelayError(
    'invalid-event',
    `invalid event: expected an SNS Lambda event (Records[].Sns), an SQS event (Records[].body) or an SNS message (Type, MessageId, Message), got ${got}`,
  );
}

/** parseNotifications for the text of a JSON file (the command line's input). */
export function parseNotificationsJson(text: string): SnsNotification[] {
  return parseNotifications(readJson(text, { what: 'event', root: 'event' }));
}
