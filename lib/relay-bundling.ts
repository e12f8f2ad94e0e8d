import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * How the relay's Lambda code is built, in one place: the stack (through NodejsFunction), the bundle test and
 * the benchmark all derive their esbuild settings from RELAY_BUNDLE, so what is measured is what is deployed.
 */

/** The newest Node.js runtime this aws-cdk-lib offers; the esbuild target follows it. */
export const RELAY_RUNTIME = Runtime.NODEJS_24_X;

/** The file the bundle is written to, and the module Lambda loads (handler "index.handler"). */
export const RELAY_BUNDLE_FILE = 'index.js';

export const RELAY_BUNDLE = {
  target: 'node24',
  // CommonJS, not ES modules: the AWS SDK the runtime provides is CommonJS, and `require`d from a CommonJS bundle
  // it skips Node's ES-module loader (format detection, export lexing), about 30 ms on 2 cores (npm run bench) when
  // it is loaded (SNS, for email; DynamoDB and Secrets Manager go through aws4fetch). Bundled ES-module-only
  // dependencies (htmlparser2) are converted by esbuild.
  format: 'cjs',
  minify: true,
  sourcemap: true,
  // Stack traces only need file/line mappings; embedding the sources would double the asset for nothing.
  sourcesContent: false,
  // Error and class names survive minification, so logs and alarms name what failed.
  keepNames: true,
  // The Node.js runtime ships AWS SDK v3; bundling another copy only adds size and cold-start time.
  external: ['@aws-sdk/*'],
  // Prefer ES-module builds of dependencies: esbuild tree-shakes them better, then emits CommonJS.
  mainFields: ['module', 'main'],
} as const;

/** NODE_OPTIONS the function needs so Node applies the source maps to stack traces. */
export const RELAY_NODE_OPTIONS = '--enable-source-maps';

/** The RELAY_BUNDLE settings in NodejsFunction's terms (local esbuild; Docker is never used). */
export function relayBundlingOptions(): BundlingOptions {
  return {
    target: RELAY_BUNDLE.target,
    format: OutputFormat.CJS,
    minify: RELAY_BUNDLE.minify,
    sourceMap: RELAY_BUNDLE.sourcemap,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: RELAY_BUNDLE.sourcesContent,
    keepNames: RELAY_BUNDLE.keepNames,
    externalModules: [...RELAY_BUNDLE.external],
    mainFields: [...RELAY_BUNDLE.mainFields],
    forceDockerBundling: false,
  };
}

/** The same settings for calling esbuild directly (benchmarks, bundle-size checks). */
export function relayEsbuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: { index: entry },
    outdir,
    bundle: true,
    platform: 'node',
    target: RELAY_BUNDLE.target,
    format: RELAY_BUNDLE.format,
    minify: RELAY_BUNDLE.minify,
    sourcemap: RELAY_BUNDLE.sourcemap,
    sourcesContent: RELAY_BUNDLE.sourcesContent,
    keepNames: RELAY_BUNDLE.keepNames,
    external: [...RELAY_BUNDLE.external],
    mainFields: [...RELAY_BUNDLE.mainFields],
  };
}
