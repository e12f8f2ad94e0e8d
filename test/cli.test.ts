import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli as run } from './support/cli-run';
import { eventText, loadSqsEvent, sqsRecord } from './support/events';
import { answers, type SlackStandIn, startSlackStandIn } from './support/slack-stand-in';
import { PROCESS_TEST_MS } from './support/timeouts.js';

// Some tests run the bin in a Node process (building the CLI first when a source changed): see support/timeouts.ts.
jest.setTimeout(PROCESS_TEST_MS);

const EVENTS = join(__dirname, 'fixtures', 'events');
const PAGES = join(__dirname, 'fixtures', 'pages');

describe('driver-relay render', () => {
  it('prints the PV 8.6.1 alert as JSON with its date, notes, previous release and Windows Server guidance', async () => {
    const { code, stdout } = await run(['render', '--event', join(EVENTS, 'pv-8.6.1.json'), '--format', 'json']);

    expect(code).toBe(0);
    const { alerts } = JSON.parse(stdout);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({
      family: 'aws-pv',
      version: '8.6.1',
      releaseDate: '2026-07-21',
      details: ['Updated runtime dependencies in the installer package.'],
      notesPublished: true,
      previous: { version: '8.6.0', releaseDate: '2025-05-27' },
      kind: 'release',
      install: {
        ssmPackage: 'AWSPVDriver',
        version: '8.6.1',
        downloadUrl: 'https://s3.amazonaws.com/ec2-windows-drivers-downloads/AWSPV/8.6.1/AWSPVDriver.zip',
      },
      sourceUrl: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
      messageId: '2f9f1403-ae4c-51ea-a445-605b59d2d01e',
      original: { subject: 'New AWS PV driver version 8.6.1 now available' },
    });
    const guidance = Object.fromEntries(
      alert.windowsServer.map((g: { windowsServer: string; recommendation: string }) => [
        g.windowsServer,
        g.recommendation,
      ]),
    );
    expect(guidance['Windows Server 2012']).toMatch(/Stay on AWS PV 8\.4\.3/);
    expect(guidance['Windows Server 2012 R2']).toMatch(/Stay on AWS PV 8\.4\.3/);
    expect(guidance['Windows Server 2008 R2']).toMatch(/Stay on AWS PV 8\.3\.5/);
    expect(guidance['Windows Server 2025']).toMatch(/not supported/);
    expect(guidance['Windows Server 2022']).toMatch(/Install AWS PV 8\.6\.1/);
  });

  it('prints Slack payloads ready for chat.postMessage', async () => {
    const { code, stdout } = await run(['render', '--event', join(EVENTS, 'multi-driver.json'), '--format', 'slack']);

    expect(code).toBe(0);
    const { messages } = JSON.parse(stdout);
    expect(messages).toHaveLength(2);
    for (const message of messages) {
      expect(typeof message.text).toBe('string');
      expect(message.blocks[0].type).toBe('header');
    }
  });

  it('prints emails with a subject SNS accepts', async () => {
    const { stdout } = await run(['render', '--event', join(EVENTS, 'ena-2.11.0.json'), '--format', 'email']);

    const { emails } = JSON.parse(stdout);
    expect(emails).toHaveLength(1);
    expect(emails[0].subject).toMatch(/ENA 2\.11\.0/);
    expect(emails[0].subject.length).toBeLessThanOrEqual(100);
    expect(emails[0].body).toContain('AwsEnaNetworkDriver');
  });

  it('reads the event from standard input with --event -', async () => {
    const { code, stdout } = await run(['render', '--event', '-', '--format', 'json'], {
      stdin: eventText('nvme-1.8.2'),
    });

    expect(code).toBe(0);
    expect(JSON.parse(stdout).alerts[0]).toMatchObject({ family: 'nvme', version: '1.8.2' });
  });

  it('reads history pages from --changelog-dir and says so', async () => {
    const { stdout } = await run([
      'render',
      '--event',
      join(EVENTS, 'pv-8.6.1.json'),
      '--format',
      'json',
      '--changelog-dir',
      PAGES,
    ]);

    const [alert] = JSON.parse(stdout).alerts;
    expect(alert.changelog.origin).toBe('file');
    expect(alert.releaseDate).toBe('2026-07-21');
  });

  it('forwards an unrecognised notification as an unknown alert with its text', async () => {
    const { stdout } = await run(['render', '--event', join(EVENTS, 'unknown.json'), '--format', 'json']);

    const { alerts } = JSON.parse(stdout);
    const original = JSON.parse(eventText('unknown')).Records[0].Sns;
    expect(alerts).toEqual([
      expect.objectContaining({
        family: 'unknown',
        original: { subject: original.Subject, message: original.Message },
      }),
    ]);
  });

  it('prints a readable alert in the terminal by default', async () => {
    const { stdout } = await run(['render', '--event', join(EVENTS, 'pv-8.6.1.json')]);

    expect(stdout).toContain('AWS PV driver 8.6.1 released');
    expect(stdout).toContain('Windows Server 2012 R2');
  });

  it('exits non-zero with a one-line reason for a missing event file', async () => {
    const { code, stderr } = await run(['render', '--event', join(EVENTS, 'does-not-exist.json')]);

    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('cannot read event file');
  });

  it('exits non-zero with a one-line reason naming the path for a malformed event', async () => {
    const reasons: Record<string, string> = {
      'malformed-no-records.json': 'invalid SNS event: Records: expected at least one record',
      'malformed-message-not-string.json': 'invalid SNS event: Records[0].Sns.Message: expected a string',
      'not-json.txt': 'invalid event: not JSON',
    };
    for (const [name, reason] of Object.entries(reasons)) {
      const { code, stderr } = await run(['render', '--event', join(EVENTS, name)]);

      expect(code).not.toBe(0);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(reason);
    }
  });

  it('reads an SQS event from the work queue, and a single SNS message from a queue message body', async () => {
    const event = loadSqsEvent('pv-8.6.1');
    const body = event.Records[0]?.body ?? '';

    for (const stdin of [JSON.stringify(event), body]) {
      const { code, stdout } = await run(['render', '--event', '-', '--format', 'json'], { stdin });

      expect(code).toBe(0);
      expect(JSON.parse(stdout).alerts).toEqual([
        expect.objectContaining({
          family: 'aws-pv',
          version: '8.6.1',
          messageId: '2f9f1403-ae4c-51ea-a445-605b59d2d01e',
        }),
      ]);
    }
  });

  it('names the record and field of a malformed SNS message inside an SQS event', async () => {
    const event = { Records: [sqsRecord(JSON.stringify({ Type: 'Notification', MessageId: 'm-1' }))] };

    const { code, stderr } = await run(['render', '--event', '-'], { stdin: JSON.stringify(event) });

    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('invalid SQS event: Records[0].body.TopicArn: missing (expected a string)');
  });
});

describe('driver-relay send', () => {
  let slack: SlackStandIn;
  beforeAll(async () => {
    slack = await startSlackStandIn();
  });
  afterEach(() => slack.reset());
  afterAll(() => slack.close());

  const slackEnv = () => ({
    SLACK_BOT_TOKEN: 'xoxb-cli-test-token',
    SLACK_CHANNELS: 'C0123456789,C0987654321',
    SLACK_API_URL: slack.apiUrl,
  });

  it('posts every alert to every channel and says where each went', async () => {
    const { code, stdout } = await run(['send', '--event', join(EVENTS, 'multi-driver.json')], { env: slackEnv() });

    expect(code).toBe(0);
    expect(slack.messages('C0123456789').filter((m) => m.threadTs === undefined)).toHaveLength(2);
    expect(slack.messages('C0987654321').filter((m) => m.threadTs === undefined)).toHaveLength(2);
    expect(stdout).toMatch(/sent +ENA 2\.11\.0 -> slack:C0123456789/);
    expect(stdout).toMatch(/sent +AWS NVMe 1\.8\.2 -> slack:C0987654321/);
  });

  it('exits non-zero naming the channel and the Slack error when a channel refuses', async () => {
    slack.script(answers.slackError('channel_not_found'), { channel: 'C0987654321' });

    const { code, stdout, stderr } = await run(['send', '--event', join(EVENTS, 'pv-8.6.1.json')], {
      env: slackEnv(),
    });

    expect(code).toBe(1);
    expect(stderr).toContain('C0987654321');
    expect(stderr).toContain('channel_not_found');
    expect(stdout).toMatch(/sent +AWS PV 8\.6\.1 -> slack:C0123456789/);
    expect(`${stdout}${stderr}`).not.toContain('xoxb-cli-test-token');
  });

  it.each([
    [
      'a CR/LF inside it',
      'xoxb-cli-1111\r\nCLISECRETPART',
      'SLACK_BOT_TOKEN has a line break (CR or LF) inside the token',
    ],
    ['a space inside it', 'xoxb-cli-1111 CLISECRETPART', 'SLACK_BOT_TOKEN has whitespace inside the token'],
    [
      'the wrong prefix',
      'xapp-1-A0111-CLISECRETPART',
      'SLACK_BOT_TOKEN does not start like a Slack token that can post',
    ],
  ])(
    'refuses a SLACK_BOT_TOKEN with %s, saying what is wrong and never printing it',
    async (_name, token, problem) => {
      const { code, stdout, stderr } = await run(['send', '--event', join(EVENTS, 'pv-8.6.1.json')], {
        env: { ...slackEnv(), SLACK_BOT_TOKEN: token },
      });

      expect(code).toBe(1);
      expect(stderr).toContain(problem);
      expect(`${stdout}${stderr}`).not.toContain('CLISECRETPART');
      expect(slack.requests).toHaveLength(0);
    },
    30_000,
  );

  it('refuses an email topic or Slack URL the function would refuse, naming the variable, and sends nothing', async () => {
    const event = join(EVENTS, 'pv-8.6.1.json');

    const badTopic = await run(['send', '--event', event], { env: { ...slackEnv(), EMAIL_TOPIC_ARN: 'relay-email' } });
    const badUrl = await run(['send', '--event', event], { env: { ...slackEnv(), SLACK_API_URL: 'file:///etc/x' } });

    expect(badTopic.code).toBe(1);
    expect(badTopic.stderr).toContain('EMAIL_TOPIC_ARN: expected an SNS topic ARN');
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain('SLACK_API_URL:');
    expect(slack.requests).toHaveLength(0);
  });

  it('refuses to run with no destination configured', async () => {
    const { code, stderr } = await run(['send', '--event', join(EVENTS, 'pv-8.6.1.json')]);

    expect(code).toBe(1);
    expect(stderr).toContain('nothing to send to');
  });
});

describe('driver-relay demo (npm start)', () => {
  it('shows the sample alert as text, a Block Kit Builder link and an email, and sends nothing', async () => {
    const { code, stdout } = await run(['demo']);

    expect(code).toBe(0);
    expect(stdout).toContain('AWS PV driver 8.6.1 released');
    const link = /https:\/\/app\.slack\.com\/block-kit-builder#(\S+)/.exec(stdout);
    const { blocks } = JSON.parse(decodeURIComponent(link?.[1] ?? '{}'));
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'AWS PV driver 8.6.1 released' } });
    expect(stdout).toMatch(/As email \(subject: .*AWS PV 8\.6\.1/);
    expect(stdout).toContain('Nothing was sent');
  });

  it('posts the sample to Slack when a token and channels are set', async () => {
    const slack = await startSlackStandIn();
    try {
      const { code, stdout } = await run(['demo'], {
        env: { SLACK_BOT_TOKEN: 'xoxb-demo-token', SLACK_CHANNELS: 'C0123456789', SLACK_API_URL: slack.apiUrl },
      });

      expect(code).toBe(0);
      expect(slack.messages('C0123456789').filter((m) => m.threadTs === undefined)).toHaveLength(1);
      expect(stdout).toMatch(/sent +AWS PV 8\.6\.1 -> slack:C0123456789/);
    } finally {
      await slack.close();
    }
  });
});

describe('the driver-relay command', () => {
  it('runs from the package bin', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(__dirname, '..', 'bin', 'driver-relay.mjs'),
        'render',
        '--event',
        join(EVENTS, 'pv-8.6.1.json'),
        '--format',
        'json',
      ],
      { timeout: PROCESS_TEST_MS },
    );

    expect(JSON.parse(stdout).alerts[0]).toMatchObject({ family: 'aws-pv', version: '8.6.1' });
    // tsx compiles the CLI at start: seconds on a busy machine, so the wait matches execFile's own.
  }, 60_000);
});
