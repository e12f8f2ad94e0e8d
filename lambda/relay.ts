import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { InventoryResult } from './adapters/ssm-inventory.js';
import { alertRecords } from './alert-records.js';
import type { Alert } from './core/alert.js';
import type { ChangelogSource } from './core/changelog.js';
import { renderEmail } from './core/email-message.js';
import { buildAlerts } from './core/enrich.js';
import { fleetImpact, hasFleetView } from './core/fleet.js';
import type { FleetView } from './core/fleet-wording.js';
import { renderSlackMessages } from './core/slack-message.js';
import { parseNotifications, parseSnsMessageJson, type SnsNotification } from './core/sns-event.js';
import { type DeliveryLog, type DeliverySummary, deliverAlerts, RECORD_RESERVE_MS } from './delivery.js';
import type { DeliveryStore, RenderedAlert, Sender, WatchStore } from './ports.js';

/** The most a fleet read may take: the alert waits for it, and without it the alert still goes out. */
export const FLEET_BUDGET_MS = 10_000;
/** Time the fleet read leaves for the sends themselves (Slack and email with their retries). */
const SEND_RESERVE_MS = 20_000;

export interface RelayDependencies {
  readonly changelogs: ChangelogSource;
  readonly destinations: readonly Sender[];
  readonly store: DeliveryStore;
  /** The topic the relay serves (the stack's DRIVER_TOPIC_ARN); a notification from any other is refused. */
  readonly topicArn: string;
  readonly logger?: DeliveryLog;
  readonly metrics?: Pick<Metrics, 'addMetric'>;
  /**
   * Reads the fleet's Windows inventory, before `deadline` (epoch ms), for release and rollback alerts; absent when
   * fleet impact is off. Never throws by contract; a throw is still caught, as a read that failed.
   */
  readonly inventory?: (deadline: number) => Promise<InventoryResult>;
  /**
   * Keeps a record of each alert for the version-history watch, before it is sent; absent, nothing is kept (the
   * CLI). Throws like the delivery ledger when the table fails, so the notification is retried.
   */
  readonly records?: Pick<WatchStore, 'remember'>;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface RelayRun {
  /**
   * Who is sending: one receive of one queue message (the Lambda request id and the SQS message id). A message SQS
   * delivers again, or a duplicate of it in the same batch, is another owner, so it cannot take over a live claim.
   */
  readonly owner: string;
  /** When this run ends (epoch ms): delivery claims are held until then. */
  readonly deadline: number;
}

export type MessageOutcome =
  | {
      readonly kind: 'relayed';
      readonly notification: SnsNotification;
      readonly alerts: readonly Alert[];
      readonly summary: DeliverySummary;
    }
  | { readonly kind: 'refused'; readonly notification: SnsNotification };

/**
 * The whole relay for one message from the work queue: read the SNS notification in its body, check that it came
 * from the driver topic, build the alerts, render them and deliver each one to every destination exactly once.
 *
 * Throws (so the record fails, SQS delivers it again, and after its last receive the dead-letter queue keeps it):
 * - RelayError 'invalid-event' for a body that is not an SNS notification: no retry fixes it, but failing it keeps
 *   it for a person to look at instead of it vanishing;
 * - DeliveryFailedError when any destination failed, after every other destination was served.
 * - RelayError 'store-unavailable' when the alert records cannot be kept: the delivery ledger is the same table,
 *   so the claims would fail next anyway.
 * Returns 'refused', only logged and counted (RefusedForeignTopic): a notification from another topic. The queue
 * policy lets only the driver topic send, so it is not ours to deliver, and no retry would make it ours.
 * Only logged: changelog problems (the source falls back to the bundled snapshot and the alert says which it used).
 */
export async function relayMessage(body: string, deps: RelayDependencies, run: RelayRun): Promise<MessageOutcome> {
  const notification = parseSnsMessageJson(body);
  if (notification.topicArn !== deps.topicArn) {
    deps.metrics?.addMetric('RefusedForeignTopic', MetricUnit.Count, 1);
    deps.logger?.warn('Refused a notification from another topic; it is not delivered or retried', {
      messageId: notification.messageId,
      topicArn: notification.topicArn,
      expectedTopicArn: deps.topicArn,
    });
    return { kind: 'refused', notification };
  }
  const alerts = await alertsForNotifications([notification], deps);
  await deps.records?.remember(
    alertRecords(
      alerts,
      deps.destinations.map(({ id }) => id),
      (deps.now ?? Date.now)(),
    ),
  );
  const summary = await deliverEvery(alerts, deps, run);
  return { kind: 'relayed', notification, alerts, summary };
}

/**
 * Validates an SNS Lambda event, an SQS event of SNS messages or one SNS message (parseNotifications) and builds
 * its alerts (one per announced driver, or one unknown alert per notification).
 */
export function alertsForEvent(
  event: unknown,
  deps: Pick<RelayDependencies, 'changelogs' | 'logger' | 'metrics'>,
): Promise<Alert[]> {
  return alertsForNotifications(parseNotifications(event), deps);
}

export async function alertsForNotifications(
  notifications: readonly SnsNotification[],
  deps: Pick<RelayDependencies, 'changelogs' | 'logger' | 'metrics'>,
): Promise<Alert[]> {
  const alerts: Alert[] = [];
  for (const notification of notifications) {
    alerts.push(...(await buildAlerts(notification, deps.changelogs)));
  }
  deps.metrics?.addMetric('AlertsBuilt', MetricUnit.Count, alerts.length);
  const unknown = alerts.filter((alert) => alert.family === 'unknown').length;
  if (unknown > 0) {
    deps.metrics?.addMetric('UnrecognisedNotifications', MetricUnit.Count, unknown);
    deps.logger?.warn('Forwarding notifications the relay could not attribute to a driver', { count: unknown });
  }
  return alerts;
}

/** Renders each alert and delivers it to every destination once; throws DeliveryFailedError if any failed. */
export async function deliverEvery(
  alerts: readonly Alert[],
  deps: Omit<RelayDependencies, 'changelogs' | 'topicArn'>,
  run: RelayRun,
): Promise<DeliverySummary> {
  const fleets = await fleetViews(alerts, deps, run);
  return deliverAlerts({
    alerts: alerts.map((alert, position) => renderAlert(alert, fleets[position])),
    destinations: deps.destinations,
    store: deps.store,
    owner: run.owner,
    deadline: run.deadline,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
}

export function renderAlert(alert: Alert, fleet?: FleetView): RenderedAlert {
  return {
    messageId: alert.messageId,
    index: alert.index,
    slack: renderSlackMessages(alert, fleet),
    email: renderEmail(alert, fleet),
  };
}

/**
 * Each alert's fleet section: one inventory read serves every alert of the message. Only logged and counted
 * (FleetImpactUnavailable), never thrown: throttling, a missing permission, an empty inventory or no time left give
 * the alert without its fleet and a line saying why, since a retry would delay every destination for a nicety.
 */
async function fleetViews(
  alerts: readonly Alert[],
  deps: Pick<RelayDependencies, 'inventory' | 'logger' | 'metrics' | 'now'>,
  run: RelayRun,
): Promise<(FleetView | undefined)[]> {
  if (deps.inventory === undefined || !alerts.some(hasFleetView)) return alerts.map(() => undefined);
  const now = deps.now ?? Date.now;
  const deadline = Math.min(now() + FLEET_BUDGET_MS, run.deadline - RECORD_RESERVE_MS - SEND_RESERVE_MS);
  let result: InventoryResult;
  try {
    result =
      deadline <= now()
        ? { kind: 'unavailable', problem: 'timeout', reason: 'no time was left to read SSM Inventory' }
        : await deps.inventory(deadline);
  } catch (error) {
    result = { kind: 'unavailable', problem: 'failed', reason: `SSM Inventory could not be read: ${String(error)}` };
  }
  if (result.kind === 'unavailable') {
    deps.metrics?.addMetric('FleetImpactUnavailable', MetricUnit.Count, 1);
    deps.logger?.warn('Sending without the fleet section', { problem: result.problem, reason: result.reason });
    const view: FleetView = { kind: 'unavailable', reason: result.reason };
    return alerts.map((alert) => (hasFleetView(alert) ? view : undefined));
  }
  const { inventories } = result;
  return alerts.map((alert) =>
    hasFleetView(alert) ? { kind: 'fleet', fleet: fleetImpact(alert, inventories) } : undefined,
  );
}
