/**
 * The one list of Slack's answers (`{ ok: false, error }`) that retrying cannot fix: a person must act, and the
 * message says what to do. Any other refusal counts as transient (slack-destination.ts).
 */

interface PermanentSlackError {
  /** What a person has to do, for the channel the post was for. */
  readonly advice: (channel: string) => string;
  /**
   * The token itself is bad: the fix is a new token in the secret, so the next read of the secret skips its cache
   * (destinations.ts).
   */
  readonly badToken?: true;
}

const rendererAdvice = 'Slack refused the rendered message: report this with the SNS event, it is a bug in the relay.';

function tokenAdvice(what: string): string {
  return `The Slack bot token ${what}: put a valid xoxb- token in the Slack token secret (aws secretsmanager put-secret-value) or SLACK_BOT_TOKEN.`;
}

const PERMANENT_ERRORS: Readonly<Record<string, PermanentSlackError>> = {
  invalid_auth: { advice: () => tokenAdvice('is not valid'), badToken: true },
  not_authed: { advice: () => tokenAdvice('was not sent'), badToken: true },
  account_inactive: { advice: () => tokenAdvice('belongs to a deactivated bot or workspace'), badToken: true },
  token_revoked: { advice: () => tokenAdvice('has been revoked'), badToken: true },
  token_expired: { advice: () => tokenAdvice('has expired'), badToken: true },
  not_allowed_token_type: { advice: () => tokenAdvice('is not a bot token (xoxb-)') },
  missing_scope: { advice: () => 'Add the chat:write scope to the Slack app and reinstall it to the workspace.' },
  no_permission: { advice: () => 'Add the chat:write scope to the Slack app and reinstall it to the workspace.' },
  channel_not_found: {
    advice: (channel) =>
      `Check that ${channel} is a channel ID (e.g. C0123456789, not a name) in the bot's workspace; for a private channel, invite the bot to it with /invite @<bot name>.`,
  },
  not_in_channel: { advice: (channel) => `Invite the bot to ${channel} with /invite @<bot name>.` },
  is_archived: { advice: (channel) => `Unarchive ${channel} or remove it from the configured Slack channels.` },
  // chat.update's answer for a message in an archived, frozen or deleted channel, where no post would go either.
  is_inactive: {
    advice: (channel) =>
      `${channel} is archived, frozen or deleted: restore it or remove it from the configured Slack channels.`,
  },
  restricted_action: {
    advice: (channel) => `A workspace setting stops the bot posting in ${channel}; ask a Slack admin.`,
  },
  restricted_action_read_only_channel: {
    advice: (channel) => `${channel} is read-only for the bot; ask a Slack admin.`,
  },
  team_access_not_granted: { advice: () => 'The Slack app is not installed in this workspace; install it.' },
  invalid_blocks: { advice: () => rendererAdvice },
  invalid_blocks_format: { advice: () => rendererAdvice },
  msg_too_long: { advice: () => rendererAdvice },
  no_text: { advice: () => rendererAdvice },
  invalid_arguments: { advice: () => rendererAdvice },
};

/** What a person has to do about Slack's `error` when posting to `channel`, or undefined when a retry may work. */
export function permanentSlackErrorAdvice(error: string, channel: string): string | undefined {
  return Object.hasOwn(PERMANENT_ERRORS, error) ? PERMANENT_ERRORS[error]?.advice(channel) : undefined;
}

/** Whether Slack's `error` means the token itself is bad (see PermanentSlackError.badToken). */
export function isBadTokenError(error: string): boolean {
  return Object.hasOwn(PERMANENT_ERRORS, error) && PERMANENT_ERRORS[error]?.badToken === true;
}
