import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SNAPSHOT_AS_OF, type SnapshotFile, snapshotChangelog } from '../lambda/core/bundled-snapshot.js';
import { buildSnapshot, serializeSnapshot } from '../lambda/core/changelog-snapshot.js';
import type { DriverFamily } from '../lambda/core/driver-family.js';
import { RelayError } from '../lambda/core/errors.js';
import { fixturePage } from './support/page-server.js';

const SNAPSHOT_PATH = join(__dirname, '..', 'lambda', 'core', 'changelog-snapshot.json');

function fixturePages(): Record<DriverFamily, string> {
  return {
    'aws-pv': fixturePage('aws-pv.html'),
    ena: fixturePage('ena.html'),
    nvme: fixturePage('nvme.html'),
    ec2winutil: fixturePage('ec2winutil.html'),
  };
}

describe('the bundled changelog snapshot', () => {
  it('is what buildSnapshot reads from the four fixture pages, apart from its date', () => {
    const committed = JSON.parse(readFileSync(SNAPSHOT_PATH, 'utf8')) as SnapshotFile;

    const rebuilt = buildSnapshot(fixturePages(), committed.asOf);

    expect(committed).toEqual(rebuilt);
  });

  it('is dated with a plain ISO date', () => {
    expect(SNAPSHOT_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('gives the AWS PV changelog newest first, with the Windows Server table', () => {
    const changelog = snapshotChangelog('aws-pv');

    expect(changelog).toMatchObject({ family: 'aws-pv', origin: 'snapshot', asOf: SNAPSHOT_AS_OF });
    expect(changelog.entries.slice(0, 2).map((e) => [e.version, e.releaseDate])).toEqual([
      ['8.6.1', '2026-07-21'],
      ['8.6.0', '2025-05-27'],
    ]);
    expect(changelog.windowsServerTable).toContainEqual({
      windowsServer: 'Windows Server 2008 R2',
      driver: 'AWS PV 8.3.5',
    });
  });

  it('gives each of the other families its newest release and no Windows Server table', () => {
    const newest = (['ena', 'nvme', 'ec2winutil'] as const).map((family) => {
      const changelog = snapshotChangelog(family);
      return [family, changelog.entries[0]?.version, changelog.windowsServerTable.length];
    });

    expect(newest).toEqual([
      ['ena', '2.11.0', 0],
      ['nvme', '1.8.2', 0],
      ['ec2winutil', '3.2.0', 0],
    ]);
  });
});

describe('buildSnapshot', () => {
  it('stamps the snapshot with the date it is given', () => {
    expect(buildSnapshot(fixturePages(), '2027-01-31').asOf).toBe('2027-01-31');
  });

  it('refuses to build from a page without a history table', () => {
    const pages = { ...fixturePages(), nvme: fixturePage('reshaped.html') };

    expect(() => buildSnapshot(pages, '2027-01-31')).toThrow(
      expect.objectContaining({ code: 'page-unreadable', message: expect.stringContaining('nvme history page') }),
    );
    expect(() => buildSnapshot(pages, '2027-01-31')).toThrow(RelayError);
  });
});

describe('serializeSnapshot', () => {
  const snapshot = buildSnapshot(fixturePages(), '2027-01-31');
  const text = serializeSnapshot(snapshot);

  it('writes JSON that reads back as the same snapshot', () => {
    expect(JSON.parse(text)).toEqual(snapshot);
  });

  it('writes one changelog entry per line, so an update reads as a short diff', () => {
    const versionLines = text.split('\n').filter((line) => line.startsWith('{"version":'));

    expect(versionLines).toHaveLength(29 + 21 + 15 + 7);
    expect(versionLines[0]).toMatch(/^\{"version":"8\.6\.1",.*\},$/);
  });
});
