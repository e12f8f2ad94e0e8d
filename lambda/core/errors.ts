/**
 * Failure kinds the relay names. Whether a failure is retried is decided where it is caught:
 * the handler fails the record on delivery failures (so SQS delivers it again and the dead-letter queue ends it)
 * and only logs enrichment problems (a changelog that cannot be read falls back; it never blocks delivery).
 */
export type RelayErrorCode =
  | 'invalid-event'
  | 'invalid-config'
  | 'page-unreadable'
  | 'fetch-refused'
  | 'fetch-failed'
  | 'secret-unavailable'
  | 'slack-permanent'
  | 'slack-transient'
  | 'email-failed'
  | 'store-unavailable'
  | 'delivery-failed';

/** A thrown value as an Error: anything else (a string, an object) is wrapped with its String() as the message. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The message of a thrown value, whatever was thrown. */
export function messageOf(error: unknown): string {
  return asError(error).message;
}

export class RelayError extends Error {
  override readonly name = 'RelayError';
  readonly code: RelayErrorCode;

  constructor(code: RelayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
