/**
 * The words of a sentence, and the driver families named in them: by name or alias ("AWS PV", "Elastic Network
 * Adapter", "AWSNVMe"), by download URL, or another product's PV drivers ("Citrix PV") whose numbers are not ours.
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
