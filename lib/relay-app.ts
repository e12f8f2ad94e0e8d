import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readAppConfig } from './app-config.js';
import { Ec2DriverRelayStack } from './ec2-driver-relay-stack.js';

export const STACK_NAME = 'Ec2DriverRelay';

/**
 * The CDK app `cdk synth` / `cdk deploy` runs (bin/ec2-driver-relay.ts), built here so tests synthesize exactly
 * the same thing. Throws RelayError 'invalid-config' when the context is wrong.
 */
export function createRelayApp(props: AppProps = {}): { app: App; stack: Ec2DriverRelayStack } {
  const app = new App(props);
  const config = readAppConfig(app.node);
  const stack = new Ec2DriverRelayStack(app, STACK_NAME, {
    config,
    description: 'Relays EC2 Windows driver release notifications (AWS topic ec2-windows-drivers) to Slack and email',
    // The region is the topic's, never the caller's default: the work queue the topic delivers to lives there.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.topicRegion },
  });
  // Any unacknowledged AwsSolutions finding stops synthesis (acknowledgements and their reasons are in the stack).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
