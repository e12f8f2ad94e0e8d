/**
 * What a Slack token looks like, to refuse a malformed one before it is used and to keep any token out of text a
 * person or another system will read.
 *
 * Slack's token types (docs.slack.dev/authentication/tokens): bot `xoxb-`, user `xoxp-`, legacy workspace `xoxa-`,
 * refresh `xoxr-`, and the `xoxo-`/`xoxs-` forms, each followed by digits, letters and hyphens; a token with
 * rotation enabled carries an `xoxe.` prefix (`xoxe.xoxb-1-...`). App-level tokens (`xapp-`) and configuration
 * tokens cannot post messages, so they are refused rather than sent to Slack to be refused there.
 */

const TOKEN_PREFIX = /^(?:xoxe\.)?xox[abposr]-/;
const TOKEN_FORM = /^(?:xoxe\.)?xox[abposr]-[A-Za-z0-9-]+$/;

/**
 * What is wrong with `value` as a Slack token, phrased to follow "The ... token (secret|variable) <name>", or
 * undefined when it has a token's form. The problem never quotes the value, nor any part of it.
 *
 * The order matters to the reader: a line break or a space is the likeliest accident (a copied line, a pasted
 * `Bearer xoxb-...`), and it is also what made fetch quote the whole Authorization header in an error.
 */
export function slackTokenProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'has a line break (CR or LF) inside the token';
  if (/\s/.test(value)) return 'has whitespace inside the token';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for.
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'has a control character inside the token';
  if (!TOKEN_PREFIX.test(value)) {
    return 'does not start like a Slack token that can post (xoxb- for a bot token, xoxp- for a user token)';
  }
  if (!TOKEN_FORM.test(value)) return 'has characters a Slack token never has (only letters, digits and "-")';
  return undefined;
}

/**
 * Anything token-shaped: every `xox?-` form, rotating (`xoxe.`) and refresh (`xoxe-`) tokens, and app-level tokens;
 * matched whether or not it is ours, in case one that is not ours turns up in a line.
 */
const TOKEN_SHAPED = /(?:xoxe\.)?xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g;

/**
 * The one redaction step for text that leaves the Slack adapter or the command line: error messages, log lines,
 * what the CLI prints. Replaces anything token-shaped with `xox?-[redacted]`, and every known secret (the token in
 * use, which may not look like a token: a stand-in's, or one that was never validated) even where it does not.
 */
export function redactSlackTokens(text: string, known: readonly string[] = []): string {
  let redacted = text;
  for (const secret of known) {
    if (secret.length > 0) redacted = redacted.split(secret).join('xox?-[redacted]');
  }
  return redacted.replace(TOKEN_SHAPED, 'xox?-[redacted]');
}

/**
 * Sets an error's message or stack, also where it is a getter without a setter (the DOMException of
 * AbortSignal.timeout): redaction must never itself throw and replace the error it cleans.
 */
function rewrite(error: Error, key: 'message' | 'stack', value: string): void {
  if (error[key] === value) return;
  try {
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
  } catch {
    // A frozen or exotic error keeps its text; its message is Node's own, never one with a token in it.
  }
}

/**
 * Redacts the messages and stacks of an error and of every error it wraps (`cause`, a list of causes, and the Slack
 * SDK's `original`), in place, and returns it. The chain is what Powertools Logger prints and what Lambda copies
 * into the failure queue, so redacting only the outer message would not be enough.
 */
export function redactErrorChain<E>(error: E, known: readonly string[] = []): E {
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!(value instanceof Error) || seen.has(value)) return;
    seen.add(value);
    rewrite(value, 'message', redactSlackTokens(value.message, known));
    if (value.stack !== undefined) rewrite(value, 'stack', redactSlackTokens(value.stack, known));
    visit(value.cause);
    if ('original' in value) visit(value.original);
    if (value instanceof AggregateError) visit(value.errors);
  };
  visit(error);
  return error;
}
