import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SNSEvent, SNSMessageAttributes } from 'aws-lambda';
import * as z from 'zod/mini';

/**
 * Replays what sits in the relay's dead-letter queues once the cause is fixed: each message is turned back into
 * the SNS event the function expects, the function is invoked synchronously, and the message is deleted only when
 * that invocation succeeded. Anything else stays in the queue and is reported, so a replay never loses a
 * notification; the handler's delivery records stop a replayed notification from being posted twice.
 */

export interface ReplayOptions {
  /** One of the stack's dead-letter queues (outputs SubscriptionDeadLetterQueueUrl, FailedInvocationQueueUrl). */
  readonly queueUrl: string;
  /** The relay function's name or ARN (output FunctionName). */
  readonly functionName: string;
  readonly sqs?: SQSClient;
  readonly lambda?: LambdaClient;
  /** At most this many messages are taken from the queue. @default no limit (until the queue returns none) */
  readonly max?: number;
  /** Read and classify the messages, but neither invoke nor delete. @default false */
  readonly dryRun?: boolean;
}

/** Which of the stack's two queues a message came from, told by its body. */
export type DeadLetterKind = 'sns-subscription' | 'lambda-on-failure';

export type ReplayOutcome =
  | {
      readonly status: 'replayed';
      readonly messageId: string;
      readonly kind: DeadLetterKind;
      /** The SNS MessageId of the notification replayed, when the body names it. */
      readonly notificationId: string | null;
      /** Set when the invocation succeeded but the message could not be deleted (a later replay repeats it). */
      readonly deleteError?: string;
    }
  | {
      readonly status: 'would-replay';
      readonly messageId: string;
      readonly kind: DeadLetterKind;
      readonly notificationId: string | null;
    }
  | {
      readonly status: 'failed';
      readonly messageId: string;
      readonly kind: DeadLetterKind;
      readonly notificationId: string | null;
      readonly error: string;
    }
  | { readonly status: 'unrecognised'; readonly messageId: string; readonly reason: string };

export interface ReplayReport {
  readonly queueUrl: string;
  readonly functionName: string;
  readonly dryRun: boolean;
  readonly outcomes: readonly ReplayOutcome[];
}

/** Long enough for one synchronous invocation (the function times out at 60 s) and its delete. */
const VISIBILITY_TIMEOUT_SECONDS = 300;
/** A short long-poll: it asks every SQS server, so an empty answer means an empty queue. */
const WAIT_TIME_SECONDS = 2;
const SQS_BATCH = 10;

const MessageAttribute = z.object({ Type: z.string(), Value: z.string() });

/** The SNS notification JSON (HTTP/SQS form) that SNS writes to a subscription's dead-letter queue. */
const SnsNotificationBody = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  TopicArn: z.string(),
  Subject: z.nullish(z.string()),
  Message: z.string(),
  Timestamp: z.string(),
  SignatureVersion: z.optional(z.string()),
  Signature: z.optional(z.string()),
  SigningCertURL: z.optional(z.string()),
  UnsubscribeURL: z.optional(z.string()),
  MessageAttributes: z.optional(z.record(z.string(), MessageAttribute)),
});

/** The record Lambda writes to an on-failure destination; requestPayload is the event that failed. */
const OnFailureBody = z.object({
  requestContext: z.object({ requestId: z.optional(z.string()), functionArn: z.optional(z.string()) }),
  requestPayload: z.object({
    Records: z.array(z.object({ Sns: z.optional(z.object({ MessageId: z.optional(z.string()) })) })),
  }),
});

interface Replayable {
  readonly kind: DeadLetterKind;
  readonly notificationId: string | null;
  readonly event: unknown;
}

/** Rebuilds the Lambda event SNS would have sent; the subscription ARN comes from the unsubscribe link. */
function snsEventFrom(body: z.infer<typeof SnsNotificationBody>): SNSEvent {
  const subscriptionArn = body.UnsubscribeURL
    ? (new URL(body.UnsubscribeURL).searchParams.get('SubscriptionArn') ?? body.TopicArn)
    : body.TopicArn;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: body.Type,
          MessageId: body.MessageId,
          TopicArn: body.TopicArn,
          // Lambda events carry null for a notification without a subject.
          Subject: (body.Subject ?? null) as string,
          Message: body.Message,
          Timestamp: body.Timestamp,
          SignatureVersion: body.SignatureVersion ?? '',
          Signature: body.Signature ?? '',
          SigningCertUrl: body.SigningCertURL ?? '',
          UnsubscribeUrl: body.UnsubscribeURL ?? '',
          MessageAttributes: (body.MessageAttributes ?? {}) as SNSMessageAttributes,
        },
      },
    ],
  };
}

/** What to invoke the function with, or why the message is not something this relay wrote. */
function classifyDeadLetter(body: string | undefined): Replayable | { readonly reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { reason: 'the body is not JSON' };
  }
  const notification = SnsNotificationBody.safeParse(parsed);
  if (notification.success) {
    return {
      kind: 'sns-subscription',
      notificationId: notification.data.MessageId,
      event: snsEventFrom(notification.data),
    };
  }
  const failure = OnFailureBody.safeParse(parsed);
  if (failure.success) {
    return {
      kind: 'lambda-on-failure',
      notificationId: failure.data.requestPayload.Records[0]?.Sns?.MessageId ?? null,
      // The payload as Lambda recorded it, not the parsed copy (which keeps only the fields checked above).
      event: (parsed as { requestPayload: unknown }).requestPayload,
    };
  }
  return {
    reason: 'neither an SNS notification nor a Lambda on-failure record with an SNS event as requestPayload',
  };
}

/** The error the function reported, as one line: `errorType: errorMessage` when the payload says so. */
function functionErrorText(functionError: string, payload: Uint8Array | undefined): string {
  const text = payload === undefined ? '' : new TextDecoder().decode(payload);
  try {
    const error = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof error.errorMessage === 'string') {
      return `${typeof error.errorType === 'string' ? error.errorType : functionError}: ${error.errorMessage}`;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.trim() === '' ? functionError : `${functionError}: ${text.trim()}`;
}

const messageText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Invoke failures (a function error, throttling, missing permission) are reported per message and the message
 * stays; they do not stop the run. A failing receive throws: nothing has been taken from the queue by then that
 * is not already accounted for in SQS (undeleted messages reappear after their visibility timeout).
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayReport> {
  // The queues and the function live in the same region (the stack's), which the queue URL names; the caller's
  // default region may well be another one.
  const region = regionOfQueueUrl(options.queueUrl);
  const sqs = options.sqs ?? new SQSClient(region === undefined ? {} : { region });
  const lambda = options.lambda ?? new LambdaClient(region === undefined ? {} : { region });
  const dryRun = options.dryRun ?? false;
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const outcomes: ReplayOutcome[] = [];
  const kept: Message[] = [];
  const seen = new Set<string>();

  try {
    while (outcomes.length < max) {
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(SQS_BATCH, max - outcomes.length),
          VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
          WaitTimeSeconds: WAIT_TIME_SECONDS,
        }),
      );
      const fresh = (received.Messages ?? []).filter((message) => !seen.has(message.MessageId ?? ''));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.MessageId ?? '');
        const outcome = await replayOne(message, { ...options, sqs, lambda, dryRun });
        outcomes.push(outcome);
        if (outcome.status !== 'replayed') kept.push(message);
      }
    }
  } finally {
    // What stays in the queue is made visible again at once, for the next replay or a look in the console.
    await releaseAll(sqs, options.queueUrl, kept);
  }
  return { queueUrl: options.queueUrl, functionName: options.functionName, dryRun, outcomes };
}

/** "https://sqs.us-east-1.amazonaws.com/123456789012/name" names us-east-1; other forms name none. */
export function regionOfQueueUrl(queueUrl: string): string | undefined {
  try {
    return /^sqs\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(new URL(queueUrl).hostname)?.[1];
  } catch {
    return undefined;
  }
}

async function replayOne(
  message: Message,
  context: { queueUrl: string; functionName: string; sqs: SQSClient; lambda: LambdaClient; dryRun: boolean },
): Promise<ReplayOutcome> {
  const messageId = message.MessageId ?? '(no message ID)';
  const replayable = classifyDeadLetter(message.Body);
  if ('reason' in replayable) return { status: 'unrecognised', messageId, reason: replayable.reason };
  const { kind, notificationId } = replayable;
  if (context.dryRun) return { status: 'would-replay', messageId, kind, notificationId };

  try {
    const result = await context.lambda.send(
      new InvokeCommand({
        FunctionName: context.functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(replayable.event)),
      }),
    );
    if (result.FunctionError !== undefined) {
      return {
        status: 'failed',
        messageId,
        kind,
        notificationId,
        error: functionErrorText(result.FunctionError, result.Payload),
      };
    }
  } catch (error) {
    return { status: 'failed', messageId, kind, notificationId, error: messageText(error) };
  }

  try {
    await context.sqs.send(
      new DeleteMessageCommand({ QueueUrl: context.queueUrl, ReceiptHandle: message.ReceiptHandle }),
    );
    return { status: 'replayed', messageId, kind, notificationId };
  } catch (error) {
    return { status: 'replayed', messageId, kind, notificationId, deleteError: messageText(error) };
  }
}

/** Best effort: a message not released simply reappears when its visibility timeout ends. */
async function releaseAll(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  await Promise.allSettled(
    messages.map((message) =>
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      ),
    ),
  );
}

const KIND_LABEL: Readonly<Record<DeadLetterKind, string>> = {
  'sns-subscription': 'SNS subscription dead letter',
  'lambda-on-failure': 'Lambda on-failure record',
};

function describeOutcome(outcome: ReplayOutcome): string {
  if (outcome.status === 'unrecognised') {
    return `  ? ${outcome.messageId}: left in the queue, unrecognised body (${outcome.reason})`;
  }
  const what = `${outcome.messageId} (${KIND_LABEL[outcome.kind]}${outcome.notificationId ? `, notification ${outcome.notificationId}` : ''})`;
  switch (outcome.status) {
    case 'replayed':
      return outcome.deleteError === undefined
        ? `  ✓ ${what}: replayed and deleted`
        : `  ! ${what}: replayed, but not deleted (${outcome.deleteError}); a later replay repeats it`;
    case 'would-replay':
      return `  - ${what}: would be replayed`;
    case 'failed':
      return `  ✗ ${what}: left in the queue, the function failed: ${outcome.error}`;
  }
}

/** A human-readable summary for the CLI: one line per message, then the totals. */
export function formatReplayReport(report: ReplayReport): string {
  const count = (status: ReplayOutcome['status']) => report.outcomes.filter((o) => o.status === status).length;
  const total = report.outcomes.length;
  if (total === 0) return `${report.queueUrl} is empty: nothing to replay.\n`;
  const header = report.dryRun
    ? `Dry run: ${total} message(s) in ${report.queueUrl}; nothing invoked or deleted.`
    : `Replayed ${count('replayed')} of ${total} message(s) from ${report.queueUrl} into ${report.functionName}.`;
  const totals = report.dryRun
    ? `${count('would-replay')} would be replayed, ${count('unrecognised')} unrecognised.`
    : `${count('replayed')} replayed, ${count('failed')} failed, ${count('unrecognised')} unrecognised; failed and unrecognised messages are still in the queue.`;
  return [header, ...report.outcomes.map(describeOutcome), totals, ''].join('\n');
}
