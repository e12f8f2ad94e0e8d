import type { KnownBlock } from '@slack/types';
import type { Alert, ReleaseAlert } from '../lambda/core/alert.js';
import { renderSlackMessages, type SlackMessage } from '../lambda/core/slack-message.js';
import {
  alertWithManyDetailLines,
  enaAlert,
  nvmeAlert,
  pvAlert,
  rolledBackEnaAlert,
  unrecognisedAlert,
} from './support/alerts.js';

const HOSTILE =
  'Heads up <!channel> <!here> <!everyone> <@U024BE7LH> <#C024BE7LR> <!subteam^SAZ94GDB8> see <https://evil.example|click> & more';

/** Every string anywhere in a message: what Slack would read. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

/** The text Slack shows: the fallback and every text object (header, sections, context elements). */
function shownTexts(message: SlackMessage): string[] {
  const texts = [message.text];
  for (const block of message.blocks) {
    if (block.type === 'header' || block.type === 'section') texts.push(block.text?.text ?? '');
    if (block.type === 'context') {
      for (const element of block.elements) if ('text' in element) texts.push(element.text);
    }
  }
  return texts;
}

function allMessages(rendered: { main: SlackMessage; thread: SlackMessage[] }): SlackMessage[] {
  return [rendered.main, ...rendered.thread];
}

function sectionTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
}

function sectionStarting(message: SlackMessage, start: string): string {
  const text = sectionTexts(message).find((candidate) => candidate.startsWith(start));
  if (text === undefined) throw new Error(`no section starts with ${start}`);
  return text;
}

function headerText(message: SlackMessage): string {
  const header = message.blocks.find((block) => block.type === 'header');
  return header?.type === 'header' ? header.text.text : '';
}

/** What Slack would refuse or mangle, in words, so a failure says which limit broke. */
function limitViolations(message: SlackMessage): string[] {
  const problems: string[] = [];
  if (message.text.length > 3000) problems.push(`fallback text is ${message.text.length} chars`);
  if (message.blocks.length > 50) problems.push(`${message.blocks.length} blocks`);
  message.blocks.forEach((block: KnownBlock, index) => {
    if (block.type === 'header' && block.text.text.length > 150) problems.push(`header ${index} too long`);
    if (block.type === 'section') {
      const text = block.text?.text ?? '';
      if (text.length === 0 || text.length > 3000) problems.push(`section ${index} is ${text.length} chars`);
    }
    if (block.type === 'context') {
      if (block.elements.length > 10) problems.push(`context ${index} has ${block.elements.length} elements`);
      for (const element of block.elements) {
        if ('text' in element && element.text.length > 3000) problems.push(`context ${index} element too long`);
      }
    }
  });
  const blockText = shownTexts(message).slice(1).join('').length;
  // Slack's undocumented cumulative limit (msg_blocks_too_long) sits around 12,000-13,000 characters.
  if (blockText > 12_000) problems.push(`blocks hold ${blockText} chars in all`);
  for (const text of shownTexts(message)) {
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
      problems.push('a text holds half a surrogate pair');
    }
    if (/&(?!amp;|lt;|gt;)/.test(text)) problems.push('a text holds a bare or cut entity');
    if ((text.match(/```/g) ?? []).length % 2 !== 0) problems.push('a text holds an unbalanced code fence');
  }
  return problems;
}

/** The `<...>` sequences Slack would act on; the only ones allowed are links to AWS we build ourselves. */
function controlSequences(messages: readonly SlackMessage[]): string[] {
  return messages.flatMap((message) => allStrings(message).flatMap((text) => text.match(/<[^>]*>/g) ?? []));
}

function hostileEverywhere(alert: Alert): Alert {
  if (alert.kind === 'unrecognised') {
    return {
      ...alert,
      familyName: HOSTILE,
      notices: [HOSTILE],
      original: { subject: HOSTILE, message: HOSTILE },
      messageId: HOSTILE,
    };
  }
  return {
    ...alert,
    kind: 'release',
    versionRolledBack: false,
    familyName: `${alert.familyName} ${HOSTILE}`,
    version: `${alert.version} ${HOSTILE}`,
    releaseDate: HOSTILE,
    details: ['New features:', HOSTILE, `${HOSTILE}:`, HOSTILE],
    previous: { version: HOSTILE, releaseDate: HOSTILE },
    newerKnown: { version: HOSTILE, releaseDate: HOSTILE },
    notices: [HOSTILE],
    windowsServer: [{ windowsServer: HOSTILE, recommendation: HOSTILE, action: 'stay', targetVersion: HOSTILE }],
    caveats: [HOSTILE],
    install: { ssmPackage: HOSTILE, version: HOSTILE, ssmCommand: HOSTILE, downloadUrl: HOSTILE, notes: [HOSTILE] },
    verifyCommand: HOSTILE,
    sourceUrl: 'https://docs.aws.amazon.com/x|<!channel>',
    changelog: { origin: 'live', asOf: HOSTILE },
    original: { subject: HOSTILE, message: HOSTILE },
    messageId: HOSTILE,
  };
}

describe('the main Slack message for AWS PV 8.6.1', () => {
  const { main, thread } = renderSlackMessages(pvAlert());

  test('its header names the driver and version', () => {
    expect(headerText(main)).toBe('AWS PV driver 8.6.1 released');
  });

  test('its notification text says what was released, when, and what changed', () => {
    expect(main.text).toBe('AWS PV 8.6.1 released 2026-07-21: Updated runtime dependencies in the installer package.');
  });

  test('its context line gives the release date, the previous version and where the changelog came from', () => {
    const context = main.blocks[1];
    expect(context?.type).toBe('context');
    const texts = allStrings(context).join(' | ');
    expect(texts).toContain('2026-07-21');
    expect(texts).toContain('8.6.0 (2025-05-27)');
    expect(texts).toContain('live version-history page, as of 2026-07-22T08:30:00.000Z');
  });

  test('it lists what changed', () => {
    expect(sectionStarting(main, '*What changed*')).toContain(
      '• Updated runtime dependencies in the installer package.',
    );
  });

  test('it gives one Windows Server line per version, with the action at a glance', () => {
    const lines = sectionStarting(main, '*Windows Server*').split('\n').slice(1);
    expect(lines).toHaveLength(9);
    expect(lines).toContain(
      ':white_check_mark: *Windows Server 2022*: Install AWS PV 8.6.1 (runs the latest version).',
    );
    expect(lines).toContain(':no_entry: *Windows Server 2025*: AWS PV drivers are not supported on it.');
  });

  test('it tells Windows Server 2012 R2 to stay on AWS PV 8.4.3', () => {
    const line = sectionStarting(main, '*Windows Server*')
      .split('\n')
      .find((candidate) => candidate.includes('Windows Server 2012 R2'));
    expect(line).toBe(
      ':pushpin: *Windows Server 2012 R2*: Stay on AWS PV 8.4.3, the last version for it; do not install AWS PV 8.6.1.',
    );
  });

  test('it names the Systems Manager package and links the versioned download', () => {
    const install = sectionStarting(main, '*Install*');
    expect(install).toContain('`AWSPVDriver`');
    expect(install).toContain(
      '<https://s3.amazonaws.com/ec2-windows-drivers-downloads/AWSPV/8.6.1/AWSPVDriver.zip|AWSPVDriver.zip (8.6.1)>',
    );
  });

  test('it shows the send-command line in a code block', () => {
    expect(sectionTexts(main)).toContain(
      '```\naws ssm send-command --document-name "AWS-ConfigureAWSPackage" --parameters \'{"action":["Install"],"name":["AWSPVDriver"],"version":["8.6.1"],"installationType":["Uninstall and reinstall"]}\' --targets "Key=InstanceIds,Values=i-0123456789abcdef0"\n```',
    );
  });

  test('it shows the PowerShell that prints the installed version in a code block', () => {
    expect(sectionStarting(main, '*Verify*')).toContain(
      "```\n(Get-ItemProperty 'HKLM:\\SOFTWARE\\Amazon\\PVDriver').Version\n```",
    );
  });

  test('it links the version history page', () => {
    expect(controlSequences([main])).toContain(
      '<https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html|AWS PV version history>',
    );
  });

  test('it needs no thread when everything fits', () => {
    expect(thread).toEqual([]);
  });
});

describe('release notes and notices', () => {
  it('reads the notes in the notification preview as sentences, with a separator only where one is missing', () => {
    const alert = enaAlert({ notices: [], details: ['New features:', 'Adds A.', 'Adds B', 'Bug fixes:', 'Fixes C.'] });

    const { main } = renderSlackMessages(alert);

    expect(main.text).toContain('Adds A. Adds B; Fixes C.');
  });

  test('notices come before what changed', () => {
    const { main } = renderSlackMessages(rolledBackEnaAlert());
    const sections = sectionTexts(main);
    const notice = sections.findIndex((text) => text.includes('AWS rolled back ENA 2.5.0: do not install it.'));
    const changes = sections.findIndex((text) => text.startsWith('*What changed*'));
    expect(notice).toBeGreaterThanOrEqual(0);
    expect(notice).toBeLessThan(changes);
    expect(sections[notice]).toContain(':warning: *2.5.0 is older than the newest known good ENA release');
  });

  test('group labels are bold lines and the items under them are bullets', () => {
    const { main } = renderSlackMessages(enaAlert());
    expect(sectionStarting(main, '*What changed*')).toBe(
      [
        '*What changed*',
        '*New features:*',
        '• Added support for dynamic queue allocation with scaling up to 64 I/O queues, subject to instance type limits.',
        '*Bug fixes:*',
        '• Fixed missing handling of error conditions when retrieving the physical DMA address width from the device.',
      ].join('\n'),
    );
  });

  test('a version the history does not list yet says so in place of notes', () => {
    const { main } = renderSlackMessages(nvmeAlert({ details: [], notesPublished: false }));
    expect(sectionStarting(main, '*What changed*')).toContain('does not list this version yet');
  });

  test('the NVMe install command carries its additional argument, escaped quotes intact', () => {
    const { main } = renderSlackMessages(nvmeAlert());
    expect(
      sectionTexts(main).some((text) =>
        text.includes('"additionalArguments":["{\\"SSM_InstallEBSNVMeIdTool\\":\\"Yes\\"}"]'),
      ),
    ).toBe(true);
  });
});

describe('an alert with 200 detail lines', () => {
  const alert = alertWithManyDetailLines(200);
  const rendered = renderSlackMessages(alert);

  test('the main message stays within 50 blocks and shows only the first few lines', () => {
    expect(rendered.main.blocks.length).toBeLessThanOrEqual(50);
    const changes = sectionStarting(rendered.main, '*What changed*');
    expect(changes).toContain('[line 2]');
    expect(changes).not.toContain('[line 6]');
  });

  test('the main message says the full release notes are in the thread', () => {
    expect(sectionStarting(rendered.main, '*What changed*')).toContain('Full release notes in the thread');
  });

  test('the thread carries every detail line, in order', () => {
    const threadText = rendered.thread.flatMap(sectionTexts).join('\n');
    const positions = alert.details
      .filter((line) => line.includes('[line '))
      .map((line) => threadText.indexOf(`• ${line}`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  test('every thread message is within Slack limits and says which part it is', () => {
    expect(rendered.thread.length).toBeGreaterThan(1);
    rendered.thread.forEach((message, index) => {
      expect(limitViolations(message)).toEqual([]);
      expect(sectionTexts(message)[0]).toContain(`(part ${index + 1} of ${rendered.thread.length})`);
    });
  });
});

describe('text that tries to ping or forge links', () => {
  const cases: [string, Alert][] = [
    ['a known release', hostileEverywhere(pvAlert())],
    [
      'a long known release',
      { ...(hostileEverywhere(pvAlert()) as ReleaseAlert), details: Array.from({ length: 30 }, () => HOSTILE) },
    ],
    ['an unrecognised notification', hostileEverywhere(unrecognisedAlert())],
  ];

  test.each(cases)('in %s comes out escaped in every string of the payload', (_name, alert) => {
    const messages = allMessages(renderSlackMessages(alert));
    const strings = messages.flatMap(allStrings);
    for (const needle of [
      '<!channel>',
      '<!here>',
      '<!everyone>',
      '<@U024BE7LH>',
      '<#C024BE7LR>',
      '<!subteam^',
      '|click>',
    ]) {
      expect(strings.filter((text) => text.includes(needle))).toEqual([]);
    }
    expect(strings.some((text) => text.includes('&lt;!channel&gt;'))).toBe(true);
    expect(strings.some((text) => text.includes('&lt;https://evil.example|click&gt;'))).toBe(true);
  });

  test.each(cases)('in %s leaves no control sequence but links to AWS pages', (_name, alert) => {
    const sequences = controlSequences(allMessages(renderSlackMessages(alert)));
    expect(sequences.filter((sequence) => !sequence.startsWith('<https://docs.aws.amazon.com/'))).toEqual([]);
  });

  test('a URL from outside that is not http(s) is shown as text, not linked', () => {
    const { main } = renderSlackMessages(pvAlert({ sourceUrl: 'javascript:alert(1)' }));
    expect(controlSequences([main]).filter((sequence) => sequence.includes('javascript'))).toEqual([]);
  });
});

describe('huge input', () => {
  const hundredKb = Array.from({ length: 2000 }, (_, i) => `Line ${i} <!channel> & ${'x'.repeat(40)}`).join('\n');
  const oneLongLine = '😀<&>'.repeat(25_000);
  const cases: [string, Alert][] = [
    ['a 100 KB unrecognised message', unrecognisedAlert({ original: { subject: hundredKb, message: hundredKb } })],
    ['a 100 KB message on one line', unrecognisedAlert({ original: { subject: oneLongLine, message: oneLongLine } })],
    [
      'a known release with 100 KB in every field',
      {
        ...pvAlert(),
        version: oneLongLine,
        details: [oneLongLine, 'Bug fixes:', hundredKb],
        notices: [oneLongLine, hundredKb],
        windowsServer: Array.from({ length: 40 }, () => ({
          windowsServer: oneLongLine,
          recommendation: hundredKb,
          action: 'install' as const,
          targetVersion: oneLongLine,
        })),
        caveats: [hundredKb, oneLongLine],
        install: {
          ssmPackage: oneLongLine,
          version: oneLongLine,
          ssmCommand: hundredKb,
          downloadUrl: oneLongLine,
          notes: [hundredKb],
        },
        verifyCommand: oneLongLine,
        changelog: { origin: 'live', asOf: oneLongLine },
        original: { subject: hundredKb, message: hundredKb },
      },
    ],
  ];

  test.each(cases)('%s keeps every message within every Slack limit', (_name, alert) => {
    for (const message of allMessages(renderSlackMessages(alert))) expect(limitViolations(message)).toEqual([]);
  });

  test.each(cases)('%s keeps the thread to at most 20 replies', (_name, alert) => {
    expect(renderSlackMessages(alert).thread.length).toBeLessThanOrEqual(20);
  });

  test('a long unrecognised message is previewed in main and carried whole in the thread', () => {
    const rendered = renderSlackMessages(unrecognisedAlert({ original: { subject: 'Drivers', message: hundredKb } }));
    expect(sectionStarting(rendered.main, '*Message:*')).toContain('Line 0 &lt;!channel&gt; &amp;');
    expect(sectionTexts(rendered.main)).toContain('_The full notification is in the thread._');
    const threadText = rendered.thread.flatMap(sectionTexts).join('\n');
    for (const i of [0, 500, 1000, 1999]) expect(threadText).toContain(`Line ${i} &lt;!channel&gt; &amp; `);
  });
});

describe('an unrecognised notification', () => {
  const { main, thread } = renderSlackMessages(unrecognisedAlert());

  test('has the not-recognised header', () => {
    expect(headerText(main)).toBe('EC2 Windows drivers notification (not recognised)');
  });

  test('says the relay could not identify the driver and forwards it as it came', () => {
    expect(sectionTexts(main)[0]).toBe(
      'The relay could not identify the driver in this notification and is forwarding it as it came.',
    );
  });

  test('forwards the original subject and message', () => {
    expect(sectionTexts(main)).toContain('*Subject:* New EC2 Windows drivers now available');
    expect(sectionStarting(main, '*Message:*')).toBe(
      '*Message:*\n```\nNew versions of the Amazon EC2 Windows drivers have been released.\n\nSee the version history pages in the Amazon EC2 User Guide for details.\n\nRegards,\nAmazon EC2 for Windows Team\n```',
    );
    expect(thread).toEqual([]);
  });

  test('uses the original subject as notification text', () => {
    expect(main.text).toBe('EC2 Windows drivers notification (not recognised): New EC2 Windows drivers now available');
  });
});

describe('code blocks', () => {
  const fenced = 'before ```\n*not bold* <!channel>\n``` after ````` end';

  test('survive an unrecognised message containing ```', () => {
    const message = sectionStarting(
      renderSlackMessages(unrecognisedAlert({ original: { subject: 'x', message: fenced } })).main,
      '*Message:*',
    );
    expect(message.match(/```/g)).toHaveLength(2);
    expect(message.startsWith('*Message:*\n```\n')).toBe(true);
    expect(message.endsWith('\n```')).toBe(true);
  });

  test('survive a verify command containing ```', () => {
    const verify = sectionStarting(renderSlackMessages(pvAlert({ verifyCommand: fenced })).main, '*Verify*');
    expect(verify.match(/```/g)).toHaveLength(2);
    expect(verify).toContain('&lt;!channel&gt;');
  });

  test('are not opened by release notes containing ```', () => {
    const { main } = renderSlackMessages(pvAlert({ details: [fenced] }));
    expect(sectionStarting(main, '*What changed*')).not.toContain('```');
  });
});
