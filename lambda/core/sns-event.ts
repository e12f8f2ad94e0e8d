import * as z from 'zod/mini';
import { RelayError } from './errors.js';

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
const SnsRecord = z.object({
  EventSource: z.literal('aws:sns'),
  Sns: z.object({
    MessageId: z.string(),
    TopicArn: z.string(),
    Subject: z.nullish(z.string({ error: 'expected a string or null' })),
    Message: z.string(),
    Timestamp: z.string(),
  }),
});

const SnsEvent = z.object({
  Records: z.array(SnsRecord).check(z.minLength(1, { error: 'expected at least one record' })),
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
  if (issue.code === 'invalid_value')
    return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`;
  return 'invalid';
}

function pathOf(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : `${text === '' ? '' : '.'}${String(key)}`;
  return text === '' ? 'event' : text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The notifications in an SNS Lambda event, in record order. Throws RelayError 'invalid-event' naming what is
 * wrong and where: an event the relay cannot read is a fault to retry and then dead-letter, never to drop.
 */
export function parseSnsEvent(input: unknown): SnsNotification[] {
  const result = SnsEvent.safeParse(input, { reportInput: true, error: describe });
  if (!result.success) {
    const issues = result.error.issues;
    const listed = issues.slice(0, MAX_LISTED).map((issue) => `${pathOf(issue.path)}: ${oneLine(issue.message)}`);
    const more = issues.length > MAX_LISTED ? ` (and ${issues.length - MAX_LISTED} more)` : '';
    throw new RelayError('invalid-event', `invalid SNS event: ${listed.join('; ')}${more}`, { cause: result.error });
  }
  return result.data.Records.map(({ Sns }) => ({
    messageId: Sns.MessageId,
    topicArn: Sns.TopicArn,
    subject: Sns.Subject ?? null,
    message: Sns.Message,
    timestamp: Sns.Timestamp,
  }));
}

/** parseSnsEvent for the text of a JSON file (the command line's input). */
export function parseSnsEventJson(text: string): SnsNotification[] {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? oneLine(error.message) : 'unreadable';
    throw new RelayError('invalid-event', `invalid SNS event: not JSON (${reason})`, { cause: error });
  }
  return parseSnsEvent(input);
}
