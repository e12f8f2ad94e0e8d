/**
 * Builds the `driver-relay` command into dist/cli (`npm run build`; the prepare script runs it, so `npm ci` leaves a
 * built command). bin/driver-relay.mjs runs the bundle and calls this again when a source is newer than it.
 *
 * The settings are the Lambda bundle's (lib/relay-bundling.ts), with two differences: the target is the Node.js the
 * command runs on (package.json engines) rather than the Lambda runtime, and the list of sources goes beside the
 * bundle, so the command can tell that it is out of date without building again.
 * dist/cli sits two levels below the repository root like lambda/cli, so lambda/cli/repo-paths.ts holds for both.
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { relayEsbuildOptions } from '../lib/relay-bundling.js';

const ROOT = join(__dirname, '..');
export const CLI_OUTDIR = join(ROOT, 'dist', 'cli');

export async function buildCli(): Promise<void> {
  const result = await build({
    ...relayEsbuildOptions(join(ROOT, 'lambda', 'cli', 'main.ts'), CLI_OUTDIR),
    target: 'node20',
    metafile: true,
    logLevel: 'warning',
  });
  // Dependencies change only through npm ci or npm install, which run this script again.
  const sources = Object.keys(result.metafile.inputs)
    .map((input) => relative(ROOT, join(process.cwd(), input)))
    .filter((input) => !input.startsWith('node_modules'));
  writeFileSync(join(CLI_OUTDIR, 'sources.json'), `${JSON.stringify(sources)}\n`);
}

if (require.main === module) {
  buildCli().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
