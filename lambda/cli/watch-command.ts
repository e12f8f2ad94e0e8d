import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { createFileChangelogSource } from '../adapters/changelog-files.js';
import { readPage } from '../adapters/changelog-source.js';
import { readWatchEnv } from '../config.js';
import { NOTICE_KINDS } from '../core/alert.js';
import { Env } from '../core/config-contract.js';
import { DRIVER_FAMILIES, type DriverFamily, FAMILIES, isDriverFamily } from '../core/driver-family.js';
import { messageOf, RelayError } from '../core/errors.js';
import { normalizeVersion } from '../core/version.js';
import { type FamilyPlan, type FamilyWatchState, type PageRead, planFamily, type SentAlert } from '../core/watch.js';

export interface WatchCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** What --seen FILE holds: the alerts the relay sent, as the watch compares them with the pages. */
const SeenFile = z.object({
  seen: z.array(
    z.object({
      family: z.string().check(z.refine(isDriverFamily, `expected one of ${DRIVER_FAMILIES.join(', ')}`)),
      version: z
        .string()
        .check(z.refine((value) => normalizeVersion(value) !== null, 'expected a version, e.g. 8.6.1')),
      notesPublished: z.boolean(),
      rolledBack: z.boolean(),
      kind: z.optional(z.enum(NOTICE_KINDS)),
      releaseDate: z.optional(z.nullable(z.string())),
    }),
  ),
});

/**
 * `driver-relay watch`: what the version-history watch would do now, without sending anything. Pages come from
 * --changelog-dir (a family without a file uses the bundled snapshot) or live from docs.aws.amazon.com; what was
 * alerted comes from --seen FILE, or from the deployed table (DELIVERY_TABLE_NAME, AWS credentials).
 *
 * With --seen, the file is all the relay has seen: a version newer than the newest in it for its family is
 * unannounced (the grace period is the deployed watch's, which only it can time), and a family with nothing in the
 * file is a first look, so nothing of it is unannounced. A page that cannot be read changes nothing for its family
 * and is named on standard error.
 */
export async function watchCommand(args: readonly string[], io: WatchCommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'changelog-dir': { type: 'string' },
      seen: { type: 'string' },
      format: { type: 'string', default: 'json' },
    },
    strict: true,
  });
  const format = values.format;
  if (format !== 'json' && format !== 'text') throw new RelayError('invalid-config', '--format must be json or text');
  const dir = values['changelog-dir'];
  const pages = await readPages(dir);
  const now = Date.now();
  const plans =
    values.seen === undefined
      ? await plansFromTable(pages, io.env, now)
      : plansFromSeen(pages, await readSeen(values.seen), now);
  for (const plan of plans) {
    if (plan.problem !== null) {
      const why =
        plan.problem.kind === 'unreadable'
          ? plan.problem.reason
          : `it lists ${plan.problem.rows} rows, fewer than the ${plan.problem.before} before`;
      io.stderr(`note: ${plan.family}: nothing planned (${why})\n`);
    }
  }
  const updates = plans.flatMap((plan) =>
    plan.updates.map(({ family, version, change }) => ({ family, version, change })),
  );
  const unannounced = plans.flatMap((plan) => plan.unannounced.map((version) => ({ family: plan.family, version })));
  io.stdout(format === 'json' ? `${JSON.stringify({ updates, unannounced }, null, 2)}\n` : text(updates, unannounced));
  return 0;
}

async function readPages(dir: string | undefined): Promise<Map<DriverFamily, PageRead>> {
  const files = dir === undefined ? undefined : createFileChangelogSource(dir);
  const reads = await Promise.all(
    DRIVER_FAMILIES.map(async (family): Promise<[DriverFamily, PageRead]> => {
      if (files === undefined) return [family, await readPage(family)];
      try {
        return [family, { ok: true, changelog: await files.getChangelog(family, null) }];
      } catch (error) {
        // A directory that is not there is a mistyped option: stop. A page that is there but unreadable is what the
        // watch meets on the web too: that family changes nothing.
        if (error instanceof RelayError && error.code === 'invalid-config') throw error;
        return [family, { ok: false, reason: messageOf(error) }];
      }
    }),
  );
  return new Map(reads);
}

async function readSeen(path: string): Promise<SentAlert[]> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    throw new RelayError('invalid-config', `cannot read --seen file ${path}: ${messageOf(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new RelayError('invalid-config', `--seen file ${path} is not JSON: ${messageOf(error)}`, { cause: error });
  }
  const parsed = z.safeParse(SeenFile, json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new RelayError(
      'invalid-config',
      `--seen file ${path} is not {"seen": [{"family", "version", "notesPublished", "rolledBack"}]}: ${problems.join('; ')}`,
    );
  }
  return parsed.data.seen.map((entry) => ({
    family: entry.family as DriverFamily,
    version: entry.version,
    kind: entry.kind ?? 'release',
    notesPublished: entry.notesPublished,
    rolledBack: entry.rolledBack,
    ...(entry.releaseDate === undefined ? {} : { releaseDate: entry.releaseDate }),
  }));
}

function plansFromSeen(pages: Map<DriverFamily, PageRead>, seen: readonly SentAlert[], now: number): FamilyPlan[] {
  return DRIVER_FAMILIES.map((family) => {
    const known = seen.some((alert) => alert.family === family && alert.kind !== 'upcoming');
    const state: FamilyWatchState | undefined = known
      ? { newest: null, rows: 0, pending: {}, shrunk: null }
      : undefined;
    return planFamily({ family, page: pages.get(family) as PageRead, sent: seen, state, now, graceMs: 0 });
  });
}

async function plansFromTable(
  pages: Map<DriverFamily, PageRead>,
  env: NodeJS.ProcessEnv,
  now: number,
): Promise<FamilyPlan[]> {
  if (!env[Env.deliveryTableName]?.trim()) {
    throw new RelayError(
      'invalid-config',
      `without --seen FILE the watch reads the deployed table: set ${Env.deliveryTableName} (the stack's DeliveryRecords table) and AWS credentials`,
    );
  }
  const { deliveryTableName, unannouncedAfterHours } = readWatchEnv(env);
  const [{ createWatchStore }, { planWatch }] = await Promise.all([
    import('../adapters/watch-store.js'),
    import('../watch.js'),
  ]);
  const planned = await planWatch(
    {
      readPage: async (family) => pages.get(family) as PageRead,
      store: createWatchStore({ tableName: deliveryTableName }),
      graceMs: unannouncedAfterHours * 60 * 60 * 1000,
    },
    now,
  );
  return planned.map(({ plan }) => plan);
}

function text(
  updates: readonly { family: DriverFamily; version: string; change: string }[],
  unannounced: readonly { family: DriverFamily; version: string }[],
): string {
  if (updates.length === 0 && unannounced.length === 0) return 'Nothing to amend and no unannounced release.\n';
  const lines = [
    ...updates.map(({ family, version, change }) => `amend        ${FAMILIES[family].name} ${version}: ${change}`),
    ...unannounced.map(
      ({ family, version }) =>
        `unannounced  ${FAMILIES[family].name} ${version}: seen on the version history, AWS sent no notice`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
