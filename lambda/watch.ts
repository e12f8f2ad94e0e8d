import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { deliveryKey } from './adapters/delivery-store.js';
import { alertRecords } from './alert-records.js';
import { type AlertOrigin, rebuild, renderAmendment, unannouncedAlert } from './core/amendment.js';
import { type Changelog, entryFor } from './core/changelog.js';
import { DRIVER_FAMILIES, type DriverFamily } from './core/driver-family.js';
import { messageOf } from './core/errors.js';
import {
  AMEND_WINDOW_MS,
  type AmendmentChange,
  type FamilyPlan,
  type PageRead,
  planFamily,
  settle,
  type Update,
} from './core/watch.js';
import { DeliveryFailedError, type DeliveryLog, type DeliverySummary, deliverOnce } from './delivery.js';
import type { AlertRecord, DeliveryStore, Destination, WatchStore } from './ports.js';
import { deliverEvery, type RelayDependencies } from './relay.js';

export interface WatchDependencies {
  /** Reads one history page live (changelog-source.ts readPage); never rejects. */
  readonly readPage: (family: DriverFamily) => Promise<PageRead>;
  readonly store: WatchStore;
  /** The delivery ledger: amendments and new alerts are sent once each, however many watches run. */
  readonly deliveries: DeliveryStore;
  readonly destinations: readonly Destination[];
  /** How long a new version may sit on a page without a notice before it is alerted. */
  readonly graceMs: number;
  readonly logger: DeliveryLog;
  readonly metrics?: Pick<Metrics, 'addMetric'>;
  readonly inventory?: RelayDependencies['inventory'];
  /** @default Date.now */
  readonly now?: () => number;
}

export interface WatchRun {
  /** Who is watching (the Lambda request id): two watches at once are two owners. */
  readonly owner: string;
  readonly deadline: number;
}

export interface WatchReport {
  readonly plans: readonly FamilyPlan<AlertRecord>[];
  readonly amended: readonly { family: DriverFamily; version: string; change: AmendmentChange }[];
  readonly unannounced: readonly { family: DriverFamily; version: string }[];
}

/**
 * One run of the version-history watch: read the four pages, plan (core/watch.ts), amend the alerts the pages now
 * say more about, alert the releases AWS sent no notice about, and save each family's state.
 *
 * What throws and what is only logged:
 * - A page that cannot be fetched, read or that shrank: logged and counted (WatchPageProblem); its family changes
 *   nothing this time. Never thrown: the next run reads it again, and the other families go on.
 * - The watch's table unreadable (records or state): thrown before anything is sent (RelayError
 *   'store-unavailable'); the schedule runs the watch again.
 * - A send or an amendment that failed at some destination: the others go on; its family's state keeps that
 *   version pending (or the alert unamended), and the run throws DeliveryFailedError at the end, so the function
 *   counts an error (FunctionErrors alarms) and the next run tries again. What did go out is in the ledger and is
 *   not sent twice.
 * - Another watch saved a family's state first: logged; it read the same page.
 */
export async function runWatch(deps: WatchDependencies, run: WatchRun): Promise<WatchReport> {
  const now = (deps.now ?? Date.now)();
  const [pages, sent] = await Promise.all([
    Promise.all(DRIVER_FAMILIES.map((family) => deps.readPage(family))),
    deps.store.sentSince(now - AMEND_WINDOW_MS),
  ]);
  const plans: FamilyPlan<AlertRecord>[] = [];
  const amended: WatchReport['amended'][number][] = [];
  const unannounced: WatchReport['unannounced'][number][] = [];
  const failures: DeliverySummary[] = [];

  for (const [position, family] of DRIVER_FAMILIES.entries()) {
    const page = pages[position] as PageRead;
    const stored = await deps.store.familyState(family);
    const plan = planFamily({
      family,
      page,
      sent: sent.filter((record) => record.family === family),
      state: stored?.state,
      now,
      graceMs: deps.graceMs,
    });
    plans.push(plan);
    report(plan, deps);
    if (!page.ok) continue;

    for (const update of plan.updates) {
      const summary = await amend(update, page.changelog, deps, run, now);
      if (summary.failed) failures.push(summary.summary);
      else amended.push({ family, version: update.version, change: update.change });
    }

    const undelivered: string[] = [];
    for (const version of plan.unannounced) {
      const seenAt = plan.firstSeen[version] ?? now;
      const outcome = await alertUnannounced(family, version, page.changelog, seenAt, deps, run, now);
      if (outcome.failed) {
        undelivered.push(version);
        failures.push(outcome.summary);
      } else {
        unannounced.push({ family, version });
      }
    }

    const next = settle(plan, undelivered);
    if (next !== null && next !== stored?.state) {
      const saved = await deps.store.saveFamilyState(family, next, stored?.revision);
      if (!saved) deps.logger.info('Another watch saved this family first; it read the same page', { family });
    }
  }

  deps.metrics?.addMetric('WatchRan', MetricUnit.Count, 1);
  // Once per completed watch, 0 included: HistoryPagesUnusable alarms on its minimum (every watch had a problem).
  deps.metrics?.addMetric('WatchPagesUnusable', MetricUnit.Count, plans.filter((plan) => plan.problem !== null).length);
  if (amended.length > 0) deps.metrics?.addMetric('WatchAmended', MetricUnit.Count, amended.length);
  if (unannounced.length > 0) deps.metrics?.addMetric('WatchUnannounced', MetricUnit.Count, unannounced.length);
  if (failures.length > 0) {
    const deliveries = failures.flatMap((summary) => summary.deliveries);
    const errors = deliveries.flatMap((delivery) =>
      delivery.outcome.status === 'failed' ? [delivery.outcome.error] : [],
    );
    throw new DeliveryFailedError(
      `The watch could not deliver ${errors.length} of ${deliveries.length} sends; the next run tries them again:\n${errors.map((error) => `- ${messageOf(error)}`).join('\n')}`,
      { deliveries, destinations: failures.flatMap((summary) => summary.destinations) },
      errors,
    );
  }
  return { plans, amended, unannounced };
}

function report(plan: FamilyPlan<AlertRecord>, deps: WatchDependencies): void {
  const { family, problem } = plan;
  if (problem !== null) {
    deps.metrics?.addMetric('WatchPageProblem', MetricUnit.Count, 1);
    deps.logger.warn(
      problem.kind === 'unreadable'
        ? 'Version history not usable this time; nothing changes for this family'
        : 'Version history lists fewer rows than before; nothing changes for this family until it settles',
      { family, ...problem },
    );
  } else if (plan.firstSight) {
    const rows = plan.next?.rows ?? 0;
    deps.logger.info('First look at this version history: its releases are recorded as known, none is announced', {
      family,
      rows,
      newest: plan.next?.newest ?? null,
    });
  }
}

type Sent = { readonly failed: false } | { readonly failed: true; readonly summary: DeliverySummary };

/**
 * Sends one amendment to every destination the alert went to (and that is still configured), each once; marks the
 * record amended only when all of them have it, so a destination that failed is tried again next run.
 */
async function amend(
  update: Update<AlertRecord>,
  changelog: Changelog,
  deps: WatchDependencies,
  run: WatchRun,
  now: number,
): Promise<Sent> {
  const { alert: record, change } = update;
  const origin: AlertOrigin = record;
  const alert = rebuild(origin, changelog, change === 'rolled-back' ? 'rollback' : 'release');
  const rendered = renderAmendment({ alert, change, sentAt: record.sentAt, now });
  const deliveries: DeliverySummary['deliveries'][number][] = [];
  for (const id of record.destinations) {
    const destination = deps.destinations.find((candidate) => candidate.id === id);
    if (destination === undefined) {
      deps.logger.warn('Not amending at a destination that is no longer configured', { destination: id, change });
      continue;
    }
    const sentKey = deliveryKey(record.messageId, record.index, id);
    const outcome = await deliverOnce(ledger(deps, run), {
      key: `amend#${change}#${sentKey}`,
      context: { destination: id, messageId: record.messageId, alertIndex: record.index, change },
      send: async (context) => destination.amend(rendered, { ...context, ref: await deps.store.deliveredRef(sentKey) }),
    });
    deliveries.push({ destination: id, messageId: record.messageId, index: record.index, outcome });
  }
  if (deliveries.some(({ outcome }) => outcome.status === 'failed')) {
    return { failed: true, summary: { deliveries, destinations: [] } };
  }
  // Another watch is sending it somewhere: that watch records the amendment when it has gone out everywhere; if
  // its send fails, the record stays unamended and the next run tries again.
  if (deliveries.some(({ outcome }) => outcome.status === 'skipped' && outcome.reason === 'in-progress-elsewhere')) {
    return { failed: false };
  }
  const entry = entryFor(changelog.entries, record.version);
  await deps.store.markAmended(record, {
    notesPublished: true,
    releaseDate: entry?.releaseDate ?? record.releaseDate ?? null,
    rolledBack: change === 'rolled-back',
  });
  deps.logger.info('Amended an alert', {
    family: record.family,
    version: record.version,
    change,
    messageId: record.messageId,
  });
  return { failed: false };
}

/** Alerts a release seen only on the page, like any alert: recorded first (so it can be amended), then sent once. */
async function alertUnannounced(
  family: DriverFamily,
  version: string,
  changelog: Changelog,
  seenAt: number,
  deps: WatchDependencies,
  run: WatchRun,
  now: number,
): Promise<Sent> {
  const alert = unannouncedAlert(family, version, changelog, seenAt);
  await deps.store.remember(
    alertRecords(
      [alert],
      deps.destinations.map(({ id }) => id),
      now,
    ),
  );
  try {
    await deliverEvery([alert], { ...ledgerDeps(deps), destinations: deps.destinations }, run);
    deps.logger.info('Alerted a release AWS sent no notice about', { family, version });
    return { failed: false };
  } catch (error) {
    if (error instanceof DeliveryFailedError) return { failed: true, summary: error.summary };
    throw error;
  }
}

function ledger(deps: WatchDependencies, run: WatchRun) {
  return { store: deps.deliveries, owner: run.owner, deadline: run.deadline, ...ledgerOptions(deps) };
}

function ledgerDeps(deps: WatchDependencies) {
  return {
    store: deps.deliveries,
    ...ledgerOptions(deps),
    ...(deps.inventory === undefined ? {} : { inventory: deps.inventory }),
  };
}

function ledgerOptions(deps: WatchDependencies) {
  return {
    logger: deps.logger,
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
    ...(deps.now === undefined ? {} : { now: deps.now }),
  };
}
