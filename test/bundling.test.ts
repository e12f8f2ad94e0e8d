import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createRelayApp } from '../lib/relay-app.js';
import { CDK_JSON_CONTEXT } from './support/cdk-context.js';

const KIB = 1024;

test('synth bundles lambda/handler.ts with the local esbuild into one minified ES module with its source map', () => {
  // Prepare: the app exactly as `cdk synth -c slackChannels=… -c emailAddresses=…` builds it, bundling included.
  // The built-in CloudFormation validation is left out only because its engine takes seconds to start.
  const outdir = mkdtempSync(join(tmpdir(), 'relay-synth-'));
  const { app, stack } = createRelayApp({
    outdir,
    context: { ...CDK_JSON_CONTEXT, slackChannels: 'C0123456789', emailAddresses: 'ops@example.com' },
    builtinCloudFormationValidation: false,
  });

  // Act
  app.synth();

  // Assess
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  const assetHash = String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '');
  const assetDir = join(outdir, `asset.${assetHash}`);
  expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);

  const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
  const size = statSync(join(assetDir, 'index.mjs')).size;
  // Big enough to hold the relay and its bundled dependencies, far below what embedding the AWS SDK would give.
  expect(size).toBeGreaterThan(20 * KIB);
  expect(size).toBeLessThan(3 * 1024 * KIB);
  expect(bundle).toMatch(/from\s*"@aws-sdk\/client-[a-z-]+"/);
  expect(bundle).toMatch(/as handler\s*\}/);
  expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
});
