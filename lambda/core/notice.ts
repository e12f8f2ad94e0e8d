/**
 * What an AWS notice says: which driver families it is about, the one version it is about for each, and what kind
 * of notice it is. The topic carries free text written by people, so this reads it with a few visible rules (the
 * words each rule looks for are in notice-words.ts):
 *
 *  1. Text       notice-text.ts turns JSON, HTML and Markdown bodies into plain sentences (Subject first).
 *  2. Candidates each sentence yields family mentions (names, aliases, download URLs; driver-names.ts), versions
 *                (not dates, addresses, sizes or another product's numbers), and kind cues (KIND_CUES).
 *  3. Roles      by the words of its own phrase a version is a `subject`, a `reference` (previous, replaced,
 *                requires, "X or later", the old side of "X -> Y"), a `target` (roll back to, upgrade to, stay on)
 *                or `current` (what customers run now); versions listed together play the role of the first.
 *  4. Owners     a version belongs to the family named in its download URL, else in "version X of <family>", else
 *                named nearest before it in its sentence, else after it, else the family the notice was last
 *                talking about (or, before any name, the notice's main family). A sentence without a name takes a
 *                number only when "version" or a kind cue says it is one.
 *  5. Kinds      each cue goes to the nearest version of its sentence (not across another family's name; a list
 *                shares it); a version's kind is its most severe cue (rollback > end-of-support > upcoming >
 *                release > notice), else what the notice says of its family without a number (a rollback always
 *                counts when the family has one version), else what the sentences before said of their subjects,
 *                else `release` when a version was found and `notice` when none was.
 *  6. Subjects   per family, the version the notice is about is the first subject in the Subject line, else the
 *                first labelled one ("Version: 2.11.0"), else the first in the body; a package version outranks a
 *                "driver version", and a `current` one counts only when there is no other nor a target. Families
 *                the words say are not affected, or name aside ("alongside", "unlike"), make no alert; a family
 *                with only reference versions makes one only when no family has a subject.
 *
 * Work is linear in the text: every look around a version is bounded, and cues and names are found by binary search.
 */
import type { NoticeKind } from './alert.js';
import type { DriverFamily } from './driver-family.js';
import {
  findMentions,
  type Mention,
  type Token,
  tokenize,
  urlVersion,
  versionAt,
  versionWordBefore,
} from './driver-names.js';
import { noticeSentences, type Sentence } from './notice-text.js';
import {
  ASIDE,
  CURRENT_BEFORE,
  FILLER,
  KIND_CUES,
  LIST_JOINER,
  PASSING_AFTER,
  PASSING_BEFORE,
  REFERENCE_AFTER,
  REFERENCE_BEFORE,
  SUPPORT_ADDED,
  SUPPORT_REMOVED,
  TARGET_BEFORE,
  WINDOWS_SERVER,
} from './notice-words.js';

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

type Role = 'subject' | 'driver-version' | 'current' | 'reference' | 'target';

const SEVERITY: readonly NoticeKind[] = ['notice', 'release', 'upcoming', 'end-of-support', 'rollback'];
/** Among a family's subject versions, which the notice is about first. */
const ROLE_RANK: readonly Role[] = ['subject', 'driver-version', 'current'];

/** How many words before a version its phrase may reach back. */
const PHRASE_WORDS = 8;
/** A kind cue farther than this from every version of its sentence speaks for the sentence, not one version. */
const CUE_REACH = 100;

interface VersionFound {
  readonly version: string;
  /** Null for a version read before any driver is named; it then belongs to the notice's main family. */
  readonly family: DriverFamily | null;
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
  /** Families the sentence says are not affected, not used or unchanged ("AWS PV is not affected"). */
  readonly notAffected: ReadonlySet<DriverFamily>;
  /** Families named beside the subject ("alongside the NVMe driver", "unlike AWS PV"). */
  readonly aside: ReadonlySet<DriverFamily>;
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
  // Versions of other families in a sentence that says they are not affected are not what the notice is about.
  const candidates = versions
    .map((v) => (v.family === null ? { ...v, family: main } : v))
    .filter((v) => v.family !== null && (v.family === main || !readings[v.sentence]?.notAffected.has(v.family)));
  const subjectsOf = (family: DriverFamily) =>
    candidates.filter((v) => v.family === family && v.role !== 'reference' && v.role !== 'target');
  const withSubjects = new Set(candidates.filter((v) => v.role !== 'reference').map((v) => v.family));
  // Without a version, a family is the notice's subject only where a sentence names it other than in passing.
  const plainly = (r: SentenceReading, family: DriverFamily) =>
    r.families.has(family) && (r.sentence.inSubject || (!r.notAffected.has(family) && !r.aside.has(family)));
  const named = [...firstMention.keys()].filter((family) => readings.some((r) => plainly(r, family)));
  const strong = named.filter((family) => readings.some((r) => plainly(r, family) && r.strongFamilies.has(family)));
  const alone = (family: DriverFamily) => family === main || strong.includes(family) || strong.length === 0;
  const primary = [...firstMention.keys()].filter(
    (family) =>
      withSubjects.has(family) ||
      (named.includes(family) && !candidates.some((v) => v.family === family) && alone(family)),
  );
  // Only versions given as references ("requires AWS PV 8.4.0"): the notice is about the driver, not a release.
  const chosen = primary.length > 0 ? primary : named.filter(alone);
  const sentenceKinds: NoticeKind[][] = readings.map((r) => [...r.looseKinds]);
  // What the sentences before said of their own subjects, not of versions they gave as references.
  for (const v of versions) if (v.role !== 'reference') sentenceKinds[v.sentence]?.push(...v.kinds);
  const kindsBefore = (sentence: number): NoticeKind | null => {
    for (let k = sentence - 1; k >= 0; k--) {
      const kind = mostSevere(sentenceKinds[k] ?? []);
      if (kind !== null) return kind;
    }
    return null;
  };

  return chosen
    .sort((a, b) => (firstMention.get(a) ?? 0) - (firstMention.get(b) ?? 0))
    .map((family) => familyNotice(family, subjectsOf(family), candidates, readings, kindsBefore));
}

function familyNotice(
  family: DriverFamily,
  subjects: readonly VersionFound[],
  all: readonly VersionFound[],
  readings: readonly SentenceReading[],
  kindsBefore: (sentence: number) => NoticeKind | null,
): FamilyNotice {
  const ofFamily = all.filter((v) => v.family === family);
  // Each version's own kind cues, wherever it is named, and the versions named as targets.
  const kindsOf = new Map<string, Set<NoticeKind>>();
  const targetVersions = new Set<string>();
  for (const v of ofFamily) {
    if (v.role === 'target') targetVersions.add(v.version);
    else kindsOf.set(v.version, new Set([...(kindsOf.get(v.version) ?? []), ...v.kinds]));
  }
  const ownKinds = (version: string) => [...(kindsOf.get(version) ?? [])];
  const ranked = [...subjects].sort(
    (a, b) =>
      Number(b.inSubject) - Number(a.inSubject) ||
      Number(b.labelled) - Number(a.labelled) ||
      ROLE_RANK.indexOf(a.role) - ROLE_RANK.indexOf(b.role) ||
      a.sentence - b.sentence,
  );
  // What the notice says a version is now ("customers running 2.10.0") is what it is about only when it names
  // no other version: not a new one, and not one to move to.
  const primary = ranked.find((v) => v.role !== 'current');
  const current = ranked.find((v) => v.role === 'current');
  const subject = primary ?? current;
  const loose = familyLooseKinds(family, readings);
  const named = [...kindsOf.keys()];
  // With one version named, what the notice says of the driver without a number ("it has been pulled") is about it:
  // a rollback is never left unsaid.
  const folded = named.length <= 1 ? loose.filter((kind) => kind === 'rollback') : [];
  // Rule 5's fallbacks: what the notice says of the family without a number, then what the sentences before said
  // ("ENA 2.11.0 has been rolled back. AWS NVMe 1.8.2 too.").
  const kind = subject
    ? (mostSevere([...ownKinds(subject.version), ...folded]) ??
      mostSevere(loose) ??
      kindsBefore(subject.sentence) ??
      'release')
    : (mostSevere(loose) ?? (ofFamily.some((v) => v.role === 'target') ? 'release' : 'notice'));
  const rolledBack = unique([
    ...(subject !== undefined && kind === 'rollback' ? [subject.version] : []),
    ...named.filter((version) => mostSevere(ownKinds(version)) === 'rollback'),
  ]);
  const withdrawn = new Set(rolledBack);
  const targets = ofFamily.filter((v) => v.role === 'target' && !withdrawn.has(v.version));
  // "Please upgrade to ENA 2.11.0": with no new version named, what the notice points to is what it is about.
  const version =
    kind === 'rollback'
      ? (subject?.version ?? null)
      : (primary?.version ?? targets[0]?.version ?? current?.version ?? null);
  return {
    family,
    version,
    kind,
    rolledBack,
    target: targets.find((v) => v.version !== version)?.version ?? null,
    // A version the notice also points to as the one to go to is that, not another subject.
    alsoNamed: unique(ranked.map((v) => v.version)).filter((v) => v !== version && !targetVersions.has(v)),
    supportClaims: supportClaims(readings, family),
  };
}

/**
 * Kind cues no version took, nearest first: the Subject's (with any rollback the body states), else those of body
 * sentences naming this family (with any rollback of sentences naming none), else those of sentences naming none.
 */
function familyLooseKinds(family: DriverFamily, readings: readonly SentenceReading[]): NoticeKind[] {
  const of = (inSubject: boolean, own: boolean) =>
    readings
      .filter((r) => r.sentence.inSubject === inSubject && (own ? r.families.has(family) : r.families.size === 0))
      .flatMap((r) => r.looseKinds);
  const rollbacks = (kinds: readonly NoticeKind[]) => kinds.filter((kind) => kind === 'rollback');
  const subjectKinds = [...of(true, true), ...of(true, false)];
  const bodyOwn = of(false, true);
  const bodyNone = of(false, false);
  if (subjectKinds.length > 0) return [...subjectKinds, ...rollbacks([...bodyOwn, ...bodyNone])];
  return bodyOwn.length > 0 ? [...bodyOwn, ...rollbacks(bodyNone)] : bodyNone;
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
    for (const family of reading.families) {
      if (!reading.notAffected.has(family) && !reading.aside.has(family)) return family;
    }
  }
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
  const cues = kindCues(lower);

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

  const found: {
    version: string;
    family: DriverFamily | null;
    role: Role;
    labelled: boolean;
    start: number;
    end: number;
  }[] = [];
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
    const version = versionAt(tokens, i, mentions, cues.length > 0);
    if (version === null) continue;
    const owner =
      ownerAfterOf(tokens, i, mentions) ?? ownerBefore[i - 1] ?? (firstAfter ? { family: firstAfter } : undefined);
    // A number in a sentence that names no driver is ours only when something says it is a version ("Version
    // 2.11.0", "v2.11.0", "Version: 2.11.0") or what happened to it ("2.11.0 has been released").
    const introduced = owner !== undefined || versionWordBefore(tokens, i, mentions) || cues.length > 0;
    if (!introduced || owner?.family === 'other') continue;
    // Null until the notice's main family is known: "Windows driver release 8.6.2" in a Subject before any name.
    const family = owner?.family ?? carried;
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
  const named = [...new Set(mentions.values())].map((m) => ({
    start: tokens[m.first]?.start ?? 0,
    end: tokens[m.last]?.end ?? 0,
    family: m.family,
  }));
  const notAffected = new Set<DriverFamily>();
  const aside = new Set<DriverFamily>();
  // Each says which side its families stand on; with none there, the words speak of the other side's.
  for (const match of lower.matchAll(PASSING_BEFORE)) {
    const at = match.index ?? 0;
    if (!familiesNear(named, sentence.text, at, 'before', notAffected))
      familiesNear(named, sentence.text, at, 'after', notAffected);
  }
  for (const match of lower.matchAll(PASSING_AFTER)) {
    const at = match.index ?? 0;
    if (!familiesNear(named, sentence.text, at + match[0].length, 'after', notAffected))
      familiesNear(named, sentence.text, at, 'before', notAffected);
  }
  for (const match of lower.matchAll(ASIDE))
    familiesNear(named, sentence.text, (match.index ?? 0) + match[0].length, 'after', aside);
  for (const cue of cues) {
    const nearest = nearestVersion(found, cue.start, cue.end);
    const version = found[nearest];
    // A cue next to a target ("downgrade to 2.10.0") speaks of the notice, not of the version to go to; one with
    // another driver's name between it and the version ("ENA 2.12.0 is out, and NVMe will follow") is that driver's.
    if (
      version === undefined ||
      version.role === 'target' ||
      namedBetween(named, Math.min(version.end, cue.end), Math.max(version.start, cue.start), version.family)
    )
      looseKinds.push(cue.kind);
    else {
      const list = lists[nearest] as number;
      const kinds = kindsByList.get(list);
      if (kinds === undefined) kindsByList.set(list, [cue.kind]);
      else if (!kinds.includes(cue.kind)) kinds.push(cue.kind);
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
      notAffected,
      aside,
      looseKinds,
      strongFamilies,
      claims: sentenceClaims(lower),
    },
    order: families,
    // A sentence that names families in passing ("AWS PV is not affected") does not change the topic.
    lastFamily:
      lastFamily !== null && notAffected.has(lastFamily) && carried !== null ? carried : (lastFamily ?? carried),
  };
}

function joinsList(text: string, from: number, to: number): boolean {
  const between = text.slice(from, to);
  return between.length <= 60 && LIST_JOINER.test(between);
}

function kindCues(text: string): { kind: NoticeKind; start: number; end: number }[] {
  const taken = new Uint8Array(text.length);
  const cues: { kind: NoticeKind; start: number; end: number }[] = [];
  for (const [kind, pattern] of KIND_CUES) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      // A label ("New version: 2.11.0", "Release date: ...") names a field; it says nothing happened.
      if (taken.subarray(start, end).includes(1) || (kind === 'release' && /^\s*:/.test(text.slice(end, end + 3))))
        continue;
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

/**
 * Adds to `into` the family named nearest before (or after) a point of a sentence, and those listed with it
 * ("the AWS PV and NVMe drivers are unaffected").
 */
function familiesNear(
  named: readonly { start: number; end: number; family: DriverFamily | 'other' }[],
  text: string,
  at: number,
  side: 'before' | 'after',
  into: Set<DriverFamily>,
): boolean {
  const low = firstFrom(named, at);
  const step = side === 'before' ? -1 : 1;
  let previous: { start: number; end: number } | undefined;
  for (let i = side === 'before' ? low - 1 : low; i >= 0 && i < named.length; i += step) {
    const mention = named[i] as { start: number; end: number; family: DriverFamily | 'other' };
    // "EC2WinUtil 3.2.0 .NET Framework 4.8 is not required": the words are about the name nearer to them.
    if (
      previous === undefined &&
      namesAnother(side === 'before' ? text.slice(mention.end, at) : text.slice(at, mention.start))
    )
      return false;
    if (previous !== undefined) {
      const between =
        side === 'before' ? text.slice(mention.end, previous.start) : text.slice(previous.end, mention.start);
      // Listed means joined by "and", "or", a comma or a slash, not merely standing side by side.
      if (between.length > 60 || !LIST_JOINER.test(between) || !/,|\/|&|\band\b|\bor\b/.test(between)) break;
    }
    if (mention.family !== 'other') into.add(mention.family);
    previous = mention;
  }
  return previous !== undefined;
}

/** Index of the first item starting at or after `at` in a list sorted by start (binary search: a sentence can hold
 * thousands of names or versions). */
function firstFrom(items: readonly { start: number }[], at: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((items[mid] as { start: number }).start < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Whether text names a product of its own: a capitalised word that is not part of how drivers are named. */
function namesAnother(text: string): boolean {
  for (const match of text.matchAll(/(?:^|[\s(])(\.?[A-Z][\w.]*)/g)) {
    if (!DRIVER_WORDS.test((match[1] ?? '').toLowerCase())) return true;
  }
  return false;
}

const DRIVER_WORDS =
  /^(?:windows|server|driver|drivers|package|packages|the|aws|amazon|instances?|customers?|version)$/;

/** Whether a family other than `family` is named between two points of a sentence. */
function namedBetween(
  named: readonly { start: number; family: DriverFamily | 'other' }[],
  from: number,
  to: number,
  family: DriverFamily | null,
): boolean {
  const low = firstFrom(named, from);
  for (let i = low; i < named.length && (named[i] as { start: number }).start < to; i++) {
    const other = (named[i] as { family: DriverFamily | 'other' }).family;
    if (other !== family && other !== 'other') return true;
  }
  return false;
}

/** Index of the version nearest to [start, end) within CUE_REACH characters, or -1. Versions are in text order. */
function nearestVersion(versions: readonly { start: number; end: number }[], start: number, end: number): number {
  const low = firstFrom(versions, start);
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
  if (CURRENT_BEFORE.test(core)) return 'current';
  if (/^driver version$/.test(phrase)) return 'driver-version';
  return 'subject';
}

/**
 * The words before a version back to the start of its phrase: over family names, "version", "driver" and plain
 * words, stopping at another number or at punctuation (a colon or comma right after "version" is a label or an
 * apposition: "previous version: 2.10.0", "the previous version, ENA 2.10.0"). Returns the whole phrase and its
 * core: the phrase without family names, "version", "driver" and articles ("reverting [the ENA driver] to").
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
      if (/^[-()"']$/.test(token.text)) continue;
      break;
    }
    words.unshift({ word: token.lower, filler: mentions.has(j) || FILLER.test(token.lower) });
  }
  return {
    phrase: words.map((w) => w.word).join(' '),
    core: words
      .filter((w) => !w.filler)
      .map((w) => w.word)
      .join(' '),
  };
}

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
