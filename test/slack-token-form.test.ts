/**
 * @jest-environment ./test/support/host-errors-environment.js
 */
import { redactErrorChain, redactSlackTokens } from '../lambda/adapters/slack-token-form.js';

const TOKEN = 'xoxb-1111-2222-SECRETPART';

describe('redacting an error chain', () => {
  test('redacts the message and stack of the error and of every cause', () => {
    const inner = new Error(`Authorization: Bearer ${TOKEN}`);
    const outer = new Error(`request failed with ${TOKEN}`, { cause: inner });

    redactErrorChain(outer);

    expect(`${outer.message} ${outer.stack} ${inner.message} ${inner.stack}`).not.toContain('SECRETPART');
    expect(outer.message).toBe('request failed with xox?-[redacted]');
  });

  test("leaves a timeout's DOMException in place instead of throwing over it (its message has only a getter)", () => {
    // What fetch rejects with when AbortSignal.timeout fires: Node's own error, whose message cannot be assigned.
    const timedOut = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const failure = new Error('Slack did not answer', { cause: timedOut });

    expect(() => redactErrorChain(failure)).not.toThrow();
    expect(failure.cause).toBe(timedOut);
    expect(timedOut.message).toBe('The operation was aborted due to timeout');
  });

  test('redacts every token-shaped word, and the tokens it is told of', () => {
    expect(redactSlackTokens(`a ${TOKEN} b`)).toBe('a xox?-[redacted] b');
  });
});
