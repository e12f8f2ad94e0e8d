/**
 * The words every rendering of a fleet section shares (Slack, email, terminal). Raw text: each renderer escapes or
 * cleans it for its medium.
 */
import type { Fleet, FleetAlert, FleetInstance } from './fleet.js';
import { compareVersions } from './version.js';

export const FLEET_HEADING = 'Your fleet';

/** What a rendering gets: the fleet, or why there is none (the alert still goes out). */
export type FleetView =
  | { readonly kind: 'fleet'; readonly fleet: Fleet }
  | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * "3 instances to update (2 on Windows Server 2016-2022 to 8.6.1, 1 on 2012 R2 to 8.4.3); 3 up to date;
 * 1 without inventory data".
 */
export function fleetSentence(alert: FleetAlert, fleet: Fleet): string {
  const { summary, instances } = fleet;
  if (summary.instances === 0) return 'SSM Inventory lists no Windows instances.';
  const parts: string[] = [];
  if (summary.rollBack > 0) {
    parts.push(`${count(summary.rollBack, 'instance')} to roll back${groups(instances, 'roll-back')}`);
  }
  if (summary.install > 0) parts.push(`${count(summary.install, 'instance')} to update${groups(instances, 'install')}`);
  if (summary.upToDate > 0) parts.push(`${summary.upToDate} up to date`);
  if (summary.notInstalled > 0) {
    parts.push(
      alert.family === 'aws-pv'
        ? `${summary.notInstalled} without ${alert.familyName} (normal on Nitro instances)`
        : `${summary.notInstalled} where inventory lists no ${alert.familyName} package (drivers that came with the AMI do not show there)`,
    );
  }
  const unknown = instances.filter((instance) => instance.action === 'unknown');
  const noTarget = unknown.filter((instance) => instance.windowsServer !== null && instance.targetVersion === null);
  if (unknown.length - noTarget.length > 0) parts.push(`${unknown.length - noTarget.length} without inventory data`);
  if (noTarget.length > 0) {
    parts.push(`${noTarget.length} on a Windows Server version the alert gives no ${alert.familyName} version for`);
  }
  return `${parts.join('; ')}.`;
}

/** " (2 on Windows Server 2016-2022 to 8.6.1, 1 on 2012 R2 to 8.4.3)", newest target first. */
function groups(instances: readonly FleetInstance[], action: FleetInstance['action']): string {
  const byTarget = new Map<string, FleetInstance[]>();
  for (const instance of instances) {
    if (instance.action !== action) continue;
    const key = instance.targetVersion ?? '';
    byTarget.set(key, [...(byTarget.get(key) ?? []), instance]);
  }
  const ordered = [...byTarget.entries()].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : compareVersions(b, a)));
  const phrases = ordered.map(([target, members], index) => {
    const where = windowsServerLabel(members, index === 0);
    const to = target === '' ? ' with no version to go to' : ` to ${target}`;
    return `${members.length}${where === '' ? '' : ` on ${where}`}${to}`;
  });
  return ` (${phrases.join(', ')})`;
}

/** "Windows Server 2016-2022" for three or more plain years, else "Windows Server 2012 R2, 2016"; prefixed once. */
function windowsServerLabel(members: readonly FleetInstance[], prefix: boolean): string {
  const names = [...new Set(members.map((member) => member.windowsServer?.replace(/^Windows Server /, '') ?? ''))]
    .filter((name) => name !== '')
    .sort();
  if (names.length === 0) return '';
  const label =
    names.length >= 3 && names.every((name) => /^\d{4}$/.test(name)) ? `${names[0]}-${names.at(-1)}` : names.join(', ');
  return prefix ? `Windows Server ${label}` : label;
}

/** Line for a rendering when the fleet could not be read: the alert goes out without it. */
export function fleetUnavailableText(reason: string): string {
  return `Fleet impact unavailable: ${reason}`;
}

/** "To 8.6.1: 2 instances (Windows Server 2016, 2019; us-east-1)": the heading of one command group. */
export function commandGroupHeading(command: Fleet['commands'][number]): string {
  const where = command.windowsServer.map((name) => name.replace(/^Windows Server /, '')).join(', ');
  const details = [where === '' ? null : `Windows Server ${where}`, command.region].filter((part) => part !== null);
  const tail = details.length === 0 ? '' : ` (${details.join('; ')})`;
  return `To ${command.targetVersion}: ${count(command.instanceIds.length, 'instance')}${tail}`;
}

export const ACTION_WORDS: Readonly<Record<FleetInstance['action'], string>> = {
  install: 'To update',
  'roll-back': 'To roll back',
  'up-to-date': 'Up to date',
  'not-installed': 'Not installed',
  unknown: 'Unknown',
};

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
