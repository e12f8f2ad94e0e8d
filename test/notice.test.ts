import { readNotice } from '../lambda/core/notice';

/** Family and version of each alert a notice yields (kinds are pinned by the notice corpus). */
function findAnnouncements(subject: string | null, message: string) {
  return readNotice(subject, message).map(({ family, version }) => ({ family, version }));
}

import { loadEvent } from './support/events';

/** The announcements in a fixture's single record, read from Subject and Message as the relay reads them. */
function announcedIn(fixture: string) {
  const { Sns } = loadEvent(fixture).Records[0] ?? { Sns: undefined };
  if (Sns === undefined) throw new Error(`${fixture} has no record`);
  return findAnnouncements(Sns.Subject ?? null, Sns.Message);
}

describe('fixture notifications', () => {
  test('the AWS PV 8.6.1 notice announces AWS PV 8.6.1 only, not the versions its guidance mentions', () => {
    expect(announcedIn('pv-8.6.1')).toEqual([{ family: 'aws-pv', version: '8.6.1' }]);
  });

  test('the ENA notice announces ENA 2.11.0', () => {
    expect(announcedIn('ena-2.11.0')).toEqual([{ family: 'ena', version: '2.11.0' }]);
  });

  test('the NVMe notice announces AWS NVMe 1.8.2', () => {
    expect(announcedIn('nvme-1.8.2')).toEqual([{ family: 'nvme', version: '1.8.2' }]);
  });

  test('the EC2WinUtil notice announces EC2WinUtil 3.2.0', () => {
    expect(announcedIn('ec2winutil-3.2.0')).toEqual([{ family: 'ec2winutil', version: '3.2.0' }]);
  });

  test('a four-part version in the notice is announced in its normal form', () => {
    expect(announcedIn('pv-4-part-version')).toEqual([{ family: 'aws-pv', version: '8.6.1' }]);
  });

  test('a notice announcing ENA and NVMe together yields both, in the order the subject names them', () => {
    expect(announcedIn('multi-driver')).toEqual([
      { family: 'ena', version: '2.11.0' },
      { family: 'nvme', version: '1.8.2' },
    ]);
  });

  test('a maintenance notice that names no driver yields nothing', () => {
    expect(announcedIn('unknown')).toEqual([]);
  });

  test('an older release is announced as the version the notice gives', () => {
    expect(announcedIn('pv-older-8.5.0')).toEqual([{ family: 'aws-pv', version: '8.5.0' }]);
  });

  test('a version no changelog lists yet is announced all the same', () => {
    expect(announcedIn('future-version')).toEqual([{ family: 'ena', version: '2.12.0' }]);
  });

  test('a notice without a subject is read from its message', () => {
    expect(announcedIn('no-subject')).toEqual([{ family: 'aws-pv', version: '8.6.1' }]);
  });
});

describe('phrasings', () => {
  test.each([
    ['AWS PV driver version 8.6.1 is now available', 'aws-pv', '8.6.1'],
    ['AWS PV drivers 8.6.1 released', 'aws-pv', '8.6.1'],
    ['New paravirtual drivers, version 8.6.1', 'aws-pv', '8.6.1'],
    ['The PV driver package 8.6.1 is out', 'aws-pv', '8.6.1'],
    ['AWSPVDriver 8.6.1 is in Distributor', 'aws-pv', '8.6.1'],
    ['version 8.6.1 of the AWS PV drivers is now available', 'aws-pv', '8.6.1'],
    ['New ENA driver 2.11.0', 'ena', '2.11.0'],
    ['The Elastic Network Adapter (ENA) driver for Windows, version 2.11.0, is now available', 'ena', '2.11.0'],
    ['AwsEnaNetworkDriver 2.11.0 published', 'ena', '2.11.0'],
    ['AWS NVMe Driver v1.8.2 released', 'nvme', '1.8.2'],
    ['NVMe driver 1.8.2', 'nvme', '1.8.2'],
    ['AWSNVMe package 1.8.2 now in Distributor', 'nvme', '1.8.2'],
    ['EC2WinUtil 3.2.0 released', 'ec2winutil', '3.2.0'],
    ['EC2 Windows Utility driver version 3.2.0 now available', 'ec2winutil', '3.2.0'],
    ['AWS PV driver ver. 8.6.1', 'aws-pv', '8.6.1'],
    ['ENA 2.11', 'ena', '2.11'],
  ])('"%s" announces %s %s', (text, family, version) => {
    expect(findAnnouncements(null, text)).toEqual([{ family, version }]);
  });

  test.each([
    ['https://s3.amazonaws.com/ec2-windows-drivers-downloads/AWSPV/8.6.1/AWSPVDriver.zip', 'aws-pv', '8.6.1'],
    ['https://s3.amazonaws.com/ec2-windows-drivers-downloads/ENA/x64/2.11.0/AwsEnaNetworkDriver.zip', 'ena', '2.11.0'],
    ['https://s3.amazonaws.com/ec2-windows-drivers-downloads/ENA/2.2.2/AwsEnaNetworkDriver.zip', 'ena', '2.2.2'],
    ['https://s3.amazonaws.com/ec2-windows-drivers-downloads/NVMe/1.8.2/AWSNVMe.zip', 'nvme', '1.8.2'],
    ['https://s3.amazonaws.com/ec2-windows-drivers-downloads/EC2WinUtil/3.2.0/EC2WinUtil.zip', 'ec2winutil', '3.2.0'],
    [
      'https://s3.cn-north-1.amazonaws.com.cn/ec2-windows-drivers-downloads-cn/AWSPV/8.6.1/AWSPVDriver.zip',
      'aws-pv',
      '8.6.1',
    ],
  ])('the download link %s announces %s %s', (url, family, version) => {
    expect(findAnnouncements(null, `Download: ${url}.`)).toEqual([{ family, version }]);
  });

  test('a version in the subject is found when the message gives none', () => {
    expect(findAnnouncements('AWS PV 8.6.1 released', 'See the release notes for details.')).toEqual([
      { family: 'aws-pv', version: '8.6.1' },
    ]);
  });

  test('a version goes to the driver named nearest before it in the sentence', () => {
    expect(findAnnouncements(null, 'This ENA update follows the AWS NVMe release, now at 1.8.2.')).toEqual([
      { family: 'ena', version: null },
      { family: 'nvme', version: '1.8.2' },
    ]);
  });

  test('a version in a later sentence without a driver name is not attributed', () => {
    expect(findAnnouncements(null, 'The ENA driver has been updated. Build 2.11.0 is tagged.')).toEqual([
      { family: 'ena', version: null },
    ]);
  });

  test('a driver named without a version is announced with version null', () => {
    expect(findAnnouncements('AWS PV driver update', 'A new AWS PV driver is available.')).toEqual([
      { family: 'aws-pv', version: null },
    ]);
  });

  test('two versions of the same driver are one alert, about the first; the other is named beside it', () => {
    const [notice, ...rest] = readNotice(null, 'AWS PV 8.6.1 and 8.6.2 are now available.');
    expect(rest).toEqual([]);
    expect(notice).toMatchObject({ family: 'aws-pv', version: '8.6.1', alsoNamed: ['8.6.2'] });
  });
});

describe('other drivers and products', () => {
  test('Citrix PV and its version are not taken as AWS PV', () => {
    expect(findAnnouncements(null, 'Windows Server 2008 instances should run Citrix PV 5.9.')).toEqual([]);
  });

  test('Red Hat PV, written either way, is not taken as AWS PV', () => {
    expect(findAnnouncements(null, 'Red Hat PV 1.3.10 is not recommended. RedHat PV drivers 1.3.10 can fail.')).toEqual(
      [],
    );
  });

  test('an AWS PV announcement that also mentions Citrix PV 5.9 announces only AWS PV', () => {
    expect(
      findAnnouncements(null, 'AWS PV 8.6.1 is available; Windows Server 2003 and 2008 stay on Citrix PV 5.9.'),
    ).toEqual([{ family: 'aws-pv', version: '8.6.1' }]);
  });

  test('versions of other products in a driver sentence are not driver versions', () => {
    const text = 'The AWS PV driver installer needs PowerShell 5.1 and EC2Launch 2.0.1 on Windows 10.';
    expect(findAnnouncements(null, text)).toEqual([{ family: 'aws-pv', version: null }]);
  });

  test('versions the driver replaces or that older Windows Server versions stay on are not announced', () => {
    const text =
      'ENA 2.11.0 replaces 2.10.0. Upgrade from ENA 2.9.0 when convenient. Windows Server 2012 R2 should stay on ENA 2.6.0, and 2008 R2 on 2.2.3 or earlier.';
    expect(findAnnouncements(null, text)).toEqual([{ family: 'ena', version: '2.11.0' }]);
  });

  test('a sentence that merely mentions keeping instances current still announces its version', () => {
    expect(findAnnouncements(null, 'Keep your instances current: AWS PV 8.6.1 is now available.')).toEqual([
      { family: 'aws-pv', version: '8.6.1' },
    ]);
  });
});

describe('versions given as a reference point rather than a release', () => {
  test('guidance split by a semicolon keeps what older Windows Server versions stay on out of the announcements', () => {
    const text =
      'ENA 2.11.0 is now available. Windows Server 2012 and 2012 R2 instances should stay on ENA 2.6.0; Windows Server 2008 R2 on ENA 2.2.3.';
    expect(findAnnouncements(null, text)).toEqual([{ family: 'ena', version: '2.11.0' }]);
  });

  test('"should remain on" guidance over several semicolon clauses announces only the new release', () => {
    const text =
      'AWS PV 8.6.1 is now available. Windows Server 2012 and 2012 R2 should remain on 8.4.3; Windows Server 2008 R2 on 8.3.5.';
    expect(findAnnouncements(null, text)).toEqual([{ family: 'aws-pv', version: '8.6.1' }]);
  });

  test('a stay-on clause followed by a named clause for each older Windows Server announces nothing it names', () => {
    const text =
      'AWS PV 8.6.1 is now available. Windows Server 2012 R2 stays on AWS PV 8.4.3; 2008 R2 on AWS PV 8.3.5; 2003 at Citrix PV 5.9.';
    expect(findAnnouncements(null, text)).toEqual([{ family: 'aws-pv', version: '8.6.1' }]);
  });

  test('a list of releases separated by semicolons still announces each of them', () => {
    expect(findAnnouncements(null, 'New releases: ENA 2.11.0; NVMe 1.8.2.')).toEqual([
      { family: 'ena', version: '2.11.0' },
      { family: 'nvme', version: '1.8.2' },
    ]);
  });

  test('a release after a stay-on clause and a semicolon is still announced', () => {
    const text = 'Windows Server 2012 R2 should stay on ENA 2.6.0; ENA 2.11.0 is now available for newer versions.';
    expect(findAnnouncements(null, text)).toEqual([{ family: 'ena', version: '2.11.0' }]);
  });

  test('a requirement stated after a semicolon does not hide the releases before it', () => {
    const text = 'ENA 2.11.0 and AWS NVMe 1.8.2 are now available; ENA 2.11.0 requires Windows Server 2016 or later.';
    expect(findAnnouncements(null, text)).toEqual([
      { family: 'ena', version: '2.11.0' },
      { family: 'nvme', version: '1.8.2' },
    ]);
  });

  test.each([
    ['This release requires AWS PV 8.4.0 or later.'],
    ['This release requires AWS PV 8.4.0.'],
    ['The installer needs AWS PV driver version 8.4.0.'],
    ['AWS PV 8.4.0 or later is required.'],
    ['Supported on AWS PV 8.4.0 and later.'],
    ['Supported on AWS PV 8.4.0 and newer.'],
    ['Supported on AWS PV 8.4.0 or higher.'],
    ['Supported on AWS PV 8.4.0 or above.'],
    ['Supported on AWS PV 8.4.0+.'],
    ['The feature needs AWS PV 8.4.0+ on Windows Server 2016.'],
    ['Required: the installed driver is AWS PV 8.4.0 or later and EC2Launch 2.0.1.'],
  ])('"%s" names a minimum version and announces no release of it', (text) => {
    expect(findAnnouncements(null, text)).toEqual([{ family: 'aws-pv', version: null }]);
  });

  test('a driver named only to say who is not affected gets no alert', () => {
    expect(findAnnouncements(null, 'Instances on AWS PV 8.4.0 or newer are not affected.')).toEqual([]);
  });

  test('a requirement listing two driver versions announces neither', () => {
    const text = 'This release requires AWS PV 8.4.0 and ENA 2.10.0.';
    expect(findAnnouncements(null, text)).toEqual([
      { family: 'aws-pv', version: null },
      { family: 'ena', version: null },
    ]);
  });

  test.each([
    ['ENA 2.11.0 supersedes ENA 2.10.0.'],
    ['ENA 2.11.0 is now available, replacing ENA 2.10.0.'],
    ['ENA 2.11.0 replaces 2.10.0 and 2.9.0.'],
    ['ENA 2.11.0 is now available. The previous version, ENA 2.10.0, was rolled back.'],
    ['ENA 2.11.0 is now available. Install it instead of ENA 2.10.0.'],
    ['ENA 2.11.0 is now available (previous version: 2.10.0).'],
    ['The ENA driver moves from version 2.10.0 to 2.11.0.'],
    ['ENA 2.11.0 is now available. Upgrade from ENA 2.10.0 during your next maintenance window.'],
    ['ENA 2.11.0 is now available. ENA 2.2.3 is the last version for Windows Server 2008 R2.'],
    ['ENA 2.11.0 is now available. The last version for Windows Server 2008 R2 is ENA 2.2.3.'],
    ['ENA 2.11.0 is now available. Earlier ENA versions 2.10.0 and 2.9.0 can drop packets.'],
    ['ENA 2.11.0 fixes a bug in ENA drivers prior to 2.10.0.'],
    ['ENA 2.11.0 fixes a bug in versions of ENA before 2.10.0.'],
  ])('"%s" announces only ENA 2.11.0', (text) => {
    expect(findAnnouncements(null, text)).toEqual([{ family: 'ena', version: '2.11.0' }]);
  });

  test('an upgrade from one version to another announces the version upgraded to', () => {
    expect(findAnnouncements(null, 'Upgrade from AWS PV 8.5.0 to AWS PV 8.6.1 today.')).toEqual([
      { family: 'aws-pv', version: '8.6.1' },
    ]);
  });
});

describe('numbers that are not versions', () => {
  test.each([
    ['a year-first date', 'AWS PV drivers released 2026.07.21'],
    ['a day-first date', 'AWS PV drivers released 21.07.2026'],
    ['a dashed date', 'AWS PV drivers released 2026-07-21'],
    ['Windows Server years', 'AWS PV drivers for Windows Server 2019, 2016 and 2012 R2'],
    ['an IP address', 'AWS PV drivers restore access to 169.254.169.254'],
    ['a private IP address', 'AWS PV drivers tested against 10.0.0.1'],
    ['an address with a port', 'AWS PV drivers log to 127.0.0.1:8080'],
    ['a KB number', 'AWS PV drivers need KB5034441'],
    ['a time', 'AWS PV drivers rolled out at 10.30 am'],
    ['a time with a timezone', 'AWS PV drivers rolled out at 17.45 UTC'],
    ['a percentage', 'AWS PV drivers are 12.5% faster'],
    ['a rate', 'AWS PV drivers reach 2.5 Gbps'],
    ['a two-part number with no version word', 'AWS PV drivers improve boot time by 2.5 on average'],
    ['a number in an unrelated link', 'AWS PV drivers: see https://example.com/docs/8.6.1/notes'],
    ['Windows 10', 'AWS PV drivers for Windows 10'],
  ])('%s is not taken as a version', (_, text) => {
    expect(findAnnouncements(null, text)).toEqual([{ family: 'aws-pv', version: null }]);
  });

  test('a message with no recognisable driver yields nothing', () => {
    expect(findAnnouncements('Notice', 'Version 2.11.0 is available on Windows Server 2022.')).toEqual([]);
  });
});

describe('several announcements', () => {
  test('drivers come in order of first mention', () => {
    expect(findAnnouncements(null, 'ENA 2.11.0 and AWS NVMe 1.8.2 are now available.')).toEqual([
      { family: 'ena', version: '2.11.0' },
      { family: 'nvme', version: '1.8.2' },
    ]);
  });

  test('the same release named in subject and message counts once', () => {
    expect(
      findAnnouncements('New ENA driver 2.11.0', 'ENA 2.11.0 is available. Download ENA 2.11.0.0 from the bucket.'),
    ).toEqual([{ family: 'ena', version: '2.11.0' }]);
  });

  test('a driver named without a version is left out when another sentence gives its version', () => {
    expect(findAnnouncements('New AWS NVMe driver', 'The AWS NVMe driver 1.8.2 is now available.')).toEqual([
      { family: 'nvme', version: '1.8.2' },
    ]);
  });

  test('a driver named without a version is kept beside another driver with one', () => {
    expect(findAnnouncements(null, 'ENA 2.11.0 is available. An EC2WinUtil driver update follows.')).toEqual([
      { family: 'ena', version: '2.11.0' },
      { family: 'ec2winutil', version: null },
    ]);
  });

  test('NVMe named only in passing is not announced beside a real release', () => {
    expect(findAnnouncements(null, 'ENA 2.11.0 is available for instances with NVMe instance store.')).toEqual([
      { family: 'ena', version: '2.11.0' },
    ]);
  });
});

describe('hostile input', () => {
  test('a 100 KB message of digits and dots is read in well under a second', () => {
    const started = performance.now();
    expect(findAnnouncements('AWS PV', `AWS PV ${'1.'.repeat(50_000)}`)).toEqual([{ family: 'aws-pv', version: null }]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  // How fast is measured by `npm run bench`, not here: a busy machine must not fail this.
  test('100 KB of repeated driver names and versions is read whole', () => {
    const text = 'the the AWS PV driver version v8.6.1 and the ENA (Elastic Network '.repeat(1_500);
    expect(findAnnouncements(text, text)).toEqual([
      { family: 'aws-pv', version: '8.6.1' },
      { family: 'ena', version: null },
    ]);
  });

  test('control characters, other scripts and lone surrogates do not stop a version being found', () => {
    const text = '\u0000\u202e新版本\uD800 ENA\u00a0驱动程序\u0007 2.11.0\u3002';
    expect(findAnnouncements(null, text)).toEqual([{ family: 'ena', version: '2.11.0' }]);
  });
});
