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

export class RelayError extends Error {
  override readonly name = 'RelayError';
  readonly code: RelayErrorCode;

  constructor(code: RelayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
