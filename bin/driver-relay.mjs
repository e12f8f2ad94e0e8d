#!/usr/bin/env node
// The `driver-relay` command: runs the CLI bundle in dist/cli (scripts/build-cli.ts; `npm ci` builds it through the
// prepare script). When the bundle is missing or a source changed since it was built, it is built again first, so a
// checkout or an edit never runs stale code; that costs a second once, against well under one for every start.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = new URL('../', import.meta.url);
const bundle = new URL('dist/cli/index.js', root);

function isStale() {
  try {
    const builtAt = statSync(bundle).mtimeMs;
    const sources = JSON.parse(readFileSync(new URL('dist/cli/sources.json', root), 'utf8'));
    return sources.some((source) => statSync(new URL(source, root)).mtimeMs > builtAt);
  } catch {
    // No bundle yet, or a source was renamed or deleted since the build.
    return true;
  }
}

if (isStale()) {
  // In a process of its own: esbuild finds its binary from its own module path, which tsx's in-process loader
  // changes (it adds a query string).
  const build = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), fileURLToPath(new URL('scripts/build-cli.ts', root))],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const { main } = require(fileURLToPath(bundle));
process.exitCode = await main(process.argv.slice(2));
