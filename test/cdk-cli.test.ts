import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CDK_SYNTH_TEST_MS } from './support/timeouts.js';

const ROOT = join(__dirname, '..');
const CDK = join(ROOT, 'node_modules', '.bin', 'cdk');

/** Runs the real `cdk synth` the way a user does: offline, no credentials, no telemetry. */
async function synth(context: string[], outdir: string) {
  const args = ['synth', '--no-notices', '-q', '-o', outdir, ...context.flatMap((c) => ['-c', c])];
  const env = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };
  try {
    const { stdout, stderr } = await promisify(execFile)(CDK, args, { cwd: ROOT, env, timeout: CDK_SYNTH_TEST_MS });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npx cdk synth', () => {
  let outdir: string;
  beforeEach(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'relay-synth-'));
  });
  afterEach(() => rm(outdir, { recursive: true, force: true }));

  it(
    'synthesizes the stack offline with only a Slack channel configured, bundling the handler with the local esbuild',
    async () => {
      const { code, stderr } = await synth(['slackChannels=C0123456789'], outdir);

      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      const template = JSON.parse(await readFile(join(outdir, 'Ec2DriverRelay.template.json'), 'utf8'));
      const resources = Object.values(template.Resources as Record<string, { Type: string; Properties: never }>);
      const subscriptions = resources
        .filter((resource) => resource.Type === 'AWS::SNS::Subscription')
        .map((resource) => resource.Properties as { Protocol: string; TopicArn: string });
      expect(subscriptions).toContainEqual(
        expect.objectContaining({
          Protocol: 'sqs',
          TopicArn: 'arn:aws:sns:us-east-1:801119661308:ec2-windows-drivers',
          RawMessageDelivery: false,
        }),
      );
      expect(resources.filter((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping')).toHaveLength(1);

      // One minified CommonJS bundle with its source map; the AWS SDK (SNS, loaded when an email goes out) is left to
      // the Lambda runtime.
      const relay = resources.find(
        (resource) =>
          resource.Type === 'AWS::Lambda::Function' &&
          (resource.Properties as { Handler: string }).Handler === 'index.handler',
      ) as { Properties: { Code: { S3Key: string } } } | undefined;
      const assetDir = join(outdir, `asset.${relay?.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      expect((await readdir(assetDir)).sort()).toEqual(['index.js', 'index.js.map']);
      const bundle = await readFile(join(assetDir, 'index.js'), 'utf8');
      expect(bundle).toMatch(/(require|import)\("@aws-sdk\/client-sns"\)/);
      expect(bundle).toMatch(/handler:\s*\(\)\s*=>/);
      expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    },
    CDK_SYNTH_TEST_MS,
  );

  it(
    'refuses a channel name with a message naming the context key, without a stack trace',
    async () => {
      // The app the CLI runs (cdk.json "app"), given context the way the CLI passes it.
      const run = promisify(execFile)(
        process.execPath,
        [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/ec2-driver-relay.ts'],
        {
          cwd: ROOT,
          env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ slackChannels: '#ops' }), CDK_OUTDIR: outdir },
          timeout: CDK_SYNTH_TEST_MS,
        },
      );

      await expect(run).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('context key "slackChannels": "#ops" is not a channel ID'),
      });
      await run.catch((error: { stderr: string }) => expect(error.stderr).not.toMatch(/^\s+at /m));
    },
    CDK_SYNTH_TEST_MS,
  );
});
