import type { Alert, DriverAlert } from '../lambda/core/alert';
import type { Changelog, ChangelogEntry, ChangelogSource } from '../lambda/core/changelog';
import type { DriverFamily } from '../lambda/core/driver-family';
import { buildAlerts } from '../lambda/core/enrich';
import type { SnsNotification } from '../lambda/core/sns-event';

const entry = (version: string, releaseDate: string | null, ...details: string[]): ChangelogEntry => ({
  version,
  releaseDate,
  details,
  packageUrl: null,
  driverVersion: null,
});

const PV: Changelog = {
  family: 'aws-pv',
  origin: 'snapshot',
  asOf: '2026-11-25',
  entries: [
    entry('8.6.1', '2026-07-21', 'Updated runtime dependencies in the installer package.'),
    entry('8.6.0', '2025-05-27', 'Stability fixes to XenStore interactions.'),
    entry('8.5.0', '2024-10-31', 'Fixed bugs in the package installer.'),
    entry('8.4.3', '2023-01-24', 'Fixed bugs in the package installer to improve the upgrade experience.'),
    entry('8.3.5', '2022-01-07', 'Improved package installer.'),
  ],
  windowsServerTable: [
    { windowsServer: 'Windows Server 2025', driver: 'Not supported' },
    { windowsServer: 'Windows Server 2022', driver: 'AWS PV latest version' },
    { windowsServer: 'Windows Server 2012 R2', driver: 'AWS PV 8.4.3' },
    { windowsServer: 'Windows Server 2008 R2', driver: 'AWS PV version 8.3.5' },
    { windowsServer: 'Windows Server 2008', driver: 'Citrix PV 5.9' },
  ],
};

const ENA: Changelog = {
  family: 'ena',
  origin: 'live',
  asOf: '2026-11-25T10:00:00.000Z',
  entries: [
    entry('2.11.0', '2025-08-01', 'New features:', 'Added support for dynamic queue allocation.'),
    entry(
      '2.5.0',
      '2023-02-17',
      'Announcement:',
      'ENA Windows driver version 2.5.0 has been rolled back due to failure to initialize on the Windows domain controller.',
    ),
    entry('2.4.0', '2022-04-28', 'New features:', 'Adds support for Windows Server 2022.'),
  ],
  windowsServerTable: [],
};

/** A changelog source over fixed data, recording what the enrichment asked for. */
function sourceOf(...changelogs: Changelog[]): ChangelogSource & { asked: Array<[DriverFamily, string | null]> } {
  const asked: Array<[DriverFamily, string | null]> = [];
  return {
    asked,
    async getChangelog(family, version) {
      asked.push([family, version]);
      const found = changelogs.find((c) => c.family === family);
      if (!found) throw new Error(`test has no changelog for ${family}`);
      return found;
    },
  };
}

const notification = (subject: string | null, message: string): SnsNotification => ({
  messageId: 'c83c6837-707d-5cb0-a737-3afca0539aa2',
  topicArn: 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers',
  subject,
  message,
  timestamp: '2026-07-21T18:00:00.000Z',
});

/** The first alert, which must be of `kind`, typed as that kind. */
function first<K extends DriverAlert['kind']>(alerts: Alert[], kind: K): Extract<DriverAlert, { kind: K }> {
  const alert = alerts[0];
  expect(alert.kind).toBe(kind);
  return alert as Extract<DriverAlert, { kind: K }>;
}

describe('building alerts from a notification', () => {
  it('takes the release date, notes and previous release from the changelog', async () => {
    // Prepare
    const pv = notification('New AWS PV driver 8.6.1', 'AWS PV driver version 8.6.1 is now available.');

    // Act
    const [alert] = await buildAlerts(pv, sourceOf(PV));

    // Assess
    expect(alert).toMatchObject({
      family: 'aws-pv',
      version: '8.6.1',
      releaseDate: '2026-07-21',
      details: ['Updated runtime dependencies in the installer package.'],
      notesPublished: true,
      previous: { version: '8.6.0', releaseDate: '2025-05-27' },
      newerKnown: null,
      notices: [],
      changelog: { origin: 'snapshot', asOf: '2026-11-25' },
      original: { subject: 'New AWS PV driver 8.6.1', message: 'AWS PV driver version 8.6.1 is now available.' },
    });
  });

  it('tells each Windows Server version from the page table whether to install, stay or skip', async () => {
    const alert = first(
      await buildAlerts(notification(null, 'AWS PV drivers 8.6.1 released.'), sourceOf(PV)),
      'release',
    );

    expect(alert.windowsServer).toEqual([
      {
        windowsServer: 'Windows Server 2025',
        action: 'unsupported',
        recommendation: expect.stringMatching(/not supported/),
        targetVersion: null,
      },
      {
        windowsServer: 'Windows Server 2022',
        action: 'install',
        recommendation: expect.stringContaining('AWS PV 8.6.1'),
        targetVersion: '8.6.1',
      },
      {
        windowsServer: 'Windows Server 2012 R2',
        action: 'stay',
        recommendation: expect.stringContaining('Stay on AWS PV 8.4.3'),
        targetVersion: '8.4.3',
      },
      {
        windowsServer: 'Windows Server 2008 R2',
        action: 'stay',
        recommendation: expect.stringContaining('Stay on AWS PV 8.3.5'),
        targetVersion: '8.3.5',
      },
      {
        windowsServer: 'Windows Server 2008',
        action: 'other',
        recommendation: expect.stringContaining('Citrix PV 5.9'),
        targetVersion: null,
      },
    ]);
  });

  it('lets 2012 R2 install an announced release that is not newer than its pinned version', async () => {
    const alert = first(
      await buildAlerts(notification(null, 'AWS PV driver 8.4.3 is available.'), sourceOf(PV)),
      'release',
    );

    const row = alert.windowsServer.find((g) => g.windowsServer === 'Windows Server 2012 R2');
    expect(row?.action).toBe('install');
  });

  it('warns when the announced version is older than the newest known release', async () => {
    const alert = first(
      await buildAlerts(notification(null, 'AWS PV driver 8.5.0 is available.'), sourceOf(PV)),
      'release',
    );

    expect(alert.newerKnown).toEqual({ version: '8.6.1', releaseDate: '2026-07-21' });
    expect(alert.notices.join(' ')).toContain('older than the newest known good AWS PV release, 8.6.1');
    expect(alert.previous?.version).toBe('8.4.3');
  });

  it('says the notes are not published yet for a version the changelog does not list', async () => {
    const alert = first(
      await buildAlerts(notification(null, 'ENA driver 2.12.0 is available.'), sourceOf(ENA)),
      'release',
    );

    expect(alert).toMatchObject({ version: '2.12.0', notesPublished: false, releaseDate: null, details: [] });
    expect(alert.previous?.version).toBe('2.11.0');
    expect(alert.notices.join(' ')).toContain('not on the version-history page yet (live copy');
  });

  it('tells every Windows Server version not to install a rolled-back release, and offers no install', async () => {
    const alert = first(
      await buildAlerts(notification(null, 'ENA driver 2.5.0 is available.'), sourceOf(ENA)),
      'release',
    );

    expect(alert.versionRolledBack).toBe(true);
    expect(alert.windowsServer.map((g) => g.action)).toEqual(alert.windowsServer.map(() => 'stay'));
    expect(alert.windowsServer[0]?.recommendation).toBe(
      'Do not install ENA 2.5.0: AWS rolled it back. Instances that run it should go to ENA 2.11.0.',
    );
    expect(alert.install.ssmCommand).toBeNull();
    expect(alert.install.downloadUrl).toBeNull();
    expect(alert.install.notes.join(' ')).toContain('ENA 2.5.0 is marked rolled back');
  });

  it('points "latest" Windows Server versions at the newest release when an older one is announced', async () => {
    const alert = first(
      await buildAlerts(notification(null, 'AWS PV driver 8.3.5 is available.'), sourceOf(PV)),
      'release',
    );

    const guidance = Object.fromEntries(alert.windowsServer.map((g) => [g.windowsServer, g]) ?? []);
    expect(guidance['Windows Server 2022']?.recommendation).toBe(
      'Install the newest AWS PV, 8.6.1 (runs the latest version; AWS PV 8.3.5 is older).',
    );
    expect(guidance['Windows Server 2012 R2']).toEqual({
      windowsServer: 'Windows Server 2012 R2',
      action: 'stay',
      recommendation: 'Run AWS PV 8.4.3, the last version for it; AWS PV 8.3.5 is older.',
      targetVersion: '8.4.3',
    });
    // The one command installs the newest release, for the servers that run the latest: never the older one.
    expect(alert.install.version).toBe('8.6.1');
    expect(alert.install.ssmCommand).toContain('"version":["8.6.1"]');
    expect(guidance['Windows Server 2008 R2']?.action).toBe('install');
  });

  it('puts a rolled-back release first in the notices', async () => {
    const alert = first(
      await buildAlerts(notification(null, 'ENA driver 2.5.0 is available.'), sourceOf(ENA)),
      'release',
    );

    expect(alert.notices[0]).toMatch(/ENA 2\.5\.0 is marked rolled back in the version history: do not install it/);
  });

  it('keeps 2012 R2 on ENA 2.6.0 from the built-in guidance, since the ENA page has no table', async () => {
    const alert = first(
      await buildAlerts(notification(null, 'ENA driver 2.11.0 is available.'), sourceOf(ENA)),
      'release',
    );

    expect(alert.windowsServer).toContainEqual({
      windowsServer: 'Windows Server 2012 R2',
      action: 'stay',
      recommendation: expect.stringContaining('Stay on ENA 2.6.0'),
      targetVersion: '2.6.0',
    });
  });

  it('gives a versioned SSM command and download for the announced release', async () => {
    const alert = first(
      await buildAlerts(notification(null, 'ENA driver 2.11.0 is available.'), sourceOf(ENA)),
      'release',
    );

    expect(alert.install.ssmPackage).toBe('AwsEnaNetworkDriver');
    expect(alert.install.ssmCommand).toContain('"name":["AwsEnaNetworkDriver"],"version":["2.11.0"]');
    expect(alert.install.downloadUrl).toBe(
      'https://s3.amazonaws.com/ec2-windows-drivers-downloads/ENA/x64/2.11.0/AwsEnaNetworkDriver.zip',
    );
    expect(alert.verifyCommand).toContain('Elastic Network Adapter');
  });

  it('builds one alert per announced driver, each read from its own changelog', async () => {
    const source = sourceOf(PV, ENA);

    const alerts = await buildAlerts(
      notification(null, 'AWS PV driver 8.6.1 and ENA driver 2.11.0 are available.'),
      source,
    );

    expect(alerts.map((a) => [a.index, a.family, a.version])).toEqual([
      [0, 'aws-pv', '8.6.1'],
      [1, 'ena', '2.11.0'],
    ]);
    expect(source.asked).toEqual([
      ['aws-pv', '8.6.1'],
      ['ena', '2.11.0'],
    ]);
  });

  it('forwards a notification it cannot attribute as one unknown alert with the original text', async () => {
    const source = sourceOf();

    const alerts = await buildAlerts(notification('Scheduled maintenance', 'Nothing to see here.'), source);

    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'unrecognised',
      family: 'unknown',
      version: null,
      original: { subject: 'Scheduled maintenance', message: 'Nothing to see here.' },
    });
    expect(source.asked).toEqual([]);
  });
});
