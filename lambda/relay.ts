import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryStore } from './adapters/delivery-store.js';
import type { Alert } from './core/alert.js';
import type { ChangelogSource } from './core/changelog.js';
import { renderEmail } from './core/email-message.js';
import { buildAlerts } from './core/enrich.js';
import { renderSlackMessages } from './core/slack-message.js';
import { parseSnsEvent, type SnsNotification } from './core/sns-event.js';
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
  readonly logger?: DeliveryLog;
  readonly metrics?: Pick<Metrics, 'addMetric'>;
}

export interface RelayRun {
  /** Who is sending: the Lambda request id (stable across Lambda's retries of one event). */
  readonly owner: string;
  /** When this run ends (epoch ms): delivery claims are held until then. */
  readonly deadline: number;
}

export interface RelayResult {
  readonly alerts: readonly Alert[];
  readonly summary: DeliverySummary;
}

/**
 * The whole relay for one SNS event: validate it, build the alerts, render them and deliver each one to every
 * destination exactly once.
 *
 * Throws (so Lambda retries the event and, after the last retry, the dead-letter queue holds it):
 * - RelayError 'invalid-event' for an event that is not an SNS event: no retry fixes it, but the dead-letter queue
 *   keeps it for a person to look at instead of it vanishing;
 * - DeliveryFailedError when any destination failed, after every other destination was served.
 * Only logged: changelog problems (the source falls back to the bundled snapshot and the alert says which it used).
 */
export async function relayEvent(event: unknown, deps: RelayDependencies, run: RelayRun): Promise<RelayResult> {
  const alerts = await alertsForEvent(event, deps);
  const summary = await deliverEvery(alerts, deps, run);
  return { alerts, summary };
}

/** Validates the event and builds its alerts (one per announced driver, or one unknown alert per notification). */
export function alertsForEvent(
  event: unknown,
  deps: Pick<RelayDependencies, 'changelogs' | 'logger' | 'metrics'>,
): Promise<Alert[]> {
  return alertsForNotifications(parseSnsEvent(event), deps);
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
  deps: Omit<RelayDependencies, 'changelogs'>,
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
