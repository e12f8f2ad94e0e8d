import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { RELAY_NODE_OPTIONS, RELAY_RUNTIME, relayBundlingOptions } from './relay-bundling.js';

const PROJECT_ROOT = path.join(__dirname, '..');

export interface RelayFunctionProps {
  /**
   * The handler source file, bundled with the local esbuild.
   * @default lambda/handler.ts (exporting `handler`)
   */
  readonly entry?: string;
  /**
   * How long the function's log group keeps events.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN (logs outlive the stack, for a post-mortem, and expire with their retention)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * @default Duration.seconds(60) (enough for a live page fetch, Slack and email with their retries)
   */
  readonly timeout?: Duration;
  /**
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Environment variables for the handler, added to NODE_OPTIONS (source maps).
   * @default - only NODE_OPTIONS
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * @default - none
   */
  readonly description?: string;
}

/**
 * A Node.js Lambda as this project runs them: ARM64, the newest Node.js runtime, a CommonJS bundle (index.js) with
 * source maps (RELAY_BUNDLE), its own log group with retention, and a role that can write to that log group and
 * nothing else until grants add to it (no AWSLambdaBasicExecutionRole, whose logs:CreateLogGroup on * is not needed).
 */
export class RelayFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: RelayFunctionProps = {}) {
    // Created beside the function rather than inside it: both must exist before super() runs.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}: writes its own log group; every other permission is a scoped grant`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: props.entry ?? path.join(PROJECT_ROOT, 'lambda', 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: RELAY_RUNTIME,
      architecture: Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(60),
      memorySize: props.memorySize ?? 256,
      description: props.description,
      logGroup,
      role,
      environment: { ...props.environment, NODE_OPTIONS: RELAY_NODE_OPTIONS },
      bundling: relayBundlingOptions(),
    });
  }
}
