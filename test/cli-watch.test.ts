import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as run } from './support/cli-run';
import { ENA_FIXTURE_ROWS, enaPage } from './support/history-pages';

/** A changelog directory whose ENA page lists 2.12.0 (rolled back) and 2.13.0 above the fixture's rows. */
async function pagesDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'watch-pages-'));
  const rows = [
    { version: '2.13.0', date: 'December 1, 2026', notes: ['Fixed a hang.'] },
    { version: '2.12.0', date: 'November 30, 2026', notes: ['This release was rolled back.'] },
    ...ENA_FIXTURE_ROWS,
  ];
  await writeFile(join(dir, 'ena.html'), enaPage(rows));
  return dir;
}

async function seenFile(seen: unknown): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'watch-seen-')), 'seen.json');
  await writeFile(path, JSON.stringify(seen));
  return path;
}

describe('driver-relay watch', () => {
  it('plans the amendments and the unannounced releases as JSON, sending nothing', async () => {
    const seen = await seenFile({
      seen: [
        { family: 'ena', version: '2.12.0', notesPublished: false, rolledBack: false },
        { family: 'ena', version: '2.11.0', notesPublished: false, rolledBack: false },
      ],
    });

    const { code, stdout, stderr } = await run(['watch', '--changelog-dir', await pagesDir(), '--seen', seen]);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({
      updates: [
        { family: 'ena', version: '2.12.0', change: 'rolled-back' },
        { family: 'ena', version: '2.11.0', change: 'notes-published' },
      ],
      unannounced: [{ family: 'ena', version: '2.13.0' }],
    });
  });

  it('says in text what it would do, and treats a family with nothing seen as a first look', async () => {
    const seen = await seenFile({
      seen: [{ family: 'ena', version: '2.13.0', notesPublished: true, rolledBack: false }],
    });

    const { code, stdout } = await run([
      'watch',
      '--changelog-dir',
      await pagesDir(),
      '--seen',
      seen,
      '--format',
      'text',
    ]);

    expect(code).toBe(0);
    // The other families' snapshot pages list many versions; none of them was seen, so none is unannounced.
    expect(stdout).toBe('Nothing to amend and no unannounced release.\n');
  });

  it('names the page it could not read on standard error and plans nothing for that family', async () => {
    const dir = await pagesDir();
    await writeFile(join(dir, 'ena.html'), '<html><body><p>Moved.</p></body></html>');
    const seen = await seenFile({
      seen: [{ family: 'ena', version: '2.11.0', notesPublished: false, rolledBack: false }],
    });

    const { code, stdout, stderr } = await run(['watch', '--changelog-dir', dir, '--seen', seen]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ updates: [], unannounced: [] });
    expect(stderr).toMatch(/^note: ena: nothing planned \(.*ena\.html/);
  });

  it.each([
    ['not JSON', '{', /is not JSON/],
    ['the wrong shape', JSON.stringify({ seen: [{ family: 'ena' }] }), /seen\.0\.version/],
    [
      'an unknown family',
      JSON.stringify({ seen: [{ family: 'xen', version: '1.0.0', notesPublished: true, rolledBack: false }] }),
      /expected one of aws-pv, ena, nvme, ec2winutil/,
    ],
    [
      'a version that is not one',
      JSON.stringify({ seen: [{ family: 'ena', version: 'latest', notesPublished: true, rolledBack: false }] }),
      /expected a version/,
    ],
  ])('refuses a --seen file that is %s, saying why', async (_what, content, message) => {
    const path = join(await mkdtemp(join(tmpdir(), 'watch-seen-')), 'seen.json');
    await writeFile(path, content);

    const { code, stderr } = await run(['watch', '--changelog-dir', await pagesDir(), '--seen', path]);

    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });

  it('without --seen asks for the deployed table instead of guessing', async () => {
    const { code, stderr } = await run(['watch', '--changelog-dir', await pagesDir()]);

    expect(code).toBe(1);
    expect(stderr).toContain('DELIVERY_TABLE_NAME');
  });
});
