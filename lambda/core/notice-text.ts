/**
 * AWS's notice as plain sentences, whatever the body's format: free text, a JSON document, HTML or Markdown.
 * JSON fields become "key: value" lines (so `previousVersion` reads as "previous version: 2.10.0"), markup is
 * dropped with link targets kept (a download URL carries a version), and line ends, quotes, dashes and spaces are
 * folded to one form. Every step is a single pass over the text, so hostile input costs linear time.
 */

/** A sentence of the notice, with where it came from. */
export interface Sentence {
  readonly text: string;
  /** True for the SNS Subject, which names what the notice is about more reliably than the body. */
  readonly inSubject: boolean;
}

/** JSON deeper or larger than this is not a notice; the rest is read as text. */
const JSON_MAX_DEPTH = 12;
const JSON_MAX_LEAVES = 2000;

const CHARACTER_FOLDS: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2192': ' -> ',
  '\u27f6': ' -> ',
  '\u21d2': ' -> ',
  '\u2794': ' -> ',
  '\u2022': '\n',
  '\u25aa': '\n',
  '\u2023': '\n',
  '\u3002': '. ',
};

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  rarr: ' -> ',
  ndash: '-',
  mdash: '-',
  lsquo: "'",
  rsquo: "'",
  ldquo: '"',
  rdquo: '"',
  bull: '\n',
  hellip: '...',
};

/** Tags after which a new line starts. */
const BLOCK_TAGS = new Set([
  'p',
  'br',
  'div',
  'li',
  'ul',
  'ol',
  'tr',
  'td',
  'th',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'section',
  'article',
  'header',
  'footer',
  'blockquote',
  'pre',
  'dt',
  'dd',
  'hr',
  'title',
]);

/** Tags that carry no block but separate words, or hold a link. */
const INLINE_TAGS = new Set([
  'a',
  'b',
  'strong',
  'em',
  'i',
  'u',
  'span',
  'code',
  'small',
  'sup',
  'sub',
  'font',
  'html',
  'body',
  'head',
  'meta',
  'img',
]);

/** A body is HTML when it holds a tag we know, not merely a "<" ("<A" in prose, "<2.11.0"). */
const HTML_TAG = new RegExp(
  `<\\/?(?:p|br|div|li|ul|ol|tr|td|th|table|h[1-6]|a|b|strong|em|span|html|body|pre|code)${attributes()}\\s*\\/?>`,
  'i',
);

/**
 * A tag's attributes as HTML writes them (`href="..."`, `class=x`, `hidden`): prose that happens to sit between "<A"
 * and a later ">" is not a tag.
 */
function attributes(): string {
  return `(?:\\s+[\\w:-]{1,100}(?:\\s*=\\s*(?:"[^"]{0,2000}"|'[^']{0,2000}'|[^\\s"'<>=\`]{1,2000}))?){0,50}`;
}

/** Abbreviations whose dot does not end a sentence ("ver. 2.11.0", "e.g. ENA"). */
const ABBREVIATIONS = new Set(['ver', 'v', 'e.g', 'i.e', 'approx', 'vs', 'no', 'rel', 'incl', 'etc']);

/** The notice's sentences: the Subject first (when it has one), then the body's. */
export function noticeSentences(subject: string | null, message: string): Sentence[] {
  const sentences: Sentence[] = [];
  if (subject !== null) {
    for (const text of splitSentences(foldCharacters(subject))) sentences.push({ text, inSubject: true });
  }
  for (const text of splitSentences(foldCharacters(plainBody(message)))) sentences.push({ text, inSubject: false });
  return sentences;
}

/** The body as plain text lines, from JSON, HTML, Markdown or plain text. */
export function plainBody(message: string): string {
  const trimmed = message.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const lines = jsonLines(trimmed);
    if (lines !== null) return lines.join('\n');
  }
  const text = HTML_TAG.test(message) ? htmlText(message) : message;
  return markdownText(text);
}

function jsonLines(text: string): string[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const lines: string[] = [];
  const walk = (node: unknown, key: string, depth: number): void => {
    if (lines.length >= JSON_MAX_LEAVES || depth > JSON_MAX_DEPTH) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, key, depth + 1);
    } else if (node !== null && typeof node === 'object') {
      for (const [child, item] of Object.entries(node)) walk(item, child, depth + 1);
    } else if (node !== null && node !== undefined) {
      const label = keyWords(key);
      // A long text field (the notice's prose) stands on its own; a short one is "label: value".
      // "rolled_back", "end_of_support": an identifier value reads as its words.
      const value = /^[A-Za-z]+(?:_[A-Za-z]+)+$/.test(String(node)) ? String(node).replace(/_/g, ' ') : String(node);
      lines.push(label === '' || value.length > 80 ? value : `${label}: ${value}`);
    }
  };
  walk(value, '', 0);
  return lines;
}

/** "previousVersion" / "previous_version" -> "previous Version" / "previous version"; the case stays ("ENA", "PV"). */
function keyWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim();
}

function htmlText(html: string): string {
  let out = '';
  let at = 0;
  const tag = new RegExp(`<(\\/?)([a-z][a-z0-9]*)(${attributes()})\\s*\\/?>|<!--[\\s\\S]{0,100000}?-->`, 'gi');
  for (let match = tag.exec(html); match !== null; match = tag.exec(html)) {
    const name = (match[2] ?? '').toLowerCase();
    // Text that only looks like a tag ("<A>" in prose) stays text.
    if (name !== '' && !BLOCK_TAGS.has(name) && !INLINE_TAGS.has(name)) continue;
    out += html.slice(at, match.index);
    at = match.index + match[0].length;
    if (name === '') continue;
    if (BLOCK_TAGS.has(name)) out += '\n';
    else if (name === 'a' && match[1] === '') {
      const href = /href\s*=\s*["']([^"']{1,2000})["']/i.exec(match[3] ?? '')?.[1];
      if (href !== undefined) out += ` ${href} `;
    } else out += ' ';
  }
  out += html.slice(at);
  return decodeEntities(out);
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return HTML_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Markdown emphasis, headings, quotes and code fences dropped; `[label](url)` keeps both. */
function markdownText(text: string): string {
  return text
    .replace(/\[([^\]\n]{0,500})\]\(([^)\s]{1,2000})\)/g, '$1 $2 ')
    .replace(/[*_`~]{1,3}/g, (mark, offset: number, whole: string) => {
      // "snake_case" and "a*b" keep their characters; emphasis sits at word edges.
      const before = whole.charAt(offset - 1);
      const after = whole.charAt(offset + mark.length);
      return /\w/.test(before) && /\w/.test(after) ? mark : ' ';
    })
    .replace(/^[ \t]*(?:#{1,6}|>+|[-+*]|\d{1,3}[.)])[ \t]+/gm, '\n');
}

function foldCharacters(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const folded = CHARACTER_FOLDS[char];
    if (folded !== undefined) out += folded;
    else if (code === 0x0d) out += '\n';
    else if (code === 0x0a || code === 0x0b || code === 0x0c || code === 0x85 || code === 0x2028 || code === 0x2029)
      out += '\n';
    else if (code === 0x200b || code === 0x200c || code === 0x200d || code === 0xfeff || code === 0xad) continue;
    else if (code < 0x20 || code === 0x7f || code === 0xa0 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f)
      out += ' ';
    else out += char;
  }
  return out;
}

/** Lines, then sentences within a line: ". ", "! ", "? " end one unless the dot ends an abbreviation. */
function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split('\n')) {
    let start = 0;
    for (let i = 0; i < line.length; i++) {
      const char = line.charAt(i);
      if (char !== '.' && char !== '!' && char !== '?') continue;
      const next = line.charAt(i + 1);
      if (next !== '' && next !== ' ' && next !== '\t' && next !== '"' && next !== "'" && next !== ')') continue;
      if (char === '.' && ABBREVIATIONS.has(lastWord(line, i))) continue;
      push(sentences, line.slice(start, i + 1));
      start = i + 1;
    }
    push(sentences, line.slice(start));
  }
  return sentences;
}

function lastWord(line: string, end: number): string {
  let start = end;
  while (start > 0 && /[A-Za-z.]/.test(line.charAt(start - 1)) && end - start < 8) start--;
  return line.slice(start, end).toLowerCase();
}

function push(sentences: string[], text: string): void {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  if (/[A-Za-z0-9]/.test(trimmed)) sentences.push(trimmed);
}
