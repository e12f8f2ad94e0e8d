import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createChangelogSource } from './adapters/changelog-source.js';
import { createDeliveryStore } from './adapters/delivery-store.js';
import { readConfig } from './config.js';
import { createDestinations } from './destinations.js';
import { relayEvent } from './relay.js';

// Read once per container. A bad configuration throws here, so every invocation fails loudly (and its event ends
// in the dead-letter queue) instead of alerts being dropped.
const config = readConfig(process.env);
const logger = new Logger();
const metrics = new Metrics();

const changelogs = createChangelogSource({
  live: config.liveChangelog,
  onFallback: (family, reason) => {
    logger.warn('Using the bundled changelog snapshot', { family, reason });
    metrics.addMetric('ChangelogFallback', MetricUnit.Count, 1);
  },
  onSkippedRows: (family, skipped) => {
    logger.warn('Skipped history page rows the reader could not use', { family, skipped });
  },
});
const store = createDeliveryStore({ tableName: config.deliveryTableName });
const destinations = createDestinations(config, { logger });

/**
 * Subscribed to the ec2-windows-drivers topic. Throws when the event is not an SNS event or when any delivery
 * failed (after the others went out), so Lambda retries it and the dead-letter queue ends it: never silently lost.
 */
export const handler = async (event: unknown, context: Context): Promise<void> => {
  logger.addContext(context);
  try {
    const { alerts, summary } = await relayEvent(
      event,
      { changelogs, destinations, store, logger, metrics },
      { owner: context.awsRequestId, deadline: Date.now() + context.getRemainingTimeInMillis() },
    );
    logger.info('Relayed', {
      alerts: alerts.map(({ family, version, messageId }) => ({ family, version, messageId })),
      destinations: summary.destinations,
    });
  } catch (error) {
    logger.error('Relay failed; Lambda will retry the event', error as Error);
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
};
