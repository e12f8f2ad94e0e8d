/**
 * Whether every alarm in a synthesized template could actually notify someone: the walk a person would do by hand
 * on a deployed stack, done on the template.
 *
 *   alarm -> each of its actions (AlarmActions, OKActions) -> the SNS topic it names -> that topic's policy (a topic
 *   policy replaces SNS's default one, so CloudWatch needs an Allow there, and no Deny may stop it) -> the topic's
 *   KMS key (CloudWatch needs kms:GenerateDataKey* and kms:Decrypt from the key policy)
 *
 * Every statement is evaluated for the request CloudWatch makes on behalf of that alarm: principal
 * cloudwatch.amazonaws.com, over TLS, with aws:SourceAccount the stack's account and aws:SourceArn the alarm's ARN.
 * Anything the check cannot evaluate (a value only known at deploy time, a condition operator it does not know, a
 * topic outside the template) counts as a problem: the check fails closed rather than pass what it cannot see.
 */

export interface TemplateJson {
  readonly Resources: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
}

/** Where the stack is deployed: what a Ref to a pseudo parameter resolves to, and what the alarm ARNs look like. */
export interface StackEnvironment {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
}

export interface AlarmPublishCheck {
  /** Alarms found in the template: a check of zero alarms proves nothing. */
  readonly alarms: number;
  /** One line per way an alarm could not publish, naming the alarm; empty when every alarm can. */
  readonly problems: readonly string[];
}

interface Statement {
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: unknown;
  readonly NotAction?: unknown;
  readonly NotPrincipal?: unknown;
  readonly NotResource?: unknown;
}

const CLOUDWATCH = 'cloudwatch.amazonaws.com';
/** What SNS asks the key for when CloudWatch publishes to an encrypted topic. */
const KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

export function alarmPublishProblems(template: TemplateJson, env: StackEnvironment): AlarmPublishCheck {
  const resources = template.Resources;
  const alarms = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm');
  const problems: string[] = [];
  for (const [alarmId, alarm] of alarms) {
    const properties = alarm.Properties ?? {};
    const name = typeof properties.AlarmName === 'string' ? properties.AlarmName : undefined;
    const request: Request = {
      account: env.account,
      // A name CloudFormation generates is unknown here: only a condition that admits any alarm can match it.
      sourceArn:
        name === undefined ? undefined : `arn:${env.partition}:cloudwatch:${env.region}:${env.account}:alarm:${name}`,
    };
    const label = `alarm ${name ?? alarmId}`;
    const actions = [...asArray(properties.AlarmActions), ...asArray(properties.OKActions)];
    if (asArray(properties.AlarmActions).length === 0)
      problems.push(`${label}: has no alarm action, so it tells no one`);
    for (const action of actions) {
      problems.push(...topicProblems(resources, action, request, env).map((problem) => `${label}: ${problem}`));
    }
  }
  return { alarms: alarms.length, problems: [...new Set(problems)] };
}

interface Request {
  readonly account: string;
  readonly sourceArn: string | undefined;
}

function topicProblems(
  resources: TemplateJson['Resources'],
  action: unknown,
  request: Request,
  env: StackEnvironment,
): string[] {
  const topicId = refOf(action);
  if (topicId === undefined || resources[topicId]?.Type !== 'AWS::SNS::Topic') {
    return [`its action ${JSON.stringify(action)} is not a topic of this template, so it cannot be checked`];
  }
  const problems: string[] = [];
  const policies = Object.values(resources).filter(
    (resource) =>
      resource.Type === 'AWS::SNS::TopicPolicy' &&
      asArray(resource.Properties?.Topics).some((topic) => refOf(topic) === topicId),
  );
  // Without a topic policy SNS's default one applies, which lets the account's own services publish.
  if (policies.length > 1) problems.push(`topic ${topicId} has ${policies.length} topic policies; only one applies`);
  for (const policy of policies) {
    const statements = statementsOf(policy.Properties?.PolicyDocument);
    const applies = (statement: Statement) =>
      principalIsCloudWatch(statement.Principal) &&
      actionCovers(statement.Action, 'sns:Publish') &&
      resourceCovers(statement.Resource, topicId) &&
      conditionsHold(statement.Condition, request, env);
    if (statements.some((statement) => statement.Effect === 'Deny' && applies(statement))) {
      problems.push(`a Deny in the policy of topic ${topicId} stops cloudwatch.amazonaws.com from publishing`);
    }
    if (!statements.some((statement) => statement.Effect === 'Allow' && plain(statement) && applies(statement))) {
      problems.push(`no statement of the policy of topic ${topicId} lets cloudwatch.amazonaws.com publish for it`);
    }
  }
  const key = resources[topicId]?.Properties?.KmsMasterKeyId;
  if (key !== undefined) problems.push(...keyProblems(resources, topicId, key, request, env));
  return problems;
}

function keyProblems(
  resources: TemplateJson['Resources'],
  topicId: string,
  key: unknown,
  request: Request,
  env: StackEnvironment,
): string[] {
  const keyId = refOf(key);
  if (keyId === undefined || resources[keyId]?.Type !== 'AWS::KMS::Key') {
    return [`topic ${topicId} is encrypted with ${JSON.stringify(key)}, a key whose policy is not in this template`];
  }
  const statements = statementsOf(resources[keyId]?.Properties?.KeyPolicy);
  const allows = (keyAction: string) =>
    statements.some(
      (statement) =>
        statement.Effect === 'Allow' &&
        plain(statement) &&
        principalIsCloudWatch(statement.Principal) &&
        actionCovers(statement.Action, keyAction) &&
        resourceCovers(statement.Resource, keyId) &&
        conditionsHold(statement.Condition, request, env),
    );
  const denies = (keyAction: string) =>
    statements.some(
      (statement) =>
        statement.Effect === 'Deny' &&
        principalIsCloudWatch(statement.Principal) &&
        actionCovers(statement.Action, keyAction) &&
        conditionsHold(statement.Condition, request, env),
    );
  const missing = KEY_ACTIONS.filter((keyAction) => !allows(keyAction) || denies(keyAction));
  return missing.length === 0
    ? []
    : [`key ${keyId} of topic ${topicId} does not let cloudwatch.amazonaws.com use ${missing.join(' and ')}`];
}

/** The statement names its principals, actions and resources directly (no Not* forms, which this check does not read). */
function plain(statement: Statement): boolean {
  return (
    statement.NotAction === undefined && statement.NotPrincipal === undefined && statement.NotResource === undefined
  );
}

function principalIsCloudWatch(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const { Service, AWS } = principal as { Service?: unknown; AWS?: unknown };
  return asArray(Service).includes(CLOUDWATCH) || asArray(AWS).includes('*');
}

function actionCovers(actions: unknown, action: string): boolean {
  return asArray(actions).some(
    (each) => typeof each === 'string' && glob(each.toLowerCase()).test(action.toLowerCase()),
  );
}

function resourceCovers(resources: unknown, logicalId: string): boolean {
  return asArray(resources).some((each) => each === '*' || refOf(each) === logicalId);
}

/** Every condition must hold for CloudWatch's request; an operator or key this check does not know does not. */
function conditionsHold(conditions: unknown, request: Request, env: StackEnvironment): boolean {
  if (conditions === undefined) return true;
  if (typeof conditions !== 'object' || conditions === null) return false;
  return Object.entries(conditions).every(([operator, tests]) => {
    if (typeof tests !== 'object' || tests === null) return false;
    return Object.entries(tests).every(([key, expected]) => {
      const actual = contextValue(key, request);
      if (operator === 'Bool' && key.toLowerCase() === 'aws:securetransport') {
        return asArray(expected).some((value) => String(value) === 'true');
      }
      if (actual === undefined && request.sourceArn === undefined && key.toLowerCase() === 'aws:sourcearn') {
        // The alarm's name is generated: only a pattern matching any alarm of the account and region holds.
        const anyAlarm = `arn:${env.partition}:cloudwatch:${env.region}:${env.account}:alarm:*`;
        return operator.endsWith('Like') && asArray(expected).some((value) => resolve(value, env) === anyAlarm);
      }
      if (actual === undefined) return false;
      const values = asArray(expected).map((value) => resolve(value, env));
      switch (operator) {
        case 'StringEquals':
        case 'ArnEquals':
          return values.some((value) => value === actual);
        case 'StringLike':
        case 'ArnLike':
          return values.some((value) => value !== undefined && glob(value).test(actual));
        default:
          return false;
      }
    });
  });
}

function contextValue(key: string, request: Request): string | undefined {
  switch (key.toLowerCase()) {
    case 'aws:sourceaccount':
      return request.account;
    case 'aws:sourcearn':
      return request.sourceArn;
    default:
      return undefined;
  }
}

/** A literal, a pseudo parameter or a join of those; undefined for anything only known at deploy time. */
function resolve(value: unknown, env: StackEnvironment): string | undefined {
  if (typeof value === 'string') return value;
  const ref = refOf(value);
  if (ref === 'AWS::Partition') return env.partition;
  if (ref === 'AWS::AccountId') return env.account;
  if (ref === 'AWS::Region') return env.region;
  const join = (value as { 'Fn::Join'?: unknown } | null)?.['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map((part: unknown) => resolve(part, env));
    return parts.every((part) => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

/** The logical id in { Ref: id } or { 'Fn::GetAtt': [id, 'Arn'] }. */
function refOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { Ref, 'Fn::GetAtt': getAtt } = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof Ref === 'string') return Ref;
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

function statementsOf(document: unknown): Statement[] {
  return asArray((document as { Statement?: unknown } | undefined)?.Statement) as Statement[];
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** An IAM wildcard pattern (* and ?) as a regular expression over the whole value. */
function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
