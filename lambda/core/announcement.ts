import type { DriverFamily } from './driver-family.js';
import { normalizeVersion } from './version.js';

/** One driver release a notification announces. */
export interface Announcement {
  readonly family: DriverFamily;
  /** Normalised version, or null when the notification names the family but no version of it. */
  readonly version: string | null;
}

/*
 * The topic sends free text written by people, so this reads it the way a person skims it: split into
 * sentences and lines, spot the driver names, and give each version number to the driver named just before it.
 * The text is scanned once into tokens and every later look is bounded to a few neighbouring tokens, so the
 * whole read is linear in the input; there are no regular expressions over the raw text to backtrack.
 */

type Token =
  | {
      readonly kind: 'word';
      readonly text: string;
      readonly lower: string;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'number';
      readonly text: string;
      readonly prefixed: boolean;
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: 'url'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'punct'; readonly text: string; readonly start: number; readonly end: number }
  | {
      readonly kind: 'break';
      /** A semicolon: it ends a clause, but the next clause may leave out the verb the last one gave. */
      readonly clause: boolean;
      readonly start: number;
      readonly end: number;
    };

/** A family named in the text, or another product ("Citrix PV") whose numbers must not be taken for ours. */
interface Mention {
  readonly family: DriverFamily | 'other';
  /** Token index of the first and last token of the name. */
  readonly first: number;
  readonly last: number;
  /**
   * Whether the name alone is enough to report the family without a version. Bare "NVMe" and "PV" also
   * describe storage and virtualisation in general, so they count only when nothing else is found.
   */
  readonly strong: boolean;
  /** Version carried by a download URL. */
  readonly version: string | null;
}

const VERSION_WORDS = new Set(['version', 'versions', 'ver', 'v', 'release', 'rel']);
const DRIVER_NOUNS = new Set(['driver', 'drivers', 'package', 'packages', 'installer']);
/** Capitalised words that head a sentence or a title rather than name another product. */
const PLAIN_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'at',
  'available',
  'aws',
  'amazon',
  'by',
  'current',
  'download',
  'for',
  'from',
  'here',
  'in',
  'is',
  'its',
  'latest',
  'new',
  'now',
  'of',
  'on',
  'or',
  'our',
  'released',
  'the',
  'to',
  'today',
  'update',
  'updated',
  'upgrade',
  'was',
  'with',
]);
/** Words after a number that make it a quantity, a time or a rate rather than a version. */
const UNIT_WORDS = new Set([
  'am',
  'pm',
  'utc',
  'gmt',
  'pt',
  'pst',
  'pdt',
  'et',
  'est',
  'edt',
  'gbps',
  'mbps',
  'kbps',
  'gb',
  'mb',
  'kb',
  'tb',
  'gib',
  'mib',
  'kib',
  'tib',
  'ghz',
  'mhz',
  'ms',
  'sec',
  'secs',
  'seconds',
  'minutes',
  'hours',
  'days',
  'percent',
  'times',
]);
/**
 * Words that make a version a point of reference ("upgrade from", "requires", "earlier versions") rather than
 * the release.
 */
const REFERENCE_WORDS = new Set([
  'from',
  'replace',
  'replaces',
  'replaced',
  'replacing',
  'supersede',
  'supersedes',
  'superseded',
  'superseding',
  'previous',
  'prior',
  'earlier',
  'older',
  'last',
  'final',
  'since',
  'than',
  'until',
  'before',
  'require',
  'requires',
  'required',
  'requiring',
  'need',
  'needs',
  'needed',
  'address',
  'addresses',
  'ip',
]);
/** Two-word references whose second word alone says nothing: "prior to", "instead of". */
const REFERENCE_PAIRS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['to', new Set(['prior', 'compared', 'previous'])],
  ['of', new Set(['instead', 'place'])],
  ['with', new Set(['compared'])],
]);
const STAY_WORDS = new Set(['stay', 'stays', 'staying', 'remain', 'remains', 'remaining', 'keep']);
const STAY_ON = new Set(['on', 'at', 'with']);
/** "8.4.0 or earlier", "8.4.0 and later": a bound on a range of versions, not a release. */
const RANGE_WORDS = new Set([
  'earlier',
  'older',
  'lower',
  'below',
  'prior',
  'before',
  'later',
  'newer',
  'higher',
  'above',
  'greater',
]);
const LAST_WORDS = new Set(['last', 'final']);
/** What follows "the last version": "for Windows Server 2008 R2", "to support", "supporting". */
const LAST_FOR = new Set(['for', 'to', 'supporting', 'that']);
const COPULAS = new Set(['is', 'was', 'remains', 'stays', 'will', 'be', 'remain']);
const ARTICLES = new Set(['the', 'our', 'its', 'this', 'a', 'an']);
/** Download bucket folder names (https://s3.amazonaws.com/ec2-windows-drivers-downloads/<folder>/<version>/...). */
const URL_FOLDERS: ReadonlyMap<string, DriverFamily> = new Map([
  ['awspv', 'aws-pv'],
  ['ena', 'ena'],
  ['nvme', 'nvme'],
  ['ec2winutil', 'ec2winutil'],
]);
const URL_FILES: ReadonlyMap<string, DriverFamily> = new Map([
  ['awspvdriver.zip', 'aws-pv'],
  ['awsenanetworkdriver.zip', 'ena'],
  ['awsnvme.zip', 'nvme'],
  ['ec2winutil.zip', 'ec2winutil'],
]);
/** How far a number may sit from the words that explain it; keeps every look constant-time. */
const LOOK_BEHIND = 8;

function isWordChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f
  );
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isLineBreak(code: number): boolean {
  return code === 0x0a || code === 0x0b || code === 0x0c || code === 0x85 || code === 0x2028 || code === 0x2029;
}

function isSpace(code: number): boolean {
  return (
    code <= 0x20 ||
    code === 0x7f ||
    code === 0xa0 ||
    (code >= 0x2000 && code <= 0x200b) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Sentence ends: ". " "! " "? " ";" the ideographic full stop, and bullets (each bullet is its own statement). */
function isSentenceEnd(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code === 0x3b || code === 0x3002 || code === 0x2022) return true;
  if (code !== 0x2e && code !== 0x21 && code !== 0x3f) return false;
  return at + 1 >= text.length || isSpace(text.charCodeAt(at + 1)) || isLineBreak(text.charCodeAt(at + 1));
}

/** "ver. 8.6.1": the dot ends an abbreviation, not the sentence. */
function afterAbbreviation(tokens: readonly Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return last?.kind === 'word' && (last.lower === 'ver' || last.lower === 'v' || last.lower === 'rel');
}

function startsUrl(text: string, at: number): boolean {
  const head = text.slice(at, at + 8).toLowerCase();
  return head.startsWith('http://') || head === 'https://';
}

function isUrlChar(code: number): boolean {
  return (
    code > 0x20 && code < 0x7f && code !== 0x22 && code !== 0x27 && code !== 0x3c && code !== 0x3e && code !== 0x60
  );
}

function isNumeric(chunk: string, from: number): boolean {
  if (from >= chunk.length || !isDigit(chunk.charCodeAt(from))) return false;
  for (let i = from; i < chunk.length; i++) {
    const code = chunk.charCodeAt(i);
    if (!isDigit(code) && !(code === 0x2e && isDigit(chunk.charCodeAt(i + 1)))) return false;
  }
  return true;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pushBreak = (at: number, clause: boolean) => {
    const last = tokens[tokens.length - 1];
    if (last === undefined) return;
    if (last.kind !== 'break') tokens.push({ kind: 'break', clause, start: at, end: at + 1 });
    // "; \n": the stronger break wins.
    else if (!clause && last.clause) tokens[tokens.length - 1] = { ...last, clause: false };
  };
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isLineBreak(code)) {
      pushBreak(i, false);
      i++;
    } else if (isSpace(code)) {
      i++;
    } else if ((code === 0x68 || code === 0x48) && startsUrl(text, i)) {
      let end = i;
      while (end < text.length && isUrlChar(text.charCodeAt(end))) end++;
      // Sentence punctuation after a link belongs to the sentence.
      while (end > i && '.,;:!?)]'.includes(text.charAt(end - 1))) end--;
      tokens.push({ kind: 'url', text: text.slice(i, end), start: i, end });
      i = end;
    } else if (isWordChar(code)) {
      let end = i + 1;
      while (end < text.length) {
        const next = text.charCodeAt(end);
        if (isWordChar(next)) end++;
        else if (next === 0x2e && isWordChar(text.charCodeAt(end + 1))) end += 2;
        else break;
      }
      pushChunk(tokens, text.slice(i, end), i);
      i = end;
    } else if (isSentenceEnd(text, i) && !afterAbbreviation(tokens)) {
      pushBreak(i, code === 0x3b);
      i++;
    } else if (code < 0x80) {
      tokens.push({ kind: 'punct', text: text.charAt(i), start: i, end: i + 1 });
      i++;
    } else {
      // Runs of other scripts and symbols separate words; one token keeps hostile input cheap.
      let end = i + 1;
      while (end < text.length) {
        const next = text.charCodeAt(end);
        if (next < 0x80 || isSpace(next) || isLineBreak(next) || isSentenceEnd(text, end)) break;
        end++;
      }
      tokens.push({ kind: 'punct', text: text.slice(i, end), start: i, end });
      i = end;
    }
  }
  return tokens;
}

/** A run of letters, digits and inner dots: a number ("8.6.1", "v1.8.2") or words ("AWSPVDriver.zip"). */
function pushChunk(tokens: Token[], chunk: string, start: number): void {
  const end = start + chunk.length;
  if (isNumeric(chunk, 0)) {
    tokens.push({ kind: 'number', text: chunk, prefixed: false, start, end });
    return;
  }
  const first = chunk.charCodeAt(0);
  if ((first === 0x76 || first === 0x56) && chunk.includes('.') && isNumeric(chunk, 1)) {
    tokens.push({ kind: 'number', text: chunk.slice(1), prefixed: true, start, end });
    return;
  }
  let offset = start;
  for (const piece of chunk.split('.')) {
    if (offset > start) tokens.push({ kind: 'punct', text: '.', start: offset - 1, end: offset });
    tokens.push({ kind: 'word', text: piece, lower: piece.toLowerCase(), start: offset, end: offset + piece.length });
    offset += piece.length + 1;
  }
}

function wordAt(tokens: readonly Token[], index: number): string | null {
  const token = tokens[index];
  return token?.kind === 'word' ? token.lower : null;
}

function urlMention(url: string, index: number): Mention | null {
  const path = url.replace(/^[a-z]+:\/\/[^/]*/i, '').split(/[?#]/, 1)[0] ?? '';
  const segments = path.split('/').filter((segment) => segment.length > 0);
  for (let s = 0; s < segments.length; s++) {
    const family = URL_FOLDERS.get((segments[s] ?? '').toLowerCase());
    if (family === undefined) continue;
    // ENA packages from 2.2.3 on sit under ENA/x64/<version>/.
    const next = family === 'ena' && segments[s + 1]?.toLowerCase() === 'x64' ? s + 2 : s + 1;
    const version = normalizeVersion(segments[next] ?? '');
    return { family, first: index, last: index, strong: true, version };
  }
  const file = segments[segments.length - 1]?.toLowerCase() ?? '';
  const family = URL_FILES.get(file);
  return family === undefined ? null : { family, first: index, last: index, strong: true, version: null };
}

/** The name starting at token `index`, if any. */
function mentionAt(tokens: readonly Token[], index: number): Mention | null {
  const token = tokens[index];
  if (token === undefined) return null;
  if (token.kind === 'url') return urlMention(token.text, index);
  if (token.kind !== 'word') return null;
  const word = token.lower;
  const next = wordAt(tokens, index + 1);
  const make = (family: Mention['family'], length: number, strong: boolean): Mention => {
    // "PV driver", "NVMe drivers": a following driver noun makes a bare name unambiguous.
    const noun = wordAt(tokens, index + length);
    return {
      family,
      first: index,
      last: index + length - 1,
      strong: strong || (noun !== null && DRIVER_NOUNS.has(noun)),
      version: null,
    };
  };
  const isPv = (value: string | null) => value === 'pv' || (value?.startsWith('paravirtual') ?? false);
  switch (word) {
    case 'aws':
      if (isPv(next)) return make('aws-pv', 2, true);
      if (next === 'nvme') return make('nvme', 2, true);
      return null;
    case 'citrix':
    case 'redhat':
      return make('other', isPv(next) ? 2 : 1, false);
    case 'red':
      if (next !== 'hat') return null;
      return make('other', isPv(wordAt(tokens, index + 2)) ? 3 : 2, false);
    case 'awspv':
    case 'awspvdriver':
      return make('aws-pv', 1, true);
    case 'awsenanetworkdriver':
      return make('ena', 1, true);
    case 'awsnvme':
      return make('nvme', 1, true);
    case 'nvme':
      return make('nvme', 1, false);
    case 'ec2winutil':
      return make('ec2winutil', 1, true);
    case 'ec2':
      return next === 'windows' && wordAt(tokens, index + 2) === 'utility' ? make('ec2winutil', 3, true) : null;
    case 'elastic':
      return next === 'network' && wordAt(tokens, index + 2)?.startsWith('adapter') ? make('ena', 3, true) : null;
    default:
      // "ENA" only in capitals: the lower-case word exists in other languages.
      if (token.text === 'ENA') return make('ena', 1, true);
      if (word === 'pv' && (token.text === 'PV' || (next !== null && DRIVER_NOUNS.has(next)))) {
        return make('aws-pv', 1, false);
      }
      if (word.startsWith('paravirtual')) return make('aws-pv', 1, false);
      return null;
  }
}

function findMentions(tokens: readonly Token[]): (Mention | undefined)[] {
  const byToken: (Mention | undefined)[] = new Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const mention = mentionAt(tokens, i);
    if (mention === null) continue;
    for (let j = mention.first; j <= mention.last; j++) byToken[j] = mention;
    i = mention.last;
  }
  return byToken;
}

/** What stands just before a number, looking back over "version", "driver" and the like. */
type Left =
  | { readonly kind: 'mention'; readonly mention: Mention; readonly keyword: boolean }
  | { readonly kind: 'product' }
  | { readonly kind: 'loose'; readonly word: string | null; readonly keyword: boolean };

function lookLeft(tokens: readonly Token[], mentions: readonly (Mention | undefined)[], index: number): Left {
  const number = tokens[index];
  let keyword = number?.kind === 'number' && number.prefixed;
  for (let j = index - 1; j >= 0 && j >= index - LOOK_BEHIND; j--) {
    const token = tokens[j] as Token;
    const mention = mentions[j];
    if (mention !== undefined) return { kind: 'mention', mention, keyword };
    if (token.kind !== 'word') {
      // A dollar sign makes it a price; other punctuation ends the phrase the number belongs to.
      if (token.kind === 'punct' && token.text === '$' && j === index - 1) return { kind: 'product' };
      return { kind: 'loose', word: null, keyword };
    }
    if (VERSION_WORDS.has(token.lower)) {
      keyword = true;
      continue;
    }
    if (DRIVER_NOUNS.has(token.lower)) continue;
    // "PowerShell 5.1", "Windows 10", "EC2Launch 2.0.1": a name right before the number owns it.
    if (!PLAIN_WORDS.has(token.lower) && token.text !== token.lower) return { kind: 'product' };
    return { kind: 'loose', word: token.lower, keyword };
  }
  return { kind: 'loose', word: null, keyword };
}

/** "version 8.6.1 of the AWS PV drivers": a family named right after "of". */
function mentionAfterOf(tokens: readonly Token[], mentions: readonly (Mention | undefined)[], index: number) {
  if (wordAt(tokens, index + 1) !== 'of') return undefined;
  const article = wordAt(tokens, index + 2);
  return mentions[article !== null && ARTICLES.has(article) ? index + 3 : index + 2];
}

/** Whether the number is something other than a version: a date, an IP address, a quantity, a time. */
function notAVersion(tokens: readonly Token[], index: number): boolean {
  const token = tokens[index] as Token & { kind: 'number' };
  const parts = token.text.split('.');
  const year = (part: string | undefined) => part?.length === 4 && Number(part) >= 1900 && Number(part) < 2200;
  if (parts.length <= 3 && (year(parts[0]) || year(parts[parts.length - 1]))) return true;
  // Driver majors are single digits; four parts of at most 255 starting at 10 or more is an address.
  const numbers = parts.map(Number);
  if (parts.length === 4 && numbers.every((part) => part <= 255) && (numbers[0] ?? 0) >= 10) return true;
  const next = tokens[index + 1];
  if (next?.kind === 'punct' && next.start === token.end) {
    if (next.text === '%') return true;
    const after = tokens[index + 2];
    if ((next.text === ':' || next.text === '/') && after?.kind === 'number' && after.start === next.end) return true;
  }
  return next?.kind === 'word' && UNIT_WORDS.has(next.lower);
}

/**
 * Whether "last" or "final" at `index` starts "the last (ENA) version for ...": what older Windows Server
 * versions are left on, not a release.
 */
function startsLastFor(tokens: readonly Token[], mentions: readonly (Mention | undefined)[], index: number): boolean {
  if (!LAST_WORDS.has(wordAt(tokens, index) ?? '')) return false;
  for (let j = index + 1; j <= index + LOOK_BEHIND; j++) {
    const word = wordAt(tokens, j);
    if (word === null) return false;
    if (LAST_FOR.has(word)) return true;
    if (mentions[j] === undefined && !VERSION_WORDS.has(word) && !DRIVER_NOUNS.has(word)) return false;
  }
  return false;
}

/** "8.4.0+", "8.4.0 or later", "8.4.0 and newer": the index of the range's last token, or -1 for none. */
function rangeEnd(tokens: readonly Token[], after: number): number {
  const next = tokens[after];
  if (next?.kind === 'punct' && next.text === '+' && next.start === tokens[after - 1]?.end) return after;
  const joiner = wordAt(tokens, after);
  const degree = wordAt(tokens, after + 1);
  return (joiner === 'or' || joiner === 'and') && degree !== null && RANGE_WORDS.has(degree) ? after + 1 : -1;
}

/**
 * Whether the words around make the version a reference point ("upgrade from 8.5.0", "stay on 8.4.3",
 * "requires 8.4.0 or later", "8.3.5 is the last version for 2008 R2"). `before` is the token just before the
 * version's phrase, `after` the token just after the number.
 */
function isReference(
  tokens: readonly Token[],
  mentions: readonly (Mention | undefined)[],
  before: number,
  after: number,
): boolean {
  const previous = wordAt(tokens, before);
  if (previous !== null && REFERENCE_WORDS.has(previous)) return true;
  const pair = previous === null ? undefined : REFERENCE_PAIRS.get(previous);
  if (pair?.has(wordAt(tokens, before - 1) ?? '')) return true;
  if (previous === 'on') {
    const verb = wordAt(tokens, before - 1);
    if (verb !== null && STAY_WORDS.has(verb)) return true;
  }
  if (rangeEnd(tokens, after) >= 0) return true;
  let j = after;
  if (tokens[j]?.kind === 'punct' && (tokens[j] as Token & { kind: 'punct' }).text === '(') j++;
  else while (j < after + 3 && COPULAS.has(wordAt(tokens, j) ?? '')) j++;
  if (wordAt(tokens, j) === 'the') j++;
  return j > after && startsLastFor(tokens, mentions, j);
}

/**
 * Whether the version continues a list whose previous version, ending at `previous`, was a reference:
 * "requires AWS PV 8.4.0 or later and ENA 2.10.0", "replaces 2.10.0, 2.9.0 and 2.8.0".
 */
function continuesReference(tokens: readonly Token[], before: number, previous: number): boolean {
  if (previous < 0) return false;
  const joiner = wordAt(tokens, before);
  const comma = (at: number) => {
    const token = tokens[at];
    return token?.kind === 'punct' && token.text === ',';
  };
  let j = before;
  if (joiner === 'and' || joiner === 'or') j = comma(before - 1) ? before - 2 : before - 1;
  else if (comma(before)) j = before - 1;
  else return false;
  return j === previous || j === rangeEnd(tokens, previous + 1);
}

/**
 * The token index just before the phrase a number ends, skipping "version", "driver" and articles, and the
 * comma or colon of an apposition ("the previous version, ENA 2.10.0", "previous version: 2.10.0").
 */
function phraseStart(tokens: readonly Token[], from: number): number {
  let j = from;
  while (j >= 0 && j > from - LOOK_BEHIND) {
    const token = tokens[j] as Token;
    if (token.kind === 'punct' && (token.text === ',' || token.text === ':')) {
      const word = wordAt(tokens, j - 1);
      if (word === null || !(VERSION_WORDS.has(word) || DRIVER_NOUNS.has(word))) break;
      j--;
      continue;
    }
    const word = wordAt(tokens, j);
    if (word === null || !(VERSION_WORDS.has(word) || DRIVER_NOUNS.has(word) || ARTICLES.has(word))) break;
    j--;
  }
  return j;
}

interface Found {
  family: DriverFamily;
  version: string | null;
  /** Token index of the first mention, for ordering. */
  at: number;
}

/**
 * The driver releases that a notification announces, in order of first mention, one per family and version.
 * A family named without any version is reported with version null. Returns [] when no driver is recognised.
 */
export function findAnnouncements(subject: string | null, message: string): Announcement[] {
  const tokens = tokenize(subject === null ? message : `${subject}\n${message}`);
  const mentions = findMentions(tokens);
  const releases = new Map<string, Found>();
  const firstMention = new Map<DriverFamily, number>();
  const strong = new Set<DriverFamily>();
  const weak = new Set<DriverFamily>();
  const withVersion = new Set<DriverFamily>();

  const note = (family: DriverFamily, at: number) => {
    if (!firstMention.has(family)) firstMention.set(family, at);
  };
  const release = (family: DriverFamily, version: string, at: number) => {
    note(family, at);
    withVersion.add(family);
    const key = `${family} ${version}`;
    if (!releases.has(key)) releases.set(key, { family, version, at });
  };

  // The family the current sentence is talking about; numbers without a name of their own belong to it.
  let owner: Mention['family'] | null = null;
  // "2012 R2 should stay on AWS PV 8.4.3, and 2008 R2 on AWS PV 8.3.5": once a sentence says to stay, the
  // versions after it are what to stay on, not what was released.
  let staying = false;
  // "should stay on ENA 2.6.0; 2008 R2 on ENA 2.2.3": a semicolon ends the clause but not the instruction, so
  // in the clauses after it a version put "on" a Windows Server version is still what to stay on. A version
  // without that "on" ("New releases: ENA 2.11.0; NVMe 1.8.2") is read afresh.
  let stayingOver = false;
  // The last version the sentence gave as a reference, so the rest of its list is read the same way.
  let previousReference = -1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const mention = mentions[i];
    if (token.kind === 'break') {
      owner = null;
      stayingOver = token.clause && (staying || stayingOver);
      staying = false;
      previousReference = -1;
    } else if (
      token.kind === 'word' &&
      ((STAY_WORDS.has(token.lower) && STAY_ON.has(wordAt(tokens, i + 1) ?? '')) || startsLastFor(tokens, mentions, i))
    ) {
      staying = true;
    } else if (mention !== undefined && mention.first === i) {
      owner = mention.family;
      if (mention.family !== 'other') {
        note(mention.family, i);
        (mention.strong ? strong : weak).add(mention.family);
        if (mention.version !== null) release(mention.family, mention.version, i);
      }
    } else if (token.kind === 'number' && !staying) {
      const version = normalizeVersion(token.text);
      if (version === null || notAVersion(tokens, i)) continue;
      const reference = (before: number) => {
        const found =
          isReference(tokens, mentions, before, i + 1) ||
          continuesReference(tokens, before, previousReference) ||
          (stayingOver && STAY_ON.has(wordAt(tokens, before) ?? ''));
        if (found) previousReference = i;
        return found;
      };
      const after = mentionAfterOf(tokens, mentions, i);
      if (after !== undefined) {
        if (!reference(phraseStart(tokens, i - 1)) && after.family !== 'other') release(after.family, version, i);
        continue;
      }
      const left = lookLeft(tokens, mentions, i);
      let family: Mention['family'] | null = null;
      let before = phraseStart(tokens, i - 1);
      if (left.kind === 'mention') {
        family = left.mention.family;
        before = phraseStart(tokens, left.mention.first - 1);
      } else if (left.kind === 'loose' && (left.keyword || version.split('.').length >= 3)) {
        // Two-part numbers ("by 2.5") are too common in prose to take without "version" or a name before them.
        family = owner;
      }
      if (!reference(before) && family !== null && family !== 'other') release(family, version, i);
    }
  }

  const found: Found[] = [...releases.values()];
  for (const family of strong) {
    if (!withVersion.has(family)) found.push({ family, version: null, at: firstMention.get(family) ?? 0 });
  }
  if (found.length === 0) {
    for (const family of weak) found.push({ family, version: null, at: firstMention.get(family) ?? 0 });
  }
  const rank = (entry: Found) => firstMention.get(entry.family) ?? entry.at;
  found.sort((a, b) => rank(a) - rank(b) || a.at - b.at);
  return found.map(({ family, version }) => ({ family, version }));
}
