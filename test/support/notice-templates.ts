/**
 * Notices composed from templates, each knowing by construction the alerts a careful operator expects: family
 * names and aliases x versions (in the history, future ones, 2 to 4 parts, v-prefixed, none) x kinds (several
 * phrasings of each) x reference versions (previous, replaced, stay on, roll back to, ...) x passing mentions of
 * other families x filler sentences full of distractor numbers x layouts (Subject/Message split, labelled lines,
 * JSON, HTML, Markdown, download URLs) x line ends. test/notice-properties.test.ts runs them.
 *
 * A notice is first drawn as a plan of small numbers (which template, which version, ...) and then composed by a
 * pure function, so fast-check shrinks a failing notice towards the first template of each dimension.
 */
import * as fc from 'fast-check';
import { DRIVER_FAMILIES, type DriverFamily } from '../../lambda/core/driver-family.js';
import {
  byFamily,
  compareReleases,
  type ExpectedAlert,
  historyOf,
  type VersionRef,
  versionKey,
} from './notice-safety.js';

type DriverKind = 'release' | 'rollback' | 'end-of-support' | 'upcoming' | 'notice';
type PlanKind = DriverKind | 'unrecognised';

/** An expected alert; a 2-part version ("2.12") may also be read as its 3-part form. */
export interface GeneratedAlert extends ExpectedAlert {
  readonly alsoAccept: string | null;
}

export interface GeneratedNotice {
  readonly subject: string | null;
  readonly message: string;
  readonly expect: readonly GeneratedAlert[];
  /** Versions the notice says were withdrawn besides the alerts' own. */
  readonly rolledBack: readonly VersionRef[];
  /** How it was composed, to read a failure by. */
  readonly recipe: string;
}

/** Whether the alerts read are the ones expected, in order. */
export function readAsExpected(got: readonly ExpectedAlert[], expected: readonly GeneratedAlert[]): boolean {
  return (
    got.length === expected.length &&
    got.every((alert, index) => {
      const want = expected[index] as GeneratedAlert;
      return (
        alert.family === want.family &&
        alert.kind === want.kind &&
        (alert.version === want.version || (want.alsoAccept !== null && alert.version === want.alsoAccept))
      );
    })
  );
}

const S3 = 'https://s3.amazonaws.com/ec2-windows-drivers-downloads';

const ALIASES: Readonly<Record<DriverFamily, readonly string[]>> = {
  'aws-pv': ['AWS PV', 'AWS PV drivers', 'AWS PV driver', 'AWSPVDriver', 'AWS paravirtual (PV) drivers'],
  ena: [
    'ENA',
    'ENA driver',
    'ENA Windows driver',
    'Elastic Network Adapter (ENA) driver',
    'Elastic Network Adapter driver',
    'AwsEnaNetworkDriver',
  ],
  nvme: ['AWS NVMe', 'AWS NVMe driver', 'AWSNVMe', 'NVMe driver'],
  ec2winutil: [
    'EC2WinUtil',
    'EC2WinUtil driver',
    'EC2 Windows Utility driver',
    'EC2 Windows Utility driver (EC2WinUtil)',
  ],
};

const DOWNLOAD: Readonly<Record<DriverFamily, (version: string) => string>> = {
  'aws-pv': (v) => `${S3}/AWSPV/${v}/AWSPVDriver.zip`,
  ena: (v) => `${S3}/ENA/x64/${v}/AwsEnaNetworkDriver.zip`,
  nvme: (v) => `${S3}/NVMe/${v}/AWSNVMe.zip`,
  ec2winutil: (v) => `${S3}/EC2WinUtil/${v}/EC2WinUtil.zip`,
};

const pick = <T>(items: readonly T[], index: number): T => items[index % items.length] as T;

// --- versions -------------------------------------------------------------------------------------------------

interface History {
  readonly good: readonly string[];
  readonly rolledBack: readonly string[];
  readonly newest: string;
}

const HISTORY: Readonly<Record<DriverFamily, History>> = byFamily((family) => {
  const { versions, rolledBack } = historyOf(family);
  const good = versions.filter((v) => !rolledBack.includes(v)).sort((a, b) => compareReleases(b, a));
  const newest = [...versions].sort((a, b) => compareReleases(b, a))[0] as string;
  return { good, rolledBack, newest };
});

interface VersionPlan {
  /** 0: in the history, 1: a future one, 2: none named, 3: one the history marks rolled back. */
  readonly source: number;
  readonly pick: number;
  /** 0 patch, 1 minor, 2 major. */
  readonly bump: number;
  readonly bumpBy: number;
  /** 0: 3 parts, 1: 4 parts with a meaningful last part, 2: 4 parts ending in .0, 3: 2 parts. */
  readonly shape: number;
  readonly build: number;
  /** 0-3: plain, 4: "v", 5: "V". */
  readonly prefix: number;
}

interface Version {
  /** As the notice writes it. */
  readonly raw: string;
  /** As the URL path writes it (no prefix). */
  readonly bare: string;
  readonly expected: string;
  readonly alsoAccept: string | null;
}

function futureParts(family: DriverFamily, bump: number, bumpBy: number): [number, number, number] {
  const [a = 0, b = 0, c = 0] = HISTORY[family].newest.split('.').map(Number);
  if (bump === 0) return [a, b, c + 1 + bumpBy];
  if (bump === 1) return [a, b + 1 + bumpBy, 0];
  return [a + 1 + bumpBy, 0, 0];
}

function shaped(parts: readonly number[], plan: VersionPlan, allowTwoParts: boolean): Version {
  const three = parts.join('.');
  let bare = three;
  let expected = three;
  let alsoAccept: string | null = null;
  if (plan.shape === 1) {
    bare = `${three}.${1 + (plan.build % 300)}`;
    expected = bare;
  } else if (plan.shape === 2) {
    bare = `${three}.0`;
  } else if (plan.shape === 3 && allowTwoParts && parts[2] === 0) {
    bare = parts.slice(0, 2).join('.');
    expected = bare;
    alsoAccept = three;
  }
  const prefix = plan.prefix === 4 ? 'v' : plan.prefix === 5 ? 'V' : '';
  return { raw: `${prefix}${bare}`, bare, expected, alsoAccept };
}

function existing(version: string, plan: VersionPlan): Version {
  // A 4-part form of a listed version only ever ends in .0 (Windows reports 8.6.1 as 8.6.1.0).
  return shaped(version.split('.').map(Number), { ...plan, shape: plan.shape === 2 ? 2 : 0 }, false);
}

/** The version a notice of this kind names, within what AWS would plausibly write for the kind. */
function versionFor(family: DriverFamily, kind: DriverKind, plan: VersionPlan): Version | null {
  const history = HISTORY[family];
  if (plan.source === 2) return null;
  if (plan.source === 3) return existing(pick(history.rolledBack, plan.pick), plan);
  const future = () => shaped(futureParts(family, plan.bump, plan.bumpBy), plan, true);
  switch (kind) {
    case 'release':
      return plan.source === 0 ? existing(pick(history.good, plan.pick), plan) : future();
    case 'rollback':
      return plan.source === 0
        ? existing(pick([...history.good.slice(0, 6), ...history.rolledBack], plan.pick), plan)
        : future();
    case 'end-of-support':
      return existing(pick(history.good, plan.pick), plan);
    case 'upcoming':
      return future();
    case 'notice':
      return existing(pick(history.good.slice(0, 8), plan.pick), plan);
  }
}

/** A version named as a reference point, in the relation to the subject version that the kind's wording needs. */
function referenceFor(family: DriverFamily, kind: DriverKind, version: Version, index: number): string | null {
  const good = HISTORY[family].good.filter((v) => versionKey(v) !== versionKey(version.expected));
  const older = good.filter((v) => compareReleases(v, version.expected) < 0);
  const newer = good.filter((v) => compareReleases(v, version.expected) > 0);
  const candidates =
    kind === 'end-of-support'
      ? newer
      : kind === 'notice'
        ? good
        : kind === 'rollback' && older.length === 0
          ? good
          : older;
  // The nearest ones are what AWS would name; keep the choice among them.
  return candidates.length === 0 ? null : pick(candidates.slice(0, 4), index);
}

// --- wording --------------------------------------------------------------------------------------------------

type Sentence = (f: string, v: string, d: string) => string;

/** Sentences naming the family and the version. Each says the kind in its own words. */
const WITH_VERSION: Readonly<Record<DriverKind, readonly Sentence[]>> = {
  release: [
    (f, v) => `${f} ${v} is now available.`,
    (f, v) => `${f} version ${v} has been released.`,
    (f, v) => `We have released ${f} ${v}.`,
    (f, v) => `Version ${v} of the ${f} is now available.`,
    (f, v) => `${f} for Windows, version ${v}, is now available for download.`,
    (f, v) => `${f} has been updated to ${v}.`,
    (f, v) => `${f} ${v} is generally available starting today.`,
    (f, v) => `AWS has released a new ${f} for Windows. The version number is ${v}.`,
  ],
  rollback: [
    (f, v) => `${f} ${v} has been rolled back.`,
    (f, v) => `${f} version ${v} has been withdrawn.`,
    (f, v) => `Do not install ${f} ${v}: it has been removed from distribution.`,
    (f, v) => `We have pulled ${f} ${v} from Distributor.`,
    (f, v) => `${f} for Windows, version ${v}, has been rolled back due to a regression.`,
    (f, v) => `A ${f} release has been rolled back. The affected version is ${v}.`,
  ],
  'end-of-support': [
    (f, v, d) => `${f} ${v} will no longer be supported after ${d}.`,
    (f, v, d) => `${f} ${v} is deprecated and will no longer be available after ${d}.`,
    (f, v, d) => `End of support: ${f} ${v} reaches end of support on ${d}.`,
    (f, v, d) => `Support for ${f} version ${v} ends on ${d}.`,
    (f, v, d) => `Support for an older ${f} release ends on ${d}. The affected version is ${v}.`,
  ],
  upcoming: [
    (f, v, d) => `${f} ${v} will be released on ${d}.`,
    (f, v, d) => `${f} ${v} is scheduled for release on ${d}.`,
    (f, v, d) => `Coming soon: ${f} ${v}, planned for ${d}.`,
    (f, v, d) => `We plan to release version ${v} of the ${f} on ${d}.`,
    (f, v, d) => `A new ${f} is scheduled for ${d}. It will be version ${v}.`,
  ],
  notice: [
    (f, v) => `We are investigating reports of increased latency on instances running ${f} ${v}.`,
    (f, v) => `Known issue: ${f} ${v} can log a harmless warning at boot on some instance types.`,
    (f, v) => `Advisory: ${f} ${v} shows an incorrect version string in Device Manager; the driver works as intended.`,
    (f, v) => `We are looking into reports about the ${f}. The version involved is ${v}.`,
  ],
};

/** Release wording with the old version on the left of an arrow or after "from". */
const RELEASE_FROM_TO: readonly ((f: string, r: string, v: string) => string)[] = [
  (f, r, v) => `${f} ${r} → ${v} is now available.`,
  (f, r, v) => `${f}: ${r} -> ${v}, now available.`,
  (f, r, v) => `${f} moves from ${r} to ${v}, available now.`,
];

/** Sentences naming the family but no version. */
const WITHOUT_VERSION: Readonly<Record<DriverKind, readonly ((f: string, d: string) => string)[]>> = {
  release: [(f) => `A new ${f} version is now available.`, (f) => `We have released a new version of the ${f}.`],
  rollback: [
    (f) => `The latest ${f} release has been rolled back.`,
    (f) => `Do not install the newest ${f} release: it has been withdrawn.`,
  ],
  'end-of-support': [
    (f, d) => `Support for the ${f} on Windows Server 2012 ends on ${d}.`,
    (f, d) => `The ${f} will no longer be supported on Windows Server 2008 R2 after ${d}.`,
  ],
  upcoming: [
    (f, d) => `A new ${f} version will be released on ${d}.`,
    (f, d) => `The next ${f} release is scheduled for ${d}.`,
  ],
  notice: [
    (f) => `The ${f} version history page has moved to a new address.`,
    (f) => `We are looking into reports about the ${f} on some instance types and will send an update.`,
  ],
};

/** Sentences with the version but not the family: the family is in the Subject. */
const VERSION_ONLY: Readonly<Record<DriverKind, readonly ((v: string, d: string) => string)[]>> = {
  release: [
    (v) => `Version ${v} is now available.`,
    (v) => `${v} has been released.`,
    (v) => `The new version is ${v}.`,
  ],
  rollback: [(v) => `Version ${v} has been rolled back.`, (v) => `Do not install version ${v}; it has been withdrawn.`],
  'end-of-support': [(v, d) => `Version ${v} will no longer be supported after ${d}.`],
  upcoming: [(v, d) => `Version ${v} will be released on ${d}.`],
  notice: [(v) => `We are investigating reports about version ${v} on some instance types.`],
};

/** One sentence for several families at once ("A 1.0 and B 2.0 are now available."). */
const TOGETHER: Readonly<Partial<Record<DriverKind, readonly ((list: string, items: string, d: string) => string)[]>>> =
  {
    release: [
      (list) => `${list} are now available.`,
      (_list, items) => `The following drivers were released today:\n${items}`,
    ],
    rollback: [(list) => `${list} have been rolled back.`],
    'end-of-support': [(list, _items, d) => `${list} will no longer be supported after ${d}.`],
    upcoming: [(list, _items, d) => `${list} will be released on ${d}.`],
  };

interface Reference {
  readonly text: (f: string, r: string) => string;
  readonly before?: true;
  /** The notice says the reference version was withdrawn. */
  readonly withdrawn?: true;
}

/** Reference versions: context for the reader, never the alert's version. */
const REFERENCES: Readonly<Record<DriverKind, readonly Reference[]>> = {
  release: [
    { text: (_f, r) => `It replaces ${r}.` },
    { text: (_f, r) => `Previous version: ${r}.` },
    { text: (_f, r) => `This fixes an issue introduced in ${r}.` },
    { text: (_f, r) => `Instances on ${r} or later update without a reboot.` },
    { text: (_f, r) => `Versions prior to ${r} must be uninstalled first.` },
    { text: (_f, r) => `It replaces ${r}, which has been withdrawn.`, withdrawn: true },
    { text: (f, r) => `Customers running ${f} ${r} should upgrade.`, before: true },
  ],
  rollback: [
    { text: (_f, r) => `Return to ${r}.` },
    { text: (_f, r) => `Stay on ${r} until further notice.` },
    { text: (_f, r) => `Downgrade to ${r}.` },
    { text: (f, r) => `Please downgrade to ${f} ${r}.`, before: true },
  ],
  'end-of-support': [
    { text: (_f, r) => `Move to ${r} or later.` },
    { text: (_f, r) => `Upgrade to ${r} or later before that date.` },
  ],
  upcoming: [{ text: (_f, r) => `It will replace ${r}.` }, { text: (_f, r) => `Until then, stay on ${r}.` }],
  notice: [
    { text: (_f, r) => `The issue does not occur with ${r}.` },
    { text: (_f, r) => `Instances on ${r} are not affected.` },
  ],
};

/** A family named without being the subject of the notice. */
const PASSING: readonly ((g: string, gv: string) => string)[] = [
  (g) => `Instances that use ${g} are not affected.`,
  (g) => `${g} is not affected by this change.`,
  (g) => `This does not change ${g}.`,
  (g) => `No action is needed for ${g}.`,
  (g, gv) => `Instances running ${g} ${gv} are not affected.`,
  (g) => `For other issues, see the ${g} troubleshooting guide instead.`,
];

/** Sentences with numbers that look like versions and are not (builds, other products, sizes, prices, dates). */
const FILLERS: readonly ((n: number, d: string) => string)[] = [
  () => 'Tested on Windows Server 2022 (build 10.0.20348) and Windows Server 2019 (build 10.0.17763).',
  () => 'The install script needs PowerShell 5.1 and TLS 1.2.',
  () => 'Instances launched with EC2Launch v2 2.0.1 or later show the driver version in the console output.',
  () => 'Windows Server 2008 and 2003 continue to use Citrix PV 5.9.',
  (n) => `The package is ${1 + (n % 9)}.${n % 10} MB.`,
  () => 'Instance metadata stays at 169.254.169.254.',
  (n) => `SSM Agent 3.3.${n % 500}.0 or later is recommended for Distributor.`,
  (n) => `Data transfer is billed at $0.0${1 + (n % 9)} per GB.`,
  (n) => `See KB50${String(n % 100000).padStart(5, '0')} for the related Windows update.`,
  () => '.NET Framework 4.8 is not required.',
  (n) => `Tested on m7i.48xlarge and c6in.32xlarge at up to ${((n % 4) + 1) * 50} Gbps.`,
  (n) => `Change request ${n % 50}.${n % 7}.${n % 13} tracks this change.`,
  (_n, d) => `Notification sent on ${d}.`,
  (n) => `For help, contact AWS Support and quote case ${n % 10}.${n % 97}.${n % 31}.${n % 1000}.`,
  (n) => `Windows Server 2025 (version 24H2, build 26100.${1000 + (n % 3000)}) follows the same guidance.`,
  (n) => `Maintenance windows of ${(n % 4) + 1}.5 hours are typical for large fleets.`,
];

/** Notices about something that is not one of the four driver families. */
const OTHER_PRODUCTS: readonly ((x: string, d: string) => string)[] = [
  (x) => `EC2Launch v2 ${x} is now available.`,
  (x) => `SSM Agent ${x} has been released for Windows.`,
  (x) => `EC2Config service ${x} is now available.`,
  (x) => `AWS Tools for PowerShell ${x} is now available.`,
  (_x, d) => `Windows Server AMIs dated ${d} are now available.`,
  (x) => `The NVIDIA GRID driver ${x} for Windows is now available for G5 instances.`,
];

const SUBJECT_WORDS: Readonly<Record<DriverKind, readonly string[]>> = {
  release: ['now available', 'released'],
  rollback: ['rolled back', 'withdrawn'],
  'end-of-support': ['end of support', 'deprecated'],
  upcoming: ['coming soon', 'upcoming release'],
  notice: ['advisory', 'known issue'],
};

const STATUS_LINES: Readonly<Record<DriverKind, readonly ((d: string) => string)[]>> = {
  release: [() => 'Released', () => 'Available now'],
  rollback: [() => 'Rolled back', () => 'Withdrawn - do not install'],
  'end-of-support': [(d) => `End of support on ${d}`, () => 'Deprecated'],
  upcoming: [(d) => `Scheduled for release on ${d}`, () => 'Upcoming'],
  notice: [() => 'Advisory', () => 'Under investigation'],
};

const STATUS_KEYS: Readonly<Record<DriverKind, readonly string[]>> = {
  release: ['released', 'available'],
  rollback: ['rolled_back', 'withdrawn'],
  'end-of-support': ['end_of_support', 'deprecated'],
  upcoming: ['scheduled', 'upcoming'],
  notice: ['advisory', 'investigating'],
};

const REFERENCE_LINES: Readonly<Record<DriverKind, readonly string[]>> = {
  release: ['Previous version', 'Replaces'],
  rollback: ['Roll back to', 'Return to'],
  'end-of-support': ['Replacement', 'Upgrade to'],
  upcoming: ['Replaces', 'Current version'],
  notice: ['Not affected', 'Unaffected version'],
};

const REFERENCE_KEYS: Readonly<Record<DriverKind, readonly string[]>> = {
  release: ['previousVersion', 'replacesVersion', 'oldVersion'],
  rollback: ['rollbackTo', 'returnTo'],
  'end-of-support': ['replacementVersion'],
  upcoming: ['replacesVersion'],
  notice: ['unaffectedVersion'],
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function formatDate(day: { y: number; m: number; d: number }, format: number): string {
  const mm = String(day.m).padStart(2, '0');
  const dd = String(day.d).padStart(2, '0');
  const month = MONTHS[day.m - 1] as string;
  return [
    `${month} ${day.d}, ${day.y}`,
    `${day.d} ${month} ${day.y}`,
    `${day.y}-${mm}-${dd}`,
    `${day.y}.${mm}.${dd}`,
    `${mm}/${dd}/${day.y}`,
  ][format % 5] as string;
}

// --- plans ----------------------------------------------------------------------------------------------------

const LAYOUTS = ['prose', 'split', 'lines', 'json', 'html', 'markdown', 'url'] as const;
type Layout = (typeof LAYOUTS)[number];

interface FamilyPlan {
  readonly alias: number;
  readonly version: VersionPlan;
  readonly sentence: number;
  /** null: no reference version. */
  readonly reference: number | null;
  readonly referenceVersion: number;
  readonly style: number;
}

interface Plan {
  readonly kind: PlanKind;
  readonly families: readonly DriverFamily[];
  readonly perFamily: readonly FamilyPlan[];
  readonly together: number | null;
  readonly passing: readonly { family: number; template: number; before: boolean }[];
  readonly fillers: readonly { template: number; n: number; before: boolean }[];
  readonly layout: Layout;
  readonly subject: number;
  readonly subjectWord: number;
  readonly joiner: number;
  readonly lineEnd: number;
  readonly greeting: boolean;
  readonly signoff: boolean;
  readonly date: { y: number; m: number; d: number };
  readonly dateFormat: number;
  readonly shapeChoice: number;
}

const versionPlan = fc.record({
  source: fc.constantFrom(0, 0, 1, 1, 1, 2),
  pick: fc.nat({ max: 40 }),
  bump: fc.nat({ max: 2 }),
  bumpBy: fc.nat({ max: 2 }),
  shape: fc.constantFrom(0, 0, 0, 0, 1, 2, 3),
  build: fc.nat({ max: 1000 }),
  prefix: fc.nat({ max: 5 }),
});

const familyPlan: fc.Arbitrary<FamilyPlan> = fc.record({
  alias: fc.nat({ max: 20 }),
  version: versionPlan,
  sentence: fc.nat({ max: 20 }),
  reference: fc.option(fc.nat({ max: 20 }), { freq: 2 }),
  referenceVersion: fc.nat({ max: 10 }),
  style: fc.nat({ max: 5 }),
});

const planArbitrary: fc.Arbitrary<Plan> = fc.record({
  kind: fc.constantFrom<PlanKind>(
    'release',
    'release',
    'release',
    'release',
    'rollback',
    'rollback',
    'end-of-support',
    'upcoming',
    'upcoming',
    'notice',
    'notice',
    'unrecognised',
  ),
  families: fc
    .constantFrom(1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 4)
    .chain((count) => fc.shuffledSubarray([...DRIVER_FAMILIES], { minLength: count, maxLength: count })),
  perFamily: fc.array(familyPlan, { minLength: 4, maxLength: 4 }),
  together: fc.option(fc.nat({ max: 5 }), { freq: 3 }),
  passing: fc.array(fc.record({ family: fc.nat({ max: 3 }), template: fc.nat({ max: 20 }), before: fc.boolean() }), {
    maxLength: 2,
  }),
  fillers: fc.array(fc.record({ template: fc.nat({ max: 50 }), n: fc.nat({ max: 100_000 }), before: fc.boolean() }), {
    maxLength: 3,
  }),
  layout: fc.constantFrom<Layout>('prose', 'prose', 'prose', 'split', 'lines', 'json', 'html', 'markdown', 'url'),
  subject: fc.nat({ max: 3 }),
  subjectWord: fc.nat({ max: 1 }),
  joiner: fc.nat({ max: 2 }),
  lineEnd: fc.constantFrom(0, 0, 0, 1, 2),
  greeting: fc.boolean(),
  signoff: fc.boolean(),
  date: fc.record({
    y: fc.constantFrom(2026, 2027),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  }),
  dateFormat: fc.nat({ max: 4 }),
  shapeChoice: fc.nat({ max: 5 }),
});

// --- composing ------------------------------------------------------------------------------------------------

interface Announced {
  readonly family: DriverFamily;
  readonly alias: string;
  readonly version: Version | null;
  readonly reference: { readonly version: string; readonly wording: Reference } | null;
  readonly plan: FamilyPlan;
}

const JOINERS = [' ', '\n', '\n\n'];
const LINE_ENDS = ['\n', '\r\n', '\r'];
const GENERIC_SUBJECTS = ['Amazon EC2 Windows drivers', '[EC2 Windows drivers]'];

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** How a family name and a version look in the layout (bold in HTML and Markdown, code for versions, ...). */
function styled(layout: Layout, style: number): { name: (a: string) => string; version: (v: string) => string } {
  if (layout === 'html') {
    return {
      name: (a) => pick([`<b>${a}</b>`, `<strong>${a}</strong>`, a], style),
      version: (v) => (style % 2 === 0 ? `<code>${v}</code>` : v),
    };
  }
  if (layout === 'markdown') {
    return { name: (a) => (style % 2 === 0 ? `**${a}**` : a), version: (v) => (style % 3 === 0 ? `\`${v}\`` : v) };
  }
  return { name: (a) => a, version: (v) => v };
}

function announce(plan: Plan, kind: DriverKind): Announced[] {
  return plan.families.map((family, index) => {
    const own = plan.perFamily[index] as FamilyPlan;
    const version = versionFor(family, kind, own.version);
    const referenceVersion =
      version === null || own.reference === null ? null : referenceFor(family, kind, version, own.referenceVersion);
    const wording = pick(REFERENCES[kind], own.reference ?? 0);
    return {
      family,
      alias: pick(ALIASES[family], own.alias),
      version,
      reference: referenceVersion === null ? null : { version: referenceVersion, wording },
      plan: own,
    };
  });
}

/** The sentences about one family; a reference that says its version was withdrawn goes into `withdrawn`. */
function familySentences(
  item: Announced,
  kind: DriverKind,
  layout: Layout,
  date: string,
  withdrawn: VersionRef[],
): string[] {
  const withUrl = layout === 'url';
  const look = styled(layout, item.plan.style);
  const f = look.name(item.alias);
  const sentences: string[] = [];
  const reference = item.reference;
  if (reference?.wording.before) sentences.push(reference.wording.text(f, look.version(reference.version)));
  if (item.version === null) {
    sentences.push(pick(WITHOUT_VERSION[kind], item.plan.sentence)(f, date));
  } else if (withUrl && item.plan.sentence % 3 === 0) {
    // The version only in the download URL.
    sentences.push(`A new ${f} package is available: ${DOWNLOAD[item.family](item.version.bare)}`);
    return sentences;
  } else if (kind === 'release' && reference && !reference.wording.before && item.plan.sentence % 4 === 3) {
    sentences.push(
      pick(RELEASE_FROM_TO, item.plan.sentence)(f, look.version(reference.version), look.version(item.version.raw)),
    );
    return sentences;
  } else {
    sentences.push(pick(WITH_VERSION[kind], item.plan.sentence)(f, look.version(item.version.raw), date));
  }
  if (reference && !reference.wording.before) {
    sentences.push(reference.wording.text(f, look.version(reference.version)));
    if (reference.wording.withdrawn) withdrawn.push({ family: item.family, version: reference.version });
  }
  if (withUrl && item.version !== null) sentences.push(`Download: ${DOWNLOAD[item.family](item.version.bare)}`);
  return sentences;
}

function passingSentences(plan: Plan, announced: readonly DriverFamily[], before: boolean): string[] {
  const others = DRIVER_FAMILIES.filter((family) => !announced.includes(family));
  const used = new Set<DriverFamily>();
  const sentences: string[] = [];
  for (const mention of plan.passing) {
    if (others.length === 0) break;
    const family = pick(others, mention.family);
    if (used.has(family)) continue;
    used.add(family);
    if (mention.before !== before) continue;
    const alias = pick(ALIASES[family], mention.template + mention.family);
    sentences.push(pick(PASSING, mention.template)(alias, HISTORY[family].good[0] as string));
  }
  return sentences;
}

function fillerSentences(plan: Plan, date: string, before: boolean): string[] {
  const seen = new Set<number>();
  const sentences: string[] = [];
  for (const filler of plan.fillers) {
    const template = filler.template % FILLERS.length;
    if (seen.has(template)) continue;
    seen.add(template);
    if (filler.before === before) sentences.push(pick(FILLERS, template)(filler.n, date));
  }
  return sentences;
}

function subjectFor(plan: Plan, kind: DriverKind, items: readonly Announced[]): string | null {
  const word = pick(SUBJECT_WORDS[kind], plan.subjectWord);
  const withVersions = listOf(items.map((item) => (item.version ? `${item.alias} ${item.version.raw}` : item.alias)));
  const subject = [
    null,
    `${withVersions} ${word}`,
    `${listOf(items.map((item) => item.alias))}: ${word}`,
    pick(GENERIC_SUBJECTS, plan.subjectWord),
  ][plan.subject];
  // SNS takes a subject under 100 characters.
  return subject !== undefined && subject !== null && subject.length >= 100
    ? pick(GENERIC_SUBJECTS, plan.subjectWord)
    : (subject ?? null);
}

function jsonBody(
  plan: Plan,
  kind: DriverKind,
  items: readonly Announced[],
  date: { y: number; m: number; d: number },
): string {
  const iso = formatDate(date, 2);
  const notes = [
    ...passingSentences(plan, plan.families, true),
    ...passingSentences(plan, plan.families, false),
    ...fillerSentences(plan, formatDate(date, plan.dateFormat), true),
    ...fillerSentences(plan, formatDate(date, plan.dateFormat), false),
  ];
  const objects = items.map((item, index) => {
    const object: Record<string, string> = {
      [pick(['driver', 'name', 'package'], item.plan.style)]: item.alias,
    };
    if (item.version) object.version = item.version.raw;
    object.status = pick(STATUS_KEYS[kind], item.plan.sentence);
    if (item.reference && !item.reference.wording.withdrawn) {
      object[pick(REFERENCE_KEYS[kind], item.plan.referenceVersion)] = item.reference.version;
    }
    if (kind === 'upcoming' || kind === 'end-of-support') object.date = iso;
    if (index === 0 && notes.length > 0) object.notes = notes.join(' ');
    return object;
  });
  const body = objects.length === 1 ? objects[0] : plan.joiner === 0 ? objects : { notifications: objects };
  return JSON.stringify(body, null, plan.joiner === 2 ? 2 : undefined);
}

function linesBody(plan: Plan, kind: DriverKind, items: readonly Announced[], date: string): string {
  const blocks = items.map((item) => {
    const label = pick(['Driver', 'Package', 'Product'], item.plan.style);
    const lines = [`${label}: ${item.alias}`];
    if (item.version) {
      const versionLabel = pick(
        label === 'Package' ? ['Package version', 'Version'] : ['Version', 'New version'],
        item.plan.sentence,
      );
      lines.push(`${versionLabel}: ${item.version.raw}`);
    }
    lines.push(`Status: ${pick(STATUS_LINES[kind], item.plan.sentence)(date)}`);
    if (item.reference && !item.reference.wording.withdrawn) {
      lines.push(`${pick(REFERENCE_LINES[kind], item.plan.referenceVersion)}: ${item.reference.version}`);
    }
    return lines.join('\n');
  });
  const after = [
    ...passingSentences(plan, plan.families, true),
    ...passingSentences(plan, plan.families, false),
    ...fillerSentences(plan, date, true),
    ...fillerSentences(plan, date, false),
  ];
  return [...blocks, ...(after.length > 0 ? [after.join(' ')] : [])].join('\n\n');
}

/** The layout a plan can have: a split needs one family and a version, a download URL a release with versions. */
function layoutFor(plan: Plan, kind: DriverKind, items: readonly Announced[]): Layout {
  if (plan.layout === 'split' && (items.length !== 1 || items[0]?.version === null)) return 'prose';
  if (plan.layout === 'url' && (kind !== 'release' || items.some((item) => item.version === null))) return 'prose';
  return plan.layout;
}

function composeDriverNotice(plan: Plan, kind: DriverKind): GeneratedNotice {
  const items = announce(plan, kind);
  const date = formatDate(plan.date, plan.dateFormat);
  const layout = layoutFor(plan, kind, items);
  let subject = subjectFor(plan, kind, items);
  const withdrawn: VersionRef[] = [];
  let message: string;
  if (layout === 'json') {
    message = jsonBody(plan, kind, items, plan.date);
  } else if (layout === 'lines') {
    message = linesBody(plan, kind, items, date);
  } else if (layout === 'split') {
    const item = items[0] as Announced;
    const version = item.version as Version;
    subject = `${item.alias}${pick(['', ' for Windows', `: ${pick(SUBJECT_WORDS[kind], plan.subjectWord)}`], plan.subject)}`;
    const reference =
      item.reference && !item.reference.wording.before ? [item.reference.wording.text('', item.reference.version)] : [];
    if (reference.length > 0 && item.reference?.wording.withdrawn) {
      withdrawn.push({ family: item.family, version: item.reference.version });
    }
    message = [
      ...fillerSentences(plan, date, true),
      pick(VERSION_ONLY[kind], item.plan.sentence)(version.raw, date),
      ...reference,
      ...passingSentences(plan, plan.families, true),
      ...passingSentences(plan, plan.families, false),
      ...fillerSentences(plan, date, false),
    ].join(pick(JOINERS, plan.joiner));
  } else {
    const together = TOGETHER[kind];
    const allVersioned = items.every((item) => item.version !== null);
    let body: string[];
    if (items.length > 1 && together && allVersioned && plan.together !== null) {
      const look = styled(layout, plan.shapeChoice);
      const named = items.map((item) => `${look.name(item.alias)} ${look.version((item.version as Version).raw)}`);
      body = [pick(together, plan.together)(listOf(named), named.map((n) => `• ${n}`).join('\n'), date)];
    } else {
      body = items.flatMap((item) => familySentences(item, kind, layout, date, withdrawn));
    }
    message = wrap(layout, plan, items, {
      before: [...passingSentences(plan, plan.families, true), ...fillerSentences(plan, date, true)],
      body,
      after: [...passingSentences(plan, plan.families, false), ...fillerSentences(plan, date, false)],
    });
  }
  if (plan.greeting && layout !== 'json' && layout !== 'html') message = `Hello,\n\n${message}`;
  if (plan.signoff && layout !== 'json' && layout !== 'html')
    message = `${message}\n\nRegards,\nAmazon EC2 for Windows Team`;
  message = message.replace(/\n/g, pick(LINE_ENDS, plan.lineEnd));

  return {
    subject,
    message,
    expect: items.map((item) => ({
      family: item.family,
      version: item.version?.expected ?? null,
      kind,
      alsoAccept: item.version?.alsoAccept ?? null,
    })),
    rolledBack: withdrawn,
    recipe: `${kind} × ${layout} × ${items.map((i) => `${i.family}(${i.alias}, ${i.version?.raw ?? 'no version'})`).join(', ')}`,
  };
}

/** Prose, HTML paragraphs, or Markdown with the announcement as paragraphs and the rest as a bullet list. */
function wrap(
  layout: Layout,
  plan: Plan,
  items: readonly Announced[],
  text: { before: readonly string[]; body: readonly string[]; after: readonly string[] },
): string {
  const pieces = [...text.before, ...text.body, ...text.after];
  if (layout === 'html') {
    const paragraphs = pieces.map((piece) => `<p>${piece.replace(/\n/g, '<br>')}</p>`).join('');
    return plan.joiner === 0
      ? paragraphs
      : `<html><body><h2>Amazon EC2 Windows drivers</h2>${paragraphs}</body></html>`;
  }
  if (layout === 'markdown') {
    const first = items[0] as Announced;
    const heading = `## ${first.alias}${first.version ? ` ${first.version.raw}` : ''}`;
    const bullets = [...text.before, ...text.after].map((piece) => `- ${piece}`).join('\n');
    return [heading, ...text.body, bullets].filter((part) => part !== '').join('\n\n');
  }
  return pieces.join(pick(JOINERS, plan.joiner));
}

function composeUnrecognised(plan: Plan): GeneratedNotice {
  const date = formatDate(plan.date, plan.dateFormat);
  const n = plan.perFamily[0]?.version.build ?? 0;
  const x = `${1 + (n % 5)}.${n % 10}.${n % 300}`;
  const passing = plan.passing.map((mention) =>
    pick(PASSING, mention.template)(
      pick(ALIASES[pick(DRIVER_FAMILIES, mention.family)], mention.template),
      HISTORY[pick(DRIVER_FAMILIES, mention.family)].good[0] as string,
    ),
  );
  const message = [
    ...fillerSentences(plan, date, true),
    pick(OTHER_PRODUCTS, plan.shapeChoice)(x, date),
    ...passing,
    ...fillerSentences(plan, date, false),
  ].join(pick(JOINERS, plan.joiner));
  return {
    subject: plan.subject === 0 ? null : pick(GENERIC_SUBJECTS, plan.subjectWord),
    message: message.replace(/\n/g, pick(LINE_ENDS, plan.lineEnd)),
    expect: [{ family: 'unknown', version: null, kind: 'unrecognised', alsoAccept: null }],
    rolledBack: [],
    recipe: `unrecognised × ${passing.length} passing mention(s)`,
  };
}

export function composeNotice(plan: Plan): GeneratedNotice {
  return plan.kind === 'unrecognised' ? composeUnrecognised(plan) : composeDriverNotice(plan, plan.kind);
}

/** Notices of every kind, layout and family combination. */
export const noticeArbitrary: fc.Arbitrary<GeneratedNotice> = planArbitrary.map(composeNotice);

/**
 * Release notices for the versions the history marks rolled back (ENA 2.5.0 and 2.2.4), as a stale or replayed
 * notice would read. Whether the reader calls them releases is arguable; that none offers to install them is not.
 */
export const rolledBackReleaseArbitrary: fc.Arbitrary<GeneratedNotice> = planArbitrary.map((plan) =>
  composeNotice({
    ...plan,
    kind: 'release',
    families: ['ena'],
    perFamily: plan.perFamily.map((own) => ({ ...own, version: { ...own.version, source: 3 } })),
  }),
);

// --- adversarial notices ------------------------------------------------------------------------------------

const SHAPES = [
  'version-flood',
  'family-flood',
  'long-line',
  'deep-json',
  'deep-html',
  'arrow-chain',
  'verb-flood',
] as const;
export type AdversarialShape = (typeof SHAPES)[number];

/** A small deterministic generator, so a 256 KB notice is drawn from one seed instead of thousands of values. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

const ALL_ALIASES = DRIVER_FAMILIES.flatMap((family) => ALIASES[family]);
const VERBS = [
  'is now available.',
  'has been rolled back.',
  'will be released on 2026-10-02.',
  'is deprecated.',
  'replaces',
  'do not install',
  'withdrawn',
  '->',
];

/** A notice of about `size` bytes (ASCII) built to make a reader do as much work as it can. */
export function adversarialMessage(shape: AdversarialShape, size: number, seed: number): string {
  const next = randomFrom(seed);
  const parts: string[] = [];
  let length = 0;
  const add = (text: string) => {
    parts.push(text);
    length += text.length;
  };
  let counter = 0;
  const distinctVersion = () => {
    counter += 1;
    return `${1 + (counter % 9)}.${Math.floor(counter / 9) % 100}.${Math.floor(counter / 900)}`;
  };
  switch (shape) {
    case 'deep-json': {
      const depth = Math.floor(size / 12);
      const inner = JSON.stringify({ driver: 'ENA', version: '2.12.0', previousVersion: '2.11.0', status: 'released' });
      return `${'{"a":['.repeat(depth)}${inner}${']}'.repeat(depth)}`;
    }
    case 'deep-html': {
      const depth = Math.floor(size / 11);
      return `${'<div><b>'.repeat(depth)}ENA 2.12.0 is now available.${'</b></div>'.repeat(depth)}`;
    }
    case 'arrow-chain':
      add('ENA ');
      while (length < size) add(`${distinctVersion()} -> `);
      break;
    case 'long-line':
      while (length < size) add(`${pick(ALL_ALIASES, next())} ${distinctVersion()} ${pick(VERBS, next())} `);
      break;
    case 'family-flood':
      while (length < size)
        add(
          `${pick(ALL_ALIASES, next())}${next() % 5 === 0 ? ` ${distinctVersion()}` : ''}${next() % 7 === 0 ? '\n' : ' '}`,
        );
      break;
    case 'verb-flood':
      while (length < size) add(`${pick(ALL_ALIASES, next())} ${distinctVersion()} ${pick(VERBS, next())}\n`);
      break;
    case 'version-flood':
      while (length < size)
        add(
          `${distinctVersion()}${next() % 50 === 0 ? ` ${pick(ALL_ALIASES, next())} ` : next() % 9 === 0 ? '\n' : ' '}`,
        );
      break;
  }
  return parts.join('').slice(0, size);
}

export const adversarialArbitrary: fc.Arbitrary<{ shape: AdversarialShape; size: number; seed: number }> = fc.record({
  shape: fc.constantFrom(...SHAPES),
  size: fc.integer({ min: 1024, max: 256 * 1024 }),
  seed: fc.nat(),
});

export const ADVERSARIAL_SHAPES: readonly AdversarialShape[] = SHAPES;
