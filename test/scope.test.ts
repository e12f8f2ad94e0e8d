/**
 * Secrets and scope: the Slack bot token never shows up anywhere but the Authorization header, and the history-page
 * fetcher never requests an address other than the four AWS version-history pages, redirects included.
 */
import * as fc from 'fast-check';
import { fetchHistoryPage, HISTORY_PAGE_URLS, type HistoryPageUrls } from '../lambda/adapters/history-page-fetch.js';
import { DRIVER_FAMILIES, type DriverFamily } from '../lambda/core/driver-family.js';
import { RelayError } from '../lambda/core/errors.js';
import { loadSqsEvent, receivedAgain } from './support/events.js';
import { fixturePage, type PageServer, startPageServer } from './support/page-server.js';
import {
  HARNESS_TOKEN,
  HARNESS_TOKEN_SECRET_NAME,
  type RelayHarness,
  type RelayHarnessOptions,
  startRelayHarness,
} from './support/relay-harness.js';
import { reliabilityTally } from './support/reliability-tally.js';
import { answers } from './support/slack-stand-in.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

const tally = reliabilityTally('scope');
afterAll(() => tally.flush());

/** The four pages, as AWS documents them (shared/reference/driver-facts.md), typed here rather than read from code. */
const FOUR_PAGES = [
  'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
  'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ena-driver-releases-windows.html',
  'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/nvme-driver-version-history.html',
  'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2winutil-driver-version-history.html',
];

// ---------------------------------------------------------------------------------------------------------------
// The bot token

/** Every string reachable from an error: message, stack, code, cause chain, and fields such as a Slack error's data. */
function errorText(value: unknown, depth = 0, seen = new Set<unknown>()): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > 6) return String(value);
  seen.add(value);
  return Object.getOwnPropertyNames(value)
    .map((key) => `${key}=${errorText((value as Record<string, unknown>)[key], depth + 1, seen)}`)
    .join('\n');
}

describe('scope: the Slack bot token', () => {
  let relay: RelayHarness | undefined;

  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });

  /** What a person or another system could ever see of one invocation: logs, errors, and everything sent out. */
  async function everythingVisible(options: RelayHarnessOptions, arrange: (parts: RelayHarness) => void = () => {}) {
    relay = await startRelayHarness(options);
    arrange(relay);
    const errors: unknown[] = [];
    // One queue message received three times, as SQS delivers it again while it keeps failing.
    let message = loadSqsEvent('pv-8.6.1');
    for (let receive = 1; receive <= 3; receive += 1) {
      await relay.receive(message).catch((error: unknown) => errors.push(error));
      message = receivedAgain(message);
    }
    const visible = [
      relay.logs.text(),
      ...errors.map((error) => errorText(error)),
      ...relay.slack.requests.map((request) => `${request.rawBody}\n${JSON.stringify(request.params)}`),
      ...relay.emails().map((email) => JSON.stringify(email)),
    ].join('\n');
    return { visible, errors, parts: relay };
  }

  /**
   * The token, and its distinctive parts (what follows the "xoxb-" anyone knows), which survive a log line or an
   * error that escaped or collapsed a line break inside it.
   */
  function leaks(visible: string, token: string): string[] {
    const parts = token.split(/[-\s]+/).filter((part) => part.length >= 8);
    return [token, ...parts].filter((needle) => visible.includes(needle));
  }

  const SCENARIOS: readonly {
    name: string;
    options: RelayHarnessOptions;
    token: string;
    arrange?: (parts: RelayHarness) => void;
    fails: boolean;
  }[] = [
    {
      name: 'token: a normal delivery, debug logging',
      options: { env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' } },
      token: HARNESS_TOKEN,
      fails: false,
    },
    {
      name: 'token: Slack refuses it (invalid_auth), debug logging',
      options: { acceptToken: 'xoxb-some-other-token', env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' } },
      token: HARNESS_TOKEN,
      fails: true,
    },
    {
      name: 'token: Slack fails the post (internal_error)',
      options: {},
      token: HARNESS_TOKEN,
      arrange: (parts) => parts.slack.script(answers.slackError('internal_error')),
      fails: true,
    },
    {
      name: 'token: Slack rate-limits for longer than the client waits',
      options: {},
      token: HARNESS_TOKEN,
      arrange: (parts) => parts.slack.script(answers.rateLimited(120)),
      fails: true,
    },
    {
      name: 'token: the secret is broken JSON around the token',
      options: { secretValue: `{"token": "xoxb-9999-8888-BROKENJSONSECRETPART"`, acceptToken: 'xoxb-x' },
      token: 'xoxb-9999-8888-BROKENJSONSECRETPART',
      fails: true,
    },
    {
      name: 'token: the secret holds a CR/LF inside the token',
      options: { secretValue: 'xoxb-5555-4444\r\nCRLFSECRETPART', acceptToken: 'xoxb-x' },
      token: 'xoxb-5555-4444\r\nCRLFSECRETPART',
      fails: true,
    },
    {
      name: 'token: the secret holds spaces inside the token',
      options: { secretValue: 'xoxb-3333 2222 SPACESSECRETPART', acceptToken: 'xoxb-x' },
      token: 'xoxb-3333 2222 SPACESSECRETPART',
      fails: true,
    },
    {
      name: 'token: the secret holds something with the wrong prefix',
      options: { secretValue: 'xapp-1-A0111-WRONGPREFIXSECRETPART', acceptToken: 'xoxb-x' },
      token: 'xapp-1-A0111-WRONGPREFIXSECRETPART',
      fails: true,
    },
    {
      name: 'token: the secret is JSON with the token under another key',
      options: { secretValue: '{"bot": "xoxb-7777-6666-WRONGKEYSECRETPART"}', acceptToken: 'xoxb-x' },
      token: 'xoxb-7777-6666-WRONGKEYSECRETPART',
      fails: true,
    },
  ];

  test.each(SCENARIOS)(
    '$name: the token appears in no log line, error or payload',
    async (scenario) => {
      const { visible, errors, parts } = await everythingVisible(scenario.options, scenario.arrange);

      const found = leaks(visible, scenario.token);
      tally.record({
        name: scenario.name,
        tried: 3,
        outcome: found.length === 0 ? 'not leaked' : `LEAKED in ${found.length} places`,
        violations: found.length,
      });

      expect(found).toEqual([]);
      // The checks looked at something: the invocations ran, logged, and failed when the scenario makes them fail.
      expect(parts.logs.lines.length).toBeGreaterThan(0);
      expect(errors.length > 0).toBe(scenario.fails);
    },
    30_000,
  );

  test.each([
    ['a CR/LF inside the token', 'xoxb-5555-4444\r\nCRLFSECRETPART', 'has a line break (CR or LF) inside the token'],
    ['spaces inside the token', 'xoxb-3333 2222 SPACESSECRETPART', 'has whitespace inside the token'],
    ['the wrong prefix', 'xapp-1-A0111-WRONGPREFIXSECRETPART', 'does not start like a Slack token that can post'],
  ])(
    'a secret with %s is refused before anything reaches Slack, naming the secret and what is wrong',
    async (_name, secretValue, problem) => {
      relay = await startRelayHarness({ secretValue, email: false });

      const failure = await relay.receive(loadSqsEvent('pv-8.6.1')).then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(relay.slack.requests).toEqual([]);
      expect((failure as Error | undefined)?.message).toContain(
        `The Slack bot token secret ${relay.tokenSecretId} ${problem}`,
      );
      expect(leaks(`${errorText(failure)}\n${relay.logs.text()}`, secretValue)).toEqual([]);
    },
    30_000,
  );

  test('the token travels only in the Authorization header of requests to Slack', async () => {
    relay = await startRelayHarness();

    await relay.receive(loadSqsEvent('pv-8.6.1'));

    const posts = relay.slack.requests;
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((request) => request.hasAuthHeader)).toBe(true);
    expect(posts.filter((request) => request.rawBody.includes(HARNESS_TOKEN))).toEqual([]);
  });

  test('only the configured secret is read from Secrets Manager', async () => {
    relay = await startRelayHarness();

    await relay.receive(loadSqsEvent('pv-8.6.1'));

    const read = relay.secrets.requests.map((request) => request.secretId);
    expect(read.length).toBeGreaterThan(0);
    expect(new Set(read)).toEqual(new Set([relay.tokenSecretId]));
    expect(relay.tokenSecretId).toContain(HARNESS_TOKEN_SECRET_NAME);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The history-page fetcher

/** A fetch that records what it was asked for and answers from `answer`; never touches the network. */
function recordingFetch(answer: (url: string, call: number) => Response) {
  const requested: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requested.push(url);
    return answer(url, requested.length);
  }) as typeof globalThis.fetch;
  return { fetch, requested };
}

/** A redirect as a server sends it: header bytes are UTF-8 on the wire, and fetch reads them one byte a character. */
const redirectTo = (location: string) =>
  new Response(null, { status: 302, headers: { location: Buffer.from(location, 'utf8').toString('latin1') } });
const page = () => new Response(fixturePage('aws-pv.html'), { headers: { 'content-type': 'text/html' } });

async function refusalOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'fetched',
    (error: unknown) => (error instanceof RelayError ? error.code : `other: ${String(error)}`),
  );
}

describe('scope: the history-page fetcher', () => {
  test('the production allow-list is exactly the four AWS version-history pages', () => {
    expect(Object.values(HISTORY_PAGE_URLS).sort()).toEqual([...FOUR_PAGES].sort());
  });

  /** Redirect targets that would leave the four pages, some of them dressed up to look like they do not. */
  const HOSTILE_REDIRECTS = [
    'https://evil.example/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    'http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    'https://docs.aws.amazon.com.evil.example/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    'https://docs.aws.amazon.com@evil.example/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    'https://user:pass@docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    'https://docs.aws.amazon.com:8443/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html?redirect=https://evil.example',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/other-page.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/../../../evil.html',
    'https://d\u043Ecs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    '//evil.example/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    'https:\\\\evil.example\\AWSEC2',
    '/AWSEC2/latest/UserGuide/other-page.html',
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://127.0.0.1:9/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    'http://localhost/admin',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<p>hi</p>',
  ];

  test.each(HOSTILE_REDIRECTS)('a redirect to %j is refused and never followed', async (target) => {
    const { fetch, requested } = recordingFetch((_url, call) => (call === 1 ? redirectTo(target) : page()));

    const outcome = await refusalOf(fetchHistoryPage('aws-pv', { fetch }));

    tally.record({
      name: `redirect to ${JSON.stringify(target).slice(0, 60)}`,
      tried: 1,
      outcome: outcome === 'fetch-refused' ? 'refused' : `NOT REFUSED (${outcome})`,
      violations: requested.length > 1 || outcome !== 'fetch-refused' ? 1 : 0,
    });
    expect(outcome).toBe('fetch-refused');
    expect(requested).toEqual([HISTORY_PAGE_URLS['aws-pv']]);
  });

  test('a family that is not one of the four is refused before any request', async () => {
    const { fetch, requested } = recordingFetch(() => page());
    const names = ['unknown', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''];

    const outcomes = await Promise.all(
      names.map((name) => refusalOf(fetchHistoryPage(name as DriverFamily, { fetch }))),
    );

    tally.record({
      name: 'families outside the four (incl. __proto__)',
      tried: names.length,
      outcome: outcomes.every((outcome) => outcome === 'fetch-refused') ? 'refused' : 'NOT REFUSED',
      violations: outcomes.filter((outcome) => outcome !== 'fetch-refused').length + requested.length,
    });
    expect(outcomes).toEqual(names.map(() => 'fetch-refused'));
    expect(requested).toEqual([]);
  });

  test("a redirect from one family's page to another of the four is refused and not followed", async () => {
    const { fetch, requested } = recordingFetch(() => redirectTo(HISTORY_PAGE_URLS.ena));

    const outcome = await refusalOf(fetchHistoryPage('aws-pv', { fetch }));

    expect(outcome).toBe('fetch-refused');
    expect(requested).toEqual([HISTORY_PAGE_URLS['aws-pv']]);
  });

  test("whatever a page redirects to, the only request is for the family's own page", async () => {
    const own = fc.constantFrom(...FOUR_PAGES);
    const target = fc.oneof(
      fc.webUrl({
        withQueryParameters: true,
        withFragments: true,
        authoritySettings: { withUserInfo: true, withPort: true },
      }),
      fc.constantFrom(...HOSTILE_REDIRECTS),
      // Near misses of the real pages: a suffix, a prefix, a changed case, a fragment (which is fine).
      fc.tuple(own, fc.string({ maxLength: 12 })).map(([url, suffix]) => `${url}${suffix}`),
      fc.tuple(own, fc.string({ maxLength: 12 })).map(([url, infix]) => url.replace('docs.', `docs${infix}.`)),
      own.map((url) => url.toUpperCase()),
      own,
    );
    let tried = 0;
    let escaped = 0;

    const details = await fc.check(
      fc.asyncProperty(fc.array(target, { minLength: 1, maxLength: 4 }), async (chain) => {
        tried += 1;
        const { fetch, requested } = recordingFetch((_url, call) =>
          call <= chain.length ? redirectTo(chain[call - 1] as string) : page(),
        );
        const outcome = await refusalOf(fetchHistoryPage('ena', { fetch }));
        // FOUR_PAGES[1] is ENA's own page.
        const elsewhere = requested.filter((url) => url !== FOUR_PAGES[1]);
        escaped += elsewhere.length;
        expect(elsewhere).toEqual([]);
        expect(outcome).toBe('fetch-refused');
      }),
      { numRuns: 1000 },
    );
    tally.record({
      name: 'generated redirect chains (fast-check)',
      tried,
      outcome: details.failed ? `ESCAPED (seed ${details.seed})` : "every request for the family's own page",
      violations: escaped,
    });
    if (details.failed) throw new Error(fc.defaultReportMessage(details));
  });

  describe('over real HTTP, against the loopback page server', () => {
    let server: PageServer;
    let urls: HistoryPageUrls;

    beforeEach(async () => {
      server = await startPageServer();
      urls = Object.fromEntries(DRIVER_FAMILIES.map((family) => [family, server.url(`/${family}.html`)])) as Record<
        DriverFamily,
        string
      >;
    });
    afterEach(async () => {
      await server.close();
    });

    test('a redirect to another page on the same server is refused, and that page is never requested', async () => {
      server.route('/aws-pv.html', { redirect: '/secret.html' });
      server.route('/secret.html', { body: fixturePage('aws-pv.html') });

      const outcome = await refusalOf(fetchHistoryPage('aws-pv', { urls, timeoutMs: 20_000 }));

      tally.record({
        name: 'real HTTP: redirect to an unlisted path',
        tried: 1,
        outcome: outcome === 'fetch-refused' ? 'refused' : `NOT REFUSED (${outcome})`,
        violations: server.requests.filter((request) => request.path === '/secret.html').length,
      });
      expect(outcome).toBe('fetch-refused');
      expect(server.requests.map((request) => request.path)).toEqual(['/aws-pv.html']);
    });

    test("a redirect to another family's page on the same server is refused, and that page is never requested", async () => {
      server.route('/aws-pv.html', { redirect: '/ena.html#history' });
      server.route('/ena.html', { body: fixturePage('ena.html') });

      const outcome = await refusalOf(fetchHistoryPage('aws-pv', { urls, timeoutMs: 20_000 }));

      tally.record({
        name: "real HTTP: redirect to another family's page",
        tried: 1,
        outcome: outcome === 'fetch-refused' ? 'refused' : `NOT REFUSED (${outcome})`,
        violations: server.requests.filter((request) => request.path === '/ena.html').length,
      });
      expect(outcome).toBe('fetch-refused');
      expect(server.requests.map((request) => request.path)).toEqual(['/aws-pv.html']);
    });
  });

  test('the handler reading live pages asks for nothing but the four pages', async () => {
    const relay = await startRelayHarness({ channels: ['C0ALERTS01'], email: false, env: { LIVE_CHANGELOG: 'true' } });
    const standIns = [relay.slack.apiUrl, relay.dynamo.endpoint, relay.secrets.endpoint].map(
      (url) => new URL(url).origin,
    );
    const realFetch = globalThis.fetch;
    const outside: string[] = [];
    const docs: string[] = [];
    // Slack's client and the DynamoDB and Secrets Manager calls also use fetch: their requests go through to the
    // stand-ins; anything else is recorded and answered 503 here, so no request leaves the machine.
    const spy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (standIns.some((origin) => url.startsWith(`${origin}/`))) return realFetch(input, init);
      (FOUR_PAGES.includes(url) ? docs : outside).push(url);
      return new Response('unavailable', { status: 503 });
    });
    try {
      await relay.receive(loadSqsEvent('multi-driver'));
    } finally {
      spy.mockRestore();
      await relay.close();
    }

    tally.record({
      name: 'handler with LIVE_CHANGELOG=true',
      tried: docs.length + outside.length,
      outcome: outside.length === 0 ? 'only the four pages requested' : 'REQUESTED OTHER ADDRESSES',
      violations: outside.length,
    });
    expect(outside).toEqual([]);
    expect([...new Set(docs)].sort()).toEqual([FOUR_PAGES[1], FOUR_PAGES[2]].sort());
    expect(relay.slack.messages('C0ALERTS01').filter((message) => message.threadTs === undefined)).toHaveLength(2);
  });
});
