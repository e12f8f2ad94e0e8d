/**
 * @jest-environment ./test/support/host-errors-environment.js
 */
import { copyFile, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileChangelogSource } from '../lambda/adapters/changelog-files.js';
import { snapshotChangelog } from '../lambda/core/bundled-snapshot.js';

const PAGES = join(__dirname, 'fixtures', 'pages');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'changelog-dir-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function savePage(fixture: string, as: string, modified = new Date('2026-11-20T08:15:00.000Z')): Promise<string> {
  const path = join(dir, as);
  await copyFile(join(PAGES, fixture), path);
  await utimes(path, modified, modified);
  return path;
}

test('a saved page is read, marked as coming from a file and dated by its modification time', async () => {
  await savePage('ena.html', 'ena.html', new Date('2026-11-20T08:15:00.000Z'));

  const changelog = await createFileChangelogSource(dir).getChangelog('ena', '2.11.0');

  expect(changelog).toMatchObject({ family: 'ena', origin: 'file', asOf: '2026-11-20T08:15:00.000Z' });
  expect(changelog.entries[0]).toMatchObject({ version: '2.11.0' });
});

test('each family is read from the file named after it', async () => {
  await savePage('aws-pv.html', 'aws-pv.html');
  await savePage('nvme.html', 'nvme.html');
  const source = createFileChangelogSource(dir);

  const pv = await source.getChangelog('aws-pv', null);
  const nvme = await source.getChangelog('nvme', null);

  expect(pv.entries[0]?.version).toBe('8.6.1');
  expect(pv.windowsServerTable).not.toEqual([]);
  expect(nvme.entries[0]?.version).toBe('1.8.2');
});

test('a family without a file in the directory uses the snapshot', async () => {
  await savePage('aws-pv.html', 'aws-pv.html');

  const changelog = await createFileChangelogSource(dir).getChangelog('ec2winutil', '3.2.0');

  expect(changelog).toEqual(snapshotChangelog('ec2winutil'));
});

test('a saved page that cannot be parsed is an error naming the file', async () => {
  const path = await savePage('reshaped.html', 'aws-pv.html');

  await expect(createFileChangelogSource(dir).getChangelog('aws-pv', '8.6.1')).rejects.toMatchObject({
    code: 'page-unreadable',
    message: expect.stringContaining(path),
  });
});

test('a changelog directory that does not exist is an error naming it', async () => {
  const missing = join(dir, 'missing');

  await expect(createFileChangelogSource(missing).getChangelog('nvme', '1.8.2')).rejects.toMatchObject({
    code: 'invalid-config',
    message: expect.stringContaining(missing),
  });
});
