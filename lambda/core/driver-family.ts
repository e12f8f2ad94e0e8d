/**
 * The driver families announced on the ec2-windows-drivers topic, and the fixed facts about each one:
 * where its version history lives, how it is packaged and how an operator checks what an instance runs.
 * Sources: ../shared/reference/driver-facts.md (current AWS documentation).
 */

export const DRIVER_FAMILIES = ['aws-pv', 'ena', 'nvme', 'ec2winutil'] as const;

export type DriverFamily = (typeof DRIVER_FAMILIES)[number];

/** What the relay calls a notification it could not attribute to a driver family. */
export type AlertFamily = DriverFamily | 'unknown';

/** AWS's bucket of driver packages; a history page's package link is trusted only inside it. */
export const DOWNLOADS = 'https://s3.amazonaws.com/ec2-windows-drivers-downloads';

export interface FamilyInfo {
  readonly family: DriverFamily;
  /** Short name used in titles, e.g. "AWS PV". */
  readonly name: string;
  /** Name as the documentation writes it in full. */
  readonly longName: string;
  /** The version-history page (the changelog source). */
  readonly historyUrl: string;
  /** Systems Manager Distributor package, or null when AWS publishes none. */
  readonly ssmPackage: string | null;
  /** Extra `AWS-ConfigureAWSPackage` argument the package documents, if any. */
  readonly ssmAdditionalArguments: Readonly<Record<string, string>> | null;
  /** Download of the newest package, or null when AWS publishes no "Latest" path. */
  readonly latestDownloadUrl: string | null;
  /** Download of one version's package. */
  downloadUrl(version: string): string;
  /** PowerShell that prints the version an instance runs. */
  readonly verifyCommand: string;
}

export const FAMILIES: Readonly<Record<DriverFamily, FamilyInfo>> = {
  'aws-pv': {
    family: 'aws-pv',
    name: 'AWS PV',
    longName: 'AWS PV (paravirtual) drivers',
    historyUrl: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/xen-drivers-overview.html',
    ssmPackage: 'AWSPVDriver',
    ssmAdditionalArguments: null,
    latestDownloadUrl: `${DOWNLOADS}/AWSPV/Latest/AWSPVDriver.zip`,
    downloadUrl: (version) => `${DOWNLOADS}/AWSPV/${version}/AWSPVDriver.zip`,
    verifyCommand: "(Get-ItemProperty 'HKLM:\\SOFTWARE\\Amazon\\PVDriver').Version",
  },
  ena: {
    family: 'ena',
    name: 'ENA',
    longName: 'Elastic Network Adapter (ENA) driver for Windows',
    historyUrl: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ena-driver-releases-windows.html',
    ssmPackage: 'AwsEnaNetworkDriver',
    ssmAdditionalArguments: null,
    latestDownloadUrl: `${DOWNLOADS}/ENA/Latest/AwsEnaNetworkDriver.zip`,
    downloadUrl: (version) => {
      // Packages up to 2.2.2 sit directly under ENA/; from 2.2.3 on they sit under ENA/x64/.
      const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
      const legacy = major < 2 || (major === 2 && (minor < 2 || (minor === 2 && patch <= 2)));
      return `${DOWNLOADS}/ENA/${legacy ? '' : 'x64/'}${version}/AwsEnaNetworkDriver.zip`;
    },
    verifyCommand:
      "Get-CimInstance Win32_PnPSignedDriver | Where-Object DeviceName -like '*Elastic Network Adapter*' | Select-Object DeviceName, DriverVersion",
  },
  nvme: {
    family: 'nvme',
    name: 'AWS NVMe',
    longName: 'AWS NVMe driver for Windows',
    historyUrl: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/nvme-driver-version-history.html',
    ssmPackage: 'AWSNVMe',
    ssmAdditionalArguments: { SSM_InstallEBSNVMeIdTool: 'Yes' },
    latestDownloadUrl: `${DOWNLOADS}/NVMe/Latest/AWSNVMe.zip`,
    downloadUrl: (version) => `${DOWNLOADS}/NVMe/${version}/AWSNVMe.zip`,
    verifyCommand:
      "Get-CimInstance Win32_PnPSignedDriver | Where-Object DeviceName -like '*NVMe Elastic Block Storage*' | Select-Object DeviceName, DriverVersion",
  },
  ec2winutil: {
    family: 'ec2winutil',
    name: 'EC2WinUtil',
    longName: 'EC2 Windows Utility driver (EC2WinUtil)',
    historyUrl: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2winutil-driver-version-history.html',
    ssmPackage: null,
    ssmAdditionalArguments: null,
    latestDownloadUrl: null,
    downloadUrl: (version) => `${DOWNLOADS}/EC2WinUtil/${version}/EC2WinUtil.zip`,
    verifyCommand:
      "Get-WindowsDriver -Online | Where-Object OriginalFileName -like '*ec2winutil*' | Select-Object OriginalFileName, Version",
  },
};

export function isDriverFamily(value: string): value is DriverFamily {
  return (DRIVER_FAMILIES as readonly string[]).includes(value);
}
