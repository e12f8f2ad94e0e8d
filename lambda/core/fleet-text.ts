/**
 * The fleet section of the plain-text alert (terminal and email): the counts, the command for each target version,
 * and every instance ID by action. Raw lines; terminal-text.ts adds the heading and the final cleaning.
 */
import type { FleetAlert, FleetInstance } from './fleet.js';
import {
  ACTION_WORDS,
  commandGroupHeading,
  type FleetView,
  fleetSentence,
  fleetUnavailableText,
} from './fleet-wording.js';
import { oneLine } from './safe-text.js';

const IDS_PER_LINE = 4;

export function fleetTextLines(alert: FleetAlert, view: FleetView): string[] {
  if (view.kind === 'unavailable') return [`  ${oneLine(fleetUnavailableText(view.reason))}`];
  const { fleet } = view;
  const lines = [`  ${oneLine(fleetSentence(alert, fleet))}`];
  for (const group of fleet.commands) {
    lines.push('', `  ${oneLine(commandGroupHeading(group))}:`, ...group.commands.map((c) => `    ${oneLine(c)}`));
  }
  const actions: FleetInstance['action'][] = ['roll-back', 'install', 'up-to-date', 'not-installed', 'unknown'];
  for (const action of actions) {
    const ids = fleet.instances.filter((i) => i.action === action).map((i) => oneLine(i.instanceId));
    if (ids.length === 0) continue;
    lines.push('', `  ${ACTION_WORDS[action]} (${ids.length}):`);
    for (let start = 0; start < ids.length; start += IDS_PER_LINE) {
      lines.push(`    ${ids.slice(start, start + IDS_PER_LINE).join('  ')}`);
    }
  }
  return lines;
}
