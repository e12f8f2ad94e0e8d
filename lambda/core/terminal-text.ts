/**
 * One Alert as plain text for a person at a terminal (the CLI) or in a mail client (the email body):
 * underlined headings, indented bullets, nothing a terminal or mail client would interpret. Outside text
 * has its control characters removed (safe-text.ts), so a hostile notification cannot move the cursor,
 * clear the screen or reorder what is shown.
 */
import type { Alert, DriverAlert } from './alert.js';
import {
  ACTION_TAGS,
  changelogText,
  groupDetails,
  historyLinkLabel,
  newerText,
  noDetailsText,
  originalHeading,
  previousText,
  releaseDateText,
  returnToText,
  title,
  UNRECOGNISED_EXPLANATION,
} from './alert-wording.js';
import { hasFleetView } from './fleet.js';
import { fleetTextLines } from './fleet-text.js';
import { FLEET_HEADING, type FleetView } from './fleet-wording.js';
import { cleanText, oneLine, truncateText } from './safe-text.js';

/** `fleet`: the fleet section, for a release or rollback alert when fleet impact is on; absent, there is none. */
export function renderText(alert: Alert, fleet?: FleetView): string {
  const sections =
    alert.kind === 'unrecognised'
      ? // As in Slack, the explanation stands in for the notices, which are about a known release.
        [[heading(title(alert), '='), UNRECOGNISED_EXPLANATION], original(alert)]
      : [
          [
            heading(oneLine(title(alert)), '='),
            [releaseDateText(alert), returnToText(alert), previousText(alert), newerText(alert), changelogText(alert)]
              .filter((text) => text !== null)
              .map(oneLine)
              .join('\n'),
          ],
          notices(alert),
          whatChanged(alert),
          windowsServer(alert),
          fleet !== undefined && hasFleetView(alert)
            ? [heading(FLEET_HEADING, '-'), ...fleetTextLines(alert, fleet)]
            : [],
          bullets('Caveats', alert.caveats),
          install(alert),
          verify(alert),
          links(alert),
          original(alert),
        ];
  const text = sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n');
  // Each field is cleaned where it is laid out (so a carriage return becomes an indented new line); this
  // last pass is the guarantee that nothing a field slipped through reaches the terminal.
  return `${cleanText(text)}\n`;
}

function heading(text: string, underline: '=' | '-'): string {
  return `${text}\n${underline.repeat(Math.min(text.length, 80))}`;
}

/** Indents every line of `text`: the first after `first`, the rest aligned under it. */
function indented(text: string, first: string, rest = ' '.repeat(first.length)): string {
  return cleanText(text)
    .split('\n')
    .map((line, index) => `${index === 0 ? first : rest}${line}`.trimEnd())
    .join('\n');
}

function notices(alert: DriverAlert): string[] {
  return alert.notices.map((notice) => `! ${oneLine(notice)}`);
}

function whatChanged(alert: DriverAlert): string[] {
  const groups = groupDetails(alert.details);
  if (groups.length === 0) return [heading('What changed', '-'), `  ${noDetailsText(alert)}`];
  const lines = groups.flatMap((group) => {
    const itemIndent = group.label === null ? '  ' : '    ';
    return [
      ...(group.label === null ? [] : [`  ${oneLine(group.label)}`]),
      ...group.items.map((item) => `${itemIndent}- ${oneLine(item)}`),
    ];
  });
  return [heading('What changed', '-'), ...lines];
}

function windowsServer(alert: DriverAlert): string[] {
  if (alert.windowsServer.length === 0) return [];
  const width = Math.max(...alert.windowsServer.map((row) => ACTION_TAGS[row.action].length)) + 2;
  return [
    heading('Windows Server', '-'),
    ...alert.windowsServer.map(
      (row) =>
        `  ${`[${ACTION_TAGS[row.action]}]`.padEnd(width)}  ${oneLine(row.windowsServer)}: ${oneLine(row.recommendation)}`,
    ),
  ];
}

function bullets(name: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  return [heading(name, '-'), ...items.map((item) => `  - ${oneLine(item)}`)];
}

function install(alert: DriverAlert): string[] {
  const { ssmPackage, downloadUrl, ssmCommand: command } = alert.install;
  const lines: string[] = [];
  if (ssmPackage !== null) lines.push(`  Systems Manager Distributor package: ${oneLine(ssmPackage)}`);
  if (command !== null) {
    lines.push('  Set the targets, then run (AWS CLI):', indented(command, '    '));
  }
  if (downloadUrl !== null) lines.push(`  Download: ${oneLine(downloadUrl)}`);
  for (const note of alert.install.notes) lines.push(`  - ${oneLine(note)}`);
  return lines.length === 0 ? [] : [heading('Install', '-'), ...lines];
}

function verify(alert: DriverAlert): string[] {
  return [heading('Verify', '-'), '  In PowerShell on the instance:', indented(alert.verifyCommand, '    ')];
}

function links(alert: DriverAlert): string[] {
  return [heading('Links', '-'), `  ${oneLine(historyLinkLabel(alert))}: ${oneLine(alert.sourceUrl)}`];
}

function original(alert: Alert): string[] {
  const { subject, message } = alert.original;
  return [
    heading(originalHeading(alert), '-'),
    `  Subject: ${subject === null ? '(none)' : oneLine(subject)}`,
    '',
    indented(truncateText(message, ORIGINAL_TEXT_MAX), '    '),
  ];
}

/** AWS's text as an email can carry it (SNS takes 256 KB; the body keeps room for the alert itself). */
const ORIGINAL_TEXT_MAX = 120_000;
