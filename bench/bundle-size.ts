import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { RELAY_BUNDLE_FILE, relayEsbuildOptions } from '../lib/relay-bundling.js';

export interface Contributor {
  /** An npm package name, the changelog snapshot, or the relay's own code. */
  readonly name: string;
  /** Bytes this contributor takes in the minified output. */
  readonly bytes: number;
}

export interface RelayBundle {
  /** The built bundle, inside the repository so it resolves the AWS SDK from node_modules as Lambda's runtime would. */
  readonly path: string;
  readonly bytes: number;
  /** Largest first. */
  readonly contributors: readonly Contributor[];
  /** Packages the bundle imports at its top level, i.e. loads at cold start (the AWS SDK left external). */
  readonly eagerExternals: readonly string[];
}

const SNAPSHOT = 'lambda/core/changelog-snapshot.json';

/** Builds lambda/handler.ts with exactly the settings the stack uses, plus a metafile to see what takes the space. */
export async function buildRelayBundle(outdir: string): Promise<RelayBundle> {
  const result = await build({
    ...relayEsbuildOptions(join(__dirname, '..', 'lambda', 'handler.ts'), outdir),
    metafile: true,
    logLevel: 'warning',
  });
  const [, output] = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith(RELAY_BUNDLE_FILE)) ?? [];
  if (!output) throw new Error(`esbuild produced no ${RELAY_BUNDLE_FILE}`);
  return {
    path: join(outdir, RELAY_BUNDLE_FILE),
    bytes: output.bytes,
    contributors: contributorsOf(output),
    eagerExternals: [
      ...new Set(
        output.imports
          .filter((i) => i.external && (i.kind === 'import-statement' || i.kind === 'require-call'))
          .map((i) => i.path),
      ),
    ],
  };
}

function contributorsOf(output: Metafile['outputs'][string]): Contributor[] {
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = contributorName(input);
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function contributorName(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg?.[1]) return pkg[1];
  if (input.endsWith(SNAPSHOT)) return `${SNAPSHOT} (changelog snapshot)`;
  if (input.includes('lambda/')) return 'lambda/** (relay code)';
  return input;
}
