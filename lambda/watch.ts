import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { deliveryKey } from './adapters/delivery-store.js';
import { alertRecords } from './alert-records.js';
import { rebuild, renderAmendment, unannouncedAlert } from './core/amendment.js';
import { type Changelog, entryFor } from './core/changelog.js';
import { DRIVER_FAMILIES, type DriverFamily } from './core/driver-family.js';
import {
  AMEND_WINDOW_MS,
  type AmendmentChange,
  type FamilyPlan,
  type FamilyWatchState,
  type PageRead,
  planFamily,
  settle,
  type Update,
} from './core/watch.js';
import { type AlertDelivery, DeliveryFailedError, type DeliveryLog, deliverOnce, summarise } from './delivery.js';
import type { AlertRecord, DeliveryStore, Destination, WatchStore } from './ports.js';
import { deliverEvery, type RelayDependencies } from './relay.js';

/** What planning a watch needs: the pages, and the records of what was sent and seen. */
export interface WatchPlanning {
  /** Reads one history page live (changelog-source.ts readPage); never rejects. */
  readonly readPage: (family: DriverFamily) => Promise<PageRead>;
  readonly store: Pick<WatchStore, 'sentSince' | 'familyState'>;
  /** How long a new version may sit on a page without a notice before it is alerted. */
  readonly graceMs: number;
}

export interface WatchDependencies extends WatchPlanning {
  readonly store: WatchStore;
  /** The delivery ledger: amendments and new alerts are sent once each, however many watches run. */
  readonly deliveries: DeliveryStore;
  readonly destinations: readonly Destination[];
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

/** One family's plan, with the page it was made from and the revision of the state it started from. */
export interface PlannedFamily {
  readonly plan: FamilyPlan<AlertRecord>;
  readonly page: PageRead;
  readonly stored: { readonly state: FamilyWatchState; readonly revision: number } | undefined;
}

/**
 * Reads the four pages, the alerts of the amend window and each family's state, and plans every family
 * (core/watch.ts). Sends nothing: the CLI prints this, runWatch carries it out. Throws RelayError
 * 'store-unavailable' when the table cannot be read.
 */
export async function planWatch(deps: WatchPlanning, now: number): Promise<PlannedFamily[]> {
  const [pages, sent, states] = await Promise.all([
    Promise.all(DRIVER_FAMILIES.map((family) => deps.readPage(family))),
    deps.store.sentSince(now - AMEND_WINDOW_MS),
    Promise.all(DRIVER_FAMILIES.map((family) => deps.store.familyState(family))),
  ]);
  return DRIVER_FAMILIES.map((family, position) => {
    const page = pages[position] as PageRead;
    const stored = states[position];
    return { plan: planFamily({ family, page, sent, state: stored?.state, now, graceMs: deps.graceMs }), page, stored };
  });
}

/**
 * One run of the version-history watch: plan (planWatch), amend the alerts the pages now say more about, alert the
 * releases AWS sent no notice about, and save each family's state.
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
  const sending: Sending = {
    deps,
    now,
    run,
    relay: {
      destinations: deps.destinations,
      store: deps.deliveries,
      logger: deps.logger,
      ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
      ...(deps.inventory === undefined ? {} : { inventory: deps.inventory }),
      ...(deps.now === undefined ? {} : { now: deps.now }),
    },
  };
  const planned = await planWatch(deps, now);
  const amended: WatchReport['amended'][number][] = [];
  const unannounced: WatchReport['unannounced'][number][] = [];
  const deliveries: AlertDelivery[] = [];

  for (const { plan, page, stored } of planned) {
    const { family } = plan;
    report(plan, deps);
    if (!page.ok) continue;

    for (const update of plan.updates) {
      const sent = await amend(update, page.changelog, sending);
      deliveries.push(...sent);
      if (!sent.some(failed)) amended.push({ family, version: update.version, change: update.change });
    }

    const undelivered: string[] = [];
    for (const version of plan.unannounced) {
      const sent = await alertUnannounced(family, version, page.changelog, plan.firstSeen[version] ?? now, sending);
      deliveries.push(...sent);
      if (sent.some(failed)) undelivered.push(version);
      else unannounced.push({ family, version });
    }

    const next = settle(plan, undelivered);
    if (next !== null && next !== stored?.state) {
      const saved = await deps.store.saveFamilyState(family, next, stored?.revision);
      if (!saved) deps.logger.info('Another watch saved this family first; it read the same page', { family });
    }
  }

  const plans = planned.map(({ plan }) => plan);
  deps.metrics?.addMetric('WatchRan', MetricUnit.Count, 1);
  // Once per completed watch, 0 included: HistoryPagesUnusable alarms on its minimum (every watch had a problem).
  deps.metrics?.addMetric('WatchPagesUnusable', MetricUnit.Count, plans.filter((plan) => plan.problem !== null).length);
  if (amended.length > 0) deps.metrics?.addMetric('WatchAmended', MetricUnit.Count, amended.length);
  if (unannounced.length > 0) deps.metrics?.addMetric('WatchUnannounced', MetricUnit.Count, unannounced.length);
  summarise(
    deliveries,
    deps.destinations.map(({ id }) => id),
  );
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

/** What sending the run's amendments and new alerts shares. */
interface Sending {
  readonly deps: WatchDependencies;
  readonly now: number;
  readonly run: WatchRun;
  /** What deliverEvery (new alerts) and deliverOnce (amendments) share: the ledger, the log and the clock. */
  readonly relay: Omit<RelayDependencies, 'changelogs' | 'topicArn' | 'records'>;
}

const failed = ({ outcome }: AlertDelivery) => outcome.status === 'failed';

/**
 * Sends one amendment to every destination the alert went to (and that is still configured), each once; marks the
 * record amended only when all of them have it, so a destination that failed is tried again next run.
 */
async function amend(
  { alert: record, change }: Update<AlertRecord>,
  changelog: Changelog,
  { deps, now, run, relay }: Sending,
): Promise<AlertDelivery[]> {
  const alert = rebuild(record, changelog, change === 'rolled-back' ? 'rollback' : 'release');
  const rendered = renderAmendment({ alert, change, sentAt: record.sentAt, now });
  const deliveries: AlertDelivery[] = [];
  for (const id of record.destinations) {
    const destination = deps.destinations.find((candidate) => candidate.id === id);
    if (destination === undefined) {
      deps.logger.warn('Not amending at a destination that is no longer configured', { destination: id, change });
      continue;
    }
    const sentKey = deliveryKey(record.messageId, record.index, id);
    const outcome = await deliverOnce(
      { ...relay, owner: run.owner, deadline: run.deadline },
      {
        key: `amend#${change}#${sentKey}`,
        context: { destination: id, messageId: record.messageId, alertIndex: record.index, change },
        send: async (context) =>
          destination.amend(rendered, { ...context, ref: await deps.store.deliveredRef(sentKey) }),
      },
    );
    deliveries.push({ destination: id, messageId: record.messageId, index: record.index, outcome });
  }
  // A failed destination is tried again next run. Another watch still sending it somewhere records the amendment
  // itself once it has gone out everywhere (and if its send fails, the next run tries again).
  const inProgressElsewhere = deliveries.some(
    ({ outcome }) => outcome.status === 'skipped' && outcome.reason === 'in-progress-elsewhere',
  );
  if (deliveries.some(failed) || inProgressElsewhere) return deliveries;
  await deps.store.markAmended(record, {
    notesPublished: true,
    releaseDate: entryFor(changelog.entries, record.version)?.releaseDate ?? record.releaseDate ?? null,
    rolledBack: change === 'rolled-back',
  });
  deps.logger.info('Amended an alert', {
    family: record.family,
    version: record.version,
    change,
    messageId: record.messageId,
  });
  return deliveries;
}

/** Alerts a release seen only on the page, like any alert: recorded first (so it can be amended), then sent once. */
async function alertUnannounced(
  family: DriverFamily,
  version: string,
  changelog: Changelog,
  seenAt: number,
  { deps, now, run, relay }: Sending,
): Promise<AlertDelivery[]> {
  const alert = unannouncedAlert(family, version, changelog, seenAt);
  await deps.store.remember(
    alertRecords(
      [alert],
      deps.destinations.map(({ id }) => id),
      now,
    ),
  );
  try {
    const { deliveries } = await deliverEvery([alert], relay, run);
    deps.logger.info('Alerted a release AWS sent no notice about', { family, version });
    return [...deliveries];
  } catch (error) {
    if (error instanceof DeliveryFailedError) return [...error.summary.deliveries];
    throw error;
  }
}
