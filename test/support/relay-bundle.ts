/**
 * The handler bundle built with the stack's esbuild settings, shared by every test file and every run that needs it
 * and built again only when something that went into it changed: the bundle lives in .bench/handler-bundle/<key>,
 * where the key hashes the settings and the content of every input of the previous build.
 *
 *   const dir = await relayBundleDir();   // dir/index.js, dir/index.js.map
 *
 * Inside the repository, so the bundle's external @aws-sdk/* imports resolve from node_modules as the runtime's own
 * copy would; .bench/ is git-ignored. Several jest workers may build at once: each writes its own directory and the
 * last to finish names its key in `latest`, so a reader never sees a half-written bundle.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { relayEsbuildOptions } from '../../lib/relay-bundling.js';

const REPO = join(__dirname, '..', '..');
const CACHE = join(REPO, '.bench', 'handler-bundle');
const ENTRY = join(REPO, 'lambda', 'handler.ts');

interface Manifest {
  /** Input paths relative to the repository, as esbuild's metafile lists them. */
  readonly inputs: readonly string[];
}

export async function relayBundleDir(): Promise<string> {
  const cached = cachedKey();
  if (cached !== undefined) return join(CACHE, cached);
  mkdirSync(CACHE, { recursive: true });
  const staging = join(CACHE, `building-${process.pid}-${Date.now()}`);
  const result = await build({
    ...relayEsbuildOptions(ENTRY, staging),
    absWorkingDir: REPO,
    metafile: true,
    logLevel: 'silent',
  });
  const manifest: Manifest = { inputs: Object.keys(result.metafile.inputs).sort() };
  writeFileSync(join(staging, 'manifest.json'), JSON.stringify(manifest));
  const key = keyOf(manifest);
  try {
    renameSync(staging, join(CACHE, key));
  } catch {
    // Another worker built the same inputs first; its bundle is the same.
  }
  const pointer = join(CACHE, `latest-${process.pid}`);
  writeFileSync(pointer, key);
  renameSync(pointer, join(CACHE, 'latest'));
  return join(CACHE, key);
}

/** The key of the last build, if none of its inputs changed since. */
function cachedKey(): string | undefined {
  try {
    const key = readFileSync(join(CACHE, 'latest'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(CACHE, key, 'manifest.json'), 'utf8')) as Manifest;
    return keyOf(manifest) === key ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Throws when an input is gone (a renamed file): the caller then builds again. */
function keyOf(manifest: Manifest): string {
  const hash = createHash('sha256').update(JSON.stringify(relayEsbuildOptions(ENTRY, '')));
  for (const input of manifest.inputs) hash.update(input).update(readFileSync(join(REPO, input)));
  return hash.digest('hex').slice(0, 16);
}
