import { DRIVER_FAMILIES, type DriverFamily, FAMILIES } from '../core/driver-family.js';
import { messageOf, RelayError } from '../core/errors.js';

/** The only addresses the relay may fetch: one history page per family, each read only from its own address. */
export type HistoryPageUrls = Readonly<Record<DriverFamily, string>>;

export const HISTORY_PAGE_URLS: HistoryPageUrls = Object.freeze(
  Object.fromEntries(DRIVER_FAMILIES.map((family) => [family, FAMILIES[family].historyUrl])) as Record<
    DriverFamily,
    string
  >,
);

export interface FetchHistoryPageOptions {
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Where each family's page is: the only address its page is read from. @default HISTORY_PAGE_URLS */
  readonly urls?: HistoryPageUrls;
  /** Covers the request, the headers and the whole body. @default 3000 */
  readonly timeoutMs?: number;
  /** Largest body accepted; the download stops as soon as it is passed. @default 2 MiB */
  readonly maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 3_000;
const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
const HTML_TYPES = ['text/html', 'application/xhtml+xml'];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why a fetch failed, in words a log reader understands ("timeout", "HTTP 500", ...). */
export class HistoryPageFetchError extends RelayError {
  readonly family: DriverFamily;
  readonly url: string;
  readonly reason: string;

  constructor(family: DriverFamily, url: string, reason: string, options?: { cause?: unknown }) {
    super('fetch-failed', `Could not fetch the ${FAMILIES[family].name} history page ${url}: ${reason}`, options);
    this.family = family;
    this.url = url;
    this.reason = reason;
  }
}

/**
 * Downloads one family's version-history page and returns its HTML.
 *
 * Rejects with RelayError 'fetch-refused' when the family has no address it may fetch (before any request), or
 * when its page redirects anywhere at all; with HistoryPageFetchError ('fetch-failed') for a non-2xx status, a
 * non-HTML body, a timeout, a body over the size cap or a network error. The caller decides what a failure means
 * (the changelog source falls back to the snapshot).
 */
export async function fetchHistoryPage(family: DriverFamily, options: FetchHistoryPageOptions = {}): Promise<string> {
  const {
    fetch = globalThis.fetch,
    urls = HISTORY_PAGE_URLS,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    maxBytes = DEFAULT_MAX_BYTES,
  } = options;
  const url = Object.hasOwn(urls, family) ? normalise(urls[family]) : null;
  if (url === null) {
    throw new RelayError('fetch-refused', `No allowed history-page address for family "${String(family)}"`);
  }

  const signal = AbortSignal.timeout(timeoutMs);
  try {
    // A redirect is never followed, not even to another family's page: that page would be read as this family's
    // history. 'manual' rather than 'error', so the refusal can say where the page pointed (an operator then
    // knows whether AWS moved it), and so an injected fetch is held to the same rule.
    const response = await fetch(url, { redirect: 'manual', signal, headers: { accept: 'text/html' } });
    if (isRedirect(response.status)) {
      await discard(response);
      throw new RelayError(
        'fetch-refused',
        `${url} redirects to ${redirectTarget(response, url)}; a history page is read only from its own address`,
      );
    }
    return await readHtml(response, family, url, maxBytes);
  } catch (error) {
    if (error instanceof RelayError) throw error;
    throw new HistoryPageFetchError(family, url, describe(error, signal), { cause: error });
  }
}

/**
 * Canonical form of an address, or null when it is not one the relay would ever fetch: HTTPS, or plain HTTP
 * only on the loopback interface (the tests' page server).
 */
function normalise(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  url.hash = '';
  const secure = url.protocol === 'https:';
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  return secure || loopback ? url.href : null;
}

/** Where a redirect points, as an absolute address when it is one, for the log line. */
function redirectTarget(response: Response, from: string): string {
  const location = response.headers.get('location');
  if (location === null) return '(no location)';
  return URL.canParse(location, from) ? new URL(location, from).href : location;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

async function readHtml(response: Response, family: DriverFamily, url: string, maxBytes: number): Promise<string> {
  const fail = async (reason: string): Promise<never> => {
    await discard(response);
    throw new HistoryPageFetchError(family, url, reason);
  };
  if (!response.ok) return fail(`HTTP ${response.status}`);
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!HTML_TYPES.includes(type)) return fail(`content type "${type || 'none'}" is not HTML`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) return fail(`page too large (${declared} bytes, limit ${maxBytes})`);
  if (response.body === null) return fail('empty response');

  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new HistoryPageFetchError(family, url, `page too large (over ${maxBytes} bytes)`);
    }
    chunks.push(value);
  }
  // docs.aws.amazon.com serves UTF-8; a stray invalid byte becomes U+FFFD rather than failing the page.
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Releases the connection of a response the relay will not read; a failure to do so changes nothing. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function describe(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timeout';
  // fetch rejects with TypeError('fetch failed'); what went wrong (ECONNREFUSED, say) is in its cause.
  const cause = error instanceof Error ? error.cause : undefined;
  const detail = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : messageOf(error);
  return `network error (${detail})`;
}
