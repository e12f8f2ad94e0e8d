import type { RenderedAlert } from '../../lambda/ports.js';

/** A rendered alert as the dispatcher receives it: a short main message, one thread reply with the notes, an email. */
export function renderedAlert(overrides: Partial<RenderedAlert> = {}): RenderedAlert {
  const index = overrides.index ?? 0;
  const version = `2.${index}.0`;
  return {
    messageId: 'a3b1c2d4-0000-4000-8000-000000000001',
    index,
    slack: {
      main: {
        text: `ENA ${version} released`,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*ENA ${version}* released` } }],
      },
      thread: [
        {
          text: `Release notes for ENA ${version}`,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `• Notes for ${version}` } }],
        },
      ],
    },
    email: { subject: `ENA ${version} released`, body: `ENA ${version} was released.\n` },
    ...overrides,
  };
}
