import { Match, Template } from 'aws-cdk-lib/assertions';
import { isWatchEvent, WATCH_EVENT } from '../lambda/core/config-contract.js';
import { parseAppConfig } from '../lib/app-config.js';
import { Ec2DriverRelayStack } from '../lib/ec2-driver-relay-stack.js';
import { templateTestApp } from './support/cdk-context.js';

/** The stack as the app builds it from CDK context, in the topic's region. */
function relayTemplate(context: Record<string, unknown> = {}): Template {
  const config = parseAppConfig({ slackChannels: 'C0123456789', emailAddresses: 'ops@example.com', ...context });
  const stack = new Ec2DriverRelayStack(templateTestApp(), 'Relay', {
    config,
    env: { account: '123456789012', region: config.topicRegion },
  });
  return Template.fromStack(stack);
}

/** A resource as Template.findResources gives it (its properties untyped, as in the template). */
type Resource = ReturnType<Template['findResources']>[string];

const onlyOne = (template: Template, type: string, props: Record<string, unknown> = {}): [string, Resource] => {
  const found = Object.entries(template.findResources(type, { Properties: Match.objectLike(props) }));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as [string, Resource];
};

const functionIdOf = (template: Template) => onlyOne(template, 'AWS::Lambda::Function')[0];
const scheduleOf = (template: Template) => onlyOne(template, 'AWS::Scheduler::Schedule')[1].Properties;
const environmentOf = (template: Template) =>
  onlyOne(template, 'AWS::Lambda::Function')[1].Properties.Environment.Variables;
const alarmNames = (template: Template) =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties.AlarmName);

/** The actions the function's own role may take on the delivery table. */
function tableActions(template: Template): string[] {
  const [roleId] = onlyOne(template, 'AWS::IAM::Role', { Description: Match.stringLikeRegexp('^Execution role') });
  const [tableId] = onlyOne(template, 'AWS::DynamoDB::Table');
  const [, policy] = onlyOne(template, 'AWS::IAM::Policy', { Roles: [{ Ref: roleId }] });
  return (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
    .filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] }))
    .flatMap((statement) => statement.Action);
}

describe('the version-history watch, on by default', () => {
  const template = relayTemplate();
  const functionId = functionIdOf(template);

  test('a schedule runs it every 6 hours', () => {
    expect(scheduleOf(template)).toMatchObject({ ScheduleExpression: 'rate(6 hours)', State: 'ENABLED' });
  });

  test('the schedule invokes the relay function with exactly the watch event the handler recognises', () => {
    const target = scheduleOf(template).Target;

    expect(target.Arn).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    expect(JSON.parse(target.Input)).toEqual(WATCH_EVENT);
    expect(isWatchEvent(JSON.parse(target.Input))).toBe(true);
  });

  test('the schedule’s role may invoke that function and nothing else, and only the scheduler of this account may assume it', () => {
    const roleArn = scheduleOf(template).Target.RoleArn;
    const roleId = roleArn['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    );

    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    expect(policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement)).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        // The function as the schedule names it; no "<ARN>:*" for versions and aliases the schedule never invokes.
        Resource: [
          { 'Fn::GetAtt': [functionId, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [functionId, 'Arn'] }, ':$LATEST']] },
        ],
      },
    ]);
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: {
            'aws:SourceAccount': '123456789012',
            'aws:SourceArn': 'arn:aws:scheduler:us-east-1:123456789012:schedule-group/default',
          },
        },
      },
    ]);
  });

  test('a watch event is retried little and dropped once the next watch is due, with no dead-letter queue', () => {
    expect(scheduleOf(template).Target.RetryPolicy).toEqual({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
    });
    expect(scheduleOf(template).Target.DeadLetterConfig).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: Match.absent(),
    });
  });

  test('the function may scan the delivery table, where the watch reads the alerts it keeps', () => {
    expect(tableActions(template)).toContain('dynamodb:Scan');
  });

  test('the function gets the unannounced grace period, 24 hours unless set', () => {
    expect(environmentOf(template).UNANNOUNCED_AFTER_HOURS).toBe('24');
    expect(environmentOf(relayTemplate({ unannouncedAfterHours: '36' })).UNANNOUNCED_AFTER_HOURS).toBe('36');
  });

  test('a day in which every watch found an unusable page raises HistoryPagesUnusable (minimum of the per-watch count)', () => {
    const [topicId] = onlyOne(template, 'AWS::SNS::Topic', { DisplayName: 'EC2 driver relay alarms' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Relay-HistoryPagesUnusable',
      Namespace: 'Ec2DriverRelay',
      MetricName: 'WatchPagesUnusable',
      Dimensions: [{ Name: 'service', Value: 'ec2-driver-relay' }],
      Statistic: 'Minimum',
      Period: 86_400,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      // No watch at all is HistoryWatchNotRunning's to say; this one speaks only of watches that ran.
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
  });

  test('a day without a completed watch raises HistoryWatchNotRunning: every hour without WatchRan breaches', () => {
    const [topicId] = onlyOne(template, 'AWS::SNS::Topic', { DisplayName: 'EC2 driver relay alarms' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Relay-HistoryWatchNotRunning',
      Namespace: 'Ec2DriverRelay',
      MetricName: 'WatchRan',
      Dimensions: [{ Name: 'service', Value: 'ec2-driver-relay' }],
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 24,
      DatapointsToAlarm: 24,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
  });
});

describe('watchEvery', () => {
  test.each([
    ['15 minutes', 'rate(15 minutes)', 15 * 60],
    ['1 hour', 'rate(1 hour)', 3600],
    ['90 minutes', 'rate(90 minutes)', 5400],
    ['2 days', 'rate(2 days)', 6 * 3600],
  ])('"%s" schedules %s, and a watch event lives at most %i seconds', (watchEvery, expression, maxAge) => {
    const template = relayTemplate({ watchEvery });

    expect(scheduleOf(template).ScheduleExpression).toBe(expression);
    expect(scheduleOf(template).Target.RetryPolicy.MaximumEventAgeInSeconds).toBe(maxAge);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumEventAgeInSeconds: maxAge });
  });

  test.each([
    ['15 minutes', 24],
    ['8 hours', 24],
    ['9 hours', 27],
    ['2 days', 144],
  ])(
    'every %s: HistoryWatchNotRunning waits %i hours (a day, or three intervals), within CloudWatch’s 7 days',
    (watchEvery, hours) => {
      const template = relayTemplate({ watchEvery });
      const [, alarm] = onlyOne(template, 'AWS::CloudWatch::Alarm', { AlarmName: 'Relay-HistoryWatchNotRunning' });
      const { Period, EvaluationPeriods, DatapointsToAlarm } = alarm.Properties;

      expect(Period * EvaluationPeriods).toBe(hours * 3600);
      expect(DatapointsToAlarm).toBe(EvaluationPeriods);
      // PutMetricAlarm: Period x EvaluationPeriods at most 7 days, and at most 1 day for a period under an hour.
      expect(Period * EvaluationPeriods).toBeLessThanOrEqual(Period >= 3600 ? 7 * 86400 : 86400);
      expect(alarm.Properties.AlarmDescription).toContain(`every ${watchEvery}`);
    },
  );

  describe('"off"', () => {
    const template = relayTemplate({ watchEvery: 'off' });

    test('builds no schedule, no role for it and no asynchronous-invoke settings', () => {
      template.resourceCountIs('AWS::Scheduler::Schedule', 0);
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
      expect(
        Object.values(template.findResources('AWS::IAM::Role')).map(
          (role) => role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service,
        ),
      ).toEqual(['lambda.amazonaws.com']);
    });

    test('grants no scan of the delivery table', () => {
      expect(tableActions(template).sort()).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
    });

    test('has no HistoryWatchNotRunning alarm, which would only ever be in alarm', () => {
      expect(alarmNames(template)).not.toContain('Relay-HistoryWatchNotRunning');
      expect(alarmNames(template)).not.toContain('Relay-HistoryPagesUnusable');
      expect(alarmNames(template)).toHaveLength(4);
    });

    test('gives the function no grace period', () => {
      expect(environmentOf(template)).not.toHaveProperty('UNANNOUNCED_AFTER_HOURS');
    });
  });
});
