/**
 * The words of a sentence, the driver families named in them (by name or alias: "AWS PV", "Elastic Network Adapter",
 * "AWSNVMe"; by download URL; or another product's PV drivers, "Citrix PV", whose numbers are not ours), and the
 * numbers among them that are driver versions rather than dates, addresses, sizes or another product's versions.
 */
import type { DriverFamily } from './driver-family.js';
import { normalizeVersion } from './version.js';

export interface Token {
  readonly text: string;
  readonly lower: string;
  readonly start: number;
  readonly end: number;
  readonly kind: 'word' | 'number' | 'url' | 'punct';
}

export interface Mention {
  readonly family: DriverFamily | 'other';
  readonly first: number;
  readonly last: number;
  /** "NVMe" and "PV" alone also mean storage and virtualisation in general. */
  readonly strong: boolean;
}

/** Download bucket folder names: https://s3.amazonaws.com/ec2-windows-drivers-downloads/<folder>/<version>/... */
const URL_FOLDERS: Readonly<Record<string, DriverFamily>> = {
  awspv: 'aws-pv',
  ena: 'ena',
  nvme: 'nvme',
  ec2winutil: 'ec2winutil',
};
const URL_FILES: Readonly<Record<string, DriverFamily>> = {
  'awspvdriver.zip': 'aws-pv',
  'awsenanetworkdriver.zip': 'ena',
  'awsnvme.zip': 'nvme',
  'ec2winutil.zip': 'ec2winutil',
};

/** Words, numbers, links and punctuation; a run of one punctuation character ("-----") is one token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /https?:\/\/[^\s"'<>`()]+|[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*|->|=>|([^\w\s])\1*/g;
  for (const match of text.matchAll(pattern)) {
    let value = match[0];
    const start = match.index ?? 0;
    const first = value.charCodeAt(0);
    let kind: Token['kind'];
    if (match[1] !== undefined || value === '->' || value === '=>') kind = 'punct';
    else if ((first === 0x68 || first === 0x48) && /^https?:/i.test(value)) {
      value = value.replace(/[.,;:!?]+$/, '');
      kind = 'url';
    } else kind = VERSION_TOKEN.test(value) ? 'number' : 'word';
    tokens.push({ text: value, lower: value.toLowerCase(), start, end: start + value.length, kind });
  }
  return tokens;
}

const VERSION_TOKEN = /^[vV]?\d+(?:\.\d+)+$/;

/** The family names in a sentence, by the index of their first token. */
export function findMentions(tokens: readonly Token[]): Map<number, Mention> {
  const mentions = new Map<number, Mention>();
  for (let i = 0; i < tokens.length; i++) {
    const mention = mentionAt(tokens, i);
    if (mention === null) continue;
    for (let j = mention.first; j <= mention.last; j++) mentions.set(j, mention);
    i = mention.last;
  }
  return mentions;
}

const DRIVER_NOUN = /^(?:driver|drivers|package|packages|installer)$/;

function mentionAt(tokens: readonly Token[], index: number): Mention | null {
  const token = tokens[index] as Token;
  const word = token.lower;
  const next = tokens[index + 1]?.lower ?? '';
  const make = (family: Mention['family'], length: number, strong: boolean): Mention => ({
    family,
    first: index,
    last: index + length - 1,
    strong: strong || DRIVER_NOUN.test(tokens[index + length]?.lower ?? ''),
  });
  const isPv = (value: string) => value === 'pv' || value.startsWith('paravirtual');
  if (token.kind === 'url') {
    const family = urlFamily(token.text);
    return family === null ? null : make(family, 1, true);
  }
  if (token.kind !== 'word') return null;
  switch (word) {
    case 'aws':
    case 'amazon':
      if (isPv(next)) return make('aws-pv', 2, true);
      if (next === 'nvme') return make('nvme', 2, true);
      if (next === 'ena') return make('ena', 2, true);
      if (next === 'elastic' && tokens[index + 2]?.lower === 'network') return make('ena', 4, true);
      return null;
    case 'citrix':
    case 'xen':
      return make('other', isPv(next) ? 2 : 1, false);
    case 'redhat':
      return make('other', isPv(next) ? 2 : 1, false);
    case 'red':
      if (next !== 'hat') return null;
      return make('other', isPv(tokens[index + 2]?.lower ?? '') ? 3 : 2, false);
    case 'awspv':
    case 'awspvdriver':
    case 'awspvdrivers':
      return make('aws-pv', 1, true);
    case 'awsenanetworkdriver':
    case 'awsena':
      return make('ena', 1, true);
    case 'awsnvme':
      return make('nvme', 1, true);
    case 'nvme':
      return make('nvme', 1, false);
    case 'ec2winutil':
      return make('ec2winutil', 1, true);
    case 'ec2':
      return next === 'windows' && tokens[index + 2]?.lower === 'utility' ? make('ec2winutil', 3, true) : null;
    case 'elastic':
      return next === 'network' && tokens[index + 2]?.lower.startsWith('adapter') ? make('ena', 3, true) : null;
    default:
      // "ENA" only in capitals: the lower-case word exists in other languages.
      if (token.text === 'ENA' || token.text === 'Ena') return make('ena', 1, true);
      if (word === 'pv' && (token.text === 'PV' || DRIVER_NOUN.test(next))) return make('aws-pv', 1, false);
      if (word.startsWith('paravirtual')) return make('aws-pv', 1, false);
      return null;
  }
}

function urlSegments(url: string): string[] {
  const path = url.replace(/^[a-z]+:\/\/[^/]*/i, '').split(/[?#]/, 1)[0] ?? '';
  return path.split('/').filter((segment) => segment.length > 0);
}

function urlFamily(url: string): DriverFamily | null {
  const segments = urlSegments(url);
  for (const segment of segments) {
    const family = URL_FOLDERS[segment.toLowerCase()];
    if (family !== undefined && /ec2-windows-drivers-downloads/i.test(url)) return family;
  }
  return URL_FILES[segments.at(-1)?.toLowerCase() ?? ''] ?? null;
}

/** A download URL's family and version (".../ENA/x64/2.11.0/AwsEnaNetworkDriver.zip"), or null. */
export function urlVersion(url: string): { version: string; family: DriverFamily } | null {
  const family = urlFamily(url);
  if (family === null) return null;
  for (const segment of urlSegments(url)) {
    const version = normalizeVersion(segment);
    if (version !== null) return { version, family };
  }
  return null;
}

/** Words skipped when looking for another product's name before a number. */
const PLAIN_WORDS = new Set(
  'a an and are at available aws amazon by current download for from here in is its latest new now of on or our released the to today update updated upgrade was with version versions ver v release rel driver drivers package packages installer this that'.split(
    ' ',
  ),
);

const VERSION_WORD = /^(?:version|versions|v|ver|release|rel|driver|drivers|package)$/;
const STRICT_VERSION_WORD = /^(?:version|versions|v|ver|release|rel)$/;

/** Whether "version", "v", a driver's name or the like stands among the three tokens before the number. */
export function versionWordBefore(
  tokens: readonly Token[],
  index: number,
  mentions: ReadonlyMap<number, Mention>,
  /** Only "version" and the like, or a driver's name: not "driver", which also precedes addresses and sizes. */
  strict = false,
): boolean {
  if (tokens[index]?.lower.startsWith('v')) return true;
  for (let j = index - 1, words = 0; j >= 0 && words < 3; j--) {
    const token = tokens[j] as Token;
    if (token.kind === 'punct' && /^[:(\-"']$/.test(token.text)) continue;
    if (mentions.has(j) || (strict ? STRICT_VERSION_WORD : VERSION_WORD).test(token.lower)) return true;
    words++;
  }
  return false;
}

/** The version at a number token, or null when it is not one of ours (a date, an address, a quantity, a product's). */
export function versionAt(
  tokens: readonly Token[],
  index: number,
  mentions: ReadonlyMap<number, Mention>,
  /** Whether the sentence has a kind cue. */
  cued: boolean,
): string | null {
  const token = tokens[index] as Token;
  const prefixed = token.lower.startsWith('v');
  const body = prefixed ? token.text.slice(1) : token.text;
  const version = normalizeVersion(body);
  if (version === null) return null;
  const parts = body.split('.');
  // Dates (2026.07.21, 21.07.2026), build numbers (10.0.17763) and addresses (10.0.0.1) are not driver versions.
  if (parts.some((part) => part.length > 4) || parts.some((part) => part.length === 4 && Number(part) >= 1900))
    return null;
  // A number opening a sentence that says what happened ("1.9 has been released") is a version, whatever its shape.
  const opensCuedSentence = index === 0 && cued;
  // "from 8.6.1 to 10.0.0.1", "8.6.1 -> 10.0.0.1", "ENA driver has been updated to 2.12": what a driver moves to
  // is a version like the one it leaves.
  const upgradeTarget =
    (/^(?:to|->|=>)$/.test(tokens[index - 1]?.lower ?? '') && tokens[index - 2]?.kind === 'number') ||
    (tokens[index - 1]?.lower === 'to' &&
      /^(?:updated|upgraded|update|upgrade|moved|bumped)$/.test(tokens[index - 2]?.lower ?? '') &&
      (mentions.keys().next().value ?? index) < index);
  if (
    parts.length === 4 &&
    Number(parts[0]) >= 10 &&
    !versionWordBefore(tokens, index, mentions, true) &&
    !opensCuedSentence &&
    !upgradeTarget
  )
    // Four parts from 10 up are an address ("10.0.0.1") unless called a version ("version 10.0.0.0", "v10.0.0.0").
    return null;
  const next = tokens[index + 1];
  const after = tokens[index + 2];
  // "99.9%", "10.30:15" (a time), "1.2/3" (a fraction) are not versions; "AWS PV 8.6.1: fixes ..." is.
  if (next !== undefined && next.start === token.end) {
    if (next.text === '%') return null;
    if ((next.text === ':' || next.text === '/') && after?.start === next.end && /^\d/.test(after.text)) return null;
  }
  if (next?.kind === 'word' && UNIT_WORDS.has(next.lower)) return null;
  const previous = tokens[index - 1];
  if (previous?.text === '$') return null;
  // A product name right before the number owns it ("PowerShell 5.1", "Windows 8.1", "Citrix PV 5.9").
  let j = index - 1;
  while (j >= 0 && /^(?:version|v|ver)$/.test(tokens[j]?.lower ?? '')) j--;
  const owner = tokens[j];
  const mention = mentions.get(j);
  if (mention !== undefined) return mention.family === 'other' ? null : version;
  // A name ("PowerShell", "SSM Agent", "EC2Launch v2") is capitalised or carries a digit.
  if (
    owner?.kind === 'word' &&
    !PLAIN_WORDS.has(owner.lower) &&
    (owner.text !== owner.lower || /\d/.test(owner.text))
  ) {
    // "Windows version 8.6.1" is the driver's version; "Windows 8.1" is Windows'.
    if (!(owner.lower === 'windows' && j < index - 1)) return null;
  }
  // Two-part numbers ("by 2.5") are too common in prose to take without a name or "version" before them.
  if (
    parts.length === 2 &&
    !prefixed &&
    !versionWordBefore(tokens, index, mentions) &&
    !opensCuedSentence &&
    !upgradeTarget
  )
    return null;
  return version;
}

const UNIT_WORDS = new Set(
  'am pm utc gmt pt pst pdt et est edt gbps mbps kbps gb mb kb tb gib mib kib tib ghz mhz ms sec secs seconds minutes hours days percent times x'.split(
    ' ',
  ),
);
