import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createFileChangelogSource } from '../adapters/changelog-files.js';
import { createChangelogSource } from '../adapters/changelog-source.js';
import { createMemoryDeliveryStore } from '../adapters/memory-delivery-store.js';
import { redactSlackTokens, slackTokenProblem } from '../adapters/slack-token-form.js';
import { readDestinationEnv } from '../config.js';
import type { Alert } from '../core/alert.js';
import { CLI_SLACK_BOT_TOKEN, Env } from '../core/config-contract.js';
import { renderEmail } from '../core/email-message.js';
import { messageOf, RelayError } from '../core/errors.js';
import { type Fleet, fleetImpact, hasFleetView } from '../core/fleet.js';
import type { FleetView } from '../core/fleet-wording.js';
import { parseInventoryJson } from '../core/inventory-page.js';
import { foldWhitespace } from '../core/safe-text.js';
import { renderSlackMessages } from '../core/slack-message.js';
import { parseNotificationsJson } from '../core/sns-event.js';
import { renderText } from '../core/terminal-text.js';
import { DeliveryFailedError, type DeliveryOutcome, type DeliverySummary } from '../delivery.js';
import { createDestinations } from '../destinations.js';
import type { Destination } from '../ports.js';
import { alertsForNotifications, deliverEvery } from '../relay.js';
import { SAMPLE_NOTIFICATION_PATH } from './repo-paths.js';

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
}

const FORMATS = ['json', 'slack', 'email', 'text'] as const;
type Format = (typeof FORMATS)[number];

export const USAGE = `Usage:
  driver-relay render --event FILE|- [--format json|slack|email|text] [--changelog-dir DIR] [--inventory FILE]
  driver-relay send --event FILE|- [--changelog-dir DIR] [--live]
  driver-relay watch [--changelog-dir DIR] [--seen FILE] [--format json|text]
  driver-relay demo
  driver-relay update-changelog

  render   Build the alerts for an event file (- reads standard input) and print them. The file holds an SNS
           Lambda event (Records[].Sns), an SQS event whose bodies are SNS messages (what the function gets
           from its queue), or one SNS message (a message body from the queue or its dead-letter queue).
           No network: changelogs come from the bundled snapshot, or from DIR/<family>.html
           (aws-pv, ena, nvme, ec2winutil) when --changelog-dir is given. --inventory FILE reads SSM
           GetInventory response pages (one page object or an array of pages, as the API returns them) and
           adds each release or rollback alert's fleet impact: which instances to update, to what, and the
           commands that target exactly them.
  send     Deliver the alerts like the Lambda function does, configured by environment variables:
           SLACK_BOT_TOKEN and SLACK_CHANNELS (comma-separated channel IDs), SLACK_API_URL (optional),
           EMAIL_TOPIC_ARN (optional; AWS credentials from the usual chain). --live reads the history pages
           from docs.aws.amazon.com (falling back to the snapshot). Exits 1 if any delivery failed.
  watch    Plan what the version-history watch would do now, without sending: which alerts it would amend
           (notes-published, date-published, rolled-back) and which releases AWS sent no notice about. Pages
           come from DIR/<family>.html (else the bundled snapshot) or, without --changelog-dir, live from
           docs.aws.amazon.com. FILE is {"seen": [{"family", "version", "notesPublished", "rolledBack"}]}: the
           alerts sent; a family with nothing in it is a first look, so nothing of it is unannounced. Without
           --seen it reads the deployed table (DELIVERY_TABLE_NAME, AWS credentials). Prints
           {"updates": [{"family", "version", "change"}], "unannounced": [{"family", "version"}]}.
  demo     Run the relay on the bundled sample notification (AWS PV 8.6.1) and show the alert as the
           terminal, Slack and email would. With SLACK_BOT_TOKEN and SLACK_CHANNELS set it also posts it.
  update-changelog
           Fetch the four AWS version-history pages and rewrite the bundled snapshot.`;

/** Runs one CLI command; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'render':
        return await render(rest, io);
      case 'send':
        return await send(rest, io);
      case 'watch':
        return await (await import('./watch-command.js')).watchCommand(rest, io);
      case 'demo':
        return await demo(io);
      case 'update-changelog':
        return await updateChangelogCommand(io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`driver-relay: unknown command "${command}"\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    io.stderr(`driver-relay ${command}: ${oneLine(error)}\n`);
    return 1;
  }
}

async function render(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      event: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'changelog-dir': { type: 'string' },
      inventory: { type: 'string' },
    },
    strict: true,
  });
  if (!values.event) throw new RelayError('invalid-event', '--event FILE is required (use - for standard input)');
  const format = values.format as Format;
  if (!FORMATS.includes(format))
    throw new RelayError('invalid-config', `--format must be one of ${FORMATS.join(', ')}`);
  const text = values.event === '-' ? await io.readStdin() : await readEventFile(values.event);
  const source = values['changelog-dir']
    ? createFileChangelogSource(values['changelog-dir'])
    : createChangelogSource({ live: false });
  const inventory =
    values.inventory === undefined ? null : parseInventoryJson(await readInput(values.inventory, 'inventory'));
  const alerts = await alertsForNotifications(parseNotificationsJson(text), { changelogs: source });
  const fleetFor = (alert: Alert): FleetView | undefined =>
    inventory !== null && hasFleetView(alert)
      ? { kind: 'fleet', fleet: fleetImpact(alert, [{ region: null, pages: inventory }]) }
      : undefined;
  io.stdout(formatAlerts(alerts, format, fleetFor));
  return 0;
}

function readEventFile(path: string): Promise<string> {
  return readInput(path, 'event');
}

async function readInput(path: string, what: 'event' | 'inventory'): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : oneLine(error);
    throw new RelayError('invalid-event', `cannot read ${what} file ${path}: ${reason}`, { cause: error });
  }
}

/** `fleetFor` gives an alert's fleet section; without it (or when it gives none) an alert has no `fleet`. */
export function formatAlerts(
  alerts: readonly Alert[],
  format: Format,
  fleetFor: (alert: Alert) => FleetView | undefined = () => undefined,
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ alerts: alerts.map((alert) => withFleetJson(alert, fleetFor(alert))) }, null, 2)}\n`;
    case 'slack':
      return `${JSON.stringify({ messages: alerts.map((alert) => slackPayload(alert, fleetFor(alert))) }, null, 2)}\n`;
    case 'email':
      return `${JSON.stringify({ emails: alerts.map((alert) => renderEmail(alert, fleetFor(alert))) }, null, 2)}\n`;
    case 'text':
      return alerts.map((alert) => renderText(alert, fleetFor(alert))).join(`\n${'='.repeat(72)}\n\n`);
  }
}

/** The alert as it is, with `fleet` beside its fields when there is one; a region shows only when it is known. */
function withFleetJson(alert: Alert, view: FleetView | undefined) {
  if (view === undefined) return alert;
  if (view.kind === 'unavailable') return { ...alert, fleet: { unavailable: view.reason } };
  const fleet: Fleet = view.fleet;
  return {
    ...alert,
    fleet: {
      ...fleet,
      instances: fleet.instances.map(({ region, ...instance }) =>
        region === null ? instance : { ...instance, region },
      ),
      commands: fleet.commands.map(({ region, ...group }) => (region === null ? group : { ...group, region })),
    },
  };
}

function slackPayload(alert: Alert, fleet?: FleetView) {
  const { main, thread } = renderSlackMessages(alert, fleet);
  return { text: main.text, blocks: main.blocks, thread };
}

async function demo(io: CliIo): Promise<number> {
  const sample = await readFile(SAMPLE_NOTIFICATION_PATH, 'utf8');
  const alerts = await alertsForNotifications(parseNotificationsJson(sample), {
    changelogs: createChangelogSource({ live: false }),
  });
  for (const alert of alerts) {
    const { main } = renderSlackMessages(alert);
    const email = renderEmail(alert);
    io.stdout(`${renderText(alert)}\n`);
    io.stdout(`${'-'.repeat(72)}\nAs Slack shows it: open this link in a browser (Block Kit Builder)\n`);
    io.stdout(`${blockKitBuilderUrl(main.blocks)}\n\n`);
    io.stdout(`${'-'.repeat(72)}\nAs email (subject: ${email.subject})\n\n${email.body}\n`);
  }
  if (io.env[CLI_SLACK_BOT_TOKEN] && io.env[Env.slackChannels]) {
    io.stdout(`${'-'.repeat(72)}\nSLACK_BOT_TOKEN and SLACK_CHANNELS are set: posting the sample for real.\n`);
    return await deliver(alerts, io);
  }
  io.stdout('\nNothing was sent. Set SLACK_BOT_TOKEN and SLACK_CHANNELS to post this sample to Slack.\n');
  return 0;
}

export function blockKitBuilderUrl(blocks: readonly unknown[]): string {
  return `https://app.slack.com/block-kit-builder#${encodeURIComponent(JSON.stringify({ blocks }))}`;
}

async function send(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { event: { type: 'string' }, 'changelog-dir': { type: 'string' }, live: { type: 'boolean' } },
    strict: true,
  });
  if (!values.event) throw new RelayError('invalid-event', '--event FILE is required (use - for standard input)');
  const text = values.event === '-' ? await io.readStdin() : await readEventFile(values.event);
  const source = values['changelog-dir']
    ? createFileChangelogSource(values['changelog-dir'])
    : createChangelogSource({
        live: values.live === true,
        onFallback: (family, reason) => io.stderr(`note: ${family}: using the bundled snapshot (${reason})\n`),
      });
  return await deliver(await alertsForNotifications(parseNotificationsJson(text), { changelogs: source }), io);
}

/** Delivers like the Lambda function, with destinations from the environment and a ledger for this run only. */
async function deliver(alerts: readonly Alert[], io: CliIo): Promise<number> {
  const destinations = destinationsFromEnv(io.env);
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const deps = { destinations, store: createMemoryDeliveryStore(), logger: quiet };
  try {
    const summary = await deliverEvery(alerts, deps, {
      owner: `cli-${process.pid}`,
      deadline: Date.now() + 5 * 60_000,
    });
    io.stdout(describeDeliveries(alerts, summary));
    return 0;
  } catch (error) {
    if (error instanceof DeliveryFailedError) {
      io.stdout(describeDeliveries(alerts, error.summary));
      io.stderr(`driver-relay: ${redactSlackTokens(error.message)}\n`);
      return 1;
    }
    throw error;
  }
}

/** The function's own readers check the destinations; only the token differs (the environment, not a secret). */
function destinationsFromEnv(env: NodeJS.ProcessEnv): Destination[] {
  const token = env[CLI_SLACK_BOT_TOKEN]?.trim() ?? '';
  const { slackChannels, slackApiUrl, emailTopicArn } = readDestinationEnv(env);
  if (slackChannels.length > 0 && token === '') {
    throw new RelayError('invalid-config', `${Env.slackChannels} is set but ${CLI_SLACK_BOT_TOKEN} is not`);
  }
  const tokenProblem = slackChannels.length > 0 ? slackTokenProblem(token) : undefined;
  if (tokenProblem !== undefined) {
    throw new RelayError(
      'invalid-config',
      `${CLI_SLACK_BOT_TOKEN} ${tokenProblem}; set it to the bot token alone (xoxb-...)`,
    );
  }
  const destinations = createDestinations(
    { slackChannels, slackTokenSecretId: null, slackApiUrl, emailTopicArn },
    { slackToken: async () => token, logger: { debug() {}, info() {}, warn() {}, error() {} } },
  );
  if (destinations.length === 0) {
    throw new RelayError(
      'invalid-config',
      `nothing to send to: set ${CLI_SLACK_BOT_TOKEN} and ${Env.slackChannels}, and/or ${Env.emailTopicArn}`,
    );
  }
  return destinations;
}

function describeOutcome(outcome: DeliveryOutcome): string {
  return { sent: 'sent    ', skipped: 'skipped ', failed: 'FAILED  ' }[outcome.status];
}

function outcomeDetail(outcome: DeliveryOutcome): string {
  switch (outcome.status) {
    case 'sent':
      return outcome.ref ? ` (${outcome.ref})` : '';
    case 'skipped':
      return ` (${outcome.reason})`;
    case 'failed':
      return `: ${oneLine(outcome.error)}`;
  }
}

function describeDeliveries(alerts: readonly Alert[], summary: DeliverySummary): string {
  const title = (messageId: string, index: number) => {
    const alert = alerts.find((a) => a.messageId === messageId && a.index === index);
    return alert ? `${alert.familyName}${alert.version ? ` ${alert.version}` : ''}` : `alert ${index} of ${messageId}`;
  };
  const lines = summary.deliveries.map(
    ({ destination, messageId, index, outcome }) =>
      `${describeOutcome(outcome)} ${title(messageId, index)} -> ${destination}${outcomeDetail(outcome)}`,
  );
  return `${lines.join('\n')}\n`;
}

async function updateChangelogCommand(io: CliIo): Promise<number> {
  const { updateChangelog, formatUpdateReport } = await import('./update-changelog.js');
  io.stdout(`${formatUpdateReport(await updateChangelog({}))}\n`);
  return 0;
}

/** Every error the CLI prints goes through here (or redactSlackTokens itself): redacted, then on one line. */
function oneLine(error: unknown): string {
  return foldWhitespace(redactSlackTokens(messageOf(error)));
}

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
  };
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
