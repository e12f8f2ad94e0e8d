import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createChangelogSource, readPage } from './adapters/changelog-source.js';
import { createDeliveryStore } from './adapters/delivery-store.js';
import { createWatchStore } from './adapters/watch-store.js';
import { readConfig } from './config.js';
import type { SkippedRow } from './core/changelog.js';
import { isWatchEvent } from './core/config-contract.js';
import type { DriverFamily } from './core/driver-family.js';
import { RelayError } from './core/errors.js';
import { createDestinations } from './destinations.js';
import { relayMessage } from './relay.js';
import { runWatch } from './watch.js';

// Read once per container. A bad configuration throws here, so every invocation fails loudly (and its messages end
// in the dead-letter queue after their receives) instead of alerts being dropped.
const config = readConfig(process.env);
const logger = new Logger();
const metrics = new Metrics();

const onSkippedRows = (family: DriverFamily, skipped: readonly SkippedRow[]) => {
  logger.warn('Skipped history page rows the reader could not use', { family, skipped });
};
const changelogs = createChangelogSource({
  live: config.liveChangelog,
  onFallback: (family, reason) => {
    logger.warn('Using the bundled changelog snapshot', { family, reason });
    metrics.addMetric('ChangelogFallback', MetricUnit.Count, 1);
  },
  onSkippedRows,
});
const store = createDeliveryStore({ tableName: config.deliveryTableName });
const records = createWatchStore({ tableName: config.deliveryTableName });
const destinations = createDestinations(config, { logger });
const inventory = config.fleetRegions.length > 0 ? inventoryReader(config.fleetRegions) : undefined;
const deps = {
  changelogs,
  destinations,
  store,
  records,
  topicArn: config.driverTopicArn,
  logger,
  metrics,
  ...(inventory === undefined ? {} : { inventory }),
};
const HOUR_MS = 60 * 60 * 1000;
const watchDeps = {
  readPage: (family: DriverFamily) => readPage(family, { onSkippedRows }),
  store: records,
  deliveries: store,
  destinations,
  graceMs: config.unannouncedAfterHours * HOUR_MS,
  logger,
  metrics,
  ...(inventory === undefined ? {} : { inventory }),
};

/**
 * Reads SSM Inventory for release and rollback alerts. The SSM client and the adapter are loaded on the first
 * alert that needs them, so a function without fleet impact, or a message without such an alert, never loads them.
 */
function inventoryReader(regions: readonly string[]) {
  const clients = new Map<string, import('@aws-sdk/client-ssm').SSMClient>();
  return async (deadline: number) => {
    const [{ SSMClient }, { readWindowsInventory }] = await Promise.all([
      import('@aws-sdk/client-ssm'),
      import('./adapters/ssm-inventory.js'),
    ]);
    const clientFor = (region: string) => {
      let client = clients.get(region);
      if (client === undefined) {
        client = new SSMClient({ region });
        clients.set(region, client);
      }
      return client;
    };
    return readWindowsInventory({ regions, clientFor }, deadline);
  };
}

/**
 * Fed by the work queue (an SQS event source reporting batch item failures); each record's body is an SNS message
 * from the driver topic. Every record is relayed on its own:
 * - delivered, or refused as coming from another topic: the record succeeds and SQS deletes it;
 * - a destination failed, or the body is not an SNS notification: logged and reported in batchItemFailures, so SQS
 *   delivers that record again (the others are not repeated) and, after its last receive, moves it to the
 *   dead-letter queue. When every record of the batch failed, processPartialResponse throws instead
 *   (FullBatchFailureError), which also makes the invocation count as a function error.
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse | undefined> => {
  logger.addContext(context);
  const deadline = Date.now() + context.getRemainingTimeInMillis();
  if (isWatchEvent(event)) {
    await watch(context, deadline);
    return undefined;
  }

  const relayRecord = async (record: SQSRecord): Promise<void> => {
    const where = { sqsMessageId: record.messageId, receiveCount: Number(record.attributes.ApproximateReceiveCount) };
    try {
      const outcome = await relayMessage(record.body, deps, {
        owner: `${context.awsRequestId}/${record.messageId}`,
        deadline,
      });
      if (outcome.kind === 'relayed') {
        logger.info('Relayed', {
          ...where,
          alerts: outcome.alerts.map(({ family, version, messageId }) => ({ family, version, messageId })),
          destinations: outcome.summary.destinations,
        });
      }
    } catch (error) {
      logger.error('Notification failed; SQS will deliver it again, then to the dead-letter queue', {
        ...where,
        code: error instanceof RelayError ? error.code : undefined,
        error: error as Error,
      });
      throw error;
    }
  };

  try {
    // A processor per invocation: it keeps the batch's records and results in its own fields.
    return await processPartialResponse(event, relayRecord, new BatchProcessor(EventType.SQS));
  } finally {
    metrics.publishStoredMetrics();
  }
};

/**
 * The schedule's run of the version-history watch (watch.ts runWatch). A failure is logged and thrown: the
 * invocation counts as an error (FunctionErrors alarms), and the next scheduled run does the work again (what went
 * out is in the delivery ledger and is not sent twice).
 */
async function watch(context: Context, deadline: number): Promise<void> {
  if (!config.liveChangelog) {
    // The watch compares the live pages with what was sent; with live pages off there is nothing to compare.
    logger.warn('The version-history watch needs the live pages (LIVE_CHANGELOG is false); nothing was watched');
    return;
  }
  try {
    const report = await runWatch(watchDeps, { owner: context.awsRequestId, deadline });
    logger.info('Watched the version histories', {
      amended: report.amended,
      unannounced: report.unannounced,
      problems: report.plans.flatMap(({ family, problem }) => (problem === null ? [] : [{ family, ...problem }])),
    });
  } catch (error) {
    logger.error('The version-history watch failed; the next scheduled run tries again', {
      code: error instanceof RelayError ? error.code : undefined,
      error: error as Error,
    });
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
}
