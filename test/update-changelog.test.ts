import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatUpdateReport, updateChangelog } from '../lambda/cli/update-changelog.js';
import type { SnapshotFile } from '../lambda/core/bundled-snapshot.js';
import type { DriverFamily } from '../lambda/core/driver-family.js';
import { RelayError } from '../lambda/core/errors.js';
import { fixturePage, type PageRoute, type PageServer, startPageServer } from './support/page-server.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const PATHS: Record<DriverFamily, string> = {
  'aws-pv': '/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
  ena: '/AWSEC2/latest/UserGuide/ena-driver-releases-windows.html',
  nvme: '/AWSEC2/latest/UserGuide/nvme-driver-version-history.html',
  ec2winutil: '/AWSEC2/latest/UserGuide/ec2winutil-driver-version-history.html',
};
const OLD_SNAPSHOT = '{"asOf":"2020-01-01","families":{}}\n';
const TODAY = new Date('2026-12-01T09:30:00Z');

let server: PageServer;
let directory: string;
let snapshotPath: string;

function livePages(overrides: Partial<Record<DriverFamily, PageRoute>> = {}): void {
  const pages: Record<DriverFamily, PageRoute> = {
    'aws-pv': { body: fixturePage('aws-pv.html') },
    ena: { body: fixturePage('ena.html') },
    nvme: { body: fixturePage('nvme.html') },
    ec2winutil: { body: fixturePage('ec2winutil.html') },
    ...overrides,
  };
  for (const [family, route] of Object.entries(pages)) server.route(PATHS[family as DriverFamily], route);
}

/** The default budget leaves a loaded machine time to serve the pages; only the timeout case passes a short one. */
function update(timeoutMs = 20_000) {
  const urls = Object.fromEntries(Object.entries(PATHS).map(([family, path]) => [family, server.url(path)])) as Record<
    DriverFamily,
    string
  >;
  return updateChangelog({ urls, snapshotPath, now: () => TODAY, timeoutMs });
}

async function failure(timeoutMs?: number): Promise<RelayError> {
  const error = await update(timeoutMs).then(
    () => new Error('the update succeeded'),
    (reason: unknown) => reason,
  );
  if (error instanceof RelayError) return error;
  throw error;
}

beforeEach(async () => {
  server = await startPageServer();
  directory = await mkdtemp(join(tmpdir(), 'update-changelog-'));
  snapshotPath = join(directory, 'changelog-snapshot.json');
  await writeFile(snapshotPath, OLD_SNAPSHOT);
});

afterEach(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

describe('updateChangelog', () => {
  it('rewrites the snapshot from the four live pages, dated today', async () => {
    livePages();

    await update();

    const written = JSON.parse(await readFile(snapshotPath, 'utf8')) as SnapshotFile;
    expect(written.asOf).toBe('2026-12-01');
    expect(written.families['aws-pv'].entries[0]).toMatchObject({ version: '8.6.1', releaseDate: '2026-07-21' });
    expect(written.families['aws-pv'].windowsServerTable).toHaveLength(9);
    expect(written.families.ena.entries).toHaveLength(21);
    expect(written.families.nvme.entries[0]?.version).toBe('1.8.2');
    expect(written.families.ec2winutil.entries).toHaveLength(7);
  });

  it('fetches each page once, from the addresses it is given', async () => {
    livePages();

    await update();

    expect(server.requests.map((request) => request.path).sort()).toEqual(Object.values(PATHS).sort());
  });

  it('reports per family the versions read, the rows skipped and the newest version', async () => {
    livePages({ 'aws-pv': { body: fixturePage('unreadable-row.html') } });

    const report = await update();

    expect(report.asOf).toBe('2026-12-01');
    expect(report.families.map(({ family, entries, newestVersion }) => [family, entries, newestVersion])).toEqual([
      ['aws-pv', 3, '9.0.1'],
      ['ena', 21, '2.11.0'],
      ['nvme', 15, '1.8.2'],
      ['ec2winutil', 7, '3.2.0'],
    ]);
    expect(report.families[0]?.skipped).toEqual([
      { row: 2, reason: 'expected 3 cells, found 2' },
      { row: 3, reason: 'version "Coming soon" is not a version number' },
      { row: 4, reason: 'no version' },
    ]);
  });

  it('leaves no temporary file beside the snapshot', async () => {
    livePages();

    await update();

    expect(await readdir(directory)).toEqual(['changelog-snapshot.json']);
  });

  it('writes nothing and names the family when a page answers HTTP 500', async () => {
    livePages({ ena: { status: 500, body: 'Internal Server Error' } });

    const error = await failure();

    expect(error.code).toBe('fetch-failed');
    expect(error.message).toContain('ena: ');
    expect(error.message).toContain('HTTP 500');
    expect(await readFile(snapshotPath, 'utf8')).toBe(OLD_SNAPSHOT);
  });

  it('writes nothing when a page has changed shape', async () => {
    livePages({ nvme: { body: fixturePage('reshaped.html') } });

    const error = await failure();

    expect(error.code).toBe('page-unreadable');
    expect(error.message).toContain('nvme history page: no table with headers');
    expect(await readFile(snapshotPath, 'utf8')).toBe(OLD_SNAPSHOT);
  });

  it('writes nothing when a page never answers', async () => {
    livePages({ ec2winutil: { hang: true } });

    const error = await failure(200);

    expect(error.message).toContain('ec2winutil: ');
    expect(error.message).toContain('timeout');
    expect(await readFile(snapshotPath, 'utf8')).toBe(OLD_SNAPSHOT);
  });

  it('writes nothing when a history table has no readable row', async () => {
    const headerOnly =
      '<table><thead><tr><th>Package version</th><th>Details</th><th>Release date</th></tr></thead></table>';
    livePages({ 'aws-pv': { body: headerOnly } });

    const error = await failure();

    expect(error.message).toContain('aws-pv history page: no row of the history table could be read');
    expect(await readFile(snapshotPath, 'utf8')).toBe(OLD_SNAPSHOT);
  });

  it('names every family that failed, not only the first', async () => {
    livePages({ 'aws-pv': { status: 404 }, ena: { body: fixturePage('truncated.html') } });

    const error = await failure();

    expect(error.message).toContain('aws-pv: ');
    expect(error.message).toContain('HTTP 404');
    expect(error.message).toContain('ena history page: the history table ends without </table>');
  });
});

describe('formatUpdateReport', () => {
  it('prints one line per family and one per skipped row', () => {
    const text = formatUpdateReport({
      asOf: '2026-12-01',
      snapshotPath: '/repo/lambda/core/changelog-snapshot.json',
      families: [
        {
          family: 'aws-pv',
          url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
          entries: 29,
          skipped: [{ row: 4, reason: 'no version' }],
          newestVersion: '8.6.1',
        },
        {
          family: 'ena',
          url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ena-driver-releases-windows.html',
          entries: 21,
          skipped: [],
          newestVersion: '2.11.0',
        },
      ],
    });

    expect(text).toBe(
      [
        'Changelog snapshot updated (as of 2026-12-01): /repo/lambda/core/changelog-snapshot.json',
        '  AWS PV: 29 versions, newest 8.6.1, 1 skipped',
        '    row 4 skipped: no version',
        '  ENA: 21 versions, newest 2.11.0',
      ].join('\n'),
    );
  });
});
