import { renderText } from '../lambda/core/terminal-text.js';
import { enaAlert, pvAlert, rolledBackEnaAlert, unrecognisedAlert } from './support/alerts.js';

describe('an alert read in a terminal', () => {
  test('opens with an underlined heading naming the driver and version', () => {
    expect(renderText(pvAlert()).startsWith('AWS PV driver 8.6.1 released\n============================\n')).toBe(true);
  });

  test('gives the release date, previous version and changelog source under the heading', () => {
    expect(renderText(pvAlert())).toContain(
      'Released 2026-07-21\nPrevious: 8.6.0 (2025-05-27)\nChangelog: live version-history page, as of 2026-07-22T08:30:00.000Z\n',
    );
  });

  test('lists group labels with their items indented beneath them', () => {
    expect(renderText(enaAlert())).toContain(
      [
        'What changed',
        '------------',
        '  New features:',
        '    - Added support for dynamic queue allocation with scaling up to 64 I/O queues, subject to instance type limits.',
        '  Bug fixes:',
        '    - Fixed missing handling of error conditions when retrieving the physical DMA address width from the device.',
      ].join('\n'),
    );
  });

  test('tags each Windows Server line with what to do, in one column', () => {
    const text = renderText(pvAlert());
    expect(text).toContain('  [INSTALL]        Windows Server 2022: Install AWS PV 8.6.1 (runs the latest version).');
    expect(text).toContain(
      '  [STAY]           Windows Server 2012 R2: Stay on AWS PV 8.4.3, the last version for it; do not install AWS PV 8.6.1.',
    );
    expect(text).toContain('  [NOT SUPPORTED]  Windows Server 2025: AWS PV drivers are not supported on it.');
  });

  test('puts notices right after the heading', () => {
    const text = renderText(rolledBackEnaAlert());
    expect(text).toContain(
      'as of 2026-07-01\n\n! AWS rolled back ENA 2.5.0: do not install it. Instances that run it should go to ENA 2.11.0.\n! 2.5.0 is older',
    );
  });

  test('indents commands so they can be copied whole', () => {
    expect(renderText(pvAlert())).toContain(
      "Verify\n------\n  In PowerShell on the instance:\n    (Get-ItemProperty 'HKLM:\\SOFTWARE\\Amazon\\PVDriver').Version\n",
    );
  });

  test('forwards an unrecognised notification with its original text', () => {
    expect(renderText(unrecognisedAlert())).toBe(
      [
        'EC2 Windows drivers notification (not recognised)',
        '=================================================',
        'The relay could not identify the driver in this notification and is forwarding it as it came.',
        '',
        "AWS's notice as it came",
        '-----------------------',
        '  Subject: New EC2 Windows drivers now available',
        '',
        '    New versions of the Amazon EC2 Windows drivers have been released.',
        '',
        '    See the version history pages in the Amazon EC2 User Guide for details.',
        '',
        '    Regards,',
        '    Amazon EC2 for Windows Team',
        '',
      ].join('\n'),
    );
  });
});

/** C0 and C1 control characters other than tab and line feed, as U+ codes. */
function controlCharacters(text: string): string[] {
  return [...text]
    .map((char) => char.codePointAt(0) ?? 0)
    .filter((code) => (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f))
    .map((code) => `U+${code.toString(16).padStart(4, '0')}`);
}

describe('hostile text', () => {
  const hostile = 'ok\u001b[2J\u001b[H\u001b]0;pwned\u0007 fake\rover\u009b31m \u202Eesrever\u2066';
  const text = renderText(
    pvAlert({
      familyName: hostile,
      version: hostile,
      details: [hostile],
      notices: [hostile],
      caveats: [hostile],
      original: { subject: hostile, message: `${hostile}\nsecond line` },
    }),
  );

  test('cannot send escape sequences, bells or carriage returns to the terminal', () => {
    expect(controlCharacters(text)).toEqual([]);
  });

  test('cannot reorder what is shown with bidi overrides', () => {
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  test('keeps the readable part of the text', () => {
    expect(text).toContain('  - ok[2J[H]0;pwned fake over31m esrever');
  });

  test('keeps a carriage return in the original message from overwriting a line: it starts a new indented one', () => {
    expect(text).toContain('    ok[2J[H]0;pwned fake\n    over31m esrever\n    second line');
  });
});
