import * as fc from 'fast-check';
import {
  codeBlock,
  codeBlocks,
  escapeMrkdwn,
  fitLine,
  fitMrkdwn,
  inlineCode,
  link,
  packLines,
  splitMrkdwn,
  truncateMrkdwn,
} from '../lambda/core/mrkdwn.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CUT_ENTITY = /&(?!amp;|lt;|gt;)/;

/** Text that leans on what can go wrong: entities, mentions, links, backticks, astral characters, controls. */
const awkwardText = fc
  .array(
    fc.constantFrom(
      '&',
      '<',
      '>',
      '<!channel>',
      '<@U024BE7LH>',
      '|',
      '`',
      '```',
      '😀',
      'é',
      '\u001b[2J',
      '\r',
      '\n',
      ' ',
      'word',
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

describe('escaping', () => {
  test('escapes &, < and > the way Slack documents', () => {
    expect(escapeMrkdwn('Tom & Jerry <3 > all')).toBe('Tom &amp; Jerry &lt;3 &gt; all');
  });

  test('turns mentions and forged links into plain text', () => {
    expect(escapeMrkdwn('<!channel> <@U024BE7LH> <https://evil.example|click>')).toBe(
      '&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example|click&gt;',
    );
  });

  test('an ampersand already written as an entity is escaped again, so it shows as typed', () => {
    expect(escapeMrkdwn('&lt;!here&gt;')).toBe('&amp;lt;!here&amp;gt;');
  });

  test('leaves no run of three backticks that could open a code block', () => {
    expect(escapeMrkdwn('a ``` b ````` c')).not.toContain('```');
  });

  test('drops control characters and keeps line breaks', () => {
    expect(escapeMrkdwn('red\u001b[31m\u0007 text\r\nnext')).toBe('red[31m text\nnext');
  });
});

describe('truncation', () => {
  test('leaves text that fits alone', () => {
    expect(truncateMrkdwn('short', 5)).toBe('short');
  });

  test('adds … when it cuts', () => {
    expect(truncateMrkdwn('abcdefgh', 5)).toBe('abcd…');
  });

  test('never cuts inside an entity', () => {
    expect(truncateMrkdwn('&amp;&amp;&amp;', 8)).toBe('&amp;…');
  });

  test('never cuts a surrogate pair in half', () => {
    expect(truncateMrkdwn('😀😀😀', 4)).toBe('😀…');
  });

  test('drops a link that does not fit rather than breaking it', () => {
    expect(truncateMrkdwn('see <https://docs.aws.amazon.com/x|the page>', 20)).toBe('see…');
  });

  test('fitMrkdwn escapes before it cuts, so the cut lands between entities', () => {
    expect(fitMrkdwn('<<<<', 10)).toBe('&lt;&lt;…');
  });

  test('fitLine marks a cut even when only a prefix of a huge field was read', () => {
    const fitted = fitLine(`${'\u0000'.repeat(10_000)}hidden`, 100);
    expect(fitted).toBe('…');
  });

  test('stays within the limit, whole entities and whole characters, for any text', () => {
    fc.assert(
      fc.property(awkwardText, fc.integer({ min: 1, max: 80 }), (text, max) => {
        const fitted = fitMrkdwn(text, max);
        expect(fitted.length).toBeLessThanOrEqual(max);
        expect(fitted).not.toMatch(LONE_SURROGATE);
        expect(fitted).not.toMatch(CUT_ENTITY);
        expect(fitted).not.toMatch(/<[!@#]/);
      }),
    );
  });
});

describe('splitting', () => {
  test('pieces join back into the original and each fits', () => {
    fc.assert(
      fc.property(awkwardText, fc.integer({ min: 8, max: 40 }), (text, max) => {
        const escaped = escapeMrkdwn(text);
        const pieces = splitMrkdwn(escaped, max);
        expect(pieces.join('')).toBe(escaped);
        for (const piece of pieces) {
          expect(piece.length).toBeLessThanOrEqual(max);
          expect(piece).not.toMatch(LONE_SURROGATE);
          expect(piece).not.toMatch(CUT_ENTITY);
        }
      }),
    );
  });

  test('prefers to break after a line', () => {
    expect(splitMrkdwn('first line\nsecond line', 15)).toEqual(['first line\n', 'second line']);
  });

  test('packs whole lines together up to the limit', () => {
    expect(packLines(['one', 'two', 'three'], 8)).toEqual(['one\ntwo', 'three']);
  });
});

describe('code', () => {
  test('a code block stays one code block whatever backticks the text holds', () => {
    const block = codeBlock('before ```\n<!channel>\n``` after', 100);
    expect(block.match(/```/g)).toHaveLength(2);
    expect(block).toMatch(/^```\n[\s\S]*\n```$/);
  });

  test('a code block with its fences fits the limit', () => {
    expect(codeBlock('x'.repeat(500), 100)).toHaveLength(100);
  });

  test('long code splits into several whole code blocks that carry every line', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const blocks = codeBlocks(text, 100);
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) {
      expect(block.length).toBeLessThanOrEqual(100);
      expect(block.match(/```/g)).toHaveLength(2);
    }
    const shown = blocks.map((block) => block.slice(4, -4)).join('\n');
    expect(shown.split('\n')).toEqual(text.split('\n'));
  });

  test('inline code cannot be closed early by a backtick', () => {
    expect(inlineCode('AWS`PV <x>')).toBe("`AWS'PV &lt;x&gt;`");
  });
});

describe('links we build', () => {
  test('escape the label and keep the URL whole', () => {
    expect(link('https://docs.aws.amazon.com/a?b=1&c=2', 'AWS <PV> & co')).toBe(
      '<https://docs.aws.amazon.com/a?b=1&amp;c=2|AWS &lt;PV&gt; &amp; co>',
    );
  });

  test('cannot be given a second label or closed early by the URL', () => {
    expect(link('https://docs.aws.amazon.com/x|<!channel>', 'history')).toBe(
      '<https://docs.aws.amazon.com/x%7C%3C!channel%3E|history>',
    );
  });

  test('are not made for URLs that are not http(s)', () => {
    expect(link('javascript:alert(1)', 'click')).toBe('click (javascript:alert(1))');
  });
});
