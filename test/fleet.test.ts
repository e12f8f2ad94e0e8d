import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RollbackAlert, WindowsServerGuidance } from '../lambda/core/alert';
import { type FleetInstance, fleetImpact, TARGET_VALUES_MAX, windowsServerOf } from '../lambda/core/fleet';
import { fleetSentence } from '../lambda/core/fleet-wording';
import { parseInventoryJson } from '../lambda/core/inventory-page';
import { enaAlert, pvAlert, rolledBackEnaAlert } from './support/alerts';

const fixture = (name: string) =>
  parseInventoryJson(readFileSync(join(__dirname, 'fixtures', 'inventory', name), 'utf8'));

const byId = (instances: readonly FleetInstance[]) =>
  Object.fromEntries(instances.map(({ instanceId, ...rest }) => [instanceId, rest]));

const row = (windowsServer: string, targetVersion: string | null): WindowsServerGuidance => ({
  windowsServer: `Windows Server ${windowsServer}`,
  recommendation: '',
  action: 'stay',
  targetVersion,
});

/** ENA 2.8.0 withdrawn: 2016 and later go to 2.11.0, 2012 R2 to 2.6.0 (its last version). */
function enaRollback(overrides: Partial<RollbackAlert> = {}): RollbackAlert {
  return rolledBackEnaAlert({
    version: '2.8.0',
    returnTo: { version: '2.11.0', releaseDate: '2025-08-01' },
    windowsServer: [row('2022', '2.11.0'), row('2019', '2.11.0'), row('2012 R2', '2.6.0')],
    ...overrides,
  });
}

describe('fleet impact of an AWS PV 8.6.1 release on a mixed fleet', () => {
  const fleet = fleetImpact(pvAlert(), [{ region: null, pages: fixture('mixed-fleet.json') }]);
  const instances = byId(fleet.instances);

  test('2016-2022 instances on an older version are to install the announced version', () => {
    expect(instances['i-0a1b2c3d4e5f60001']).toMatchObject({
      windowsServer: 'Windows Server 2019',
      installedVersion: '8.5.0',
      targetVersion: '8.6.1',
      action: 'install',
    });
  });

  test('the newer of the MSI and the Distributor package counts as installed', () => {
    expect(instances['i-0a1b2c3d4e5f60002']).toMatchObject({ installedVersion: '8.6.1', action: 'up-to-date' });
  });

  test('a four-part version Windows reports equals the three-part release', () => {
    expect(instances['i-0a1b2c3d4e5f60003']).toMatchObject({ installedVersion: '8.6.1', action: 'up-to-date' });
  });

  test('2012 R2 instances target their last version, 8.4.3, never the announced one', () => {
    expect(instances['i-0a1b2c3d4e5f60004']).toMatchObject({
      windowsServer: 'Windows Server 2012 R2',
      targetVersion: '8.4.3',
      action: 'install',
    });
    expect(instances['i-0a1b2c3d4e5f60005']).toMatchObject({ targetVersion: '8.4.3', action: 'up-to-date' });
  });

  test('a 2008 R2 PlatformName with trademark signs is read, and targets 8.3.5', () => {
    expect(instances['i-0a1b2c3d4e5f60006']).toMatchObject({
      windowsServer: 'Windows Server 2008 R2',
      targetVersion: '8.3.5',
      action: 'install',
    });
  });

  test('a Nitro instance without AWS PV is not-installed', () => {
    expect(instances['i-0a1b2c3d4e5f60007']).toMatchObject({ installedVersion: null, action: 'not-installed' });
  });

  test('an instance without inventory data, or without application inventory, is unknown', () => {
    expect(instances['i-0a1b2c3d4e5f60008']).toMatchObject({ windowsServer: null, action: 'unknown' });
    expect(instances['i-0a1b2c3d4e5f60009']).toMatchObject({ windowsServer: 'Windows Server 2019', action: 'unknown' });
  });

  test('the summary counts every action', () => {
    expect(fleet.summary).toEqual({
      instances: 10,
      install: 4,
      upToDate: 3,
      notInstalled: 1,
      unknown: 2,
      rollBack: 0,
    });
  });

  test('one command per target version, naming exactly the instances of that target', () => {
    expect(fleet.commands.map(({ targetVersion, instanceIds }) => ({ targetVersion, instanceIds }))).toEqual([
      { targetVersion: '8.6.1', instanceIds: ['i-0a1b2c3d4e5f60001', 'i-0a1b2c3d4e5f60010'] },
      { targetVersion: '8.4.3', instanceIds: ['i-0a1b2c3d4e5f60004'] },
      { targetVersion: '8.3.5', instanceIds: ['i-0a1b2c3d4e5f60006'] },
    ]);
    const [latest, r2] = fleet.commands;
    expect(latest?.commands).toEqual([
      `aws ssm send-command --document-name "AWS-ConfigureAWSPackage" --parameters '{"action":["Install"],"name":["AWSPVDriver"],"version":["8.6.1"],"installationType":["Uninstall and reinstall"]}' --targets "Key=InstanceIds,Values=i-0a1b2c3d4e5f60001,i-0a1b2c3d4e5f60010"`,
    ]);
    expect(r2?.commands[0]).toContain('"version":["8.4.3"]');
    expect(r2?.commands[0]).toContain('Values=i-0a1b2c3d4e5f60004"');
  });

  test('the sentence says how many to update, to which version, and what is left', () => {
    expect(fleetSentence(pvAlert(), fleet)).toBe(
      '4 instances to update (2 on Windows Server 2016, 2019 to 8.6.1, 1 on 2012 R2 to 8.4.3, 1 on 2008 R2 to 8.3.5); 3 up to date; 1 without AWS PV (normal on Nitro instances); 2 without inventory data.',
    );
  });
});

describe('fleet impact, other cases', () => {
  test('commands are chunked at 50 instance IDs per target value', () => {
    const fleet = fleetImpact(pvAlert(), [{ region: 'eu-west-1', pages: fixture('large-fleet.json') }]);
    expect(fleet.summary.install).toBe(120);
    expect(
      fleet.commands.map((group) => [group.targetVersion, group.instanceIds.length, group.commands.length]),
    ).toEqual([
      ['8.4.3', 60, 2],
      ['8.6.1', 60, 2],
    ]);
    for (const command of fleet.commands.flatMap((group) => group.commands)) {
      const values = /Values=([^"]+)"/.exec(command)?.[1]?.split(',') ?? [];
      expect(values.length).toBeLessThanOrEqual(TARGET_VALUES_MAX);
      expect(command).toMatch(/ --region eu-west-1$/);
    }
  });

  test('every region is read, and each region gets its own commands', () => {
    const pages = fixture('mixed-fleet.json');
    const fleet = fleetImpact(pvAlert(), [
      { region: 'us-east-1', pages },
      { region: 'eu-west-1', pages: [pages[0] ?? {}] },
    ]);
    expect(fleet.summary.instances).toBe(15);
    expect(fleet.commands.map(({ region, targetVersion }) => `${region} ${targetVersion}`)).toEqual([
      'us-east-1 8.6.1',
      'us-east-1 8.4.3',
      'us-east-1 8.3.5',
      'eu-west-1 8.6.1',
      'eu-west-1 8.4.3',
    ]);
  });

  test('on a rollback, instances running the withdrawn version roll back to their own target', () => {
    const fleet = fleetImpact(enaRollback(), [{ region: null, pages: fixture('mixed-fleet.json') }]);
    expect(byId(fleet.instances)['i-0a1b2c3d4e5f60007']).toMatchObject({
      installedVersion: '2.8.0',
      targetVersion: '2.11.0',
      action: 'roll-back',
    });
    expect(fleet.commands).toHaveLength(1);
    expect(fleet.commands[0]?.commands[0]).toContain(
      `'{"action":["Install"],"name":["AwsEnaNetworkDriver"],"version":["2.11.0"],"installationType":["Uninstall and reinstall"]}'`,
    );
  });

  test('a release the version history marks rolled back sends its instances back, never to it', () => {
    const alert = pvAlert({
      version: '8.5.0',
      versionRolledBack: true,
      windowsServer: [row('2019', '8.6.1'), row('2012 R2', '8.4.3')],
    });
    const fleet = fleetImpact(alert, [{ region: null, pages: fixture('mixed-fleet.json') }]);
    expect(byId(fleet.instances)['i-0a1b2c3d4e5f60001']).toMatchObject({
      installedVersion: '8.5.0',
      action: 'roll-back',
    });
    expect(fleet.commands.flatMap((group) => group.commands).join('\n')).not.toContain('"8.5.0"');
  });

  test('a guidance row naming the withdrawn version is never sent as a command', () => {
    const alert = enaRollback({ windowsServer: [row('2022', '2.8.0')] });
    const fleet = fleetImpact(alert, [{ region: null, pages: fixture('mixed-fleet.json') }]);
    expect(byId(fleet.instances)['i-0a1b2c3d4e5f60007']).toMatchObject({ targetVersion: null, action: 'roll-back' });
    expect(fleet.commands).toEqual([]);
    expect(fleetSentence(alert, fleet)).toMatch(/^1 instance to roll back \(1 on Windows Server 2022 with no version/);
  });

  test('for ENA, an instance that lists no package may still have the AMI driver, and the sentence says so', () => {
    const fleet = fleetImpact(enaAlert(), [{ region: null, pages: fixture('mixed-fleet.json') }]);
    expect(fleetSentence(enaAlert(), fleet)).toContain('where inventory lists no ENA package (drivers that came with');
  });

  test('an entity whose Id is not an instance ID gets no verdict and no command', () => {
    const pages = [
      {
        Entities: [
          {
            Id: 'i-1" ; rm -rf /',
            Data: {
              'AWS:InstanceInformation': { Content: [{ PlatformName: 'Microsoft Windows Server 2019 Datacenter' }] },
              'AWS:Application': { Content: [{ Name: 'AWS PV Drivers', Version: '8.5.0' }] },
            },
          },
        ],
      },
    ];
    const fleet = fleetImpact(pvAlert(), [{ region: null, pages }]);
    expect(fleet.instances[0]?.action).toBe('unknown');
    expect(fleet.commands).toEqual([]);
  });

  test('an empty inventory says so', () => {
    const fleet = fleetImpact(pvAlert(), [{ region: null, pages: [{ Entities: [] }] }]);
    expect(fleetSentence(pvAlert(), fleet)).toBe('SSM Inventory lists no Windows instances.');
  });

  test.each([
    ['Microsoft Windows Server 2012 R2 Standard', 'Windows Server 2012 R2'],
    ['Microsoft Windows Server 2019 Datacenter', 'Windows Server 2019'],
    ['Microsoft® Windows Server® 2008 R2 Enterprise', 'Windows Server 2008 R2'],
    ['Microsoft Windows Server 2022 Datacenter: Azure Edition', 'Windows Server 2022'],
    ['Microsoft Windows 10 Pro', null],
    ['Amazon Linux', null],
  ])('PlatformName %j is %j', (platformName, expected) => {
    expect(windowsServerOf(platformName)).toBe(expected);
  });

  test('an inventory file that is not GetInventory pages is refused, naming where', () => {
    expect(() => parseInventoryJson('{"Entities":[{"Data":{}}]}')).toThrow(/at Entities\.0\.Id/);
  });
});
