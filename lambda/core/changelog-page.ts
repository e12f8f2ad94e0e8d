/**
 * Reads an AWS version-history page (server-rendered HTML, markup in shared/reference/aws-docs-html.md) into
 * changelog entries. The page is third-party input that can change shape, arrive cut off or carry extra tables,
 * so tables are found by their header names, never by id or position.
 *
 * Failures: a page without a readable history table throws RelayError('page-unreadable'); a single row that
 * cannot be read is only reported in `skipped`, so one odd row never costs the whole changelog.
 */
import { Parser } from 'htmlparser2';
import type { ChangelogEntry, ParsedHistoryPage, SkippedRow, WindowsServerRow } from './changelog.js';
import type { DriverFamily } from './driver-family.js';
import { RelayError } from './errors.js';
import { parseReleaseDate } from './release-date.js';

interface Cell {
  /** One line per <p>/<li> (and per run of loose text between them), whitespace collapsed, entities decoded. */
  readonly lines: string[];
  /** href of the first link in the cell. */
  href: string | null;
}

interface Row {
  readonly cells: Cell[];
  readonly inHead: boolean;
}

interface Table {
  readonly rows: Row[];
  /** False when the page ended (or an outer element closed) before </table>: the table may be cut off. */
  closedExplicitly: boolean;
}

const VERSION = /^\d+(?:\.\d+){1,3}$/;
const GROUP_LABEL = /^(New features|Performance optimizations|Bug fixes|Announcements?|Updates)\s*:?$/i;
const HISTORY_HEADERS = '"Package version" or "Driver version", "Details", "Release date"';
/**
 * Bounds that keep a hostile page cheap. A history page is tens of KB and its history table sits about 15
 * elements deep; htmlparser2's element stack costs time per level on every tag (quadratic in the depth), so
 * deeper nesting is refused rather than followed.
 */
const MAX_PAGE_CHARS = 3_000_000;
const MAX_DEPTH = 512;
/**
 * The longest detail line kept (the longest real one is under 1,000 characters). Besides bounding what reaches
 * Slack, it keeps whitespace collapsing fast: a regex replace over one multi-megabyte string costs ten times
 * what the same text costs in short pieces.
 */
const MAX_LINE_CHARS = 10_000;

/** Reads one history page; entries come out in page order (newest first on the AWS pages). */
export function parseHistoryPage(html: string, family: DriverFamily): ParsedHistoryPage {
  if (html.length > MAX_PAGE_CHARS) {
    throw new RelayError(
      'page-unreadable',
      `${family} history page: ${html.length} characters, more than ${MAX_PAGE_CHARS}`,
    );
  }
  const tables = readTables(html, family);

  let history: { table: Table; columns: HistoryColumns } | null = null;
  let windowsServerTable: WindowsServerRow[] = [];
  let windowsServerFound = false;
  for (const table of tables) {
    const headers = headerNames(table);
    const columns: HistoryColumns | null = history ? null : historyColumns(headers);
    if (columns) history = { table, columns };
    if (!windowsServerFound && headers.includes('windows server version') && headers.includes('pv driver version')) {
      windowsServerFound = true;
      windowsServerTable = readWindowsServerRows(table, headers);
    }
  }

  if (!history) {
    throw new RelayError('page-unreadable', `${family} history page: no table with headers ${HISTORY_HEADERS} found`);
  }
  if (!history.table.closedExplicitly) {
    // The oldest rows would be missing without a trace; an old but complete copy is the better answer.
    throw new RelayError(
      'page-unreadable',
      `${family} history page: the history table ends without </table> (cut off)`,
    );
  }

  const entries: ChangelogEntry[] = [];
  const skipped: SkippedRow[] = [];
  // Row numbers count body rows from 1, as a reader counts them down the page's table.
  for (const [index, row] of bodyRows(history.table).entries()) {
    const result = readEntry(row, history.columns);
    if (typeof result === 'string') skipped.push({ row: index + 1, reason: result });
    else entries.push(result);
  }
  return { entries, windowsServerTable, skipped };
}

interface HistoryColumns {
  readonly count: number;
  readonly version: number;
  readonly driverVersion: number | null;
  readonly details: number;
  readonly releaseDate: number;
}

function historyColumns(headers: readonly string[]): HistoryColumns | null {
  const [first] = headers;
  if (first !== 'package version' && first !== 'driver version') return null;
  const details = headers.indexOf('details');
  const releaseDate = headers.indexOf('release date');
  if (details < 0 || releaseDate < 0) return null;
  const driverVersion = headers.indexOf('driver version', 1);
  return {
    count: headers.length,
    version: 0,
    driverVersion: driverVersion > 0 ? driverVersion : null,
    details,
    releaseDate,
  };
}

/** An entry, or the reason the row cannot be one. */
function readEntry(row: Row, columns: HistoryColumns): ChangelogEntry | string {
  if (row.cells.length !== columns.count) {
    return `expected ${columns.count} cells, found ${row.cells.length}`;
  }
  const versionCell = row.cells[columns.version] as Cell;
  const versionText = cellText(versionCell);
  if (versionText === '') return 'no version';
  const version = cleanVersion(versionText);
  if (!version) return `version "${versionText.slice(0, 40)}" is not a version number`;

  const driverCell = columns.driverVersion === null ? undefined : row.cells[columns.driverVersion];
  const driverVersion = driverCell ? cleanVersion(cellText(driverCell)) : null;

  return {
    version,
    releaseDate: parseReleaseDate(cellText(row.cells[columns.releaseDate] as Cell)),
    details: (row.cells[columns.details] as Cell).lines.map(groupLabel),
    packageUrl: absoluteUrl(versionCell.href),
    driverVersion: driverVersion && driverVersion !== version ? driverVersion : null,
  };
}

/** ">1.0.0" and "v2.1.0" print a version with decoration; anything that is not dotted numbers is no version. */
function cleanVersion(text: string): string | null {
  const version = text.replace(/^[^\p{L}\p{N}]+/u, '').replace(/^v(?=\d)/i, '');
  return VERSION.test(version) ? version : null;
}

/** ENA's group headings ("New features", "Bug fixes" ...) read as one line ending in a colon. */
function groupLabel(line: string): string {
  const match = GROUP_LABEL.exec(line);
  return match ? `${match[1]}:` : line;
}

function absoluteUrl(href: string | null): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function readWindowsServerRows(table: Table, headers: readonly string[]): WindowsServerRow[] {
  const server = headers.indexOf('windows server version');
  const driver = headers.indexOf('pv driver version');
  const rows: WindowsServerRow[] = [];
  for (const row of bodyRows(table)) {
    const windowsServer = cellText(row.cells[server]);
    const driverText = cellText(row.cells[driver]);
    if (windowsServer && driverText) rows.push({ windowsServer, driver: driverText });
  }
  return rows;
}

/** The header row is the first row of <thead>, or the table's first row when the page has no <thead>. */
function headerRow(table: Table): Row | undefined {
  return table.rows.find((row) => row.inHead) ?? table.rows[0];
}

function headerNames(table: Table): string[] {
  return (headerRow(table)?.cells ?? []).map((cell) =>
    cellText(cell)
      .toLowerCase()
      .replace(/[:*]+$/, ''),
  );
}

function bodyRows(table: Table): Row[] {
  const header = headerRow(table);
  return table.rows.filter((row) => row !== header && !row.inHead);
}

function cellText(cell: Cell | undefined): string {
  return cell ? cell.lines.join(' ') : '';
}

/** Tags that start or end a detail line inside a cell. */
const LINE_BREAKING = new Set(['p', 'li', 'ul', 'ol', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Tags whose text is never page content. */
const IGNORED = new Set(['script', 'style', 'template', 'noscript']);

/**
 * Collects every table on the page in one streaming pass, without building a DOM. A table nested in a cell is
 * collected on its own; its text does not join the outer cell.
 */
function readTables(html: string, family: DriverFamily): Table[] {
  const done: Table[] = [];

  interface OpenTable {
    readonly table: Table;
    inHead: boolean;
    row: Row | null;
    cell: Cell | null;
    /** Text of the current line, collected until a line-breaking tag or the end of the cell. */
    pending: string[];
    pendingLength: number;
  }
  const open: OpenTable[] = [];
  let ignoredDepth = 0;
  let depth = 0;

  const flushLine = (current: OpenTable): void => {
    if (!current.cell || current.pending.length === 0) return;
    const text = current.pending.join('');
    const line = collapseWhitespace(text.slice(0, MAX_LINE_CHARS)) + (text.length > MAX_LINE_CHARS ? ' …' : '');
    current.pending = [];
    current.pendingLength = 0;
    if (line) current.cell.lines.push(line);
  };
  const addText = (current: OpenTable, text: string): void => {
    // One character past the limit is kept so flushLine can tell the line was cut.
    if (current.pendingLength > MAX_LINE_CHARS) return;
    const kept = text.slice(0, MAX_LINE_CHARS + 1 - current.pendingLength);
    current.pending.push(kept);
    current.pendingLength += kept.length;
  };
  const endCell = (current: OpenTable): void => {
    flushLine(current);
    current.cell = null;
  };
  const endRow = (current: OpenTable): void => {
    endCell(current);
    current.row = null;
  };
  const startRow = (current: OpenTable): Row => {
    endRow(current);
    const row: Row = { cells: [], inHead: current.inHead };
    current.table.rows.push(row);
    current.row = row;
    return row;
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        depth += 1;
        if (depth > MAX_DEPTH) {
          throw new RelayError('page-unreadable', `${family} history page: elements nested deeper than ${MAX_DEPTH}`);
        }
        if (IGNORED.has(name)) ignoredDepth += 1;
        if (name === 'table') {
          open.push({
            table: { rows: [], closedExplicitly: false },
            inHead: false,
            row: null,
            cell: null,
            pending: [],
            pendingLength: 0,
          });
          return;
        }
        const current = open.at(-1);
        if (!current) return;
        switch (name) {
          case 'thead':
            endRow(current);
            current.inHead = true;
            break;
          case 'tbody':
          case 'tfoot':
            endRow(current);
            current.inHead = false;
            break;
          case 'tr':
            startRow(current);
            break;
          case 'td':
          case 'th': {
            endCell(current);
            const row = current.row ?? startRow(current);
            current.cell = { lines: [], href: null };
            row.cells.push(current.cell);
            break;
          }
          case 'a':
            if (current.cell && current.cell.href === null && attribs.href) current.cell.href = attribs.href;
            break;
          case 'br':
            if (current.cell) addText(current, ' ');
            break;
          default:
            if (LINE_BREAKING.has(name)) flushLine(current);
        }
      },
      onclosetag(name, isImplied) {
        depth -= 1;
        if (IGNORED.has(name)) ignoredDepth = Math.max(0, ignoredDepth - 1);
        const current = open.at(-1);
        if (!current) return;
        switch (name) {
          case 'table':
            endRow(current);
            open.pop();
            current.table.closedExplicitly = !isImplied;
            done.push(current.table);
            break;
          case 'thead':
            endRow(current);
            current.inHead = false;
            break;
          case 'tr':
            endRow(current);
            break;
          case 'td':
          case 'th':
            endCell(current);
            break;
          default:
            if (LINE_BREAKING.has(name)) flushLine(current);
        }
      },
      ontext(text) {
        const current = open.at(-1);
        if (current?.cell && ignoredDepth === 0) addText(current, text);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return done;
}

/** Collapses runs of whitespace, no-break spaces included, to one space. */
function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
