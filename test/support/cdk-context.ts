import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';

/** The feature flags cdk.json gives `cdk synth`, so tests build the stack the way the CLI does. */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

/**
 * An app for template tests: cdk.json's flags, no esbuild run, and no built-in CloudFormation validation (its
 * engine takes seconds to start; test/bundling.test.ts runs the full synth with it).
 */
export function templateTestApp(context: Record<string, unknown> = {}): App {
  return new App({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  });
}
