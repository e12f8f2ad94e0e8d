/**
 * Reads an AWS version-history page (server-rendered HTML, markup in shared/reference/aws-docs-html.md) into
 * changelog entries. The page is third-party input that can change shape, arrive cut off or carry extra tables,
 * so tables are found by their header names, never by id or position.
 *
 * Failures: a page without a readable history table throws RelayError('page-unreadable'); a single row that
 * cannot be read is only reported in `skipped`, so one odd row never costs the whole changelog.
 *
 * Every step is linear in the page: the page decides what the text is, so no regex here may backtrack over it.
 */
import { type ChildNode, type Document, DomHandler, type Element, isTag, isText } from 'domhandler';
import { getAttributeValue, getElementsByTagName } from 'domutils';
import { Parser } from 'htmlparser2';
import type { ChangelogEntry, ParsedHistoryPage, SkippedRow, WindowsServerRow } from './changelog.js';
import { DOWNLOADS, type DriverFamily } from './driver-family.js';
import { RelayError } from './errors.js';
import { parseReleaseDate } from './release-date.js';
import { foldWhitespace } from './safe-text.js';

interface Cell {
  /** One line per <p>/<li> (and per run of loose text between them), whitespace collapsed, entities decoded. */
  readonly lines: readonly string[];
  /** href of the first link in the cell. */
  readonly href: string | null;
}

interface Row {
  readonly cells: readonly Element[];
  /** The row sits in <thead>. */
  readonly inHead: boolean;
}

interface Table {
  readonly rows: readonly Row[];
  /** The page ended (or an outer element closed) before </table>: the table may be cut off. */
  readonly cutOff: boolean;
}

const VERSION = /^\d+(?:\.\d+){1,3}$/;
const GROUP_LABEL = /^(New features|Performance optimizations|Bug fixes|Announcements?|Updates)\s*:?$/i;
const HISTORY_HEADERS = '"Package version" or "Driver version", "Details", "Release date"';
/** Package links are kept only into AWS's driver bucket (see packageUrl). */
const PACKAGES = `${DOWNLOADS}/`;
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
  const { root, cutOff } = parsePage(html, family);

  let history: { table: Table; columns: HistoryColumns } | null = null;
  let windowsServerTable: WindowsServerRow[] | null = null;
  for (const element of getElementsByTagName('table', root)) {
    const table: Table = { rows: rowsOf(element), cutOff: cutOff.has(element) };
    const headers = headerNames(table);
    const columns: HistoryColumns | null = history ? null : historyColumns(headers);
    if (columns) history = { table, columns };
    if (
      windowsServerTable === null &&
      headers.includes('windows server version') &&
      headers.includes('pv driver version')
    ) {
      windowsServerTable = readWindowsServerRows(table, headers);
    }
  }

  if (!history) {
    throw new RelayError('page-unreadable', `${family} history page: no table with headers ${HISTORY_HEADERS} found`);
  }
  if (history.table.cutOff) {
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
  return { entries, windowsServerTable: windowsServerTable ?? [], skipped };
}

/**
 * htmlparser2's DOM handler with the two checks a third-party page needs: nesting deeper than MAX_DEPTH is
 * refused while parsing, and each table closed by anything but its own </table> is noted.
 */
class PageHandler extends DomHandler {
  readonly cutOff = new Set<Element>();
  readonly #family: DriverFamily;

  constructor(family: DriverFamily) {
    super();
    this.#family = family;
  }

  override onopentag(name: string, attribs: { [key: string]: string }): void {
    // The stack holds the document root below the open elements.
    if (this.tagStack.length > MAX_DEPTH) {
      throw new RelayError('page-unreadable', `${this.#family} history page: elements nested deeper than ${MAX_DEPTH}`);
    }
    super.onopentag(name, attribs);
  }

  override onclosetag(name?: string, isImplied?: boolean): void {
    const element = this.tagStack.at(-1);
    if (name === 'table' && isImplied && element && isTag(element)) this.cutOff.add(element);
    super.onclosetag();
  }

  // Comments and the doctype are no page content, and leaving them out of the tree keeps it fast: domhandler's
  // node classes share one field initializer, and once V8 has seen five node classes there it takes a slow path
  // for every node (the PV page took 6.5 ms to build instead of 0.5 ms).
  override oncomment(): void {}
  override oncommentend(): void {}
  override onprocessinginstruction(): void {}
}

/** What parseDocument does, with PageHandler's checks. */
function parsePage(html: string, family: DriverFamily): { root: Document; cutOff: ReadonlySet<Element> } {
  const handler = new PageHandler(family);
  new Parser(handler, { decodeEntities: true }).end(html);
  return { root: handler.root, cutOff: handler.cutOff };
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
  const cells = row.cells.map(readCell);
  const versionCell = cells[columns.version] as Cell;
  const versionText = cellText(versionCell);
  if (versionText === '') return 'no version';
  const version = cleanVersion(versionText);
  if (!version) return `version "${versionText.slice(0, 40)}" is not a version number`;

  const driverCell = columns.driverVersion === null ? undefined : cells[columns.driverVersion];
  const driverVersion = driverCell ? cleanVersion(cellText(driverCell)) : null;

  return {
    version,
    releaseDate: parseReleaseDate(cellText(cells[columns.releaseDate])),
    details: (cells[columns.details] as Cell).lines.map(groupLabel),
    packageUrl: packageUrl(versionCell.href),
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

/**
 * The page decides where a release's Download link points, so a link counts only when it is an HTTPS address in
 * AWS's driver bucket; any other (another host, http:, javascript:, relative) is dropped and the relay falls back
 * to the bucket's documented path for the version. The address is parsed first, so "..", a port, credentials or
 * an encoded host cannot dress another address up as one in the bucket.
 */
function packageUrl(href: string | null): string | null {
  if (href === null || !URL.canParse(href)) return null;
  const url = new URL(href).href;
  return url.startsWith(PACKAGES) ? url : null;
}

function readWindowsServerRows(table: Table, headers: readonly string[]): WindowsServerRow[] {
  const server = headers.indexOf('windows server version');
  const driver = headers.indexOf('pv driver version');
  const rows: WindowsServerRow[] = [];
  for (const row of bodyRows(table)) {
    const windowsServer = cellText(readCellAt(row, server));
    const driverText = cellText(readCellAt(row, driver));
    if (windowsServer && driverText) rows.push({ windowsServer, driver: driverText });
  }
  return rows;
}

/** The header row is the first row of <thead>, or the table's first row when the page has no <thead>. */
function headerRow(table: Table): Row | undefined {
  return table.rows.find((row) => row.inHead) ?? table.rows[0];
}

/** Lower-case header names; a trailing ":" or "*" ("Release date:") is not part of the name. */
function headerNames(table: Table): string[] {
  return (headerRow(table)?.cells ?? []).map((cell) => trimTrailing(cellText(readCell(cell)), ':*').toLowerCase());
}

function bodyRows(table: Table): Row[] {
  const header = headerRow(table);
  return table.rows.filter((row) => row !== header && !row.inHead);
}

function cellText(cell: Cell | undefined): string {
  return cell ? cell.lines.join(' ') : '';
}

function readCellAt(row: Row, index: number): Cell | undefined {
  const cell = row.cells[index];
  return cell ? readCell(cell) : undefined;
}

/**
 * Cuts any of `chars` off the end of `text`. A loop, not /[:*]+$/: the regex retries from every character of a
 * run that does not end the text, which took seconds on a page of long runs of colons.
 */
function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text.charAt(end - 1))) end -= 1;
  return text.slice(0, end);
}

/**
 * The rows of a table, in page order. A table nested in a cell is read on its own: its rows are not this
 * table's, and its text does not join the outer cell.
 */
function rowsOf(table: Element): Row[] {
  return collectRows(table.children, false, []);
}

function collectRows(nodes: readonly ChildNode[], inHead: boolean, rows: Row[]): Row[] {
  for (const node of nodes) {
    if (!isTag(node) || node.name === 'table') continue;
    if (node.name === 'tr') rows.push({ cells: cellsOf(node.children), inHead });
    else collectRows(node.children, inHead || node.name === 'thead', rows);
  }
  return rows;
}

/** The cells of a row: its <td> and <th> elements, wherever the markup put them, but not inside a nested table. */
function cellsOf(nodes: readonly ChildNode[], cells: Element[] = []): Element[] {
  for (const node of nodes) {
    if (!isTag(node) || node.name === 'table') continue;
    if (node.name === 'td' || node.name === 'th') cells.push(node);
    else cellsOf(node.children, cells);
  }
  return cells;
}

/** Tags that start or end a detail line inside a cell. */
const LINE_BREAKING = new Set(['p', 'li', 'ul', 'ol', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Tags whose text is never page content; a nested table is read on its own. */
const SKIPPED = new Set(['script', 'style', 'template', 'noscript', 'table']);

/** The text of a cell as detail lines, and its first link. */
function readCell(cell: Element): Cell {
  const reader = new CellReader();
  reader.read(cell.children);
  reader.endLine();
  return { lines: reader.lines, href: reader.href };
}

/** Collects a cell's text line by line, each line capped at MAX_LINE_CHARS. */
class CellReader {
  readonly lines: string[] = [];
  href: string | null = null;
  #pending: string[] = [];
  #pendingLength = 0;

  read(nodes: readonly ChildNode[]): void {
    for (const node of nodes) {
      if (isText(node)) {
        this.#add(node.data);
        continue;
      }
      if (!isTag(node) || SKIPPED.has(node.name)) continue;
      if (node.name === 'br') {
        this.#add(' ');
        continue;
      }
      if (node.name === 'a' && this.href === null) this.href = getAttributeValue(node, 'href') || null;
      const breaksLine = LINE_BREAKING.has(node.name);
      if (breaksLine) this.endLine();
      this.read(node.children);
      if (breaksLine) this.endLine();
    }
  }

  endLine(): void {
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    const line = foldWhitespace(text.slice(0, MAX_LINE_CHARS)) + (text.length > MAX_LINE_CHARS ? ' …' : '');
    this.#pending = [];
    this.#pendingLength = 0;
    if (line) this.lines.push(line);
  }

  #add(text: string): void {
    // One character past the limit is kept so endLine can tell the line was cut.
    if (this.#pendingLength > MAX_LINE_CHARS) return;
    const kept = text.slice(0, MAX_LINE_CHARS + 1 - this.#pendingLength);
    this.#pending.push(kept);
    this.#pendingLength += kept.length;
  }
}
