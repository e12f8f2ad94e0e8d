import type { ChangelogEntry } from '../lambda/core/changelog.js';
import { parseHistoryPage } from '../lambda/core/changelog-page.js';
import { RelayError } from '../lambda/core/errors.js';
import { parseReleaseDate } from '../lambda/core/release-date.js';
import { fixturePage } from './support/page-server.js';

const DOWNLOADS = 'https://s3.amazonaws.com/ec2-windows-drivers-downloads';

function entry(entries: readonly ChangelogEntry[], version: string): ChangelogEntry {
  const found = entries.find((candidate) => candidate.version === version);
  if (!found) throw new Error(`no entry ${version}; have ${entries.map((e) => e.version).join(', ')}`);
  return found;
}

function unreadable(html: string): RelayError {
  try {
    parseHistoryPage(html, 'aws-pv');
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  throw new Error('the page was read');
}

/** A minimal history table, for quirks the fixture pages do not show. */
function historyPage(rows: string, headers = '<th>Package version</th><th>Details</th><th>Release date</th>'): string {
  return `<html><body><table><thead><tr>${headers}</tr></thead><tbody>${rows}</tbody></table></body></html>`;
}

describe('parseHistoryPage on the AWS PV page', () => {
  const html = fixturePage('aws-pv.html');
  const page = parseHistoryPage(html, 'aws-pv');

  it('reads the newest release with its date, details and package link', () => {
    expect(page.entries[0]).toEqual({
      version: '8.6.1',
      releaseDate: '2026-07-21',
      details: ['Updated runtime dependencies in the installer package.'],
      packageUrl: `${DOWNLOADS}/AWSPV/8.6.1/AWSPVDriver.zip`,
      driverVersion: null,
    });
  });

  it('reads a "27 May 2025" date as well as a "July 21, 2026" one', () => {
    expect(html).toContain('<p>27 May 2025</p>');
    expect(page.entries[1]).toMatchObject({ version: '8.6.0', releaseDate: '2025-05-27' });
  });

  it('lists every row in page order, newest first', () => {
    expect(page.entries).toHaveLength(29);
    expect(page.entries.slice(0, 4).map((e) => e.version)).toEqual(['8.6.1', '8.6.0', '8.5.0', '8.4.3']);
    expect(page.entries.at(-1)?.version).toBe('7.2.0');
    expect(page.skipped).toEqual([]);
  });

  it('gives no date to the rows the page leaves undated (7.3.1 and older)', () => {
    const undated = page.entries.filter((e) => e.releaseDate === null).map((e) => e.version);
    expect(undated).toEqual(['7.3.1', '7.3.0', '7.2.5', '7.2.4', '7.2.2', '7.2.1', '7.2.0']);
  });

  it('keeps each bullet of a list as its own detail line', () => {
    expect(entry(page.entries, '8.5.0').details).toEqual([
      'Stability fixes to address rare cases of crashes during network device detachment.',
      'Stability fixes to address rare cases of crashes during EBS volume detachment.',
      'Fixed bugs in the package installer.',
      'Updated the PV installer to use Pnputil.',
    ]);
  });

  it('reads a paragraph wrapped over several source lines as one line with single spaces', () => {
    expect(entry(page.entries, '8.4.3').details).toEqual([
      'Fixed bugs in the package installer to improve the upgrade experience. This is the last version that can run ' +
        'on Windows Server 2012 and 2012 R2. This version is available for download, however it is no longer ' +
        'supported since Windows Server 2012 and 2012 R2 have reached end of support.',
    ]);
  });

  it('keeps the package link only on the versions the page links', () => {
    const linked = page.entries.filter((e) => e.packageUrl !== null).map((e) => [e.version, e.packageUrl]);
    expect(linked).toEqual([
      ['8.6.1', `${DOWNLOADS}/AWSPV/8.6.1/AWSPVDriver.zip`],
      ['8.4.3', `${DOWNLOADS}/AWSPV/8.4.3/AWSPVDriver.zip`],
      ['8.3.5', `${DOWNLOADS}/AWSPV/8.3.5/AWSPVDriver.zip`],
    ]);
  });

  it('decodes entities in the details', () => {
    expect(html).toContain('7.4.3&#x27;s signature');
    expect(entry(page.entries, '7.4.3').details[0]).toContain("AWS PV driver version 7.4.3's signature expires");
  });

  it('reads rows that sit directly in the table, without <tbody>', () => {
    expect(html.slice(html.indexOf('id="pv-driver-history"'))).not.toContain('<tbody>');
    expect(entry(page.entries, '8.4.2').details).toEqual(['Stability fixes to address race condition.']);
  });

  it('reads the Windows Server table and ignores the driver comparison table', () => {
    expect(html).toContain('<th>RedHat PV</th>');
    expect(page.windowsServerTable).toEqual([
      { windowsServer: 'Windows Server 2025', driver: 'Not supported' },
      { windowsServer: 'Windows Server 2022', driver: 'AWS PV latest version' },
      { windowsServer: 'Windows Server 2019', driver: 'AWS PV latest version' },
      { windowsServer: 'Windows Server 2016', driver: 'AWS PV latest version' },
      { windowsServer: 'Windows Server 2012 R2', driver: 'AWS PV 8.4.3' },
      { windowsServer: 'Windows Server 2012', driver: 'AWS PV 8.4.3' },
      { windowsServer: 'Windows Server 2008 R2', driver: 'AWS PV 8.3.5' },
      { windowsServer: 'Windows Server 2008', driver: 'Citrix PV 5.9' },
      { windowsServer: 'Windows Server 2003', driver: 'Citrix PV 5.9' },
    ]);
  });
});

describe('parseHistoryPage on the ENA page', () => {
  const html = fixturePage('ena.html');
  const page = parseHistoryPage(html, 'ena');

  it('puts each group label on its own line ending in a colon, before the items it groups', () => {
    expect(entry(page.entries, '2.11.0').details).toEqual([
      'New features:',
      'Added support for dynamic queue allocation with scaling up to 64 I/O queues, subject to instance type limits.',
      'Bug fixes:',
      'Fixed missing handling of error conditions when retrieving the physical DMA address width from the device.',
    ]);
  });

  it('reads a label the page prints with its colon the same as one without', () => {
    expect(html).toContain('<p><strong>Bug fixes:</strong></p>');
    expect(entry(page.entries, '2.8.0').details[0]).toBe('Bug fixes:');
    expect(entry(page.entries, '2.2.0').details).toEqual([
      'New features:',
      'Adds support for next generation hardware types.',
      'Improves instance start time after resuming from stop-hibernate, and eliminates false positive ENA error messages.',
      'Performance optimizations:',
      'Optimizes processing of inbound traffic.',
      'Improves shared memory management in low resource environment.',
      'Bug fixes:',
      'Avoids system crash upon ENA device removal in rare scenario where driver fails to reset.',
    ]);
  });

  it('keeps an introduction before the first group as its own line', () => {
    expect(entry(page.entries, '2.1.0').details.slice(0, 2)).toEqual([
      'ENA Windows driver v2.1 introduces new ENA device capabilities, provides a performance boost, adds new ' +
        'features, and includes multiple stability improvements.',
      'New features:',
    ]);
  });

  it('reads the rolled-back 2.5.0 under its announcement, without a package link', () => {
    expect(entry(page.entries, '2.5.0')).toEqual({
      version: '2.5.0',
      releaseDate: '2023-02-17',
      details: [
        'Announcement:',
        'ENA Windows driver version 2.5.0 has been rolled back due to failure to initialize on the Windows domain ' +
          'controller. Windows Client and Windows Server are unaffected.',
      ],
      packageUrl: null,
      driverVersion: null,
    });
  });

  it('keeps the x64 package path from 2.2.3 on and the older path up to 2.2.2', () => {
    expect(entry(page.entries, '2.2.3').packageUrl).toBe(`${DOWNLOADS}/ENA/x64/2.2.3/AwsEnaNetworkDriver.zip`);
    expect(entry(page.entries, '2.2.2').packageUrl).toBe(`${DOWNLOADS}/ENA/2.2.2/AwsEnaNetworkDriver.zip`);
  });

  it('decodes quotation marks written as entities', () => {
    expect(html).toContain('&quot;WideLLQ&quot;');
    expect(entry(page.entries, '2.7.0').details).toContain(
      'Added wide Low Latency Queuing (LLQ) support. This is dynamically enabled based on device recommendation. ' +
        'You can override this setting with the new "WideLLQ" registry key.',
    );
  });

  it('gives no date to a row dated by month and year only ("July 2016")', () => {
    expect(html).toContain('<p>July 2016</p>');
    expect(entry(page.entries, '1.0.8').releaseDate).toBeNull();
  });

  it('reads rows inside <tbody> and ignores a table that has a "Driver version" header but no history', () => {
    expect(html).toContain('<tbody>');
    expect(html).toContain('<th>Driver version</th><th>Download</th>');
    expect(page.entries.map((e) => e.version).slice(0, 3)).toEqual(['2.11.0', '2.10.0', '2.9.0']);
    expect(page.entries).toHaveLength(21);
    expect(page.skipped).toEqual([]);
  });

  it('has no Windows Server table', () => {
    expect(page.windowsServerTable).toEqual([]);
  });
});

describe('parseHistoryPage on the four-column NVMe and EC2WinUtil pages', () => {
  const nvme = parseHistoryPage(fixturePage('nvme.html'), 'nvme');
  const ec2winutil = parseHistoryPage(fixturePage('ec2winutil.html'), 'ec2winutil');

  it('reads package 1.5.1 as carrying driver 1.5.0', () => {
    expect(entry(nvme.entries, '1.5.1')).toEqual({
      version: '1.5.1',
      releaseDate: '2023-11-17',
      details: ['Fixed the install script to create a folder for the ebsnvme-id tool if it is not present.'],
      packageUrl: `${DOWNLOADS}/NVMe/1.5.1/AWSNVMe.zip`,
      driverVersion: '1.5.0',
    });
  });

  it('sets no driver version where the two columns agree', () => {
    expect(nvme.entries.filter((e) => e.driverVersion !== null).map((e) => e.version)).toEqual(['1.5.1']);
    expect(ec2winutil.entries.every((e) => e.driverVersion === null)).toBe(true);
  });

  it('reads the version printed as ">1.0.0" as 1.0.0', () => {
    expect(fixturePage('nvme.html')).toContain('<p>&gt;1.0.0</p>');
    expect(nvme.entries.at(-1)).toMatchObject({ version: '1.0.0', releaseDate: '2018-02-12' });
  });

  it('reads the newest NVMe release', () => {
    expect(nvme.entries[0]).toEqual({
      version: '1.8.2',
      releaseDate: '2026-06-15',
      details: ['Fixed a bug check at boot by improving interrupt handling.'],
      packageUrl: `${DOWNLOADS}/NVMe/1.8.2/AWSNVMe.zip`,
      driverVersion: null,
    });
  });

  it('reads every EC2WinUtil row, linked from 3.1.0 on', () => {
    expect(ec2winutil.entries.map((e) => [e.version, e.packageUrl !== null])).toEqual([
      ['3.2.0', true],
      ['3.1.1', true],
      ['3.1.0', true],
      ['3.0.0', false],
      ['2.0.0', false],
      ['1.0.1', false],
      ['1.0.0', false],
    ]);
    expect(ec2winutil.entries[0]?.releaseDate).toBe('2026-06-02');
  });
});

describe('parseHistoryPage on rows it cannot read', () => {
  const page = parseHistoryPage(fixturePage('unreadable-row.html'), 'aws-pv');

  it('skips each unreadable row and says why', () => {
    expect(page.skipped).toEqual([
      { row: 2, reason: 'expected 3 cells, found 2' },
      { row: 3, reason: 'version "Coming soon" is not a version number' },
      { row: 4, reason: 'no version' },
    ]);
  });

  it('keeps the readable rows around them', () => {
    expect(page.entries.map((e) => [e.version, e.releaseDate])).toEqual([
      ['9.0.1', '2027-03-03'],
      ['8.9.9', null],
      ['8.9.8', '2026-12-12'],
    ]);
  });

  it('keeps a row with an impossible date, without the date', () => {
    expect(entry(page.entries, '8.9.9')).toMatchObject({ releaseDate: null, details: ['An impossible date.'] });
  });
});

describe('parseHistoryPage on pages without a readable history table', () => {
  it('refuses a page whose history table has renamed headers', () => {
    const error = unreadable(fixturePage('reshaped.html'));
    expect(error.code).toBe('page-unreadable');
    expect(error.message).toBe(
      'aws-pv history page: no table with headers "Package version" or "Driver version", "Details", "Release date" found',
    );
  });

  it('refuses a page cut off in the middle of the history table', () => {
    const html = fixturePage('truncated.html');
    expect(html).toContain('<p>8.4.2</p>');
    expect(html.slice(html.indexOf('id="pv-driver-history"'))).not.toContain('</table>');
    const error = unreadable(html);
    expect(error.code).toBe('page-unreadable');
    expect(error.message).toContain('cut off');
  });

  it('refuses an empty page', () => {
    expect(unreadable(fixturePage('empty.html')).code).toBe('page-unreadable');
  });

  it('refuses a page cut off before the history table begins', () => {
    const html = fixturePage('aws-pv.html');
    expect(unreadable(html.slice(0, html.indexOf('id="pv-driver-history"'))).code).toBe('page-unreadable');
  });
});

describe('parseHistoryPage on hostile input', () => {
  it('refuses nesting far deeper than any documentation page, quickly', () => {
    const html = `${'<div>'.repeat(100_000)}x${'</div>'.repeat(100_000)}`;
    const start = performance.now();
    expect(unreadable(html).message).toContain('nested deeper than');
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('reads a page padded with megabytes of text in linear time', () => {
    const padding = `<table><tr><td>${'lorem\n'.repeat(400_000)}</td></tr></table>`;
    const html = fixturePage('aws-pv.html').replace('<body', `${padding}<body`);
    const start = performance.now();
    expect(parseHistoryPage(html, 'aws-pv').entries).toHaveLength(29);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('refuses a page larger than any history page', () => {
    expect(unreadable('<p>x</p>'.repeat(500_000)).message).toContain('more than');
  });

  it('does not read a table inside a script as the history table', () => {
    const html = `<script>var t = "<table><tr><th>Package version</th><th>Details</th><th>Release date</th></tr><tr><td>9.9.9</td><td>x</td><td></td></tr></table>";</script>`;
    expect(unreadable(html).code).toBe('page-unreadable');
  });
});

describe('parseHistoryPage on markup variations', () => {
  it('reads a header row without <thead>, and loose text and <br> in cells', () => {
    const html =
      '<table><tr><th>Driver version</th><th>Details</th><th>Release date</th></tr>' +
      '<tr><td>v2.0.1</td><td>First&nbsp;line<br>continues<p>Second line</p></td><td>Sept 3, 2024</td></tr></table>';
    expect(parseHistoryPage(html, 'ena').entries).toEqual([
      {
        version: '2.0.1',
        releaseDate: '2024-09-03',
        details: ['First line continues', 'Second line'],
        packageUrl: null,
        driverVersion: null,
      },
    ]);
  });

  it('finds the columns by name when the page reorders them', () => {
    const html = historyPage(
      '<tr><td><p>1.2.3</p></td><td><p>March 1, 2026</p></td><td><p>Changed.</p></td></tr>',
      '<th>Package version</th><th>Release date</th><th>Details</th>',
    );
    expect(parseHistoryPage(html, 'nvme').entries[0]).toMatchObject({
      releaseDate: '2026-03-01',
      details: ['Changed.'],
    });
  });

  it('keeps only http(s) package links', () => {
    const html = historyPage(
      '<tr><td><a href="javascript:alert(1)">1.0.1</a></td><td>x</td><td></td></tr>' +
        '<tr><td><a href="../AWSPV/1.0.0/AWSPVDriver.zip">1.0.0</a></td><td>x</td><td></td></tr>',
    );
    expect(parseHistoryPage(html, 'aws-pv').entries.map((e) => e.packageUrl)).toEqual([null, null]);
  });

  it('shortens a detail line of absurd length', () => {
    const html = historyPage(`<tr><td>1.0.0</td><td><p>${'word '.repeat(5_000)}</p></td><td></td></tr>`);
    const [line] = parseHistoryPage(html, 'aws-pv').entries[0]?.details ?? [];
    expect(line?.length).toBeLessThan(10_010);
    expect(line?.endsWith(' …')).toBe(true);
  });

  it('reads a history table that has a header but no rows as an empty changelog', () => {
    expect(parseHistoryPage(historyPage(''), 'aws-pv')).toEqual({ entries: [], windowsServerTable: [], skipped: [] });
  });
});

describe('parseReleaseDate', () => {
  it.each([
    ['July 21, 2026', '2026-07-21'],
    ['27 May 2025', '2025-05-27'],
    ['Sept 3, 2024', '2024-09-03'],
    ['Feb 29, 2024', '2024-02-29'],
    ['  January\n 7,  2022 ', '2022-01-07'],
  ])('reads "%s" as %s', (text, iso) => {
    expect(parseReleaseDate(text)).toBe(iso);
  });

  it.each([
    ['', 'an empty cell'],
    ['July 2016', 'a month without a day'],
    ['February 30, 2026', 'a day that does not exist'],
    ['Feb 29, 2025', 'February 29 outside a leap year'],
    ['Mayo 3, 2025', 'a word that is not a month'],
    ['soon', 'text that is no date'],
  ])('reads "%s" (%s) as no date', (text) => {
    expect(parseReleaseDate(text)).toBeNull();
  });
});
