/**
 * What Slack and SNS would refuse, and what a hostile notification must never achieve, checked on a rendered
 * payload. Each check returns the problems it found as sentences (empty when the payload is fine), so a failing
 * property shows what broke rather than `false`.
 *
 * Limits: https://docs.slack.dev/reference/block-kit/blocks (header 150, section 3000, context 10 elements of
 * 3000, 50 blocks); Slack refuses about 12,000 characters of blocks in one message (msg_blocks_too_long); SNS
 * Publish takes a Subject of ASCII printable text under 100 characters and a message under 256 KB.
 */

const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const CONTEXT_ELEMENT_MAX = 3000;
const CONTEXT_ELEMENTS_MAX = 10;
const BLOCKS_MAX = 50;
const BLOCK_CHARS_MAX = 12_000;
const FALLBACK_TEXT_MAX = 40_000;
const SUBJECT_LIMIT = 100;
const SNS_MESSAGE_MAX_BYTES = 256 * 1024;

/**
 * The only `<...>` sequences the relay writes itself: links to the four history pages and to the driver download
 * bucket. Anything else in angle brackets (`<!channel>`, `<@U123>`, `<#C123>`, `<https://evil|label>`) came from
 * outside and was not escaped.
 */
const OWN_LINK =
  /^<https:\/\/(?:docs\.aws\.amazon\.com\/AWSEC2\/latest\/UserGuide\/|s3\.amazonaws\.com\/ec2-windows-drivers-downloads\/)[^\s<>|]*(?:\|[^<>]*)?>/;

interface MessageLike {
  readonly text?: unknown;
  readonly blocks?: readonly unknown[];
}

interface SlackPayloadLike {
  readonly main: MessageLike;
  readonly thread: readonly MessageLike[];
}

/** Every limit of every message (main and thread replies) and every string in it checked for link syntax. */
export function slackProblems(payload: SlackPayloadLike): string[] {
  return [
    ...messageProblems('main message', payload.main),
    ...payload.thread.flatMap((message, index) => messageProblems(`thread reply ${index + 1}`, message)),
  ];
}

function messageProblems(where: string, message: MessageLike): string[] {
  const problems: string[] = [];
  const blocks = message.blocks ?? [];
  if (typeof message.text !== 'string' || message.text.trim() === '') problems.push(`${where}: no fallback text`);
  else if (message.text.length > FALLBACK_TEXT_MAX) problems.push(`${where}: fallback text over ${FALLBACK_TEXT_MAX}`);
  if (blocks.length > BLOCKS_MAX) problems.push(`${where}: ${blocks.length} blocks (limit ${BLOCKS_MAX})`);
  let blockChars = 0;
  for (const [index, block] of blocks.entries()) {
    const at = `${where}, block ${index + 1}`;
    const { type, text, elements } = block as {
      type?: string;
      text?: { text?: string };
      elements?: { text?: string }[];
    };
    if (type === 'header') {
      const length = text?.text?.length ?? 0;
      if (length === 0 || length > HEADER_MAX) problems.push(`${at}: header of ${length} characters`);
      blockChars += length;
    } else if (type === 'section') {
      const length = text?.text?.length ?? 0;
      if (length === 0 || length > SECTION_MAX) problems.push(`${at}: section of ${length} characters`);
      blockChars += length;
    } else if (type === 'context') {
      const items = elements ?? [];
      if (items.length === 0 || items.length > CONTEXT_ELEMENTS_MAX) {
        problems.push(`${at}: context with ${items.length} elements`);
      }
      for (const element of items) {
        const length = element.text?.length ?? 0;
        if (length === 0 || length > CONTEXT_ELEMENT_MAX) problems.push(`${at}: context element of ${length}`);
        blockChars += length;
      }
    } else {
      problems.push(`${at}: unexpected block type ${String(type)}`);
    }
  }
  if (blockChars > BLOCK_CHARS_MAX) problems.push(`${where}: ${blockChars} characters of blocks`);
  for (const text of strings(message)) problems.push(...injectionProblems(where, text));
  return problems;
}

/** Every string anywhere in the value: text fields, labels, alt texts, whatever a renderer adds later. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

function injectionProblems(where: string, text: string): string[] {
  const problems: string[] = [];
  for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) {
    const match = OWN_LINK.exec(text.slice(at));
    if (match === null) {
      problems.push(`${where}: unescaped ${JSON.stringify(text.slice(at, at + 40))}`);
    } else {
      at += match[0].length - 1;
    }
  }
  const closing = text.replace(new RegExp(OWN_LINK.source.slice(1), 'g'), '');
  if (closing.includes('>')) problems.push(`${where}: unescaped ">" in ${JSON.stringify(snippet(closing, '>'))}`);
  return problems;
}

function snippet(text: string, around: string): string {
  const at = text.indexOf(around);
  return text.slice(Math.max(0, at - 20), at + 20);
}

/** What SNS Publish accepts for an email, and what a mail client shows as the subject. */
export function emailProblems(email: { readonly subject: string; readonly body: string }): string[] {
  const problems: string[] = [];
  const { subject, body } = email;
  if (subject.length === 0 || subject.length >= SUBJECT_LIMIT) {
    problems.push(`subject of ${subject.length} characters (SNS wants 1 to ${SUBJECT_LIMIT - 1})`);
  }
  if (!/^[\x20-\x7e]*$/.test(subject)) problems.push(`subject not ASCII printable: ${JSON.stringify(subject)}`);
  if (!/^[A-Za-z0-9\p{P}]/u.test(subject)) problems.push(`subject starts with ${JSON.stringify(subject.charAt(0))}`);
  const bytes = Buffer.byteLength(body, 'utf8') + Buffer.byteLength(subject, 'utf8');
  if (bytes > SNS_MESSAGE_MAX_BYTES) problems.push(`email of ${bytes} bytes (SNS takes ${SNS_MESSAGE_MAX_BYTES})`);
  problems.push(...plainTextProblems('email body', body));
  return problems;
}

/**
 * Plain text for a terminal or a mail client: nothing that acts on the screen (escape sequences, carriage returns,
 * bidi overrides) and no lone surrogate (invalid UTF-16 that encoders turn into garbage or refuse).
 */
export function plainTextProblems(where: string, text: string): string[] {
  const problems: string[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
  const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.exec(text);
  if (control !== null) {
    problems.push(`${where}: control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (/(?:[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/.test(text)) {
    problems.push(`${where}: lone surrogate`);
  }
  return problems;
}
