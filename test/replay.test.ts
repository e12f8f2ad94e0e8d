import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, type InvokeCommandInput, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { formatReplayReport, regionOfQueueUrl, replayDeadLetters } from '../lambda/cli/replay.js';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/Ec2DriverRelay-SubscriptionDeadLetters';
const FUNCTION_NAME = 'Ec2DriverRelay-Relay3F9A082A-AbCdEf012345';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', 'dead-letters', name), 'utf8');
const snsDeadLetter = fixture('sns-subscription-body.json');
const onFailureRecord = fixture('lambda-on-failure-body.json');
const expectedSnsEvent: unknown = JSON.parse(fixture('sns-event.json'));

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * An in-memory SQS queue behind the mocked client: receive hides messages (visibility timeout), delete removes
 * them, a visibility of 0 shows them again. Enough to see what a replay leaves behind.
 */
function fakeQueue(sqs: SQSClient, bodies: readonly string[]) {
  const messages = bodies.map((body, i) => ({ id: `msg-${i + 1}`, body, visible: true, deleted: false }));
  const byHandle = (handle: string | undefined) => messages.find((m) => `handle-${m.id}` === handle);
  const mock = mockClient(sqs);
  mock.on(ReceiveMessageCommand).callsFake((input: { MaxNumberOfMessages?: number }) => {
    const batch = messages.filter((m) => m.visible && !m.deleted).slice(0, input.MaxNumberOfMessages ?? 1);
    for (const m of batch) m.visible = false;
    const received: Message[] = batch.map((m) => ({ MessageId: m.id, ReceiptHandle: `handle-${m.id}`, Body: m.body }));
    return { Messages: received };
  });
  mock.on(DeleteMessageCommand).callsFake((input: { ReceiptHandle?: string }) => {
    const message = byHandle(input.ReceiptHandle);
    if (message) message.deleted = true;
    return {};
  });
  mock.on(ChangeMessageVisibilityCommand).callsFake((input: { ReceiptHandle?: string; VisibilityTimeout?: number }) => {
    const message = byHandle(input.ReceiptHandle);
    if (message && input.VisibilityTimeout === 0) message.visible = true;
    return {};
  });
  return {
    remaining: () => messages.filter((m) => !m.deleted).map((m) => m.id),
    visible: () => messages.filter((m) => !m.deleted && m.visible).map((m) => m.id),
  };
}

type FunctionResult = { functionError: string; payload: unknown } | 'ok' | Error;

/** A mocked relay function that records what it was invoked with and answers each call as told. */
function fakeFunction(lambda: LambdaClient, answer: (event: unknown) => FunctionResult = () => 'ok') {
  const calls: { input: InvokeCommandInput; event: unknown }[] = [];
  mockClient(lambda)
    .on(InvokeCommand)
    .callsFake((input: InvokeCommandInput) => {
      const event: unknown = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array));
      calls.push({ input, event });
      const result = answer(event);
      if (result instanceof Error) throw result;
      if (result === 'ok') return { StatusCode: 200, Payload: new TextEncoder().encode('null') };
      return {
        StatusCode: 200,
        FunctionError: result.functionError,
        Payload: new TextEncoder().encode(JSON.stringify(result.payload)),
      };
    });
  return calls;
}

function setUp(bodies: readonly string[], answer?: (event: unknown) => FunctionResult) {
  const sqs = new SQSClient({ region: 'us-east-1', credentials });
  const lambda = new LambdaClient({ region: 'us-east-1', credentials });
  const queue = fakeQueue(sqs, bodies);
  const calls = fakeFunction(lambda, answer);
  const replay = (options: { max?: number; dryRun?: boolean } = {}) =>
    replayDeadLetters({ queueUrl: QUEUE_URL, functionName: FUNCTION_NAME, sqs, lambda, ...options });
  return { queue, calls, replay };
}

describe('replayDeadLetters', () => {
  test('an SNS subscription dead letter is replayed as the Lambda event the subscription would have delivered', async () => {
    // Prepare
    const { calls, replay } = setUp([snsDeadLetter]);

    // Act
    await replay();

    // Assess
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toMatchObject({ FunctionName: FUNCTION_NAME, InvocationType: 'RequestResponse' });
    expect(calls[0]?.event).toEqual(expectedSnsEvent);
  });

  test('a Lambda on-failure record is replayed with the original event it carries', async () => {
    const { calls, replay } = setUp([onFailureRecord]);

    await replay();

    expect(calls.map((call) => call.event)).toEqual([JSON.parse(onFailureRecord).requestPayload]);
  });

  test('a notification without a subject is replayed with a null Subject, as SNS sends it', async () => {
    const { Subject: _omitted, ...withoutSubject } = JSON.parse(snsDeadLetter);
    const { calls, replay } = setUp([JSON.stringify(withoutSubject)]);

    await replay();

    expect(calls[0]?.event).toMatchObject({ Records: [{ Sns: { Subject: null } }] });
  });

  test('messages whose invocation succeeded are deleted from the queue', async () => {
    const { queue, replay } = setUp([snsDeadLetter, onFailureRecord]);

    const report = await replay();

    expect(queue.remaining()).toEqual([]);
    expect(report.outcomes.map((o) => o.status)).toEqual(['replayed', 'replayed']);
  });

  test('a message the function fails on stays in the queue, visible again, with the function error reported', async () => {
    const { queue, replay } = setUp([snsDeadLetter], () => ({
      functionError: 'Unhandled',
      payload: { errorType: 'RelayError', errorMessage: 'Slack rejected the post: not_in_channel' },
    }));

    const report = await replay();

    expect(queue.visible()).toEqual(['msg-1']);
    expect(report.outcomes).toEqual([
      expect.objectContaining({ status: 'failed', error: 'RelayError: Slack rejected the post: not_in_channel' }),
    ]);
  });

  test('a message stays in the queue when the invocation itself is refused, and the next one is still replayed', async () => {
    let first = true;
    const { queue, replay } = setUp([snsDeadLetter, onFailureRecord], () => {
      if (!first) return 'ok';
      first = false;
      return new Error('User is not authorized to perform: lambda:InvokeFunction');
    });

    const report = await replay();

    expect(queue.remaining()).toEqual(['msg-1']);
    expect(report.outcomes.map((o) => o.status)).toEqual(['failed', 'replayed']);
  });

  test('an unrecognised body is left in the queue, reported, and never sent to the function', async () => {
    const { queue, calls, replay } = setUp(['{"hello":"world"}', 'not json at all']);

    const report = await replay();

    expect(calls).toHaveLength(0);
    expect(queue.visible()).toEqual(['msg-1', 'msg-2']);
    expect(report.outcomes.map((o) => o.status)).toEqual(['unrecognised', 'unrecognised']);
  });

  test('a dry run invokes nothing, deletes nothing and leaves every message visible', async () => {
    const { queue, calls, replay } = setUp([snsDeadLetter, onFailureRecord]);

    const report = await replay({ dryRun: true });

    expect(calls).toHaveLength(0);
    expect(queue.visible()).toEqual(['msg-1', 'msg-2']);
    expect(report.outcomes).toEqual([
      expect.objectContaining({ status: 'would-replay', kind: 'sns-subscription' }),
      expect.objectContaining({ status: 'would-replay', kind: 'lambda-on-failure' }),
    ]);
  });

  test('max bounds how many messages are taken from the queue', async () => {
    const { queue, calls, replay } = setUp(Array.from({ length: 12 }, () => snsDeadLetter));

    await replay({ max: 11 });

    expect(calls).toHaveLength(11);
    expect(queue.remaining()).toEqual(['msg-12']);
  });
});

describe('formatReplayReport', () => {
  test('names each message with what happened to it, then the totals', async () => {
    let invocations = 0;
    const { replay } = setUp([snsDeadLetter, onFailureRecord, 'garbage'], () => {
      invocations += 1;
      return invocations === 1
        ? 'ok'
        : { functionError: 'Unhandled', payload: { errorType: 'RelayError', errorMessage: 'boom' } };
    });

    const text = formatReplayReport(await replay());

    expect(text).toBe(
      [
        `Replayed 1 of 3 message(s) from ${QUEUE_URL} into ${FUNCTION_NAME}.`,
        '  ✓ msg-1 (SNS subscription dead letter, notification a655654a-29f1-5975-a220-ca11e3477e31): replayed and deleted',
        '  ✗ msg-2 (Lambda on-failure record, notification a655654a-29f1-5975-a220-ca11e3477e31): left in the queue, the function failed: RelayError: boom',
        '  ? msg-3: left in the queue, unrecognised body (the body is not JSON)',
        '1 replayed, 1 failed, 1 unrecognised; failed and unrecognised messages are still in the queue.',
        '',
      ].join('\n'),
    );
  });

  test('says so when the queue is empty', async () => {
    const { replay } = setUp([]);

    expect(formatReplayReport(await replay())).toBe(`${QUEUE_URL} is empty: nothing to replay.\n`);
  });
});

describe('regionOfQueueUrl', () => {
  test('the region the clients talk to is the one the queue URL names', () => {
    expect(regionOfQueueUrl(QUEUE_URL)).toBe('us-east-1');
    expect(regionOfQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/q')).toBe('eu-west-1');
  });

  test('a queue URL of another form names no region (the SDK default applies)', () => {
    expect(regionOfQueueUrl('http://127.0.0.1:9324/000000000000/q')).toBeUndefined();
    expect(regionOfQueueUrl('not a url')).toBeUndefined();
  });
});
