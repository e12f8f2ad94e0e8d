/**
 * @jest-environment ./test/support/host-errors-environment.js
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchHistoryPage, type HistoryPageUrls } from '../lambda/adapters/history-page-fetch.js';
import { FAMILIES } from '../lambda/core/driver-family.js';
import { fixturePage, type PageServer, startPageServer } from './support/page-server.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const PAGE = '/AWSEC2/latest/UserGuide/xen-drivers-overview.html';
const ENA_PAGE = '/AWSEC2/latest/UserGuide/ena-driver-releases-windows.html';

let server: PageServer;

beforeEach(async () => {
  server = await startPageServer();
});

afterEach(async () => {
  await server.close();
});

/** The allow-list the tests use: each family's page on the loopback server. */
function loopbackUrls(): HistoryPageUrls {
  return {
    'aws-pv': server.url(PAGE),
    ena: server.url(ENA_PAGE),
    nvme: server.url('/AWSEC2/latest/UserGuide/nvme-driver-version-history.html'),
    ec2winutil: server.url('/AWSEC2/latest/UserGuide/ec2winutil-driver-version-history.html'),
  };
}

/** The real fetch, with a note of every address it was asked for. */
function recordingFetch(): { fetch: typeof globalThis.fetch; requested: string[] } {
  const requested: string[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    requested.push(input instanceof Request ? input.url : String(input));
    return globalThis.fetch(input, init);
  };
  return { fetch, requested };
}

test('returns the HTML of the family page on the allow-list', async () => {
  const html = fixturePage('aws-pv.html');
  server.route(PAGE, { body: html });

  await expect(fetchHistoryPage('aws-pv', { urls: loopbackUrls() })).resolves.toBe(html);
});

test('the production allow-list is exactly the four documented history pages', async () => {
  const requested: string[] = [];
  const offline: typeof globalThis.fetch = async (input) => {
    requested.push(String(input));
    return new Response('<html></html>', { headers: { 'content-type': 'text/html' } });
  };

  for (const family of ['aws-pv', 'ena', 'nvme', 'ec2winutil'] as const) {
    await fetchHistoryPage(family, { fetch: offline });
  }

  expect(requested).toEqual([
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ena-driver-releases-windows.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/nvme-driver-version-history.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2winutil-driver-version-history.html',
  ]);
});

test('a family with no address on the allow-list is refused without a request', async () => {
  const { fetch, requested } = recordingFetch();
  const { nvme: _omitted, ...others } = loopbackUrls();

  await expect(fetchHistoryPage('nvme', { fetch, urls: others as HistoryPageUrls })).rejects.toMatchObject({
    name: 'RelayError',
    code: 'fetch-refused',
  });
  expect(requested).toEqual([]);
  expect(server.requests).toEqual([]);
});

test('an allow-list entry that is plain HTTP to a remote host is refused without a request', async () => {
  const { fetch, requested } = recordingFetch();
  const urls = { ...loopbackUrls(), 'aws-pv': 'http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen.html' };

  await expect(fetchHistoryPage('aws-pv', { fetch, urls })).rejects.toMatchObject({ code: 'fetch-refused' });
  expect(requested).toEqual([]);
});

test("a redirect from one family's page to another family's page is refused and not followed", async () => {
  const { fetch, requested } = recordingFetch();
  server.route(PAGE, { redirect: ENA_PAGE });
  server.route(ENA_PAGE, { body: fixturePage('ena.html') });

  await expect(fetchHistoryPage('aws-pv', { fetch, urls: loopbackUrls() })).rejects.toMatchObject({
    name: 'RelayError',
    code: 'fetch-refused',
    message: expect.stringContaining(server.url(ENA_PAGE)),
  });
  expect(requested).toEqual([server.url(PAGE)]);
  expect(server.requests.map((request) => request.path)).toEqual([PAGE]);
});

test("a redirect to the family's own page is refused too", async () => {
  server.route(PAGE, { status: 301, redirect: PAGE });

  await expect(fetchHistoryPage('aws-pv', { urls: loopbackUrls() })).rejects.toMatchObject({ code: 'fetch-refused' });
  expect(server.requests).toHaveLength(1);
});

test('a redirect to the same path on another loopback host is refused and not followed', async () => {
  const { fetch, requested } = recordingFetch();
  const port = new URL(server.origin).port;
  server.route(PAGE, { redirect: `http://127.0.0.2:${port}${PAGE}` });

  await expect(fetchHistoryPage('aws-pv', { fetch, urls: loopbackUrls() })).rejects.toMatchObject({
    code: 'fetch-refused',
    message: expect.stringContaining(`http://127.0.0.2:${port}${PAGE}`),
  });
  expect(requested).toEqual([server.url(PAGE)]);
  expect(server.requests).toHaveLength(1);
});

test('a redirect to an external address is refused and not followed', async () => {
  const { fetch, requested } = recordingFetch();
  server.route(PAGE, { status: 301, redirect: 'https://attacker.example/xen-drivers-overview.html' });

  await expect(fetchHistoryPage('aws-pv', { fetch, urls: loopbackUrls() })).rejects.toMatchObject({
    code: 'fetch-refused',
  });
  expect(requested).toEqual([server.url(PAGE)]);
});

test('a server error fails with the family, the address and the status', async () => {
  server.route(PAGE, { status: 500, body: 'Internal Server Error' });

  const failure = fetchHistoryPage('aws-pv', { urls: loopbackUrls() });

  await expect(failure).rejects.toMatchObject({ code: 'fetch-failed', reason: 'HTTP 500' });
  await expect(failure).rejects.toThrow(
    `Could not fetch the ${FAMILIES['aws-pv'].name} history page ${server.url(PAGE)}`,
  );
});

test('a page that is not HTML fails', async () => {
  server.route(PAGE, { body: '{"versions":[]}', headers: { 'content-type': 'application/json' } });

  await expect(fetchHistoryPage('aws-pv', { urls: loopbackUrls() })).rejects.toMatchObject({
    code: 'fetch-failed',
    reason: 'content type "application/json" is not HTML',
  });
});

test('a page that never answers fails with a timeout', async () => {
  server.route(PAGE, { hang: true });

  await expect(fetchHistoryPage('aws-pv', { urls: loopbackUrls(), timeoutMs: 100 })).rejects.toMatchObject({
    code: 'fetch-failed',
    reason: 'timeout',
  });
});

test('the timeout also covers a body that stops arriving', async () => {
  const stalling = await startStallingServer();
  try {
    const urls = { ...loopbackUrls(), 'aws-pv': `${stalling.origin}${PAGE}` };

    await expect(fetchHistoryPage('aws-pv', { urls, timeoutMs: 200 })).rejects.toMatchObject({
      code: 'fetch-failed',
      reason: 'timeout',
    });
  } finally {
    await stalling.close();
  }
});

test('a page larger than the cap fails instead of being read whole', async () => {
  server.route(PAGE, { body: `<html>${'x'.repeat(4 * 1024 * 1024)}</html>` });

  await expect(fetchHistoryPage('aws-pv', { urls: loopbackUrls() })).rejects.toMatchObject({
    code: 'fetch-failed',
    reason: `page too large (over ${2 * 1024 * 1024} bytes)`,
  });
});

test('a page that announces a length over the cap fails before its body is read', async () => {
  server.route(PAGE, { body: 'x'.repeat(2048), headers: { 'content-type': 'text/html', 'content-length': '2048' } });

  await expect(fetchHistoryPage('aws-pv', { urls: loopbackUrls(), maxBytes: 1024 })).rejects.toMatchObject({
    code: 'fetch-failed',
    reason: 'page too large (2048 bytes, limit 1024)',
  });
});

test('a server that is not listening fails with a network error', async () => {
  const gone = await startPageServer();
  const urls = { ...loopbackUrls(), 'aws-pv': gone.url(PAGE) };
  await gone.close();

  await expect(fetchHistoryPage('aws-pv', { urls })).rejects.toMatchObject({
    code: 'fetch-failed',
    reason: 'network error (ECONNREFUSED)',
  });
});

/** A loopback server that sends headers and the start of a page, then nothing more. */
async function startStallingServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.write('<html><body><table>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
