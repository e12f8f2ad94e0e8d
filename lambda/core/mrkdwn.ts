/**
 * Slack mrkdwn built so that outside text stays text. Slack reads `<...>` as a control sequence (a mention
 * such as `<!channel>` or `<@U123>`, or a link `<https://x|label>`), so a notification or web page that
 * reached Slack unescaped could ping a channel or show a forged link. Slack's rule is to escape `&`, `<`
 * and `>` as HTML entities; after that, the only `<...>` in our text are the links built by `link()`.
 * See https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
import { cleanText, isHighSurrogate, oneLine } from './safe-text.js';

const ELLIPSIS = '…';
const ZERO_WIDTH_SPACE = '\u200B';
/** "```\n" before the code and "\n```" after it. */
const FENCE_OVERHEAD = 8;

/**
 * One unit that must never be cut: an entity we wrote, a link we built, a surrogate pair, or one code unit.
 * Escaped outside text holds no raw `<`, so a `<...>` run is always one of our links.
 */
const TOKEN = /&(?:amp|lt|gt);|<[^<>\n]*>|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/y;

/**
 * Escapes outside text for a mrkdwn field. Runs of backticks get a zero-width space between them, because
 * "```" inside the text would open or close a code block and spill the rest of the message into it.
 */
export function escapeMrkdwn(text: string): string {
  return cleanText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`(?=`)/g, `\`${ZERO_WIDTH_SPACE}`);
}

/** Ends of the tokens of `text`, in order (see TOKEN). */
function* tokenEnds(text: string): Generator<number> {
  const token = new RegExp(TOKEN.source, 'y');
  while (token.lastIndex < text.length) {
    if (token.exec(text) === null) return;
    yield token.lastIndex;
  }
}

/**
 * Cuts mrkdwn to at most `max` characters, ending with "…" when it cuts, never inside an entity, a link
 * or a surrogate pair (a link that does not fit is dropped whole). `continues` says the text given is
 * already a cut prefix, so it ends with "…" even when it fits.
 */
export function truncateMrkdwn(mrkdwn: string, max: number, continues = false): string {
  if (mrkdwn.length <= max && !continues) return mrkdwn;
  if (max < ELLIPSIS.length) return '';
  const budget = max - ELLIPSIS.length;
  let end = 0;
  for (const next of tokenEnds(mrkdwn)) {
    if (next > budget) break;
    end = next;
  }
  return `${mrkdwn.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/** Escapes outside text and cuts it to fit `max`. */
export function fitMrkdwn(text: string, max: number): string {
  return fitPrefix(text, max, (prefix) => prefix);
}

/** Escapes outside text, folds it onto one line and cuts it to fit `max`. */
export function fitLine(text: string, max: number): string {
  return fitPrefix(text, max, oneLine);
}

/**
 * Only a prefix of a long text is prepared and escaped: a field can be hundreds of kilobytes and only a
 * few hundred characters of it are shown. The prefix is generous, because cleaning and folding can shorten
 * it, and whatever follows it is marked as cut.
 */
function fitPrefix(text: string, max: number, prepare: (text: string) => string): string {
  let limit = max * 4 + 1024;
  if (text.length <= limit) return truncateMrkdwn(escapeMrkdwn(prepare(text)), max);
  if (isHighSurrogate(text.charCodeAt(limit - 1))) limit -= 1;
  return truncateMrkdwn(escapeMrkdwn(prepare(text.slice(0, limit))), max, true);
}

/**
 * Splits mrkdwn into pieces of at most `max` characters that join back into the original, cutting after a
 * line break where one falls in the second half of a piece, else after a space, else between tokens.
 */
export function splitMrkdwn(mrkdwn: string, max: number): string[] {
  if (mrkdwn.length <= max) return [mrkdwn];
  const pieces: string[] = [];
  let start = 0;
  let end = start;
  let afterNewline = -1;
  let afterSpace = -1;
  for (const next of tokenEnds(mrkdwn)) {
    while (next - start > max) {
      const half = start + max / 2;
      let cut = afterNewline > half ? afterNewline : afterSpace > half ? afterSpace : end;
      // Only a link of our own longer than a whole piece gets here; it is cut rather than looping forever.
      if (cut <= start) cut = start + max;
      pieces.push(mrkdwn.slice(start, cut));
      start = cut;
      afterNewline = -1;
      afterSpace = -1;
    }
    const last = mrkdwn[next - 1];
    if (last === '\n') afterNewline = next;
    else if (last === ' ') afterSpace = next;
    end = next;
  }
  if (start < mrkdwn.length) pieces.push(mrkdwn.slice(start));
  return pieces;
}

/**
 * Joins mrkdwn lines into as few chunks of at most `max` characters as it can, keeping each line whole
 * unless the line alone is longer than `max`.
 */
export function packLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current: string | null = null;
  for (const line of lines) {
    for (const piece of splitMrkdwn(line, max)) {
      if (current === null) current = piece;
      else if (current.length + 1 + piece.length <= max) current = `${current}\n${piece}`;
      else {
        chunks.push(current);
        current = piece;
      }
    }
  }
  if (current !== null) chunks.push(current);
  return chunks;
}

/** A code block of outside text, at most `max` characters with its fences, cut with "…" when too long. */
export function codeBlock(text: string, max: number): string {
  return fence(fitMrkdwn(text, max - FENCE_OVERHEAD));
}

/** Outside text as consecutive code blocks of at most `max` characters each, nothing cut. */
export function codeBlocks(text: string, max: number): string[] {
  return splitMrkdwn(escapeMrkdwn(text), max - FENCE_OVERHEAD).map((piece) => fence(piece.replace(/\n$/, '')));
}

function fence(escapedCode: string): string {
  return `\`\`\`\n${escapedCode}\n\`\`\``;
}

/** Outside text as inline code on one line; a backtick inside would end the code span, so it becomes '. */
export function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(oneLine(text).replace(/`/g, "'"))}\``;
}

/**
 * A link we build (history page, download). Only http(s) URLs become links, so a `javascript:` or `slack:`
 * URL from outside cannot; characters that would end the URL part early (`|`, `>`, whitespace) are
 * percent-encoded.
 */
export function link(url: string, label: string): string {
  const cleanUrl = oneLine(url);
  const cleanLabel = oneLine(label);
  if (!/^https?:\/\/[^\s]+$/i.test(cleanUrl)) {
    return escapeMrkdwn(cleanLabel === '' ? cleanUrl : `${cleanLabel} (${cleanUrl})`);
  }
  const href = cleanUrl
    .replace(/[|<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/&/g, '&amp;');
  return cleanLabel === '' ? `<${href}>` : `<${href}|${escapeMrkdwn(cleanLabel)}>`;
}
