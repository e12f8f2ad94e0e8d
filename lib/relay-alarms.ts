import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, type AlarmProps, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface RelayAlarmsProps {
  readonly fn: IFunction;
  /** The queue feeding the function: a message waiting longer than `longestExpectedWait` is not being read. */
  readonly workQueue: IQueue;
  /** How long a message can wait in the work queue while it is being received and retried. */
  readonly longestExpectedWait: Duration;
  /** Its dead-letter queue: the first message there is a notification that was not delivered. */
  readonly deadLetterQueue: IQueue;
  /** Where alarm (and recovery) notifications go. */
  readonly topic: ITopic;
  /** Where the function publishes its own metrics (Powertools Metrics namespace and service). */
  readonly relayMetrics: { readonly namespace: string; readonly service: string };
  /**
   * How often the version-history watch runs: HistoryWatchNotRunning alarms when none completes for a while.
   * @default - the watch is off, and so is its alarm
   */
  readonly watchEvery?: Duration;
}

const PERIOD = Duration.minutes(5);

/** HistoryWatchNotRunning's period: any hour holding a completed watch is a good hour. */
const WATCH_PERIOD = Duration.hours(1);

/**
 * How long without a completed watch before HistoryWatchNotRunning alarms: a day, or three intervals when that is
 * longer, so two failed watches in a row (each already raising FunctionErrors) do not page anyone on their own. In
 * whole hours. CloudWatch evaluates at most seven days for a period of an hour or more (a day for shorter periods);
 * watchEvery's longest, 2 days, keeps three intervals within that.
 */
export function historyWatchSilence(watchEvery: Duration): Duration {
  const hours = Math.max(24, Math.ceil((3 * watchEvery.toMinutes()) / 60));
  return Duration.hours(hours);
}

/**
 * Every alarm of the stack is named `<namePrefix(stack)><id>`, so the alarm topic's policy and the topic key's
 * policy can let CloudWatch publish for this stack's alarms and no others (an alarm's ARN ends in its name).
 */
export function alarmNamePrefix(stack: Stack): string {
  return `${stack.stackName}-`;
}

/**
 * The relay is quiet by design (a few notifications a month), so one message in the dead-letter queue or one
 * function error is already worth a person's attention; no data is not a problem, except from the version-history
 * watch, which reports every run it completes (HistoryWatchNotRunning).
 */
export class RelayAlarms extends Construct {
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: RelayAlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    const prefix = alarmNamePrefix(Stack.of(this));
    const alarm = (alarmId: string, alarmProps: Omit<AlarmProps, 'alarmName'>) =>
      new Alarm(this, alarmId, { ...alarmProps, alarmName: `${prefix}${alarmId}` });
    const historyWatchNotRunning = (watchEvery: Duration) => {
      const silence = historyWatchSilence(watchEvery);
      return alarm('HistoryWatchNotRunning', {
        alarmDescription:
          `No version-history watch has completed for ${silence.toHumanString()} (the schedule runs one every ` +
          `${watchEvery.toHumanString()}): the schedule is disabled or gone, or every watch fails or times out ` +
          '(FunctionErrors and the function’s logs say why). Until one completes, sent alerts are not amended and ' +
          'releases the topic never announced are not alerted. Right after the watch is turned on this reads ALARM ' +
          'until the first watch, which runs at once, reports.',
        // The function counts WatchRan once per completed watch. No data is exactly the problem, so it breaches;
        // every hour of the window must lack a completed watch before anyone is told.
        metric: new Metric({
          namespace: props.relayMetrics.namespace,
          metricName: 'WatchRan',
          dimensionsMap: { service: props.relayMetrics.service },
          period: WATCH_PERIOD,
          statistic: 'Sum',
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: silence.toHours() / WATCH_PERIOD.toHours(),
        datapointsToAlarm: silence.toHours() / WATCH_PERIOD.toHours(),
        treatMissingData: TreatMissingData.BREACHING,
      });
    };
    const historyPagesUnusable = (watchEvery: Duration) => {
      const window = historyWatchSilence(watchEvery);
      return alarm('HistoryPagesUnusable', {
        alarmDescription:
          `Every version-history watch of the last ${window.toHumanString()} found at least one history page it ` +
          'could not use (fetch failed, page unreadable, or fewer rows than before): for that family, alerts are ' +
          'not amended and unannounced releases are not alerted. The function’s logs name the family and why ' +
          '(“Version history not usable this time”); if AWS changed the page’s shape, the reader needs a fix.',
        // The function publishes WatchPagesUnusable once per completed watch, 0 included: its minimum over the
        // window is at least 1 only when every watch in it had a problem. No watch at all is HistoryWatchNotRunning's.
        metric: new Metric({
          namespace: props.relayMetrics.namespace,
          metricName: 'WatchPagesUnusable',
          dimensionsMap: { service: props.relayMetrics.service },
          period: window,
          statistic: 'Minimum',
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    };
    const atFirstOccurrence = {
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    } as const;

    this.alarms = [
      alarm('DeadLetters', {
        alarmDescription:
          'A driver notification is waiting in the dead-letter queue (it failed on every receive): read the ' +
          'function’s logs, fix the cause, then move it back with aws sqs start-message-move-task.',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
        }),
        ...atFirstOccurrence,
      }),
      alarm('NotificationsNotRead', {
        alarmDescription:
          `A driver notification has waited in the work queue for over ${props.longestExpectedWait.toHumanString()}, ` +
          'longer than all its receives take: the function is not reading the queue (event source mapping ' +
          'disabled, function throttled or deleted). SQS drops it when the queue’s retention ends.',
        metric: props.workQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
        ...atFirstOccurrence,
        threshold: props.longestExpectedWait.toSeconds(),
      }),
      alarm('FunctionErrors', {
        alarmDescription:
          'The driver relay function failed a whole batch, crashed or timed out; SQS delivers the notifications ' +
          'again, then moves them to the dead-letter queue. Or a version-history watch failed: Lambda retries it ' +
          'once, and the next scheduled watch does its work.',
        metric: props.fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        ...atFirstOccurrence,
      }),
      // A send that went out but could not be recorded: the next receive of that notification may post it again.
      alarm('DeliveredNotRecorded', {
        alarmDescription:
          'An alert went out but its delivery record could not be written (the delivery table throttled or failed): ' +
          'a redelivery of that notification may send it again. Check the table and the function’s logs.',
        metric: new Metric({
          namespace: props.relayMetrics.namespace,
          metricName: 'DeliveredNotRecorded',
          dimensionsMap: { service: props.relayMetrics.service },
          period: PERIOD,
          statistic: 'Sum',
        }),
        ...atFirstOccurrence,
      }),
      ...(props.watchEvery === undefined
        ? []
        : [historyWatchNotRunning(props.watchEvery), historyPagesUnusable(props.watchEvery)]),
    ];
    for (const each of this.alarms) {
      each.addAlarmAction(action);
      each.addOkAction(action);
    }
  }
}
