import type { WindowsServerGuidance } from './alert.js';
import type { WindowsServerRow } from './changelog.js';
import { type DriverFamily, FAMILIES } from './driver-family.js';
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

/** What is known about the announced release when giving guidance. */
export interface AnnouncedRelease {
  /** Announced version; null when the notification names none. */
  readonly version: string | null;
  /** The newest version the changelog knows, when it is newer than the announced one. */
  readonly newer: string | null;
  /** AWS rolled the announced version back: nobody should install it. */
  readonly rolledBack: boolean;
}

/** Turns the rules into what each Windows Server version should do about the announced release. */
export function guidanceFor(
  family: DriverFamily,
  rules: readonly WindowsServerRule[],
  release: AnnouncedRelease,
): WindowsServerGuidance[] {
  const name = FAMILIES[family].name;
  if (rules.length === 0) {
    return [
      {
        windowsServer: 'All Windows Server versions',
        recommendation: release.rolledBack
          ? `Do not install ${name} ${release.version}: AWS rolled it back.`
          : `AWS publishes no per-version guidance for ${name}; try it on one instance of each Windows Server version you run first.`,
        action: release.rolledBack ? 'stay' : 'other',
      },
    ];
  }
  return rules.map((rule) => guidanceLine(rule, name, release));
}

function guidanceLine(
  { windowsServer, rule }: WindowsServerRule,
  name: string,
  { version, newer, rolledBack }: AnnouncedRelease,
): WindowsServerGuidance {
  const announced = version ? `${name} ${version}` : `the new ${name} version`;
  if (rolledBack && (rule.kind === 'latest' || rule.kind === 'pinned')) {
    return {
      windowsServer,
      recommendation: `Do not install ${announced}: AWS rolled it back. Keep the version you run.`,
      action: 'stay',
    };
  }
  switch (rule.kind) {
    case 'latest':
      if (newer !== null) {
        return {
          windowsServer,
          recommendation: `Install the newest ${name}, ${newer} (runs the latest version; ${announced} is older).`,
          action: 'install',
        };
      }
      return { windowsServer, recommendation: `Install ${announced} (runs the latest version).`, action: 'install' };
    case 'pinned': {
      const order = version === null ? 1 : compareVersions(version, rule.version);
      if (order === 0) {
        return {
          windowsServer,
          recommendation: `Install ${announced}, the last version for it.`,
          action: 'install',
        };
      }
      if (order < 0) {
        return {
          windowsServer,
          recommendation: `Run ${name} ${rule.version}, the last version for it; ${announced} is older.`,
          action: 'stay',
        };
      }
      return {
        windowsServer,
        recommendation: `Stay on ${name} ${rule.version}, the last version for it; do not install ${announced}.`,
        action: 'stay',
      };
    }
    case 'unsupported':
      return { windowsServer, recommendation: `${name} drivers are not supported on it.`, action: 'unsupported' };
    case 'other':
      return { windowsServer, recommendation: `Use ${rule.text}; ${name} drivers do not apply.`, action: 'other' };
  }
}
