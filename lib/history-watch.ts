import { Duration } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { WATCH_EVENT } from '../lambda/core/config-contract.js';

export interface HistoryWatchProps {
  /** The relay function: the schedule invokes it with WATCH_EVENT, which runs the watch instead of a batch. */
  readonly fn: IFunction;
  /** How often the watch runs (a rate schedule; the first run is as soon as the schedule exists). */
  readonly every: Duration;
}

/** The longest Lambda keeps an asynchronous event waiting (its maximum event age). */
const LAMBDA_LONGEST_EVENT_AGE = Duration.hours(6);

/**
 * The scheduled version-history watch: EventBridge Scheduler invokes the relay function with WATCH_EVENT every
 * `every`, asynchronously, through a role that may invoke that function and nothing else.
 *
 * A watch that fails loses nothing: the records it would have written stay as they were, and the next watch reads
 * the pages again and does the same work. So retries are few and events short-lived, and there is no dead-letter
 * queue: a stale watch event is worth nothing to replay, and the stack's dead-letter queue is redriven into the work
 * queue as SNS notifications, where a watch event must never go. A watch that keeps failing raises the function's
 * errors alarm at once and, after a while without a completed watch, HistoryWatchNotRunning (lib/relay-alarms.ts).
 */
export class HistoryWatch extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: HistoryWatchProps) {
    super(scope, id);
    // A watch event that could not be handled before the next one is due is dropped: the next one does its work.
    const maxEventAge =
      props.every.toSeconds() < LAMBDA_LONGEST_EVENT_AGE.toSeconds() ? props.every : LAMBDA_LONGEST_EVENT_AGE;

    // Scheduler's own retries are for the Invoke call itself (throttled or failed by the Lambda service), not for the
    // watch failing: with an asynchronous invoke, Lambda has accepted the event once the call succeeds. Its default
    // (185 retries for a day) would pile stale watches onto the next ones.
    const target = new InvokeUnqualifiedFunction(props.fn, {
      input: ScheduleTargetInput.fromObject(WATCH_EVENT),
      retryAttempts: 2,
      maxEventAge,
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: `Runs the EC2 driver relay's version-history watch every ${props.every.toHumanString()}`,
      schedule: ScheduleExpression.rate(props.every),
      target,
    });

    // Only the schedule invokes the function asynchronously (the work queue's event source invokes it synchronously),
    // so this configures the watch alone. One retry, about a minute later, rides out a blip (a throttled table, a
    // Slack hiccup) without waiting a whole interval to send an urgent rollback amendment; amendments are recorded
    // once, so a retry of a half-done watch does not repeat them. Lambda's default is two retries over six hours.
    props.fn.configureAsyncInvoke({ retryAttempts: 1, maxEventAge });
  }
}

/**
 * LambdaInvoke, but the schedule's role may invoke the function as the schedule names it (its ARN, and the same as
 * `:$LATEST`) and no version or alias of it: LambdaInvoke's `grantInvoke` adds `<function ARN>:*`.
 */
class InvokeUnqualifiedFunction extends LambdaInvoke {
  private readonly target: IFunction;

  constructor(fn: IFunction, props: ConstructorParameters<typeof LambdaInvoke>[1]) {
    super(fn, props);
    this.target = fn;
  }

  protected override addTargetActionToRole(role: IRole): void {
    this.target.grantInvokeLatestVersion(role);
  }
}
