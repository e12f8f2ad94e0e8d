import type { WindowsServerGuidance } from './alert.js';
import type { WindowsServerRow } from './changelog.js';
import { type DriverFamily, FAMILIES } from './driver-family.js';
import type { SupportClaim } from './notice.js';
import { compareVersions } from './version.js';

/** What the documentation says one Windows Server version should run, for one driver family. */
export type DriverRule =
  | { readonly kind: 'latest' }
  | { readonly kind: 'pinned'; readonly version: string }
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'other'; readonly text: string };

export interface WindowsServerRule {
  readonly windowsServer: string;
  readonly rule: DriverRule;
}

const ws = (version: string, rule: DriverRule): WindowsServerRule => ({
  windowsServer: `Windows Server ${version}`,
  rule,
});

const LATEST: DriverRule = { kind: 'latest' };
const pinned = (version: string): DriverRule => ({ kind: 'pinned', version });

/**
 * Built-in rules (driver-facts.md). For AWS PV they are only the fallback: the PV history page carries its own
 * "Windows Server version | PV driver version" table, and the copy read with the changelog wins.
 */
export const DEFAULT_RULES: Readonly<Record<DriverFamily, readonly WindowsServerRule[]>> = {
  'aws-pv': [
    ws('2025', { kind: 'unsupported' }),
    ws('2022', LATEST),
    ws('2019', LATEST),
    ws('2016', LATEST),
    ws('2012 R2', pinned('8.4.3')),
    ws('2012', pinned('8.4.3')),
    ws('2008 R2', pinned('8.3.5')),
    ws('2008', { kind: 'other', text: 'Citrix PV 5.9' }),
    ws('2003', { kind: 'other', text: 'Citrix PV 5.9' }),
  ],
  ena: [
    ws('2025', LATEST),
    ws('2022', LATEST),
    ws('2019', LATEST),
    ws('2016', LATEST),
    ws('2012 R2', pinned('2.6.0')),
    ws('2012', pinned('2.6.0')),
    ws('2008 R2', pinned('2.2.3')),
  ],
  nvme: [
    ws('2025', LATEST),
    ws('2022', LATEST),
    ws('2019', LATEST),
    ws('2016', LATEST),
    ws('2012 R2', pinned('1.5.1')),
    ws('2012', pinned('1.5.1')),
    ws('2008 R2', pinned('1.3.2')),
    ws('2008', pinned('1.3.2')),
  ],
  // AWS publishes no per-version table for EC2WinUtil.
  ec2winutil: [],
};

/**
 * A version starts where a run of digits starts: without the lookbehind, a long run of digits with no dot after
 * it is retried from each of its digits, quadratic in the run (a cell of 40,000 digits took 0.9 s; one of two
 * million, on a page of 2 MiB, would take over half an hour).
 */
const VERSION_IN_CELL = /(?<!\d)(\d+(?:\.\d+){1,3})/;

/** Reads one cell of the PV page's table ("AWS PV latest version", "AWS PV version 8.3.5", "Not supported", ...). */
export function ruleFromTableCell(driver: string): DriverRule {
  const text = driver.trim();
  if (/not supported/i.test(text)) return { kind: 'unsupported' };
  if (/^AWS PV\b/i.test(text)) {
    if (/latest/i.test(text)) return LATEST;
    const version = VERSION_IN_CELL.exec(text)?.[1];
    if (version) return pinned(version);
  }
  return { kind: 'other', text };
}

/** The rules for a family, preferring the table read with the changelog when it has one. */
export function rulesFor(family: DriverFamily, table: readonly WindowsServerRow[]): readonly WindowsServerRule[] {
  if (family !== 'aws-pv' || table.length === 0) return DEFAULT_RULES[family];
  return table.map((row) => ({ windowsServer: row.windowsServer, rule: ruleFromTableCell(row.driver) }));
}

/** What the alert knows when it gives guidance. */
export interface GuidancePlan {
  readonly kind: 'release' | 'rollback';
  /** The version the notice is about; null when it names none. */
  readonly version: string | null;
  /** Whether that version must not be installed (the notice or the version history marks it rolled back). */
  readonly blocked: boolean;
  /** The newest version neither the notice nor the history marks rolled back: what "latest" servers run. */
  readonly newestGood: string | null;
  /** Good versions, newest first, for servers pinned below the newest. */
  readonly goodVersions: readonly string[];
  /** What the notice claims about Windows Server support, compared with the documentation row by row. */
  readonly claims: readonly SupportClaim[];
}

/** The guidance for each Windows Server version, and a notice for each row where the notice and the docs disagree. */
export function guidanceFor(
  family: DriverFamily,
  rules: readonly WindowsServerRule[],
  plan: GuidancePlan,
): { guidance: WindowsServerGuidance[]; disagreements: string[] } {
  const name = FAMILIES[family].name;
  if (rules.length === 0) {
    return {
      guidance: [
        plan.blocked || plan.kind === 'rollback'
          ? blockedLine('All Windows Server versions', name, plan, null)
          : {
              windowsServer: 'All Windows Server versions',
              recommendation: `AWS publishes no per-version guidance for ${name}; try it on one instance of each Windows Server version you run first.`,
              action: 'other',
              targetVersion: plan.version,
            },
      ],
      disagreements: [],
    };
  }
  const guidance: WindowsServerGuidance[] = [];
  const disagreements: string[] = [];
  for (const rule of rules) {
    const line = guidanceLine(rule, name, plan);
    const claim = plan.claims.find((c) => c.windowsServer.toLowerCase() === rule.windowsServer.toLowerCase());
    const verdict = claim === undefined ? null : compareClaim(claim, rule.rule, plan.version);
    if (verdict === null || claim === undefined) {
      guidance.push(line);
      continue;
    }
    const says = claim.supported ? 'supports' : 'does not support';
    const docs = DOC_WORDS[rule.rule.kind];
    if (verdict === 'follow-docs') {
      disagreements.push(
        `The notice says ${name}${plan.version ? ` ${plan.version}` : ''} ${says} ${rule.windowsServer}; the documentation says ${docs}. The guidance follows the documentation, the more cautious of the two, until AWS updates it.`,
      );
      guidance.push({
        ...line,
        recommendation: `${line.recommendation} (The notice says otherwise; this follows the documentation.)`,
      });
    } else {
      disagreements.push(
        `The notice says ${name}${plan.version ? ` ${plan.version}` : ''} ${says} ${rule.windowsServer}; the documentation says ${docs}. The guidance follows the notice, the more cautious of the two.`,
      );
      guidance.push({
        windowsServer: rule.windowsServer,
        recommendation: `Do not install ${name}${plan.version ? ` ${plan.version}` : ''}: the notice says it does not support ${rule.windowsServer} (this follows the notice, not the documentation). Keep the version you run.`,
        action: 'stay',
        targetVersion: null,
      });
    }
  }
  return { guidance, disagreements };
}

const DOC_WORDS: Readonly<Record<DriverRule['kind'], string>> = {
  latest: 'it runs the latest version',
  pinned: 'it stays on an older version',
  unsupported: 'it is not supported',
  other: 'another driver applies',
};

/** Which source the guidance follows where the notice's claim and the documentation disagree; null when they agree. */
function compareClaim(
  claim: SupportClaim,
  rule: DriverRule,
  version: string | null,
): 'follow-docs' | 'follow-notice' | null {
  const docsAllow =
    rule.kind === 'latest' ||
    (rule.kind === 'pinned' && version !== null && compareVersions(version, rule.version) <= 0);
  if (claim.supported === docsAllow) return null;
  // Follow whichever says "do not install".
  return claim.supported ? 'follow-docs' : 'follow-notice';
}

function blockedLine(
  windowsServer: string,
  name: string,
  plan: GuidancePlan,
  pin: string | null,
): WindowsServerGuidance {
  const announced = plan.version === null ? `the ${name} version AWS rolled back` : `${name} ${plan.version}`;
  const eligible = plan.goodVersions.filter((v) => pin === null || compareVersions(v, pin) <= 0);
  const target = eligible[0] ?? null;
  if (pin !== null && plan.version !== null && compareVersions(plan.version, pin) > 0) {
    return {
      windowsServer,
      recommendation: `Not affected: stay on ${name} ${pin}, the last version for it.`,
      action: 'stay',
      targetVersion: pin,
    };
  }
  return {
    windowsServer,
    recommendation: `Do not install ${announced}: AWS rolled it back. ${target === null ? 'Keep the version you run.' : `Instances that run it should go to ${name} ${target}.`}`,
    action: 'stay',
    targetVersion: target,
  };
}

function guidanceLine(
  { windowsServer, rule }: WindowsServerRule,
  name: string,
  plan: GuidancePlan,
): WindowsServerGuidance {
  const { version, newestGood } = plan;
  if ((plan.blocked || plan.kind === 'rollback') && (rule.kind === 'latest' || rule.kind === 'pinned')) {
    return blockedLine(windowsServer, name, plan, rule.kind === 'pinned' ? rule.version : null);
  }
  const announced = version ? `${name} ${version}` : `the new ${name} version`;
  switch (rule.kind) {
    case 'latest':
      if (version === null) {
        return {
          windowsServer,
          recommendation: `Runs the latest version; the notice names none, so check the version history before installing.`,
          action: 'other',
          targetVersion: null,
        };
      }
      if (newestGood !== null && compareVersions(newestGood, version) > 0) {
        return {
          windowsServer,
          recommendation: `Install the newest ${name}, ${newestGood} (runs the latest version; ${announced} is older).`,
          action: 'install',
          targetVersion: newestGood,
        };
      }
      return {
        windowsServer,
        recommendation: `Install ${announced} (runs the latest version).`,
        action: 'install',
        targetVersion: version,
      };
    case 'pinned': {
      const order = version === null ? 1 : compareVersions(version, rule.version);
      if (order === 0) {
        return {
          windowsServer,
          recommendation: `Install ${announced}, the last version for it.`,
          action: 'install',
          targetVersion: rule.version,
        };
      }
      if (order < 0) {
        return {
          windowsServer,
          recommendation: `Run ${name} ${rule.version}, the last version for it; ${announced} is older.`,
          action: 'stay',
          targetVersion: rule.version,
        };
      }
      return {
        windowsServer,
        recommendation: `Stay on ${name} ${rule.version}, the last version for it; do not install ${announced}.`,
        action: 'stay',
        targetVersion: rule.version,
      };
    }
    case 'unsupported':
      return {
        windowsServer,
        recommendation: `${name} drivers are not supported on it.`,
        action: 'unsupported',
        targetVersion: null,
      };
    case 'other':
      return {
        windowsServer,
        recommendation: `Use ${rule.text}; ${name} drivers do not apply.`,
        action: 'other',
        targetVersion: null,
      };
  }
}
