/**
 * Property tests for reading notices: notices composed from templates (test/support/notice-templates.ts) whose
 * expected alerts are known by construction must be read as such and keep every safety rule
 * (test/support/notice-safety.ts); and however large and hostile a notice, the work stays bounded (at most one
 * alert per family). How fast that work is lives in the bench, not here.
 *
 * The seed is fixed so a run is reproducible; fast-check prints it (and the path to the failing case) on failure.
 * Replay or vary with NOTICE_SEED=<seed> (and NOTICE_PATH=<path>); NOTICE_RUNS=<n> changes the number of notices.
 */
import * as fc from 'fast-check';
import type { Alert } from '../lambda/core/alert.js';
import { buildAlerts } from '../lambda/core/enrich.js';
import type { SnsNotification } from '../lambda/core/sns-event.js';
import { DRIVERS_TOPIC_ARN } from './support/events.js';
import { readAs, SNAPSHOT_SOURCE, safetyProblems } from './support/notice-safety.js';
import {
  ADVERSARIAL_SHAPES,
  adversarialArbitrary,
  adversarialMessage,
  type GeneratedNotice,
  noticeArbitrary,
  readAsExpected,
  rolledBackReleaseArbitrary,
} from './support/notice-templates.js';

const SEED = Number(process.env.NOTICE_SEED ?? 20_260_921);
const RUNS = Number(process.env.NOTICE_RUNS ?? 10_000);
const replay = { seed: SEED, ...(process.env.NOTICE_PATH ? { path: process.env.NOTICE_PATH } : {}) };

/** Generous bounds that do not depend on the machine's speed: a few milliseconds a notice would do. */
const GENERATED_TIMEOUT_MS = 10 * 60 * 1000;
const ADVERSARIAL_TIMEOUT_MS = 10 * 60 * 1000;

function notificationOf(subject: string | null, message: string): SnsNotification {
  return {
    messageId: 'generated-notice',
    topicArn: DRIVERS_TOPIC_ARN,
    subject,
    message,
    timestamp: '2026-10-02T16:04:11.000Z',
  };
}

function read(notice: GeneratedNotice): Promise<Alert[]> {
  return buildAlerts(notificationOf(notice.subject, notice.message), SNAPSHOT_SOURCE);
}

const describeAlerts = (alerts: readonly { family: string; version: string | null; kind: string }[]) =>
  alerts.map((alert) => `${alert.family} ${alert.version ?? '(no version)'} ${alert.kind}`).join(' + ') || 'nothing';

function failWith(notice: GeneratedNotice, what: string): never {
  throw new Error(`${what}\n  composed as: ${notice.recipe}`);
}

describe('generated notices', () => {
  test(
    `are read as the family, version and kind they were composed with (${RUNS} notices)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(noticeArbitrary, async (notice) => {
          const alerts = await read(notice);

          const got = readAs(alerts);
          if (!readAsExpected(got, notice.expect)) {
            failWith(notice, `read ${describeAlerts(got)}, expected ${describeAlerts(notice.expect)}`);
          }
        }),
        { numRuns: RUNS, ...replay },
      );
    },
    GENERATED_TIMEOUT_MS,
  );

  test(
    `keep every safety rule (${RUNS} notices)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(noticeArbitrary, async (notice) => {
          const alerts = await read(notice);

          const problems = safetyProblems(alerts, {
            message: notice.message,
            expected: notice.expect,
            rolledBack: notice.rolledBack,
          });
          if (problems.length > 0) failWith(notice, problems.join('\n'));
        }),
        { numRuns: RUNS, ...replay },
      );
    },
    GENERATED_TIMEOUT_MS,
  );

  test(
    'that re-announce a version the history marks rolled back never offer to install it',
    async () => {
      await fc.assert(
        fc.asyncProperty(rolledBackReleaseArbitrary, async (notice) => {
          const alerts = await read(notice);

          // Whether such a notice reads as a release or a rollback is arguable; the version and the safety are not.
          const got = readAs(alerts);
          if (got.length !== 1 || got[0]?.family !== 'ena' || got[0].version !== notice.expect[0]?.version) {
            failWith(notice, `read ${describeAlerts(got)}, expected one ENA alert for ${notice.expect[0]?.version}`);
          }
          const problems = safetyProblems(alerts, { message: notice.message, expected: [], rolledBack: [] });
          if (problems.length > 0) failWith(notice, problems.join('\n'));
        }),
        { numRuns: Math.max(1, Math.round(RUNS / 10)), ...replay },
      );
    },
    GENERATED_TIMEOUT_MS,
  );
});

describe('a notice of up to 256 KB built to make the reader work', () => {
  test(
    'yields at most one alert per family and keeps every safety rule',
    async () => {
      await fc.assert(
        fc.asyncProperty(adversarialArbitrary, async ({ shape, size, seed }) => {
          const message = adversarialMessage(shape, size, seed);

          const alerts = await buildAlerts(
            notificationOf('ENA AWS PV AWS NVMe EC2WinUtil AWSPVDriver AwsEnaNetworkDriver AWSNVMe', message),
            SNAPSHOT_SOURCE,
          );

          const problems = safetyProblems(alerts, { message, expected: [], rolledBack: [] });
          if (problems.length > 0) throw new Error(`${shape}, ${size} bytes: ${problems.join('\n')}`);
        }),
        {
          numRuns: 24,
          ...replay,
          // Shrinking a 256 KB notice costs more than it tells; the shape and size say enough.
          endOnFailure: true,
          examples: ADVERSARIAL_SHAPES.map((shape) => [{ shape, size: 256 * 1024, seed: 1 }]),
        },
      );
    },
    ADVERSARIAL_TIMEOUT_MS,
  );
});
