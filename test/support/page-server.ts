/**
 * A loopback HTTP server that stands in for docs.aws.amazon.com in tests: it serves given bodies at given paths,
 * can answer with any status, redirect, or accept a request and never answer, and records every request.
 * It listens on 127.0.0.1 on a free port, so tests never reach the network.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface PageRoute {
  /** @default 200 (302 when `redirect` is set) */
  readonly status?: number;
  /** @default '' */
  readonly body?: string;
  /** Extra or replacement response headers. @default { 'content-type': 'text/html; charset=utf-8' } */
  readonly headers?: Readonly<Record<string, string>>;
  /** Location to redirect to: a path on this server or a full address. */
  readonly redirect?: string;
  /** Accept the request and never answer (until close()). */
  readonly hang?: boolean;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. "/AWSEC2/latest/UserGuide/xen-drivers-overview.html". */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface PageServer {
  /** e.g. "http://127.0.0.1:49152" */
  readonly origin: string;
  /** The full address of a path on this server. */
  url(path: string): string;
  /** Adds or replaces the answer at a path. Paths not set answer 404. */
  route(path: string, route: PageRoute): void;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Stops listening and drops open connections, hanging ones included. */
  close(): Promise<void>;
}

/** The HTML of a fixture page under test/fixtures/pages/, e.g. fixturePage('aws-pv.html'). */
export function fixturePage(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'pages', name), 'utf8');
}

export async function startPageServer(routes: Readonly<Record<string, PageRoute>> = {}): Promise<PageServer> {
  const table = new Map(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const hanging = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers });
    const route = table.get(new URL(path, 'http://127.0.0.1').pathname);
    if (route?.hang) {
      hanging.add(response);
      return;
    }
    const answer = (): void => {
      if (!route) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', ...route.headers };
      if (route.redirect !== undefined) headers.location = route.redirect;
      const status = route.status ?? (route.redirect === undefined ? 200 : 302);
      response.writeHead(status, headers).end(route.body ?? '');
    };
    if (route?.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, route.delayMs);
      timers.add(timer);
    } else {
      answer();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: (path) => new URL(path, origin).href,
    route: (path, route) => {
      table.set(path, route);
    },
    requests,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const response of hanging) response.destroy();
      hanging.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
