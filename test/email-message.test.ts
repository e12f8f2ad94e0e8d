import { renderEmail } from '../lambda/core/email-message.js';
import {
  alertWithManyDetailLines,
  nvmeAlert,
  pvAlert,
  rolledBackEnaAlert,
  unrecognisedAlert,
} from './support/alerts.js';

/** What SNS accepts as a Subject: ASCII printable, first a letter, number or punctuation, under 100 chars. */
function snsRejects(subject: string): string[] {
  const problems: string[] = [];
  if (subject.length >= 100) problems.push(`${subject.length} chars`);
  if (!/^[\x20-\x7E]*$/.test(subject)) problems.push('not ASCII printable');
  if (!/^[A-Za-z0-9!-/:-@[-`{-~]/.test(subject)) problems.push('bad first character');
  return problems;
}

describe('the subject', () => {
  test('names the driver, version and release date', () => {
    expect(renderEmail(pvAlert()).subject).toBe('[EC2 drivers] AWS PV 8.6.1 released 2026-07-21');
  });

  test('of an unrecognised notification carries its original subject', () => {
    expect(renderEmail(unrecognisedAlert()).subject).toBe(
      '[EC2 drivers] Unrecognised notification: New EC2 Windows drivers now available',
    );
  });

  test('is ASCII and short enough for SNS even for a 500-character unicode subject', () => {
    const subject = 'Pilote réseau – « version » 2.11.0 😀 驱动程序\n\t'.repeat(12).slice(0, 500);
    const rendered = renderEmail(unrecognisedAlert({ original: { subject, message: 'x' } })).subject;
    expect(snsRejects(rendered)).toEqual([]);
    expect(
      rendered.startsWith('[EC2 drivers] Unrecognised notification: Pilote reseau - " version " 2.11.0 Pilote'),
    ).toBe(true);
    expect(rendered.endsWith('...')).toBe(true);
  });

  test('drops a subject with no ASCII form rather than sending one SNS would refuse', () => {
    const rendered = renderEmail(unrecognisedAlert({ original: { subject: '驱动程序更新', message: 'x' } })).subject;
    expect(rendered).toBe('[EC2 drivers] Unrecognised notification');
  });

  test('stays valid when the version itself is long and odd', () => {
    const rendered = renderEmail(pvAlert({ version: `8.6.1\u0000\r\n${'ü'.repeat(300)}` })).subject;
    expect(snsRejects(rendered)).toEqual([]);
  });
});

describe('the body', () => {
  test('carries every detail line of a long changelog entry', () => {
    const alert = alertWithManyDetailLines(200);
    const body = renderEmail(alert).body;
    for (const line of alert.details) expect(body).toContain(line);
  });

  test('gives the Windows Server guidance, 2012 R2 staying on 8.4.3', () => {
    expect(renderEmail(pvAlert()).body).toContain(
      '[STAY]           Windows Server 2012 R2: Stay on AWS PV 8.4.3, the last version for it; do not install AWS PV 8.6.1.',
    );
  });

  test('shows the notices first', () => {
    const body = renderEmail(rolledBackEnaAlert()).body;
    expect(body.indexOf('! AWS rolled back ENA 2.5.0: do not install it.')).toBeLessThan(body.indexOf('What changed'));
  });

  test('gives the install command, download, verify command and history link', () => {
    const body = renderEmail(nvmeAlert()).body;
    expect(body).toContain(
      '    aws ssm send-command --document-name "AWS-ConfigureAWSPackage" --parameters \'{"action":["Install"],"name":["AWSNVMe"],"version":["1.8.1"],"additionalArguments":["{\\"SSM_InstallEBSNVMeIdTool\\":\\"Yes\\"}"]}\'',
    );
    expect(body).toContain('  Download: https://s3.amazonaws.com/ec2-windows-drivers-downloads/NVMe/1.8.1/AWSNVMe.zip');
    expect(body).toContain(
      "    Get-CimInstance Win32_PnPSignedDriver | Where-Object DeviceName -like '*NVMe Elastic Block Storage*' | Select-Object DeviceName, DriverVersion",
    );
    expect(body).toContain(
      '  AWS NVMe version history: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/nvme-driver-version-history.html',
    );
  });

  test('ends with the original subject and message', () => {
    const body = renderEmail(pvAlert()).body;
    const original = body.indexOf("AWS's notice as it came");
    expect(original).toBeGreaterThan(body.indexOf('Verify'));
    expect(body.slice(original)).toContain('Subject: AWS PV Driver 8.6.1 Released');
    expect(body.slice(original)).toContain('    Regards,\n    Amazon EC2 for Windows Team');
  });

  test('is plain text: no mrkdwn, no HTML entities, no Slack links', () => {
    const body = renderEmail(pvAlert({ details: ['Fixed <b>bold</b> & more'] })).body;
    expect(body).toContain('  - Fixed <b>bold</b> & more');
    expect(body).not.toMatch(/&amp;|&lt;|\*What changed\*|<https?:/);
  });

  test('stays well under the SNS 256 KB limit and says when it was cut', () => {
    const message = '驱动程序 <!channel> '.repeat(40_000);
    const body = renderEmail(unrecognisedAlert({ original: { subject: 'x', message } })).body;
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(200 * 1024);
    expect(body).toContain('(truncated)');
    expect(body).toMatch(/Sent by ec2-driver-relay for SNS message c83c6837-707d-5cb0-a737-3afca0539aa2\.\n$/);
  });

  test('is not cut when it fits', () => {
    expect(renderEmail(alertWithManyDetailLines(200)).body).not.toContain('(truncated)');
  });
});
