import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryStore } from './adapters/delivery-store.js';
import type { Alert } from './core/alert.js';
import type { ChangelogSource } from './core/changelog.js';
import { renderEmail } from './core/email-message.js';
import { buildAlerts } from './core/enrich.js';
import { renderSlackMessages } from './core/slack-message.js';
import { parseNotifications, parseSnsMessageJson, type SnsNotification } from './core/sns-event.js';
import {
  type DeliveryLog,
  type DeliverySummary,
  type Destination,
  deliverAlerts,
  type RenderedAlert,
} from './delivery.js';

export interface RelayDependencies {
  readonly changelogs: ChangelogSource;
  readonly destinations: readonly Destination[];
  readonly store: DeliveryStore;
  /** The topic the relay serves (the stack's DRIVER_TOPIC_ARN); a notification from any other is refused. */
  readonly topicArn: string;
  readonly logger?: DeliveryLog;
  readonly metrics?: Pick<Metrics, 'addMetric'>;
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
export function deliverEvery(
  alerts: readonly Alert[],
  deps: Omit<RelayDependencies, 'changelogs' | 'topicArn'>,
  run: RelayRun,
): Promise<DeliverySummary> {
  return deliverAlerts({
    alerts: alerts.map(renderAlert),
    destinations: deps.destinations,
    store: deps.store,
    owner: run.owner,
    deadline: run.deadline,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
}

export function renderAlert(alert: Alert): RenderedAlert {
  return {
    messageId: alert.messageId,
    index: alert.index,
    slack: renderSlackMessages(alert),
    email: renderEmail(alert),
  };
}
