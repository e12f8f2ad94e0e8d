/**
 * Text from outside (an SNS message, a version-history page) made safe to show anywhere: in a terminal, an
 * email or a JSON payload. Every renderer passes outside text through here before adding its own markup.
 */

const ELLIPSIS = '…';

/** C0 and C1 controls (tab and line feed kept), and the bidi embeddings/overrides/isolates. */
function isUnsafeCodePoint(code: number): boolean {
  if (code === 0x09 || code === 0x0a) return false;
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * Drops characters that let text act on the reader's screen instead of being read: an escape sequence
 * can move a terminal's cursor, a carriage return can overwrite a line, a bidi override can reorder what
 * is shown. Carriage returns become line feeds; a lone surrogate (invalid UTF-16, which JSON and UTF-8
 * encoders choke on) becomes U+FFFD.
 */
export function cleanText(text: string): string {
  const normalised = text.replace(/\r\n?/g, '\n');
  // Scans code units and copies the clean runs between dropped characters: this runs over every
  // field of every alert, some of them hundreds of kilobytes long.
  let out = '';
  let from = 0;
  for (let index = 0; index < normalised.length; index += 1) {
    const code = normalised.charCodeAt(index);
    let replacement: string | null = null;
    if (isHighSurrogate(code) && isLowSurrogate(normalised.charCodeAt(index + 1))) index += 1;
    else if (isHighSurrogate(code) || isLowSurrogate(code)) replacement = '\uFFFD';
    else if (isUnsafeCodePoint(code)) replacement = '';
    if (replacement !== null) {
      out += normalised.slice(from, index) + replacement;
      from = index + 1;
    }
  }
  return from === 0 ? normalised : out + normalised.slice(from);
}

/** Cleans the text and folds every run of whitespace, line breaks included, into one space. */
export function oneLine(text: string): string {
  return foldWhitespace(cleanText(text));
}

/** Folds every run of whitespace (line breaks and no-break spaces included) into one space, trimmed; cleans nothing. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Cuts text to at most `max` UTF-16 code units (the stricter of the ways services count characters),
 * never inside a surrogate pair, ending with "…" when it cuts.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return '';
  let cut = max - ELLIPSIS.length;
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/**
 * Cuts text so its UTF-8 encoding takes at most `maxBytes`, marker included, cutting between code points.
 * For transports that count bytes (SNS counts the message in bytes).
 */
export function truncateUtf8(text: string, maxBytes: number, marker: string): string {
  if (utf8Length(text) <= maxBytes) return text;
  const budget = maxBytes - utf8Length(marker);
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > budget) break;
    bytes += size;
    end += char.length;
  }
  return `${text.slice(0, end)}${marker}`;
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
