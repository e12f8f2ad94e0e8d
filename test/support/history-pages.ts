/**
 * ENA version-history pages that change between two watches: the fixture page (test/fixtures/pages/ena.html, in
 * AWS's markup) with its table body rebuilt from rows a test chooses, in the same row markup as the fixture.
 *
 *   const page = enaPage([{ version: '2.12.0', date: null, notes: ['Fixed a hang.'] }, ...ENA_FIXTURE_ROWS]);
 */
import { fixturePage } from './page-server.js';

export interface PageRow {
  readonly version: string;
  /** As the page prints it ("August 1, 2025"); null leaves the cell empty. */
  readonly date: string | null;
  readonly notes: readonly string[];
}

/** The fixture's three newest rows, as they are. */
export const ENA_FIXTURE_ROWS: readonly PageRow[] = [
  { version: '2.11.0', date: 'August 1, 2025', notes: ['Added support for dynamic queue allocation.'] },
  { version: '2.10.0', date: '24 June 2025', notes: ['Fixed improper handling of memory allocation failures.'] },
  { version: '2.9.0', date: 'December 12, 2024', notes: ['Added support for asynchronous reset requests.'] },
];

export function enaPage(rows: readonly PageRow[]): string {
  const fixture = fixturePage('ena.html');
  // The version-history table, not the download table above it.
  const table = fixture.indexOf('ena-win-driver-release-history');
  const start = fixture.indexOf('<tbody>', table) + '<tbody>'.length;
  const end = fixture.indexOf('</tbody>', start);
  return `${fixture.slice(0, start)}\n${rows.map(rowHtml).join('\n')}\n${fixture.slice(end)}`;
}

function rowHtml({ version, date, notes }: PageRow): string {
  const zip = `https://s3.amazonaws.com/ec2-windows-drivers-downloads/ENA/x64/${version}/AwsEnaNetworkDriver.zip`;
  return `      <tr>
        <td><p><a href="${zip}" rel="noopener noreferrer" target="_blank"><span>${version}</span></a></p></td>
        <td>${notes.map((note) => `<p>${note}</p>`).join('')}</td>
        <td>${date === null ? '' : `<p>${date}</p>`}</td>
      </tr>`;
}
