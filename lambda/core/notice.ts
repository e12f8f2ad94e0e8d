/**
 * What an AWS notice says: which driver families it is about, the one version it is about for each, and what kind
 * of notice it is. The topic carries free text written by people, so this reads it with a few visible rules:
 *
 *  1. Text       notice-text.ts turns JSON, HTML and Markdown bodies into plain sentences (Subject first).
 *  2. Candidates each sentence yields family mentions (names, aliases, download URLs), versions, and cues: words
 *                that say what kind of notice it is (KIND_CUES) and what role a version plays (ROLE_CUES).
 *  3. Roles      a version is the `subject`, a `reference` (previous, replaced, requires, "X or later", the old
 *                side of "X -> Y") or a `target` (roll back to, upgrade to, stay on) by the words next to it.
 *  4. Owners     a version belongs to the family named in its download URL, else in "version X of <family>",
 *                else named nearest before it in its sentence, else after it, else the family the notice was
 *                last talking about. A number right after another product's name ("PowerShell 5.1") is not ours.
 *  5. Kinds      each kind cue goes to the nearest version in its sentence (versions listed together share it);
 *                a version's kind is its most severe cue (rollback > end-of-support > upcoming > release >
 *                notice), else the Subject's, else that of the family's sentences without versions, else
 *                `release` when a version was found and `notice` when none was.
 *  6. Subjects   per family, the version the notice is about is the first subject version in the Subject line,
 *                else the first labelled one ("Version: 2.11.0"), else the first in the body; a package version
 *                outranks a "driver version". A family named only in passing ("not affected", "instead") or only
 *                with reference versions makes no alert, unless the notice is about it and no other family.
 *
 * Work is linear in the text: every look around a version is bounded, and cues find their version by binary search.
 */
import type { NoticeKind } from './alert.js';
import type { DriverFamily } from './driver-family.js';
import { findMentions, type Mention, type Token, tokenize, urlVersion } from './driver-names.js';
import { noticeSentences, type Sentence } from './notice-text.js';
import { normalizeVersion } from './version.js';

/** What the notice says about one driver family. */
export interface FamilyNotice {
  readonly family: DriverFamily;
  /** The one version the notice is about; null when it names none. */
  readonly version: string | null;
  readonly kind: NoticeKind;
  /** Versions of this family the notice says were rolled back, withdrawn or pulled. */
  readonly rolledBack: readonly string[];
  /** A version the notice says to go back, move or stay on, when it names one. */
  readonly target: string | null;
  /** Other versions of this family the notice names as subjects (listed in the alert, never alerted). */
  readonly alsoNamed: readonly string[];
  /** What the notice claims about Windows Server support ("adds support for Windows Server 2025"). */
  readonly supportClaims: readonly SupportClaim[];
}

export interface SupportClaim {
  /** "Windows Server 2012 R2" */
  readonly windowsServer: string;
  readonly supported: boolean;
}

type Role = 'subject' | 'driver-version' | 'reference' | 'target';

const SEVERITY: readonly NoticeKind[] = ['notice', 'release', 'upcoming', 'end-of-support', 'rollback'];

/**
 * Words that say what kind of notice a sentence is, most specific first: a span one rule matched is not matched
 * again by a later one ("will be released" is upcoming, not a release).
 */
const KIND_CUES: readonly (readonly [NoticeKind, RegExp])[] = [
  [
    'rollback',
    /\b(?:rolled[ -]?back|roll(?:ing)?[ -]?back|rollback|withdrawn|withdraw(?:s|ing)?|pulled|recalled|revoked|(?:has|have|was|were|been|being) removed|removed from (?:download|distribution|s3|the download)|do not (?:install|deploy|upgrade)|don'?t (?:install|deploy)|(?:should|must) not (?:be )?(?:installed|install|deployed|deploy)|stop (?:installing|deploying)|downgrad\w*|no longer available for download)\b/g,
  ],
  [
    'end-of-support',
    /\b(?:deprecat\w*|end[ -]of[ -](?:support|life|sale)|eol|no longer (?:be )?(?:available|supported|distributed|offered|maintained|updated|provided|published)|will (?:be )?(?:removed|retired|discontinued)|retir(?:e|ed|es|ing|ement)|discontinu\w*|sunset\w*|(?:end|ends|ending) (?:of )?support|support (?:will )?ends?|stop (?:supporting|publishing|distributing|providing))\b/g,
  ],
  [
    'upcoming',
    /\b(?:will (?:be )?(?:re-?)?(?:released|available|published|rolled out|made available|launched|shipped|generally available)|will (?:release|publish|launch|ship|roll out|become available)|(?:is|are) (?:scheduled|planned|expected) (?:to|for)|(?:plan|plans|planned|planning) to (?:release|publish|launch|ship)|coming soon|upcoming|pre-?announce\w*|advance notice|in the coming (?:days|weeks|months)|not yet (?:available|released|published))\b/g,
  ],
  [
    'release',
    /\b(?:released|releases|release|(?:is|are) (?:now )?available|now available|available now|available (?:for download|today|in|through|from|via|on)|(?:has|have) been (?:published|made available|launched|shipped)|published|launched|shipped|(?:is|are) out|new (?:version|release|driver|drivers)|announc(?:e|es|ed|ing)|update(?:d)? (?:is|are) available|what's new|now supports?)\b/g,
  ],
  [
    'notice',
    /\b(?:known issues?|(?:we are|we're|aws is) (?:aware|investigating)|investigat\w+|advisory|(?:may|might|could) (?:experience|see|encounter|cause|fail)|(?:is|are) (?:affected|impacted)|affects|reminder|action (?:is )?required|workaround|heads[ -]up|please note|be aware)\b/g,
  ],
];

/**
 * Words before a version that make it a target (what to go back, move or stay on) or a reference (previous,
 * replaced, required). Matched against the core of the version's own phrase, so a word in another clause does not
 * count and the cue must end the phrase: "roll back to [ENA driver version] 2.10.0".
 */
const TARGET_BEFORE =
  /\b(?:back to|revert(?:ed|ing)? to|return(?:ing)? to|go(?:ing)? back to|downgrad\w* to|roll(?:ing)? ?back to|rollback to|replaced by|superseded by|upgrad\w* to|updat\w* to|mov(?:e|ing) to|migrat\w* to|switch(?:ing)? to|recommend\w*|reinstall\w*|re-install\w*|stay(?:s|ing)? (?:on|at|with)|remain(?:s|ing)? (?:on|at|with)|keep(?:s|ing)?(?: on| at| using| running)?|continue to (?:use|run))$/;
const REFERENCE_BEFORE =
  /\b(?:from|previous(?:ly)?|prior|earlier|older|old|last|final|since|until|before|than|over|replac(?:e|es|ed|ing)|supersed(?:e|es|ing)|requir(?:e|es|ed|ing)|needs?|minimum|min|at least|instead of|in place of|prior to|compared (?:to|with)|introduced (?:in|with)|affected by|unlike|(?:server|20\d\d|r2) (?:\w+ )?(?:on|at|uses?|runs?|with))(?: \w+){0,2}$/;

/** After a version: a range bound ("or later", "+") or the old side of an upgrade ("2.10.0 -> 2.11.0"). */
const REFERENCE_AFTER =
  /^(?:\+|or (?:later|newer|higher|above|greater|earlier|older|lower|below|prior)|and (?:later|newer|higher|above|up|earlier|older|lower|below)|(?:->|=>|to) v?\d|\(?,? ?(?:is |was |remains |the )*(?:the )?(?:previous|prior|last|final|earlier|older|current production)\b)/;

/** Words skipped when looking for another product's name before a number. */
const PLAIN_WORDS = new Set(
  'a an and are at available aws amazon by current download for from here in is its latest new now of on or our released the to today update updated upgrade was with version versions ver v release rel driver drivers package packages installer this that'.split(
    ' ',
  ),
);

/** Words that say a family is named only in passing in this sentence. */
const PASSING =
  /\b(?:not (?:affected|impacted|changed|used|required|needed)|unaffected|unimpacted|unchanged|no action (?:is )?(?:required|needed)|(?:does|do|did|will) not (?:affect|apply|change|impact|need)|instead|continue to (?:use|run)|other drivers|no changes?)\b/;

const WINDOWS_SERVER =
  /\bwindows server (20\d\d(?: r2)?)((?:(?:,|, and|and|or|&|\/| ) ?(?:windows server )?20\d\d(?: r2)?)*)/g;
const SUPPORT_ADDED =
  /\b(?:adds?|added|adding|introduces?|now|newly|includes?) support\b|\bsupports?\b|\b(?:is|are) now supported\b|\bsupport for windows server \S+ (?:is|has been) added\b/;
const SUPPORT_REMOVED =
  /\b(?:remov\w*|drop\w*|end\w*|discontinu\w*|no longer|not|deprecat\w*|withdraw\w*|unsupported)\b[^.]{0,30}\bsupport|\b(?:no longer|not) supported\b|\bunsupported\b/;

/** How many words before a version its phrase may reach back. */
const PHRASE_WORDS = 8;
/** A kind cue farther than this from every version of its sentence speaks for the sentence, not one version. */
const CUE_REACH = 100;

interface VersionFound {
  readonly version: string;
  readonly family: DriverFamily;
  readonly role: Role;
  readonly sentence: number;
  readonly inSubject: boolean;
  /** "Version: 2.11.0": a label line names the version outright. */
  readonly labelled: boolean;
  /** Kind cues given to this version (or to its list). */
  readonly kinds: NoticeKind[];
}

interface SentenceReading {
  readonly sentence: Sentence;
  readonly families: ReadonlySet<DriverFamily>;
  readonly passing: boolean;
  /** Kind cues of the sentence that no version took. */
  readonly looseKinds: readonly NoticeKind[];
  readonly strongFamilies: ReadonlySet<DriverFamily>;
  /** What the sentence claims about Windows Server support. */
  readonly claims: readonly SupportClaim[];
}

export function readNotice(subject: string | null, message: string): FamilyNotice[] {
  const sentences = noticeSentences(subject, message);
  const versions: VersionFound[] = [];
  const readings: SentenceReading[] = [];
  const firstMention = new Map<DriverFamily, number>();
  let order = 0;
  let lastFamily: DriverFamily | null = null;
  let listCount = 0;
  for (const [index, sentence] of sentences.entries()) {
    const reading = readSentence(sentence, index, lastFamily, () => listCount++);
    for (const family of reading.order) if (!firstMention.has(family)) firstMention.set(family, order++);
    versions.push(...reading.versions);
    readings.push(reading.summary);
    lastFamily = reading.lastFamily ?? lastFamily;
  }

  const main = mainFamily(readings);
  // A family named only in passing, in a sentence about another family, is not what the notice is about.
  const passingOnly = (family: DriverFamily) =>
    family !== main && readings.every((r) => !r.families.has(family) || r.passing);
  const candidates = versions.filter((v) => v.family === main || !readings[v.sentence]?.passing);

  const subjectsOf = (family: DriverFamily) =>
    candidates.filter((v) => v.family === family && (v.role === 'subject' || v.role === 'driver-version'));
  const withSubjects = new Set(candidates.filter((v) => v.role !== 'reference').map((v) => v.family));
  const mentioned = [...firstMention.keys()].filter((family) => !passingOnly(family));
  const strong = mentioned.filter((family) => readings.some((r) => r.strongFamilies.has(family)));
  const namedAlone = (family: DriverFamily) => family === main || strong.includes(family) || strong.length === 0;
  const primary = mentioned.filter(
    (family) => withSubjects.has(family) || (!candidates.some((v) => v.family === family) && namedAlone(family)),
  );
  // Only versions given as references ("requires AWS PV 8.4.0"): the notice is about the driver, not a release.
  const chosen = primary.length > 0 ? primary : mentioned.filter(namedAlone);

  return chosen
    .sort((a, b) => (firstMention.get(a) ?? 0) - (firstMention.get(b) ?? 0))
    .map((family) => familyNotice(family, subjectsOf(family), candidates, readings));
}

function familyNotice(
  family: DriverFamily,
  subjects: readonly VersionFound[],
  all: readonly VersionFound[],
  readings: readonly SentenceReading[],
): FamilyNotice {
  const ofFamily = all.filter((v) => v.family === family);
  const ownKinds = (version: string) =>
    ofFamily.filter((v) => v.version === version && v.role !== 'target').flatMap((v) => v.kinds);
  const ranked = [...subjects].sort(
    (a, b) =>
      Number(b.inSubject) - Number(a.inSubject) ||
      Number(b.labelled) - Number(a.labelled) ||
      Number(a.role === 'driver-version') - Number(b.role === 'driver-version') ||
      a.sentence - b.sentence,
  );
  const subject = ranked[0];
  const loose = familyLooseKinds(family, readings);
  const named = unique(ofFamily.filter((v) => v.role !== 'target').map((v) => v.version));
  // With one version named, what the notice says of the driver without a number ("it has been pulled") is about it:
  // a rollback is never left unsaid.
  const folded = named.length <= 1 ? loose.filter((kind) => kind === 'rollback') : [];
  const kind = subject
    ? (mostSevere([...ownKinds(subject.version), ...folded]) ?? mostSevere(loose) ?? 'release')
    : (mostSevere(loose) ?? 'notice');
  const rolledBack = unique([
    ...(subject !== undefined && kind === 'rollback' ? [subject.version] : []),
    ...named.filter((version) => mostSevere(ownKinds(version)) === 'rollback'),
  ]);
  const targets = ofFamily.filter((v) => v.role === 'target' && !rolledBack.includes(v.version));
  // "Please upgrade to ENA 2.11.0": with no other version, what the notice points to is what it is about.
  const version = subject?.version ?? (kind !== 'rollback' ? (targets[0]?.version ?? null) : null);
  return {
    family,
    version,
    kind,
    rolledBack,
    target: targets.find((v) => v.version !== version)?.version ?? null,
    // A version the notice also points to as the one to go to is that, not another subject.
    alsoNamed: unique(ranked.map((v) => v.version)).filter(
      (v) => v !== version && !ofFamily.some((t) => t.role === 'target' && t.version === v),
    ),
    supportClaims: supportClaims(readings, family),
  };
}

/** Kind cues no version took: the Subject's (plus any rollback the body states), else the body's. */
function familyLooseKinds(family: DriverFamily, readings: readonly SentenceReading[]): NoticeKind[] {
  const relevant = (r: SentenceReading) => r.families.size === 0 || r.families.has(family);
  const subjectKinds = readings.filter((r) => r.sentence.inSubject && relevant(r)).flatMap((r) => r.looseKinds);
  const bodyKinds = readings.filter((r) => !r.sentence.inSubject && relevant(r)).flatMap((r) => r.looseKinds);
  return subjectKinds.length > 0 ? [...subjectKinds, ...bodyKinds.filter((kind) => kind === 'rollback')] : bodyKinds;
}

function mostSevere(kinds: readonly NoticeKind[]): NoticeKind | null {
  let best: NoticeKind | null = null;
  for (const kind of kinds) if (best === null || SEVERITY.indexOf(kind) > SEVERITY.indexOf(best)) best = kind;
  return best;
}

/** The family the notice is mainly about: the first named in the Subject, else the first named not in passing. */
function mainFamily(readings: readonly SentenceReading[]): DriverFamily | null {
  for (const reading of readings) {
    if (reading.sentence.inSubject && reading.families.size > 0) return [...reading.families][0] ?? null;
  }
  for (const reading of readings) {
    if (!reading.passing && reading.families.size > 0) return [...reading.families][0] ?? null;
  }
  // A notice that only says who is not affected is still about the driver it names first.
  for (const reading of readings) if (reading.families.size > 0) return [...reading.families][0] ?? null;
  return null;
}

/** The claims of the sentences about this family (or about no family in particular), later ones winning. */
function supportClaims(readings: readonly SentenceReading[], family: DriverFamily): SupportClaim[] {
  const claims = new Map<string, boolean>();
  for (const reading of readings) {
    if (reading.families.size > 0 && !reading.families.has(family)) continue;
    for (const claim of reading.claims) claims.set(claim.windowsServer, claim.supported);
  }
  return [...claims].map(([windowsServer, supported]) => ({ windowsServer, supported }));
}

/** "Adds support for Windows Server 2025", "Windows Server 2012 and 2012 R2 are no longer supported". */
function sentenceClaims(lower: string): SupportClaim[] {
  if (!lower.includes('windows server')) return [];
  const removed = SUPPORT_REMOVED.test(lower);
  const added = !removed && SUPPORT_ADDED.test(lower);
  if (!removed && !added) return [];
  const claims: SupportClaim[] = [];
  for (const match of lower.matchAll(WINDOWS_SERVER)) {
    for (const year of `${match[1]} ${match[2] ?? ''}`.matchAll(/20\d\d(?: r2)?/g)) {
      claims.push({ windowsServer: `Windows Server ${year[0].replace(' r2', ' R2')}`, supported: added });
    }
  }
  return claims;
}

const unique = (values: readonly string[]) => [...new Set(values)];

interface SentenceResult {
  readonly versions: VersionFound[];
  readonly summary: SentenceReading;
  readonly order: DriverFamily[];
  readonly lastFamily: DriverFamily | null;
}

function readSentence(
  sentence: Sentence,
  index: number,
  carried: DriverFamily | null,
  nextList: () => number,
): SentenceResult {
  const tokens = tokenize(sentence.text);
  const mentions = findMentions(tokens);
  const lower = sentence.text.toLowerCase();
  const passing = PASSING.test(lower);

  // Rule 4: owners. Mentions in order, so "nearest before" and "first after" are one step each.
  const families: DriverFamily[] = [];
  const strongFamilies = new Set<DriverFamily>();
  for (const mention of mentions.values()) {
    if (mention.family === 'other') continue;
    if (!families.includes(mention.family)) families.push(mention.family);
    if (mention.strong) strongFamilies.add(mention.family);
  }
  const ownerBefore: (Mention | undefined)[] = new Array(tokens.length);
  let last: Mention | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const mention = mentions.get(i);
    if (mention !== undefined && mention.family !== 'other') last = mention;
    ownerBefore[i] = last;
  }
  const firstAfter = [...mentions.values()].find((m) => m.family !== 'other')?.family;

  const found: { version: string; family: DriverFamily; role: Role; labelled: boolean; start: number; end: number }[] =
    [];
  let lastFamily: DriverFamily | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind === 'url') {
      const fromUrl = urlVersion(token.text);
      if (fromUrl !== null) {
        const role = roleOf(tokens, i, mentions);
        found.push({ ...fromUrl, role, labelled: false, start: token.start, end: token.end });
        lastFamily = fromUrl.family;
      }
      continue;
    }
    const mention = mentions.get(i);
    if (mention !== undefined && mention.family !== 'other') lastFamily = mention.family;
    if (token.kind !== 'number') continue;
    const version = versionAt(tokens, i, mentions);
    if (version === null) continue;
    const owner =
      ownerAfterOf(tokens, i, mentions) ?? ownerBefore[i - 1] ?? (firstAfter ? { family: firstAfter } : undefined);
    const family = owner?.family ?? carried;
    if (family === null || family === 'other' || family === undefined) continue;
    found.push({
      version,
      family,
      role: roleOf(tokens, i, mentions),
      labelled: isLabelled(tokens, i),
      start: token.start,
      end: token.end,
    });
  }

  // Rule 5: lists share their cues; each cue goes to the nearest version within reach.
  const lists: number[] = [];
  for (let v = 0; v < found.length; v++) {
    const current = found[v] as (typeof found)[number];
    const before = found[v - 1];
    const joined = before !== undefined && joinsList(lower, before.end, current.start);
    lists.push(joined ? (lists[v - 1] as number) : nextList());
    // "requires AWS PV 8.4.0 and ENA 2.10.0": a list's later items play the role its first one plays.
    if (joined && current.role === 'subject') found[v] = { ...current, role: before.role };
  }
  const kindsByList = new Map<number, NoticeKind[]>();
  const looseKinds: NoticeKind[] = [];
  for (const cue of kindCues(lower)) {
    const nearest = nearestVersion(found, cue.start, cue.end);
    // A cue next to a target ("downgrade to 2.10.0") speaks of the notice, not of the version to go to.
    if (nearest === -1 || found[nearest]?.role === 'target') looseKinds.push(cue.kind);
    else {
      const list = lists[nearest] as number;
      const kinds = kindsByList.get(list);
      if (kinds === undefined) kindsByList.set(list, [cue.kind]);
      else kinds.push(cue.kind);
    }
  }

  return {
    versions: found.map((f, v) => ({
      version: f.version,
      family: f.family,
      role: f.role,
      labelled: f.labelled,
      sentence: index,
      inSubject: sentence.inSubject,
      kinds: kindsByList.get(lists[v] as number) ?? [],
    })),
    summary: {
      sentence,
      families: new Set(families),
      passing,
      looseKinds,
      strongFamilies,
      claims: sentenceClaims(lower),
    },
    order: families,
    // A sentence that names families in passing ("AWS PV is not affected") does not change the topic.
    lastFamily: passing && carried !== null ? carried : (lastFamily ?? families.at(-1) ?? null),
  };
}

/** "2.10.0 and 2.10.1", "2.10.0, 2.10.1 or ENA 2.10.2": only separators, family names and "version" between. */
function joinsList(text: string, from: number, to: number): boolean {
  const between = text.slice(from, to);
  return (
    between.length <= 40 &&
    /^(?:\s|,|\/|&|and|or|as well as|version|versions|v|aws|pv|ena|nvme|ec2winutil)*$/.test(between)
  );
}

function kindCues(text: string): { kind: NoticeKind; start: number; end: number }[] {
  const taken = new Uint8Array(text.length);
  const cues: { kind: NoticeKind; start: number; end: number }[] = [];
  for (const [kind, pattern] of KIND_CUES) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (taken.subarray(start, end).includes(1)) continue;
      // "Removes support for ..." in release notes is not a rollback of the driver.
      if (
        kind === 'rollback' &&
        match[0].endsWith('removed') &&
        /support\b/.test(text.slice(Math.max(0, start - 60), start))
      )
        continue;
      taken.fill(1, start, end);
      cues.push({ kind, start, end });
    }
  }
  return cues.sort((x, y) => x.start - y.start);
}

/** Index of the version nearest to [start, end) within CUE_REACH characters, or -1. Versions are in text order. */
function nearestVersion(versions: readonly { start: number; end: number }[], start: number, end: number): number {
  let low = 0;
  let high = versions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((versions[mid] as { start: number }).start < start) low = mid + 1;
    else high = mid;
  }
  let best = -1;
  let bestDistance = CUE_REACH + 1;
  for (const candidate of [low - 1, low]) {
    const version = versions[candidate];
    if (version === undefined) continue;
    const distance = version.end <= start ? start - version.end : version.start >= end ? version.start - end : 0;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Rule 3: the role of the version at token `index` from the words of its phrase and the words after it. */
function roleOf(tokens: readonly Token[], index: number, mentions: ReadonlyMap<number, Mention>): Role {
  const token = tokens[index] as Token;
  const after = tokens
    .slice(index + 1, index + 5)
    .map((t) => t.lower)
    .join(' ')
    .replace(/ ?(\+|->|=>) ?/g, ' $1 ')
    .trim();
  if (REFERENCE_AFTER.test(after) || (tokens[index + 1]?.text === '+' && tokens[index + 1]?.start === token.end))
    return 'reference';
  const { phrase, core } = phraseBefore(tokens, index, mentions);
  if (TARGET_BEFORE.test(core)) return 'target';
  if (REFERENCE_BEFORE.test(core)) return 'reference';
  if (/^driver version$/.test(phrase)) return 'driver-version';
  return 'subject';
}

/**
 * The words before a version back to the start of its phrase: over family names, "version", "driver" and plain
 * words, stopping at another number or at punctuation (a colon or comma right after "version" is a label or an
 * apposition: "previous version: 2.10.0", "the previous version, ENA 2.10.0"). Returns the whole phrase and its
 * core: the phrase without the family name, "version", "driver" and articles at its end ("roll back to").
 */
function phraseBefore(
  tokens: readonly Token[],
  index: number,
  mentions: ReadonlyMap<number, Mention>,
): { phrase: string; core: string } {
  const words: { word: string; filler: boolean }[] = [];
  for (let j = index - 1; j >= 0 && j >= index - 3 * PHRASE_WORDS && words.length < PHRASE_WORDS; j--) {
    const token = tokens[j] as Token;
    if (token.kind === 'number' || token.kind === 'url') break;
    if (token.kind === 'punct') {
      if ((token.text === ':' || token.text === ',') && FILLER.test(tokens[j - 1]?.lower ?? '')) continue;
      if (token.text === '-' || token.text === '(' || token.text === '"' || token.text === "'") continue;
      break;
    }
    words.unshift({ word: token.lower, filler: mentions.has(j) || FILLER.test(token.lower) });
  }
  let end = words.length;
  while (end > 0 && words[end - 1]?.filler) end--;
  return {
    phrase: words.map((w) => w.word).join(' '),
    core: words
      .slice(0, end)
      .map((w) => w.word)
      .join(' '),
  };
}

/** Words that stand between a cue and its version without changing what the cue says. */
const FILLER =
  /^(?:version|versions|v|ver|release|driver|drivers|package|packages|windows|the|a|an|our|its|this|new|latest|of|for)$/;

/** "Version: 2.11.0" at the start of a line: the version is named outright. */
function isLabelled(tokens: readonly Token[], index: number): boolean {
  if (tokens[index - 1]?.text !== ':' || index > 5) return false;
  return tokens.slice(0, index - 1).some((t) => /^(?:version|release|package)$/.test(t.lower));
}

/** "version 2.11.0 of the ENA driver" */
function ownerAfterOf(tokens: readonly Token[], index: number, mentions: ReadonlyMap<number, Mention>) {
  if (tokens[index + 1]?.lower !== 'of') return undefined;
  const at = /^(?:the|our|its|this|a|an)$/.test(tokens[index + 2]?.lower ?? '') ? index + 3 : index + 2;
  return mentions.get(at);
}

/** The version at a number token, or null when it is not one of ours (a date, an address, a quantity, a product's). */
function versionAt(tokens: readonly Token[], index: number, mentions: ReadonlyMap<number, Mention>): string | null {
  const token = tokens[index] as Token;
  const prefixed = token.lower.startsWith('v');
  const body = prefixed ? token.text.slice(1) : token.text;
  const version = normalizeVersion(body);
  if (version === null) return null;
  const parts = body.split('.');
  // Dates (2026.07.21, 21.07.2026), build numbers (10.0.17763) and addresses (10.0.0.1) are not driver versions.
  if (parts.some((part) => part.length > 4) || parts.some((part) => part.length === 4 && Number(part) >= 1900))
    return null;
  if (parts.length === 4 && Number(parts[0]) >= 10) return null;
  const next = tokens[index + 1];
  const after = tokens[index + 2];
  // "99.9%", "10.30:15" (a time), "1.2/3" (a fraction) are not versions; "AWS PV 8.6.1: fixes ..." is.
  if (next !== undefined && next.start === token.end) {
    if (next.text === '%') return null;
    if ((next.text === ':' || next.text === '/') && after?.start === next.end && /^\d/.test(after.text)) return null;
  }
  if (next?.kind === 'word' && UNIT_WORDS.has(next.lower)) return null;
  const previous = tokens[index - 1];
  if (previous?.text === '$' || previous?.lower === 'build') return null;
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
  if (parts.length === 2 && !prefixed && j === index - 1 && mention === undefined) return null;
  return version;
}

const UNIT_WORDS = new Set(
  'am pm utc gmt pt pst pdt et est edt gbps mbps kbps gb mb kb tb gib mib kib tib ghz mhz ms sec secs seconds minutes hours days percent times x'.split(
    ' ',
  ),
);
