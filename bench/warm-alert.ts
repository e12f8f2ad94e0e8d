import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createChangelogSource } from '../lambda/adapters/changelog-source.js';
import { alertsForEvent, renderAlert } from '../lambda/relay.js';

/** Fixture events the drivers topic could send (the malformed ones are left out: they never become alerts). */
const EVENTS = [
  'pv-8.6.1',
  'ena-2.11.0',
  'nvme-1.8.2',
  'ec2winutil-3.2.0',
  'multi-driver',
  'two-records',
  'pv-4-part-version',
  'pv-older-8.5.0',
  'future-version',
  'no-subject',
  'unknown',
];

export interface WarmAlertResult {
  /** Per event: milliseconds divided by the alerts it produced. */
  readonly perAlertMs: readonly number[];
  readonly alerts: number;
}

/**
 * The work a warm container does per alert before any I/O: validate the SNS event, enrich it from the bundled
 * snapshot, render the Slack messages and the email. Each event gets a fresh MessageId, as SNS would give it.
 */
export async function measureWarmAlert(events: number, warmup = 200): Promise<WarmAlertResult> {
  const dir = join(__dirname, '..', 'test', 'fixtures', 'events');
  const texts = EVENTS.map((name) => readFileSync(join(dir, `${name}.json`), 'utf8'));
  const changelogs = createChangelogSource({ live: false });
  const perAlertMs: number[] = [];
  let alerts = 0;
  for (let i = 0; i < warmup + events; i += 1) {
    const event = JSON.parse(texts[i % texts.length] as string) as { Records: Array<{ Sns: { MessageId: string } }> };
    for (const record of event.Records) record.Sns.MessageId = randomUUID();
    const started = performance.now();
    const built = await alertsForEvent(event, { changelogs });
    for (const alert of built) renderAlert(alert);
    const elapsed = performance.now() - started;
    if (built.length === 0) throw new Error(`fixture ${EVENTS[i % EVENTS.length]} produced no alert`);
    if (i >= warmup) {
      perAlertMs.push(elapsed / built.length);
      alerts += built.length;
    }
  }
  return { perAlertMs, alerts };
}
