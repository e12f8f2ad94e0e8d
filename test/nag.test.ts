import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { parseAppConfig } from '../lib/app-config.js';
import { Ec2DriverRelayStack } from '../lib/ec2-driver-relay-stack.js';
import { createRelayApp } from '../lib/relay-app.js';
import { CDK_JSON_CONTEXT, templateTestApp } from './support/cdk-context.js';

const SLACK_ONLY = { slackChannels: 'C0123456789' };
const SLACK_AND_EMAIL = {
  slackChannels: 'C0123456789',
  emailAddresses: 'ops@example.com',
  alarmEmail: 'oncall@example.com',
};

const CONFIGURATIONS: Record<string, Record<string, unknown>> = {
  'Slack only, with the secret created by the stack': SLACK_ONLY,
  'Slack and email with an alarm address': SLACK_AND_EMAIL,
  'Slack with an existing secret': { slackChannels: 'C0123456789', slackTokenSecretName: 'slack/driver-relay-bot' },
  'Slack with fleet impact off': { slackChannels: 'C0123456789', fleetImpact: 'false' },
  'Slack with the version-history watch off': { slackChannels: 'C0123456789', watchEvery: 'off' },
  'Slack and email with the watch every 15 minutes': { ...SLACK_AND_EMAIL, watchEvery: '15 minutes' },
  'email only, on a topic of the user’s own': {
    emailAddresses: 'ops@example.com',
    topicArn: 'arn:aws:sns:eu-west-1:123456789012:smoke-test',
  },
};

function relayStack(context: Record<string, unknown>): Ec2DriverRelayStack {
  const config = parseAppConfig(context);
  return new Ec2DriverRelayStack(templateTestApp(), 'Relay', {
    config,
    env: { account: '123456789012', region: config.topicRegion },
  });
}

/** "RuleId at construct path" for each finding cdk-nag's AwsSolutions pack reports and nobody acknowledged. */
function unacknowledgedFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

/** Every acknowledgement recorded in the tree, as { rule, reason, path }. */
function acknowledgements(scope: IConstruct): { rule: string; reason: string; path: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([rule, reason]) => ({
          rule: rule.replace(/^annotation::/i, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  test.each(Object.entries(CONFIGURATIONS))('%s: no unacknowledged finding', (_name, context) => {
    expect(unacknowledgedFindings(relayStack(context))).toEqual([]);
  });

  test('the pack does report findings in this tree (an unencrypted queue without TLS is caught)', () => {
    const stack = relayStack(SLACK_ONLY);
    new Queue(stack, 'CarelessQueue', { enforceSSL: false });

    expect(unacknowledgedFindings(stack)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS4 at Relay/CarelessQueue/Resource']),
    );
  });

  // The watch is on by default: its schedule, role and Scan grant add no acknowledgement.
  test('only the findings that cannot be fixed are acknowledged, each with a written reason', () => {
    const acknowledged = acknowledgements(relayStack(SLACK_ONLY));

    // The dead-letter queue needs no acknowledgement: cdk-nag sees it named in the work queue's redrive policy.
    expect(acknowledged.map(({ rule, path }) => `${rule} at ${path}`).sort()).toEqual([
      // ssm:GetInventory (fleet impact, on by default) can only be granted on "*".
      'AwsSolutions-IAM5[Resource::*] at Relay/RelayRole',
      'AwsSolutions-SMG4 at Relay/SlackToken',
    ]);
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(40);
  });

  test('the stack raises no CDK warnings or errors of its own', () => {
    const stack = relayStack(SLACK_AND_EMAIL);
    const annotations = Annotations.fromStack(stack);

    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });

  test('the app runs the pack at synth: a finding added to the stack stops synthesis', () => {
    const { app, stack } = createRelayApp({
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], slackChannels: 'C0123456789' },
      builtinCloudFormationValidation: false,
    });
    new Queue(stack, 'CarelessQueue', { enforceSSL: false });

    expect(() => app.synth()).toThrow(/The SQS queue does not require requests to use SSL. \(AwsSolutions\)/);
  });
});
