/**
 * The fleet section of a Slack alert: one section in the main message with the counts, and thread replies with the
 * command for each target version and every instance ID, grouped by action. Instance IDs and versions come from
 * inventory, which is outside text: everything goes through mrkdwn.ts like the rest of the message.
 */
import type { KnownBlock } from '@slack/types';
import type { FleetAlert, FleetInstance } from './fleet.js';
import {
  ACTION_WORDS,
  commandGroupHeading,
  FLEET_HEADING,
  type FleetView,
  fleetSentence,
  fleetUnavailableText,
} from './fleet-wording.js';
import { codeBlocks, escapeMrkdwn, inlineCode, packLines } from './mrkdwn.js';
import { SECTION_MAX, type SlackMessage, section, threadMessages } from './slack-blocks.js';

/** The main message's fleet section; with the other parts it stays under Slack's ~12,000 characters of blocks. */
const FLEET_SECTION_MAX = 700;
/**
 * At most this many fleet replies (180,000 characters: the commands and the IDs of a few thousand instances); past it
 * the last reply says the rest was cut and points to the CLI, which prints them all.
 */
const FLEET_THREAD_MAX = 20;
const IDS_PER_LINE = 5;

export function fleetBlocks(alert: FleetAlert, view: FleetView): KnownBlock[] {
  if (view.kind === 'unavailable') {
    return [section(`*${FLEET_HEADING}*\n_${escapeMrkdwn(fleetUnavailableText(view.reason))}_`, FLEET_SECTION_MAX)];
  }
  const { fleet } = view;
  const more =
    fleet.summary.instances === 0
      ? ''
      : `\n_${fleet.commands.length > 0 ? 'The command for each target version and every' : 'Every'} instance ID are in the thread._`;
  return [section(`*${FLEET_HEADING}*\n${escapeMrkdwn(fleetSentence(alert, fleet))}${more}`, FLEET_SECTION_MAX)];
}

export function fleetThread(view: FleetView): SlackMessage[] {
  if (view.kind === 'unavailable' || view.fleet.summary.instances === 0) return [];
  const pieces: string[] = [];
  for (const group of view.fleet.commands) {
    pieces.push(`*${escapeMrkdwn(commandGroupHeading(group))}*`);
    for (const command of group.commands) pieces.push(...codeBlocks(command, SECTION_MAX));
  }
  const actions: FleetInstance['action'][] = ['roll-back', 'install', 'up-to-date', 'not-installed', 'unknown'];
  for (const action of actions) {
    const ids = view.fleet.instances.filter((i) => i.action === action).map((i) => inlineCode(i.instanceId));
    if (ids.length === 0) continue;
    const lines = [];
    for (let start = 0; start < ids.length; start += IDS_PER_LINE) {
      lines.push(ids.slice(start, start + IDS_PER_LINE).join('  '));
    }
    const [first, ...rest] = packLines(lines, SECTION_MAX - 60);
    pieces.push(`*${ACTION_WORDS[action]} (${ids.length})*\n${first ?? ''}`, ...rest);
  }
  return threadMessages(
    `${FLEET_HEADING}: commands and instances`,
    pieces,
    FLEET_THREAD_MAX,
    '_The rest is cut here to keep the thread short: `driver-relay render --inventory` lists all._',
  );
}
