/**
 * Which of your own instances an alert concerns, decided from SSM Inventory (GetInventory pages), and the
 * AWS-ConfigureAWSPackage commands that move exactly those instances to the version their Windows Server version
 * should run. Pure: the pages come in, the verdicts go out; reading them is the adapter's job.
 */
import type { ReleaseAlert, RollbackAlert, WindowsServerGuidance } from './alert.js';
import { type DriverFamily, FAMILIES } from './driver-family.js';
import { APPLICATION, INSTANCE_INFORMATION, type InventoryEntity, type InventoryPage } from './inventory-page.js';
import { compareVersions, normalizeVersion, sameVersion } from './version.js';

/** The alerts that say what a Windows Server version should run, and so can be compared with a fleet. */
export type FleetAlert = ReleaseAlert | RollbackAlert;

/**
 * What one instance should do:
 * - install: it runs an older version than its Windows Server version's target;
 * - up-to-date: it runs the target or newer;
 * - not-installed: inventory lists no such driver (normal for AWS PV on Nitro, and for ENA/NVMe drivers that came
 *   with the AMI, which are device drivers rather than installed programs);
 * - unknown: no inventory data, a Windows Server version the alert gives no target for, or an unreadable version;
 * - roll-back: it runs the version the alert marks rolled back.
 */
export type FleetAction = 'install' | 'up-to-date' | 'not-installed' | 'unknown' | 'roll-back';

export interface FleetInstance {
  readonly instanceId: string;
  /** Where the instance's inventory was read; null when unknown (an inventory file). */
  readonly region: string | null;
  /** e.g. "Windows Server 2012 R2"; null when inventory does not say or it is not a Windows Server. */
  readonly windowsServer: string | null;
  readonly installedVersion: string | null;
  readonly targetVersion: string | null;
  readonly action: FleetAction;
}

/** Instances that move to one version in one region, and the commands that move exactly them. */
export interface FleetCommand {
  readonly region: string | null;
  readonly targetVersion: string;
  readonly windowsServer: readonly string[];
  readonly instanceIds: readonly string[];
  /** One `aws ssm send-command` line per chunk of at most TARGET_VALUES_MAX instance IDs. */
  readonly commands: readonly string[];
}

export interface FleetSummary {
  readonly instances: number;
  readonly install: number;
  readonly upToDate: number;
  readonly notInstalled: number;
  readonly unknown: number;
  readonly rollBack: number;
}

export interface Fleet {
  readonly instances: readonly FleetInstance[];
  readonly summary: FleetSummary;
  readonly commands: readonly FleetCommand[];
}

/** One region's inventory: the GetInventory pages read there. */
export interface RegionInventory {
  readonly region: string | null;
  readonly pages: readonly InventoryPage[];
}

/** EC2 instances (i-) and hybrid managed nodes (mi-), as SSM names them. */
const INSTANCE_ID = /^m?i-[0-9a-f]{8,17}$/;

/** SSM accepts at most 50 values for one target key (Targets[].Values). */
export const TARGET_VALUES_MAX = 50;

/**
 * Names under which AWS:Application reports each family: the installer's own name, then the Distributor package.
 * ENA and NVMe installers register no program of their own, so only the Distributor package shows.
 */
const APPLICATION_NAMES: Readonly<Record<DriverFamily, readonly string[]>> = {
  'aws-pv': ['AWS PV Drivers', 'AWSPVDriver'],
  ena: ['AwsEnaNetworkDriver'],
  nvme: ['AWSNVMe'],
  ec2winutil: [],
};

/** Whether inventory can say anything about this alert's driver at all. */
export function hasFleetView(alert: { readonly kind: string; readonly family: string }): alert is FleetAlert {
  return (
    (alert.kind === 'release' || alert.kind === 'rollback') &&
    alert.family in APPLICATION_NAMES &&
    APPLICATION_NAMES[alert.family as DriverFamily].length > 0
  );
}

/**
 * "Microsoft Windows Server 2012 R2 Standard" -> "Windows Server 2012 R2"; "Microsoft® Windows Server® 2008 R2
 * Datacenter" -> "Windows Server 2008 R2"; null for anything that is not a Windows Server (Windows 10, Linux).
 */
export function windowsServerOf(platformName: string): string | null {
  const match = /Windows Server\s+(\d{4})(\s+R2)?\b/i.exec(platformName.replace(/[®™]/g, ''));
  if (!match) return null;
  return `Windows Server ${match[1]}${match[2] ? ' R2' : ''}`;
}

/** The newest version of the family that an instance's application inventory lists; null when it lists none. */
export function installedVersionOf(
  family: DriverFamily,
  applications: readonly Record<string, unknown>[],
): string | null {
  const names = APPLICATION_NAMES[family].map((name) => name.toLowerCase());
  let newest: string | null = null;
  for (const application of applications) {
    const { Name: name, Version: raw } = application;
    if (typeof name !== 'string' || typeof raw !== 'string' || !names.includes(name.trim().toLowerCase())) continue;
    const version = normalizeVersion(raw.trim());
    if (version !== null && (newest === null || compareVersions(version, newest) > 0)) newest = version;
  }
  return newest;
}

/** The per-instance verdicts, their counts and the commands, for one release or rollback alert. */
export function fleetImpact(alert: FleetAlert, inventories: readonly RegionInventory[]): Fleet {
  const instances = inventories.flatMap(({ region, pages }) =>
    pages.flatMap((page) => (page.Entities ?? []).map((entity) => decide(alert, region, entity))),
  );
  return { instances, summary: summarize(instances), commands: commandsFor(alert, instances) };
}

/** The version the alert withdraws, when it withdraws one: the instances running it roll back. */
function withdrawnVersion(alert: FleetAlert): string | null {
  if (alert.version === null) return null;
  return alert.kind === 'rollback' || alert.versionRolledBack ? alert.version : null;
}

function decide(alert: FleetAlert, region: string | null, entity: InventoryEntity): FleetInstance {
  const information = entity.Data?.[INSTANCE_INFORMATION]?.Content?.[0];
  const applications = entity.Data?.[APPLICATION]?.Content;
  const platformName = information?.PlatformName;
  const windowsServer = typeof platformName === 'string' ? windowsServerOf(platformName) : null;
  const row = windowsServer === null ? undefined : guidanceRow(alert.windowsServer, windowsServer);
  const withdrawn = withdrawnVersion(alert);
  // The guidance never targets a withdrawn version; this keeps a wrong row from ever sending one.
  const target = row?.targetVersion ?? null;
  const targetVersion = target !== null && withdrawn !== null && sameVersion(target, withdrawn) ? null : target;
  const base = { instanceId: entity.Id, region, windowsServer, targetVersion };
  // Without the application inventory there is no telling "not installed" from "not collected". An ID that is
  // not an instance ID would end up in a shell command, so it gets no verdict either.
  if (applications === undefined || !INSTANCE_ID.test(entity.Id)) {
    return { ...base, installedVersion: null, action: 'unknown' };
  }
  const installedVersion = installedVersionOf(alert.family, applications);
  return { ...base, installedVersion, action: actionFor(alert, installedVersion, targetVersion) };
}

/** Rules in order; the first that applies decides. */
function actionFor(alert: FleetAlert, installed: string | null, target: string | null): FleetAction {
  const withdrawn = withdrawnVersion(alert);
  if (installed === null) return 'not-installed';
  if (withdrawn !== null && sameVersion(installed, withdrawn)) return 'roll-back';
  if (target === null) return 'unknown';
  return compareVersions(installed, target) < 0 ? 'install' : 'up-to-date';
}

/** The alert's row for a Windows Server version. */
function guidanceRow(rows: readonly WindowsServerGuidance[], windowsServer: string): WindowsServerGuidance | undefined {
  const wanted = windowsServer.toLowerCase();
  return rows.find((row) => row.windowsServer.toLowerCase() === wanted);
}

function summarize(instances: readonly FleetInstance[]): FleetSummary {
  const count = (action: FleetAction) => instances.filter((instance) => instance.action === action).length;
  return {
    instances: instances.length,
    install: count('install'),
    upToDate: count('up-to-date'),
    notInstalled: count('not-installed'),
    unknown: count('unknown'),
    rollBack: count('roll-back'),
  };
}

/**
 * One command group per region and target version, holding only the instances that must move to that version, so
 * a 2012 R2 instance can never be sent the version meant for 2016 and later. A target the alert withdraws is never
 * commanded (the guidance never names one; this is the guard that keeps it so).
 */
function commandsFor(alert: FleetAlert, instances: readonly FleetInstance[]): FleetCommand[] {
  const withdrawn = withdrawnVersion(alert);
  const groups = new Map<string, FleetInstance[]>();
  for (const instance of instances) {
    if (instance.action !== 'install' && instance.action !== 'roll-back') continue;
    const target = instance.targetVersion;
    // No target (a rollback with no good version for it): the instance is counted, but no command can say where to.
    if (target === null || (withdrawn !== null && sameVersion(target, withdrawn))) continue;
    const key = `${instance.region ?? ''}\u0000${target}`;
    groups.set(key, [...(groups.get(key) ?? []), instance]);
  }
  return [...groups.values()].map((members) => {
    const first = members[0] as FleetInstance;
    const targetVersion = first.targetVersion as string;
    const instanceIds = members.map((member) => member.instanceId);
    const reinstall = members.some((member) => member.action === 'roll-back');
    const commands: string[] = [];
    for (let start = 0; start < instanceIds.length; start += TARGET_VALUES_MAX) {
      commands.push(
        sendCommand(alert.family, targetVersion, instanceIds.slice(start, start + TARGET_VALUES_MAX), first.region, {
          reinstall,
        }),
      );
    }
    return {
      region: first.region,
      targetVersion,
      windowsServer: [...new Set(members.map((member) => member.windowsServer ?? ''))].filter(Boolean).sort(),
      instanceIds,
      commands,
    };
  });
}

function sendCommand(
  family: DriverFamily,
  version: string,
  instanceIds: readonly string[],
  region: string | null,
  { reinstall }: { reinstall: boolean },
): string {
  const info = FAMILIES[family];
  const parameters: Record<string, string[]> = {
    action: ['Install'],
    name: [info.ssmPackage ?? ''],
    version: [version],
  };
  // AWS PV upgrades need it (driver-facts.md); going back to an older version needs it for every package.
  if (family === 'aws-pv' || reinstall) parameters.installationType = ['Uninstall and reinstall'];
  if (info.ssmAdditionalArguments) parameters.additionalArguments = [JSON.stringify(info.ssmAdditionalArguments)];
  return [
    'aws ssm send-command --document-name "AWS-ConfigureAWSPackage"',
    `--parameters '${JSON.stringify(parameters)}'`,
    `--targets "Key=InstanceIds,Values=${instanceIds.join(',')}"`,
    ...(region === null ? [] : [`--region ${region}`]),
  ].join(' ');
}
