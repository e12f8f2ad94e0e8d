import { Template } from 'aws-cdk-lib/assertions';
import { parseAppConfig } from '../lib/app-config.js';
import { Ec2DriverRelayStack } from '../lib/ec2-driver-relay-stack.js';
import { templateTestApp } from './support/cdk-context.js';

// The function writes to a log group of its own, whose name CloudFormation generates: it is not
// /aws/lambda/<FunctionName>, so the stack has to say where the logs are.
test('the stack outputs the name of the log group the function writes to', () => {
  // Prepare
  const stack = new Ec2DriverRelayStack(templateTestApp(), 'Relay', {
    config: parseAppConfig({ slackChannels: 'C0123456789', alarmEmail: 'oncall@example.com' }),
    env: { account: '123456789012', region: 'us-east-1' },
  });

  // Act
  const template = Template.fromStack(stack);

  // Assess
  const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
  template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroupId } } });
  template.hasOutput('LogGroupName', { Value: { Ref: logGroupId } });
});
