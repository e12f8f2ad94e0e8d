/**
 * The shapes delivery and its adapters share: what a destination and the delivery ledger are, and the rendered alert
 * they pass along. Declared here, apart from both sides, so delivery.ts and the adapters import them from one place
 * and neither imports the other.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { SlackMessage } from './core/slack-message.js';

/** An alert's Slack rendering (core/slack-message.ts): the main message, and the thread replies posted under it. */
export interface SlackPayload {
  readonly main: SlackMessage;
  readonly thread: readonly SlackMessage[];
}

/** Structurally what core/email-message.ts renders. */
export interface EmailPayload {
  readonly subject: string;
  readonly body: string;
}

/** One alert, rendered for every kind of destination. */
export interface RenderedAlert {
  /** SNS MessageId of the notification the alert came from. */
  readonly messageId: string;
  /** Position of the alert among those built from the notification. */
  readonly index: number;
  readonly slack: SlackPayload;
  readonly email: EmailPayload;
}

/** What a destination reports about a send: its own id for the message, and anything a person should know. */
export interface DeliveryReceipt {
  readonly ref?: string;
  readonly warnings?: readonly string[];
}

/** What a destination may need to know about the invocation it sends in. */
export interface SendContext {
  /**
   * When the send must be over (epoch ms): the invocation's end, less the time recording the delivery takes. No
   * request starts that could outlast it, and work that can be left out (Slack thread replies) stops short of it.
   */
  readonly deadline: number;
  /**
   * Names this alert at this destination (deliveryKey()): a destination that can tag what it sends with it (Slack
   * message metadata) can later tell whether an attempt whose outcome was unknown went out after all.
   */
  readonly deliveryKey: string;
  /** Where a destination counts what it noticed (e.g. PossiblyDuplicated). */
  readonly metrics?: Pick<Metrics, 'addMetric'>;
}

/** A place alerts go: a Slack channel (`slack:C0123456789`) or the email topic (`email:<topicArn>`). */
export interface Destination {
  readonly id: string;
  send(alert: RenderedAlert, context: SendContext): Promise<DeliveryReceipt | undefined>;
}

/**
 * - claimed: this invocation may send now.
 * - delivered: it already went out; skip it.
 * - in-progress-elsewhere: another live invocation is sending it; skip it (that one fails loudly if it fails).
 */
export type ClaimResult = 'claimed' | 'delivered' | 'in-progress-elsewhere';

/** The ledger that makes delivery exactly-once per (notification, alert, destination). */
export interface DeliveryStore {
  claim(key: string, owner: string, leaseMs: number): Promise<ClaimResult>;
  markDelivered(key: string, owner: string, info: { ref?: string | undefined }): Promise<void>;
  release(key: string, owner: string): Promise<void>;
}
