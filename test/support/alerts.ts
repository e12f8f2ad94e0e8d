/**
 * Realistic Alerts for renderer tests, built from the facts in shared/reference (driver-facts.md and the
 * version-history copies in changelogs/*.txt). No verbatim message of the ec2-windows-drivers topic is
 * public, so the `original` texts are written in the style of the sibling ec2-windows-ami-update topic.
 * Each builder takes overrides so a test can change only what it is about.
 */
import type { ReleaseAlert, RollbackAlert, UnrecognisedAlert, WindowsServerGuidance } from '../../lambda/core/alert.js';
import { unknownAlert } from '../../lambda/core/enrich.js';

const PV_HISTORY = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html';
const ENA_HISTORY = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ena-driver-releases-windows.html';
const NVME_HISTORY = 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/nvme-driver-version-history.html';
const DOWNLOADS = 'https://s3.amazonaws.com/ec2-windows-drivers-downloads';

const TRY_ONE_INSTANCE_FIRST =
  'Try one instance first (replace the instance ID), then target a tag (Key=tag:<name>,Values=<value>) or use a State Manager association (aws ssm create-association --name AWS-ConfigureAWSPackage).';

function guidance(
  windowsServer: string,
  action: WindowsServerGuidance['action'],
  recommendation: string,
  /** @default the first version the recommendation names ("Stay on ENA 2.6.0, ...", "Install AWS PV 8.6.1 ...") */
  target?: string | null,
): WindowsServerGuidance {
  const named = recommendation.match(/\d+\.\d+\.\d+/g)?.[0] ?? null;
  const targetVersion = target !== undefined ? target : action === 'unsupported' || action === 'other' ? null : named;
  return { windowsServer: `Windows Server ${windowsServer}`, action, recommendation, targetVersion };
}

function ssmCommand(parameters: Record<string, string[]>): string {
  return `aws ssm send-command --document-name "AWS-ConfigureAWSPackage" --parameters '${JSON.stringify(parameters)}' --targets "Key=InstanceIds,Values=i-0123456789abcdef0"`;
}

/** AWS PV 8.6.1 (July 21, 2026), with the PV page's Windows Server table as guidance. */
export function pvAlert(overrides: Partial<ReleaseAlert> = {}): ReleaseAlert {
  const downloadUrl = `${DOWNLOADS}/AWSPV/8.6.1/AWSPVDriver.zip`;
  return {
    messageId: '0f6a1c52-8d3e-5b7a-9c41-6e2d8b1f3a70',
    index: 0,
    kind: 'release',
    versionRolledBack: false,
    family: 'aws-pv',
    familyName: 'AWS PV',
    version: '8.6.1',
    releaseDate: '2026-07-21',
    details: ['Updated runtime dependencies in the installer package.'],
    notesPublished: true,
    source: 'notice',
    previous: { version: '8.6.0', releaseDate: '2025-05-27' },
    newerKnown: null,
    notices: [],
    windowsServer: [
      guidance('2025', 'unsupported', 'AWS PV drivers are not supported on it.'),
      guidance('2022', 'install', 'Install AWS PV 8.6.1 (runs the latest version).'),
      guidance('2019', 'install', 'Install AWS PV 8.6.1 (runs the latest version).'),
      guidance('2016', 'install', 'Install AWS PV 8.6.1 (runs the latest version).'),
      guidance('2012 R2', 'stay', 'Stay on AWS PV 8.4.3, the last version for it; do not install AWS PV 8.6.1.'),
      guidance('2012', 'stay', 'Stay on AWS PV 8.4.3, the last version for it; do not install AWS PV 8.6.1.'),
      guidance('2008 R2', 'stay', 'Stay on AWS PV 8.3.5, the last version for it; do not install AWS PV 8.6.1.'),
      guidance('2008', 'other', 'Use Citrix PV 5.9; AWS PV drivers do not apply.'),
      guidance('2003', 'other', 'Use Citrix PV 5.9; AWS PV drivers do not apply.'),
    ],
    caveats: [
      'AWS PV drivers are used on Xen instance types only. Nitro instances use the ENA and NVMe drivers instead; there the AWS PV drivers are not used and the LiteAgent service stops itself (8.2.4 and later).',
      'Take an AMI or EBS snapshot of the instance before upgrading storage and network drivers.',
    ],
    install: {
      ssmPackage: 'AWSPVDriver',
      version: '8.6.1',
      ssmCommand: ssmCommand({
        action: ['Install'],
        name: ['AWSPVDriver'],
        version: ['8.6.1'],
        installationType: ['Uninstall and reinstall'],
      }),
      downloadUrl,
      notes: [
        TRY_ONE_INSTANCE_FIRST,
        'The upgrade reboots the instance, which can be unavailable for up to 15 minutes.',
      ],
    },
    verifyCommand: "(Get-ItemProperty 'HKLM:\\SOFTWARE\\Amazon\\PVDriver').Version",
    sourceUrl: PV_HISTORY,
    changelog: { origin: 'live', asOf: '2026-07-22T08:30:00.000Z' },
    original: {
      subject: 'AWS PV Driver 8.6.1 Released',
      message:
        'A new version of the AWS PV driver, 8.6.1, is now available.\n\nChanges:\n• Updated runtime dependencies in the installer package.\n\nDownload: https://s3.amazonaws.com/ec2-windows-drivers-downloads/AWSPV/8.6.1/AWSPVDriver.zip\n\nRegards,\nAmazon EC2 for Windows Team',
    },
    ...overrides,
  };
}

const ENA_GUIDANCE_2_11_0: readonly WindowsServerGuidance[] = [
  guidance('2025', 'install', 'Install ENA 2.11.0 (runs the latest version).'),
  guidance('2022', 'install', 'Install ENA 2.11.0 (runs the latest version).'),
  guidance('2019', 'install', 'Install ENA 2.11.0 (runs the latest version).'),
  guidance('2016', 'install', 'Install ENA 2.11.0 (runs the latest version).'),
  guidance('2012 R2', 'stay', 'Stay on ENA 2.6.0, the last version for it; do not install ENA 2.11.0.'),
  guidance('2012', 'stay', 'Stay on ENA 2.6.0, the last version for it; do not install ENA 2.11.0.'),
  guidance('2008 R2', 'stay', 'Stay on ENA 2.2.3, the last version for it; do not install ENA 2.11.0.'),
];

/** ENA 2.11.0 (August 1, 2025): notes grouped under "New features:" and "Bug fixes:". */
export function enaAlert(overrides: Partial<ReleaseAlert> = {}): ReleaseAlert {
  const downloadUrl = `${DOWNLOADS}/ENA/x64/2.11.0/AwsEnaNetworkDriver.zip`;
  return {
    messageId: '6b1e0d47-2c9a-5f83-a4d6-1f7c3e9b2d05',
    index: 0,
    kind: 'release',
    versionRolledBack: false,
    family: 'ena',
    familyName: 'ENA',
    version: '2.11.0',
    releaseDate: '2025-08-01',
    details: [
      'New features:',
      'Added support for dynamic queue allocation with scaling up to 64 I/O queues, subject to instance type limits.',
      'Bug fixes:',
      'Fixed missing handling of error conditions when retrieving the physical DMA address width from the device.',
    ],
    notesPublished: true,
    source: 'notice',
    previous: { version: '2.10.0', releaseDate: '2025-06-24' },
    newerKnown: null,
    notices: [],
    windowsServer: ENA_GUIDANCE_2_11_0,
    caveats: [
      'ENA is the network driver of Nitro instances; installing it resets the network adapter, so the instance briefly loses connectivity.',
      'ENA 2.5.0 and 2.2.4 were rolled back by AWS; never pin to them.',
    ],
    install: {
      ssmPackage: 'AwsEnaNetworkDriver',
      version: '2.11.0',
      ssmCommand: ssmCommand({ action: ['Install'], name: ['AwsEnaNetworkDriver'], version: ['2.11.0'] }),
      downloadUrl,
      notes: [TRY_ONE_INSTANCE_FIRST],
    },
    verifyCommand:
      "Get-CimInstance Win32_PnPSignedDriver | Where-Object DeviceName -like '*Elastic Network Adapter*' | Select-Object DeviceName, DriverVersion",
    sourceUrl: ENA_HISTORY,
    changelog: { origin: 'snapshot', asOf: '2026-07-01' },
    original: {
      subject: 'ENA Driver 2.11.0 Released',
      message: 'Version 2.11.0 of the Elastic Network Adapter (ENA) driver for Windows is now available.',
    },
    ...overrides,
  };
}

/**
 * ENA 2.5.0 (February 17, 2023) rolled back: the only notes are under "Announcement:", and the alert points at the
 * newest good release with no install command.
 */
export function rolledBackEnaAlert(overrides: Partial<RollbackAlert> = {}): RollbackAlert {
  const { install: _install, versionRolledBack: _rolledBack, kind: _kind, ...ena } = enaAlert();
  return {
    ...ena,
    kind: 'rollback',
    messageId: '9d4f2b18-7e6c-5a01-b3c9-8a2e5d7f1c64',
    version: '2.5.0',
    releaseDate: '2023-02-17',
    details: [
      'Announcement:',
      'ENA Windows driver version 2.5.0 has been rolled back due to failure to initialize on the Windows domain controller. Windows Client and Windows Server are unaffected.',
    ],
    previous: { version: '2.4.0', releaseDate: '2022-04-28' },
    newerKnown: { version: '2.11.0', releaseDate: '2025-08-01' },
    returnTo: { version: '2.11.0', releaseDate: '2025-08-01' },
    notices: [
      'AWS rolled back ENA 2.5.0: do not install it. Instances that run it should go to ENA 2.11.0.',
      '2.5.0 is older than the newest known good ENA release, 2.11.0 (2025-08-01).',
    ],
    windowsServer: [
      guidance(
        '2022',
        'stay',
        'Do not install ENA 2.5.0: AWS rolled it back. Instances that run it should go to ENA 2.11.0.',
        '2.11.0',
      ),
      guidance(
        '2012 R2',
        'stay',
        'Do not install ENA 2.5.0: AWS rolled it back. Instances that run it should go to ENA 2.4.0.',
        '2.4.0',
      ),
      guidance('2008 R2', 'stay', 'Not affected: stay on ENA 2.2.3, the last version for it.'),
    ],
    install: {
      ssmPackage: 'AwsEnaNetworkDriver',
      version: null,
      ssmCommand: null,
      downloadUrl: null,
      notes: [
        'AWS rolled back ENA 2.5.0, so no install command is given. Instances that run it should go to ENA 2.11.0 (AWS-ConfigureAWSPackage with name AwsEnaNetworkDriver and version 2.11.0, on those instances only).',
      ],
    },
    original: {
      subject: 'ENA Driver 2.5.0 Rolled Back',
      message: 'ENA Windows driver version 2.5.0 has been rolled back. Do not install it.',
    },
    ...overrides,
  };
}

/** AWS NVMe 1.8.1 (February 24, 2026); its package takes an additional argument. */
export function nvmeAlert(overrides: Partial<ReleaseAlert> = {}): ReleaseAlert {
  const downloadUrl = `${DOWNLOADS}/NVMe/1.8.1/AWSNVMe.zip`;
  return {
    messageId: '3c8e7a90-1f2b-5d46-8e0a-b5c2f9d71e38',
    index: 0,
    kind: 'release',
    versionRolledBack: false,
    family: 'nvme',
    familyName: 'AWS NVMe',
    version: '1.8.1',
    releaseDate: '2026-02-24',
    details: ['Fixed a backward compatibility issue with disk serial number generation.'],
    notesPublished: true,
    source: 'notice',
    previous: { version: '1.8.0', releaseDate: '2026-01-16' },
    newerKnown: { version: '1.8.2', releaseDate: '2026-06-15' },
    notices: ['1.8.1 is older than the newest known AWS NVMe release, 1.8.2 (2026-06-15).'],
    windowsServer: [
      guidance('2022', 'install', 'Install AWS NVMe 1.8.1 (runs the latest version).'),
      guidance('2012 R2', 'stay', 'Stay on AWS NVMe 1.5.1, the last version for it; do not install AWS NVMe 1.8.1.'),
      guidance('2008 R2', 'stay', 'Stay on AWS NVMe 1.3.2, the last version for it; do not install AWS NVMe 1.8.1.'),
    ],
    caveats: [
      'The AWS NVMe driver serves EBS and instance store volumes on Nitro instances; installing it may require a reboot.',
    ],
    install: {
      ssmPackage: 'AWSNVMe',
      version: '1.8.1',
      ssmCommand: ssmCommand({
        action: ['Install'],
        name: ['AWSNVMe'],
        version: ['1.8.1'],
        additionalArguments: ['{"SSM_InstallEBSNVMeIdTool":"Yes"}'],
      }),
      downloadUrl,
      notes: [TRY_ONE_INSTANCE_FIRST],
    },
    verifyCommand:
      "Get-CimInstance Win32_PnPSignedDriver | Where-Object DeviceName -like '*NVMe Elastic Block Storage*' | Select-Object DeviceName, DriverVersion",
    sourceUrl: NVME_HISTORY,
    changelog: { origin: 'live', asOf: '2026-07-22T08:30:00.000Z' },
    original: {
      subject: 'AWS NVMe Driver 1.8.1 Released',
      message: 'Version 1.8.1 of the AWS NVMe driver for Windows is now available.',
    },
    ...overrides,
  };
}

/** A notification the relay could not attribute to a driver family, carrying its original text. */
export function unrecognisedAlert(overrides: Partial<UnrecognisedAlert> = {}): UnrecognisedAlert {
  const alert = unknownAlert({
    messageId: 'c83c6837-707d-5cb0-a737-3afca0539aa2',
    topicArn: 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers',
    timestamp: '2026-07-21T17:42:09.311Z',
    subject: 'New EC2 Windows drivers now available',
    message:
      'New versions of the Amazon EC2 Windows drivers have been released.\n\nSee the version history pages in the Amazon EC2 User Guide for details.\n\nRegards,\nAmazon EC2 for Windows Team',
  });
  return { ...alert, ...overrides };
}

/** Real ENA detail lines, with their group labels, from the 2.6.0 to 2.11.0 rows. */
const ENA_DETAIL_LINES: readonly string[] = [
  'New features:',
  'Added support for dynamic queue allocation with scaling up to 64 I/O queues, subject to instance type limits.',
  'Added support for asynchronous reset requests initiated by the device.',
  'Added support for handling the maximum large LLQ depth value provided by the device.',
  'Added Event ID 58001 in the Windows Event Viewer to enhance visibility into unexpected power state transitions caused by device misconfiguration.',
  'Added support for offloading IPv6 Tx checksum calculation to the device.',
  'Added wide Low Latency Queuing (LLQ) support. This is dynamically enabled based on device recommendation. You can override this setting with the new "WideLLQ" registry key.',
  'Adds conntrack_allowance_available network performance metric for Nitro based instance types.',
  'Bug fixes:',
  'Fixed missing handling of error conditions when retrieving the physical DMA address width from the device.',
  'Fixed improper handling of memory allocation failures during queue initialization to prevent unexpected reboots.',
  'Fixed possible misconfiguration of network offloads where device capabilities were ignored.',
  'Fixed an issue in the interrupt service routine that could enqueue a DPC during device stop, preventing unexpected reboots.',
  'Fixed misdetection of L3 protocol when disabling all LSO and checksum offloads that could lead to unexpected behavior.',
  'Prevents false detection of an interruption to the device heartbeat.',
  'Fixes the receive error count statistic.',
];

/**
 * An ENA alert with `count` detail lines (real ENA lines repeated; each numbered so a test can find
 * every one), far more than a Slack message shows at once.
 */
export function alertWithManyDetailLines(count = 200, overrides: Partial<ReleaseAlert> = {}): ReleaseAlert {
  const details = Array.from({ length: count }, (_, index) => {
    const line = ENA_DETAIL_LINES[index % ENA_DETAIL_LINES.length] ?? '';
    return line.endsWith(':') ? line : `${line} [line ${index + 1}]`;
  });
  return enaAlert({ details, ...overrides });
}
