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
import { codeBlocks, escapeMrkdwn, fitLine, inlineCode, packLines } from './mrkdwn.js';
import { BLOCKS_MAX, SECTION_MAX, type SlackMessage, section, THREAD_MESSAGE_CHARS } from './slack-blocks.js';

/** The main message's fleet section; with the other parts it stays under Slack's ~12,000 characters of blocks. */
const FLEET_SECTION_MAX = 700;
/** Room in each thread reply for its heading and a "cut" note. */
const THREAD_BLOCKS_MAX = BLOCKS_MAX - 2;
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
  return threadReplies(`${FLEET_HEADING}: commands and instances`, pieces);
}

function threadReplies(heading: string, pieces: readonly string[]): SlackMessage[] {
  const groups: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    if (current.length > 0 && (size + piece.length > THREAD_MESSAGE_CHARS || current.length >= THREAD_BLOCKS_MAX)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(piece);
    size += piece.length;
  }
  if (current.length > 0) groups.push(current);
  const kept = groups.slice(0, FLEET_THREAD_MAX);
  return kept.map((group, index) => {
    const part = kept.length > 1 ? ` (part ${index + 1} of ${kept.length})` : '';
    const blocks: KnownBlock[] = [
      section(`*${fitLine(heading, 200)}*${part}`),
      ...group.map((piece) => section(piece)),
    ];
    if (index === kept.length - 1 && groups.length > kept.length) {
      blocks.push(
        section('_The rest is cut here to keep the thread short: `driver-relay render --inventory` lists all._'),
      );
    }
    return { text: `${heading}${part}`, blocks };
  });
}
