import { createChangelogSource } from '../lambda/adapters/changelog-source.js';
import { fetchHistoryPage, type HistoryPageUrls } from '../lambda/adapters/history-page-fetch.js';
import { snapshotChangelog } from '../lambda/core/bundled-snapshot.js';
import type { DriverFamily } from '../lambda/core/driver-family.js';
import { fixturePage, type PageRoute, type PageServer, startPageServer } from './support/page-server.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const PV_PAGE = '/AWSEC2/latest/UserGuide/xen-drivers-overview.html';
const ENA_PAGE = '/AWSEC2/latest/UserGuide/ena-driver-releases-windows.html';
const MINUTE = 60_000;
const START = Date.parse('2026-11-25T09:30:00.000Z');

let server: PageServer;
let clock: number;
let fallbacks: [DriverFamily, string][];

beforeEach(async () => {
  server = await startPageServer();
  clock = START;
  fallbacks = [];
});

afterEach(async () => {
  await server.close();
});

function liveUrls(): HistoryPageUrls {
  return {
    'aws-pv': server.url(PV_PAGE),
    ena: server.url(ENA_PAGE),
    nvme: server.url('/AWSEC2/latest/UserGuide/nvme-driver-version-history.html'),
    ec2winutil: server.url('/AWSEC2/latest/UserGuide/ec2winutil-driver-version-history.html'),
  };
}

/**
 * A live source reading the loopback server, on the test's clock. Its fetch timeout leaves a loaded machine time to
 * serve even a 4 MB page; only a page that never answers is given a short one.
 */
function liveSource(options: { ttlMs?: number; failureTtlMs?: number; timeoutMs?: number } = {}) {
  const { timeoutMs = 20_000, ...rest } = options;
  const urls = liveUrls();
  return createChangelogSource({
    live: true,
    fetchPage: (family) => fetchHistoryPage(family, { urls, timeoutMs }),
    now: () => clock,
    onFallback: (family, reason) => fallbacks.push([family, reason]),
    ...rest,
  });
}

test('a live page is read and marked live, dated when it was fetched', async () => {
  server.route(PV_PAGE, { body: fixturePage('aws-pv.html') });

  const changelog = await liveSource().getChangelog('aws-pv', '8.6.1');

  expect(changelog).toMatchObject({ family: 'aws-pv', origin: 'live', asOf: '2026-11-25T09:30:00.000Z' });
  expect(changelog.entries[0]).toMatchObject({ version: '8.6.1' });
  expect(changelog.windowsServerTable).not.toEqual([]);
  expect(fallbacks).toEqual([]);
});

test('with live reading off, the snapshot is used and nothing is fetched', async () => {
  const fetched: DriverFamily[] = [];
  const source = createChangelogSource({
    live: false,
    fetchPage: async (family) => {
      fetched.push(family);
      return fixturePage('ena.html');
    },
  });

  await expect(source.getChangelog('ena', '2.11.0')).resolves.toEqual(snapshotChangelog('ena'));
  expect(fetched).toEqual([]);
});

test('a page is fetched once within the cache lifetime and again after it', async () => {
  server.route(PV_PAGE, { body: fixturePage('aws-pv.html') });
  const source = liveSource({ ttlMs: 15 * MINUTE });

  await source.getChangelog('aws-pv', '8.6.1');
  clock += 15 * MINUTE - 1;
  const cached = await source.getChangelog('aws-pv', '8.6.1');
  expect(server.requests).toHaveLength(1);
  expect(cached.asOf).toBe('2026-11-25T09:30:00.000Z');

  clock += 1;
  const refreshed = await source.getChangelog('aws-pv', '8.6.1');
  expect(server.requests).toHaveLength(2);
  expect(refreshed.asOf).toBe('2026-11-25T09:45:00.000Z');
});

test('each family is fetched from its own page and cached on its own', async () => {
  server.route(PV_PAGE, { body: fixturePage('aws-pv.html') });
  server.route(ENA_PAGE, { body: fixturePage('ena.html') });
  const source = liveSource();

  const pv = await source.getChangelog('aws-pv', null);
  const ena = await source.getChangelog('ena', null);
  await source.getChangelog('ena', null);

  expect(pv.entries[0]?.version).toBe('8.6.1');
  expect(ena.entries[0]?.version).toBe('2.11.0');
  expect(server.requests.map((request) => request.path)).toEqual([PV_PAGE, ENA_PAGE]);
});

test.each<[string, PageRoute, string]>([
  ['a server error', { status: 500, body: 'Internal Server Error' }, 'fetch-failed: HTTP 500'],
  ['a page that never answers', { hang: true }, 'fetch-failed: timeout'],
  ['a truncated page', { body: fixturePage('truncated.html') }, 'page-unreadable'],
  ['a page whose layout changed', { body: fixturePage('reshaped.html') }, 'page-unreadable'],
  ['an empty page', { body: fixturePage('empty.html') }, 'page-unreadable'],
  [
    'a 4 MB page',
    { body: `<html>${'<p>x</p>'.repeat(512 * 1024)}</html>` },
    'fetch-failed: page too large (over 2097152 bytes)',
  ],
])('%s falls back to the snapshot and says why', async (_case, route, reason) => {
  server.route(PV_PAGE, route);

  const source = 'hang' in route ? liveSource({ timeoutMs: 200 }) : liveSource();
  const changelog = await source.getChangelog('aws-pv', '8.6.1');

  expect(changelog).toEqual(snapshotChangelog('aws-pv'));
  expect(changelog.origin).toBe('snapshot');
  expect(fallbacks).toEqual([['aws-pv', reason]]);
});

test('a failed read is remembered for a shorter time, then the page is tried again', async () => {
  server.route(PV_PAGE, { status: 503 });
  const source = liveSource({ ttlMs: 15 * MINUTE, failureTtlMs: MINUTE });

  await source.getChangelog('aws-pv', '8.6.1');
  await source.getChangelog('aws-pv', '8.6.1');
  expect(server.requests).toHaveLength(1);
  expect(fallbacks).toEqual([
    ['aws-pv', 'fetch-failed: HTTP 503'],
    ['aws-pv', 'fetch-failed: HTTP 503'],
  ]);

  server.route(PV_PAGE, { body: fixturePage('aws-pv.html') });
  clock += MINUTE;
  const recovered = await source.getChangelog('aws-pv', '8.6.1');
  expect(server.requests).toHaveLength(2);
  expect(recovered.origin).toBe('live');
});

test('a live page that does not list the announced version falls back when the snapshot lists it', async () => {
  // This page lists only 9.0.1, 8.9.9 and 8.9.8; the snapshot lists 8.6.1.
  server.route(PV_PAGE, { body: fixturePage('unreadable-row.html') });

  const changelog = await liveSource().getChangelog('aws-pv', '8.6.1');

  expect(changelog.origin).toBe('snapshot');
  expect(changelog.entries.map((entry) => entry.version)).toContain('8.6.1');
  expect(fallbacks).toEqual([['aws-pv', 'version-not-listed']]);
});

test('when neither copy lists the announced version, the live page is used', async () => {
  server.route(PV_PAGE, { body: fixturePage('aws-pv.html') });

  const changelog = await liveSource().getChangelog('aws-pv', '8.7.0');

  expect(changelog.origin).toBe('live');
  expect(fallbacks).toEqual([]);
});

test('a version announced with a fourth part of 0 counts as listed', async () => {
  // This page lists 9.0.1, which the snapshot does not.
  server.route(PV_PAGE, { body: fixturePage('unreadable-row.html') });

  const changelog = await liveSource().getChangelog('aws-pv', '9.0.1.0');

  expect(changelog.origin).toBe('live');
  expect(fallbacks).toEqual([]);
});

test('concurrent requests for one family share a single fetch', async () => {
  server.route(PV_PAGE, { body: fixturePage('aws-pv.html'), delayMs: 50 });
  const source = liveSource();

  const changelogs = await Promise.all(
    ['8.6.1', '8.6.0', '8.5.0', null].map((version) => source.getChangelog('aws-pv', version)),
  );

  expect(server.requests).toHaveLength(1);
  expect(changelogs.map((changelog) => changelog.origin)).toEqual(['live', 'live', 'live', 'live']);
});

test('a cached page that does not list a newly announced version is read again', async () => {
  server.route(PV_PAGE, { body: fixturePage('aws-pv.html') });
  const source = liveSource();
  await source.getChangelog('aws-pv', '8.6.1');
  server.route(PV_PAGE, { body: fixturePage('unreadable-row.html') });
  clock += 5 * MINUTE;

  const changelog = await source.getChangelog('aws-pv', '9.0.1');

  expect(changelog).toMatchObject({ origin: 'live', asOf: new Date(START + 5 * MINUTE).toISOString() });
  expect(changelog.entries.map((entry) => entry.version)).toContain('9.0.1');
  expect(server.requests.filter((request) => request.path === PV_PAGE)).toHaveLength(2);
});

test('a page read moments ago is not read again for a version it does not list', async () => {
  server.route(PV_PAGE, { body: fixturePage('aws-pv.html') });
  const source = liveSource();
  await source.getChangelog('aws-pv', '8.6.1');
  clock += 10_000;

  await source.getChangelog('aws-pv', '9.9.9');

  expect(server.requests.filter((request) => request.path === PV_PAGE)).toHaveLength(1);
});

test('rows of a live page the reader cannot use are reported while the rest is used', async () => {
  server.route(PV_PAGE, { body: fixturePage('unreadable-row.html') });
  const skipped: unknown[] = [];
  const source = createChangelogSource({
    live: true,
    fetchPage: (family) => fetchHistoryPage(family, { urls: { ...liveUrls(), 'aws-pv': server.url(PV_PAGE) } }),
    onSkippedRows: (family, rows) => skipped.push([family, rows.length]),
  });

  const changelog = await source.getChangelog('aws-pv', '9.0.1');

  expect(changelog.origin).toBe('live');
  expect(skipped).toEqual([['aws-pv', expect.any(Number)]]);
});
