/**
 * A 256 KB notice built to make the reader work as hard as it can (test/support/notice-templates.ts), read, enriched
 * and rendered for Slack, email and text, once per shape, each in a fresh process: the time it takes and the memory it
 * adds over the process at rest. The targets are the issue's: under 1 s and under 128 MB for any such notice.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const SHAPES = ['version-flood', 'family-flood', 'long-line', 'deep-json', 'deep-html', 'arrow-chain', 'verb-flood'];
const SIZE = 256 * 1024;

export interface HostileNoticeResult {
  readonly shape: string;
  readonly ms: number;
  readonly extraMiB: number;
  readonly alerts: number;
}

/** Runs in the child: `node --import tsx bench/hostile-notice.ts <shape>` prints one JSON line. */
async function measureOne(shape: string): Promise<HostileNoticeResult> {
  const { adversarialMessage } = await import('../test/support/notice-templates.js');
  const { snapshotChangelog } = await import('../lambda/core/bundled-snapshot.js');
  const { buildAlerts } = await import('../lambda/core/enrich.js');
  const { renderSlackMessages } = await import('../lambda/core/slack-message.js');
  const { renderEmail } = await import('../lambda/core/email-message.js');
  const { renderText } = await import('../lambda/core/terminal-text.js');
  const message = adversarialMessage(shape as Parameters<typeof adversarialMessage>[0], SIZE, 20261202);
  const source = { getChangelog: async (family: Parameters<typeof snapshotChangelog>[0]) => snapshotChangelog(family) };
  // Warm the code path on a small notice, so the figure is the work, not the first compile.
  await buildAlerts(
    { messageId: 'w', topicArn: 't', subject: null, message: 'ENA 2.11.0 is now available.', timestamp: 't' },
    source,
  );
  const atRest = process.memoryUsage().rss;
  const started = performance.now();
  const alerts = await buildAlerts(
    { messageId: 'm', topicArn: 't', subject: message.slice(0, 200), message, timestamp: 't' },
    source,
  );
  for (const alert of alerts) {
    renderSlackMessages(alert);
    renderEmail(alert);
    renderText(alert);
  }
  const ms = performance.now() - started;
  const peak = process.resourceUsage().maxRSS * 1024;
  return { shape, ms, extraMiB: Math.max(0, peak - atRest) / (1024 * 1024), alerts: alerts.length };
}

export function measureHostileNotices(repo: string): HostileNoticeResult[] {
  return SHAPES.map((shape) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(repo, 'bench', 'hostile-notice.ts'), shape], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, HOSTILE_NOTICE_CHILD: '1' },
    });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as HostileNoticeResult;
  });
}

if (process.env.HOSTILE_NOTICE_CHILD === '1') {
  measureOne(process.argv[2] ?? 'long-line').then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
