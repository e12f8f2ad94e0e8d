import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface RelayAlarmsProps {
  readonly fn: IFunction;
  /** Each queue whose first message means a notification was not delivered, with a name for the alarm. */
  readonly deadLetterQueues: readonly { readonly label: string; readonly queue: IQueue }[];
  /** Where alarm (and recovery) notifications go. */
  readonly topic: ITopic;
  /** Where the function's own metrics go (Powertools: POWERTOOLS_METRICS_NAMESPACE, `service` dimension). */
  readonly relayMetrics: { readonly namespace: string; readonly service: string };
}

const PERIOD = Duration.minutes(5);

/**
 * The relay is quiet by design (a few notifications a month), so one message in a dead-letter queue or one
 * function error is already worth a person's attention; no data is not a problem.
 */
export class RelayAlarms extends Construct {
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: RelayAlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);

    const queueAlarms = props.deadLetterQueues.map(
      ({ label, queue }) =>
        new Alarm(this, `${label}NotEmpty`, {
          alarmDescription: `A driver notification is waiting in the ${label} dead-letter queue: fix the cause, then run driver-relay replay.`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
    );
    const errorAlarm = new Alarm(this, 'FunctionErrors', {
      alarmDescription:
        'The driver relay function failed; Lambda retries, then the notification lands in a dead-letter queue.',
      metric: props.fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // The asynchronous-invocation paths that lose a notification without any function error or queue message.
    const asyncAlarms = [
      new Alarm(this, 'DestinationDeliveryFailures', {
        alarmDescription:
          'Lambda could not put a failed driver notification in the FailedInvocation queue (permissions, ' +
          'encryption or size): it is in no queue; find it in the function’s logs and fix the destination.',
        metric: props.fn.metric('DestinationDeliveryFailures', { period: PERIOD, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'AsyncEventsDropped', {
        alarmDescription:
          'Lambda gave up on a driver notification (too old, retries used up, or throttled). It should be in the ' +
          'FailedInvocation queue; if DestinationDeliveryFailures alarms too, it is lost.',
        metric: props.fn.metric('AsyncEventsDropped', { period: PERIOD, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];

    // A send that went out but could not be recorded: the next redelivery of that event may post it again.
    const notRecordedAlarm = new Alarm(this, 'DeliveredNotRecorded', {
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
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.alarms = [...queueAlarms, errorAlarm, ...asyncAlarms, notRecordedAlarm];
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
