/**
 * One Alert as an email sent through an SNS topic: the subject SNS accepts and the plain-text body.
 * The body is the terminal text (terminal-text.ts): both are plain text read by a person, and one layout
 * keeps the two from drifting apart.
 */
import type { Alert } from './alert.js';
import { releasePhrase } from './alert-wording.js';
import type { FleetView } from './fleet-wording.js';
import { cleanText, oneLine, truncateUtf8, utf8Length } from './safe-text.js';
import { renderText } from './terminal-text.js';

/**
 * SNS rejects a Subject that is not ASCII printable text starting with a letter, number or punctuation, or
 * that is 100 characters or longer (the API reference says "less than 100").
 */
const SUBJECT_MAX = 99;
export const SUBJECT_PREFIX = '[EC2 drivers] ';
/** SNS caps a message at 256 KB; staying far below leaves room for the subject and the envelope. */
const BODY_MAX_BYTES = 150_000;
const TRUNCATED = '\n\n(truncated)\n';

/** Characters NFKD leaves non-ASCII that have an obvious ASCII spelling. */
const ASCII_SPELLING: Readonly<Record<string, string>> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '‛': "'",
  '′': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '″': '"',
  '«': '"',
  '»': '"',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '―': '-',
  '−': '-',
  '•': '*',
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Ø: 'O',
  ø: 'o',
  Œ: 'OE',
  œ: 'oe',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Þ: 'Th',
  þ: 'th',
  ı: 'i',
};

export function renderEmail(alert: Alert, fleet?: FleetView): { subject: string; body: string } {
  const footer =
    alert.kind !== 'unrecognised' && alert.source === 'version-history'
      ? '\n--\nSent by ec2-driver-relay from the version history (AWS sent no notice).\n'
      : `\n--\nSent by ec2-driver-relay for SNS message ${oneLine(alert.messageId).slice(0, 200)}.\n`;
  const body = truncateUtf8(renderText(alert, fleet), BODY_MAX_BYTES - utf8Length(footer), TRUNCATED);
  return { subject: subjectFor(alert), body: `${body}${footer}` };
}

function subjectFor(alert: Alert): string {
  if (alert.kind !== 'unrecognised') return snsSubject(`${SUBJECT_PREFIX}${releasePhrase(alert)}`);
  const original = alert.original.subject === null ? '' : toAscii(alert.original.subject);
  return snsSubject(`${SUBJECT_PREFIX}Unrecognised notification${original === '' ? '' : `: ${original}`}`);
}

/**
 * A subject SNS accepts: ASCII printable only, whitespace folded, under 100 characters. The email adapter applies
 * it again to whatever it publishes, so a subject from elsewhere cannot turn into a rejected publish.
 */
export function snsSubject(text: string): string {
  const ascii = toAscii(text);
  if (ascii.length <= SUBJECT_MAX) return ascii;
  return `${ascii.slice(0, SUBJECT_MAX - 3).trimEnd()}...`;
}

/** Accents dropped (é -> e), common punctuation spelled in ASCII, anything else without an ASCII form dropped. */
function toAscii(text: string): string {
  return cleanText(text)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7E]/gu, (char) => ASCII_SPELLING[char] ?? (/\s/.test(char) ? ' ' : ''))
    .replace(/\s+/g, ' ')
    .trim();
}
