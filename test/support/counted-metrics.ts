/**
 * Real Powertools Metrics for tests that check what the relay counts, read back from the EMF record it would print.
 *
 *   const { metrics, counted } = countedMetrics();
 *   await deliverAlerts({ ..., metrics });
 *   expect(counted()).toMatchObject({ Delivered: 1 });
 */
import { Metrics } from '@aws-lambda-powertools/metrics';

export function countedMetrics(): { metrics: Metrics; counted: () => Record<string, number> } {
  const metrics = new Metrics({ namespace: 'Ec2DriverRelay', serviceName: 'ec2-driver-relay' });
  const counted = () => {
    if (!metrics.hasStoredMetrics()) return {};
    const record = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    const { CloudWatchMetrics } = record._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
    const names = CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((metric) => metric.Name));
    return Object.fromEntries(
      names.map((name) => [
        name,
        ([] as unknown[]).concat(record[name]).reduce((sum: number, v) => sum + Number(v), 0),
      ]),
    );
  };
  return { metrics, counted };
}
