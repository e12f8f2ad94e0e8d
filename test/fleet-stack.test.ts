import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseAppConfig } from '../lib/app-config.js';
import { Ec2DriverRelayStack } from '../lib/ec2-driver-relay-stack.js';
import { templateTestApp } from './support/cdk-context.js';

function template(context: Record<string, unknown>): Template {
  const stack = new Ec2DriverRelayStack(templateTestApp(), 'Relay', {
    config: parseAppConfig({ slackChannels: 'C0123456789', alarmEmail: 'oncall@example.com', ...context }),
    env: { account: '123456789012', region: 'us-east-1' },
  });
  return Template.fromStack(stack);
}

const GET_INVENTORY = Match.objectLike({
  PolicyDocument: {
    Statement: Match.arrayWith([Match.objectLike({ Action: 'ssm:GetInventory', Effect: 'Allow', Resource: '*' })]),
  },
});

describe('fleet impact in the stack', () => {
  test('on by default: the function may call ssm:GetInventory and reads the stack’s region', () => {
    const t = template({});
    t.hasResourceProperties('AWS::IAM::Policy', GET_INVENTORY);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FLEET_REGIONS: 'us-east-1' }) },
    });
  });

  test('fleetRegions names the regions the function reads', () => {
    template({ fleetRegions: 'eu-west-1,us-west-2' }).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FLEET_REGIONS: 'eu-west-1,us-west-2' }) },
    });
  });

  test('off: no SSM permission and no fleet regions', () => {
    const t = template({ fleetImpact: 'false' });
    expect(JSON.stringify(t.toJSON())).not.toContain('ssm:GetInventory');
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FLEET_REGIONS: Match.absent() }) },
    });
  });
});
