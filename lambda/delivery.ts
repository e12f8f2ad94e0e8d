import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { deliveryKey } from './adapters/delivery-store.js';
import { asError, messageOf, RelayError } from './core/errors.js';
import type { DeliveryReceipt, DeliveryStore, RenderedAlert, SendContext, Sender } from './ports.js';

export interface DeliveryLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface DeliverAlertsInput extends DeliveryRun {
  readonly alerts: readonly RenderedAlert[];
  readonly destinations: readonly Sender[];
  /** Destinations served at the same time. @default 4 */
  readonly concurrency?: number;
}

/** What every delivery of one run shares: the ledger, who sends, until when, and where it reports. */
export interface DeliveryRun {
  readonly store: DeliveryStore;
  /** Who is sending: one receive of one queue message (the Lambda request id and the SQS message id). */
  readonly owner: string;
  /**
   * When this invocation ends (epoch ms: now + the invocation's remaining time). Every claim is held until then and
   * no longer, so a crashed or timed-out invocation's claims end with it and a retry can take them.
   */
  readonly deadline: number;
  /** @default Date.now */
  readonly now?: () => number;
  readonly logger?: DeliveryLog;
  readonly metrics?: Pick<Metrics, 'addMetric'>;
  /** Waits between record-write attempts. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Record writes after a successful send: attempts, and the wait before the second (it doubles after each). Each
 * attempt is one store call (its client retries only 5xx and 429 answers); this loop rides out a throttled table
 * (DynamoDB answers 400 ProvisionedThroughputExceededException) for a few seconds, since a send left unrecorded is
 * sent again by the next retry.
 */
const RECORD_ATTEMPTS = 5;
const RECORD_RETRY_DELAY_MS = 200;

/**
 * Time kept back from a send for recording it: the record attempts' waits (3 s) and a few store calls. A send that
 * ran into the invocation's timeout would go out unrecorded, and the retry would send it again.
 */
export const RECORD_RESERVE_MS = 5_000;

export type DeliveryOutcome =
  | { readonly status: 'sent'; readonly ref?: string; readonly warnings: readonly string[] }
  | { readonly status: 'skipped'; readonly reason: 'already-delivered' | 'in-progress-elsewhere' }
  | { readonly status: 'failed'; readonly error: Error };

export interface AlertDelivery {
  readonly destination: string;
  readonly messageId: string;
  readonly index: number;
  readonly outcome: DeliveryOutcome;
}

export interface DestinationTally {
  readonly destination: string;
  readonly sent: number;
  readonly skipped: number;
  readonly failed: number;
}

export interface DeliverySummary {
  readonly deliveries: readonly AlertDelivery[];
  readonly destinations: readonly DestinationTally[];
}

/** Thrown when any destination failed; carries the summary so the CLI can still say what did go out. */
export class DeliveryFailedError extends RelayError {
  readonly summary: DeliverySummary;

  constructor(message: string, summary: DeliverySummary, cause: readonly Error[]) {
    super('delivery-failed', message, { cause });
    this.summary = summary;
  }
}

/**
 * Sends every alert to every destination at most once, however often the event is delivered or retried.
 *
 * For each alert x destination: claim it in the store; skip it when it was already delivered or another live
 * invocation holds it; otherwise send, then record it delivered. A failed send releases the claim so a retry can
 * take it again.
 *
 * What throws and what is only logged:
 * - Any failed send (Slack, email) or failed claim: that destination stops, the others go on; once all are done
 *   this throws DeliveryFailedError ('delivery-failed') naming each failed destination and why, so SQS delivers the
 *   message again (that receive re-sends only what did not go out) and, after its last receive, the dead-letter
 *   queue holds it.
 * - The store unreachable when claiming: counted as a failure of that destination, so the invocation throws. Sending
 *   without a claim could post duplicates, and skipping silently would lose the alert; a retry is the safe choice.
 * - The store failing when recording a send that succeeded: the write is tried again (RECORD_ATTEMPTS, backing
 *   off, never past the deadline); if it still fails, that is logged as an error and counted in the
 *   DeliveredNotRecorded metric (which alarms), never thrown. The message is out; throwing would make the retry
 *   post it again. A later redelivery may duplicate it (the claim expires).
 * - Release failing after a failed send: logged; the claim's lease expires with this invocation anyway.
 * - Warnings from a send that succeeded (a Slack thread reply that failed): logged.
 *
 * Alerts go to one destination in order (so a channel shows them in the order of the notification); destinations
 * are served concurrently, a few at a time.
 */
export async function deliverAlerts(input: DeliverAlertsInput): Promise<DeliverySummary> {
  const { alerts, destinations, concurrency = 4 } = input;
  const perDestination = await mapWithLimit(destinations, concurrency, async (destination) => {
    const deliveries: AlertDelivery[] = [];
    for (const alert of alerts) {
      const outcome = await deliverOnce(input, {
        key: deliveryKey(alert.messageId, alert.index, destination.id),
        context: { destination: destination.id, messageId: alert.messageId, alertIndex: alert.index },
        send: (context) => destination.send(alert, context),
      });
      deliveries.push({ destination: destination.id, messageId: alert.messageId, index: alert.index, outcome });
    }
    return deliveries;
  });

  return summarise(
    perDestination.flat(),
    destinations.map(({ id }) => id),
  );
}

/**
 * Tallies deliveries per destination; throws DeliveryFailedError naming each failed one and why when any failed.
 * The watch settles its amendments and new alerts of a run through here too.
 */
export function summarise(deliveries: readonly AlertDelivery[], destinationIds: readonly string[]): DeliverySummary {
  const summary: DeliverySummary = {
    deliveries,
    destinations: destinationIds.map((id) => tally(id, deliveries)),
  };
  const failures = deliveries.flatMap((delivery) =>
    delivery.outcome.status === 'failed' ? [{ delivery, error: delivery.outcome.error }] : [],
  );
  if (failures.length > 0) {
    const lines = failures.map(({ delivery, error }) => `${describeTarget(delivery)}: ${error.message}`);
    throw new DeliveryFailedError(
      `${failures.length} of ${deliveries.length} deliveries failed:\n${lines.map((line) => `- ${line}`).join('\n')}`,
      summary,
      failures.map(({ error }) => error),
    );
  }
  return summary;
}

/** One send to one destination, under its own key in the ledger. */
export interface DeliveryJob {
  /** Names the send in the ledger: the same key is sent at most once. */
  readonly key: string;
  /** What the log lines about it say (destination, message, alert). */
  readonly context: Readonly<Record<string, unknown>>;
  send(context: SendContext): Promise<DeliveryReceipt | undefined>;
}

/**
 * Claims the job's key, sends, and records the send (see deliverAlerts for what throws and what is logged); the
 * outcome is returned, never thrown. The watch's amendments go through here too, under their own keys.
 */
export async function deliverOnce(
  { store, owner, deadline, now = Date.now, logger, metrics, sleep = wait }: DeliveryRun,
  { key, context, send }: DeliveryJob,
): Promise<DeliveryOutcome> {
  let claim: Awaited<ReturnType<DeliveryStore['claim']>>;
  try {
    claim = await store.claim(key, owner, Math.max(0, deadline - now()));
  } catch (error) {
    metrics?.addMetric('DeliveryFailed', MetricUnit.Count, 1);
    logger?.error('Could not claim the delivery; it was not sent', { ...context, error: messageOf(error) });
    return { status: 'failed', error: asError(error) };
  }
  if (claim !== 'claimed') {
    const reason = claim === 'delivered' ? 'already-delivered' : 'in-progress-elsewhere';
    metrics?.addMetric('DeliverySkipped', MetricUnit.Count, 1);
    logger?.info('Skipped a delivery', { ...context, reason });
    return { status: 'skipped', reason };
  }

  let receipt: DeliveryReceipt | undefined;
  try {
    receipt = await send({
      deadline: deadline - RECORD_RESERVE_MS,
      deliveryKey: key,
      ...(metrics ? { metrics } : {}),
    });
  } catch (error) {
    metrics?.addMetric('DeliveryFailed', MetricUnit.Count, 1);
    logger?.error('Delivery failed', { ...context, code: codeOf(error), error: messageOf(error) });
    try {
      await store.release(key, owner);
    } catch (releaseError) {
      logger?.warn('Could not release the claim; it expires with this invocation', {
        ...context,
        error: messageOf(releaseError),
      });
    }
    return { status: 'failed', error: asError(error) };
  }

  metrics?.addMetric('Delivered', MetricUnit.Count, 1);
  const warnings = receipt?.warnings ?? [];
  for (const warning of warnings) logger?.warn('Delivered with a problem', { ...context, warning });
  const notRecorded = await recordDelivered(() => store.markDelivered(key, owner, { ref: receipt?.ref }), {
    deadline,
    now,
    sleep,
  });
  if (notRecorded !== undefined) {
    metrics?.addMetric('DeliveredNotRecorded', MetricUnit.Count, 1);
    logger?.error('Delivered but not recorded: a redelivery of this event may send it again', {
      ...context,
      error: messageOf(notRecorded.error),
      attempts: notRecorded.attempts,
    });
  }
  logger?.info('Delivered', { ...context, ref: receipt?.ref });
  return receipt?.ref === undefined ? { status: 'sent', warnings } : { status: 'sent', ref: receipt.ref, warnings };
}

/**
 * Writes the record until it sticks, RECORD_ATTEMPTS times at most and never waiting past the deadline; returns the
 * last failure when it did not stick. Safe to repeat: recording a delivery is an unconditional write.
 */
async function recordDelivered(
  write: () => Promise<void>,
  { deadline, now, sleep }: { deadline: number; now: () => number; sleep: (ms: number) => Promise<void> },
): Promise<{ error: unknown; attempts: number } | undefined> {
  let delay = RECORD_RETRY_DELAY_MS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await write();
      return undefined;
    } catch (error) {
      if (attempt >= RECORD_ATTEMPTS || now() + delay > deadline) return { error, attempts: attempt };
      await sleep(delay);
      delay *= 2;
    }
  }
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tally(destination: string, deliveries: readonly AlertDelivery[]): DestinationTally {
  const mine = deliveries.filter((delivery) => delivery.destination === destination);
  const count = (status: DeliveryOutcome['status']) => mine.filter(({ outcome }) => outcome.status === status).length;
  return { destination, sent: count('sent'), skipped: count('skipped'), failed: count('failed') };
}

function describeTarget({ destination, messageId, index }: AlertDelivery): string {
  return `${destination} (alert ${index} of message ${messageId})`;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the results in the order of `items`. */
async function mapWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const position = next;
      next += 1;
      results[position] = await work(items[position] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function codeOf(error: unknown): string | undefined {
  return error instanceof RelayError ? error.code : undefined;
}
