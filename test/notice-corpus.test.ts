/**
 * The labelled notice corpus (test/fixtures/notices/*.json): notices written the ways AWS plausibly writes them, each
 * labelled with the alerts a careful operator expects (family, version, kind, in order of the family's first
 * mention in Subject + Message). Every notice is read with the bundled snapshot and must give exactly those alerts
 * and keep every safety rule of test/support/notice-safety.ts.
 *
 * heldout.json holds notices in phrasings kept apart from the rest while the reader was built: they test that the
 * rules generalise rather than match the corpus.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { Alert } from '../lambda/core/alert.js';
import { DRIVER_FAMILIES } from '../lambda/core/driver-family.js';
import { buildAlerts } from '../lambda/core/enrich.js';
import type { SnsNotification } from '../lambda/core/sns-event.js';
import { DRIVERS_TOPIC_ARN } from './support/events.js';
import { readAs, SNAPSHOT_SOURCE, safetyProblems } from './support/notice-safety.js';

const NOTICES_DIR = join(__dirname, 'fixtures', 'notices');

const Version = z.string().regex(/^\d+(?:\.\d+){1,3}$/, 'a normalised version such as "2.11.0"');
const Family = z.enum([...DRIVER_FAMILIES, 'unknown']);

const Expected = z.strictObject({
  family: Family,
  version: Version.nullable(),
  kind: z.enum(['release', 'rollback', 'end-of-support', 'upcoming', 'notice', 'unrecognised']),
});

const NoticeCase = z.strictObject({
  name: z.string().min(1),
  subject: z.string().nullable(),
  message: z.string(),
  expect: z.array(Expected).min(1),
  /** Versions the notice says were rolled back or withdrawn besides the alerts' own ("replaces the withdrawn 1.8.2"). */
  rolledBack: z.array(z.strictObject({ family: z.enum(DRIVER_FAMILIES), version: Version })).optional(),
});

type NoticeCase = z.infer<typeof NoticeCase>;

interface LabelledNotice extends NoticeCase {
  readonly file: string;
  readonly title: string;
}

function loadCorpus(): LabelledNotice[] {
  return readdirSync(NOTICES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const cases = z.array(NoticeCase).parse(JSON.parse(readFileSync(join(NOTICES_DIR, file), 'utf8')));
      return cases.map((labelled) => ({
        ...labelled,
        file,
        title: `${file.replace(/\.json$/, '')} › ${labelled.name}`,
      }));
    });
}

const corpus = loadCorpus();

function notificationOf(labelled: LabelledNotice, index: number): SnsNotification {
  return {
    messageId: `corpus-${String(index).padStart(3, '0')}`,
    topicArn: DRIVERS_TOPIC_ARN,
    subject: labelled.subject,
    message: labelled.message,
    timestamp: '2026-10-02T16:04:11.000Z',
  };
}

// Both tests of a case read the same alerts; reading them once keeps the suite quick.
const read = new Map<LabelledNotice, Promise<Alert[]>>();
function alertsOf(labelled: LabelledNotice): Promise<Alert[]> {
  let alerts = read.get(labelled);
  if (alerts === undefined) {
    alerts = buildAlerts(notificationOf(labelled, corpus.indexOf(labelled)), SNAPSHOT_SOURCE);
    read.set(labelled, alerts);
  }
  return alerts;
}

describe('the notice corpus', () => {
  test('holds at least 170 labelled notices in every category, held-out ones included, each name once per file', () => {
    const files = new Set(corpus.map((labelled) => labelled.file));
    expect(corpus.length).toBeGreaterThanOrEqual(170);
    for (const category of [
      'releases-basic',
      'wording-between',
      'split-subject-message',
      'labelled-lines',
      'references',
      'passing-mentions',
      'rollbacks',
      'end-of-support',
      'upcoming',
      'advisories',
      'multi-driver',
      'formats',
      'unrecognised',
      'tricky-numbers',
      'heldout',
    ]) {
      expect(files).toContain(`${category}.json`);
    }
    expect(new Set(corpus.map((labelled) => labelled.title)).size).toBe(corpus.length);
  });

  test.each(corpus.map((labelled) => [labelled.title, labelled] as const))('reads %s', async (_title, labelled) => {
    const alerts = await alertsOf(labelled);

    expect(readAs(alerts)).toEqual(labelled.expect);
  });

  test.each(corpus.map((labelled) => [labelled.title, labelled] as const))(
    'keeps every safety rule on %s',
    async (_title, labelled) => {
      const alerts = await alertsOf(labelled);

      const problems = safetyProblems(alerts, {
        message: labelled.message,
        expected: labelled.expect,
        rolledBack: labelled.rolledBack ?? [],
      });

      expect(problems).toEqual([]);
    },
  );
});
