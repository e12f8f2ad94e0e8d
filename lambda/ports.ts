/**
 * The shapes delivery and its adapters share: what a destination and the delivery ledger are, and the rendered alert
 * they pass along. Declared here, apart from both sides, so delivery.ts and the adapters import them from one place
 * and neither imports the other.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { AlertOrigin } from './core/amendment.js';
import type { DriverFamily } from './core/driver-family.js';
import type { SlackMessage } from './core/slack-message.js';
import type { AmendmentChange, FamilyWatchState, SentAlert } from './core/watch.js';

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

/** What the version-history watch learned about a version after its alert was sent (see core/watch.ts). */
export type { AmendmentChange };

/**
 * An alert sent earlier, corrected by what the version history says now, rendered for every kind of destination.
 */
export interface RenderedAmendment {
  readonly change: AmendmentChange;
  readonly slack: {
    /** Replaces the alert's main message in place (chat.update). */
    readonly main: SlackMessage;
    /** Posted in the alert's thread, saying what changed. */
    readonly reply: SlackMessage;
    /** Also show the reply in the channel (reply_broadcast): a rollback must be seen, an edit notifies nobody. */
    readonly broadcast: boolean;
    /**
     * Posted as a new message (with its thread) when the alert's message cannot be updated (deleted, too old, the
     * bot lost access to it, or its ts is unknown); its first line says which alert it amends.
     */
    readonly replacement: SlackPayload;
  };
  /** A short follow-up email (for a rollback, the whole corrected alert). */
  readonly email: EmailPayload;
}

export interface AmendContext extends SendContext {
  /** The destination's own id of the alert's first message (DeliveryReceipt.ref: the Slack ts), when recorded. */
  readonly ref: string | undefined;
}

/** A place alerts go: a Slack channel (`slack:C0123456789`) or the email topic (`email:<topicArn>`). */
export interface Destination {
  readonly id: string;
  send(alert: RenderedAlert, context: SendContext): Promise<DeliveryReceipt | undefined>;
  /**
   * Corrects an alert this destination was sent earlier: Slack updates the message in place and replies in its
   * thread (or posts a new message that says which alert it amends); email sends the follow-up. Its receipt's ref
   * is the message that now carries the alert. Throws like send.
   */
  amend(amendment: RenderedAmendment, context: AmendContext): Promise<DeliveryReceipt | undefined>;
}

/** What delivering new alerts needs of a destination. */
export type Sender = Pick<Destination, 'id' | 'send'>;

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

/** An alert that went out, as the watch keeps it (for 60 days) to amend it: what it said, and where it went. */
export interface AlertRecord extends SentAlert, AlertOrigin {
  /** The destinations it was sent to (Destination.id). */
  readonly destinations: readonly string[];
}

/** What the alert now says, after an amendment went out everywhere. */
export interface AmendedState {
  readonly notesPublished: boolean;
  readonly releaseDate: string | null;
  readonly rolledBack: boolean;
}

/** What the version-history watch keeps: the alerts sent, and its own state per family. */
export interface WatchStore {
  /**
   * Keeps the records of alerts about to be sent. The first write of a record wins: a redelivered notification
   * keeps the record (and any amendment) of its first receive.
   */
  remember(records: readonly AlertRecord[]): Promise<void>;
  /** Records of the alerts sent at or after `since` (epoch ms). */
  sentSince(since: number): Promise<AlertRecord[]>;
  /** Records what an alert says once its amendment reached every destination, so it is not amended again. */
  markAmended(record: Pick<AlertRecord, 'messageId' | 'index'>, state: AmendedState): Promise<void>;
  /** The family's state and its revision; undefined when the watch never read the family. */
  familyState(family: DriverFamily): Promise<{ state: FamilyWatchState; revision: number } | undefined>;
  /**
   * Saves the family's state if nobody saved since `revision` was read (undefined: nobody saved it ever); false when
   * another watch saved first (that watch read the same page, so its state is as good).
   */
  saveFamilyState(family: DriverFamily, state: FamilyWatchState, revision: number | undefined): Promise<boolean>;
  /** The ref a destination gave for a delivery (deliveryKey()), e.g. the Slack ts of the alert's message. */
  deliveredRef(deliveryKey: string): Promise<string | undefined>;
}
