import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * What to measure, apart from how to show it (the dashboard builder): one function per metric, each with the
 * dimension that names its resource, so a widget never watches nothing.
 */

/** A per-second rate from a metric summed over each period: `SUM / PERIOD`. */
export function perSecond(metric: cloudwatch.IMetric, label: string, period: Duration): cloudwatch.IMetric {
  return new cloudwatch.MathExpression({ expression: 'm / PERIOD(m)', usingMetrics: { m: metric }, label, period });
}

export function streamMetrics(stream: kinesis.IStream, period: Duration) {
  const sum = { statistic: cloudwatch.Stats.SUM, period };
  const avg = { statistic: cloudwatch.Stats.AVERAGE, period };
  return {
    incomingBytesPerSecond: perSecond(stream.metricIncomingBytes(sum), 'bytes/s written', period),
    incomingRecordsPerSecond: perSecond(stream.metricIncomingRecords(sum), 'records/s written', period),
    writeThrottled: stream.metricWriteProvisionedThroughputExceeded({ ...avg, label: 'writes throttled (share)' }),
    readThrottled: stream.metricReadProvisionedThroughputExceeded({ ...avg, label: 'reads throttled (share)' }),
    iteratorAgeMs: stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: cloudwatch.Stats.MAXIMUM, period, label: 'iterator age (ms), max' }),
    getRecordsPerSecond: perSecond(stream.metric('GetRecords.Success', { statistic: cloudwatch.Stats.SAMPLE_COUNT, period }), 'GetRecords calls/s', period),
  };
}

export function functionMetrics(fn: lambda.IFunction, period: Duration) {
  return {
    errors: fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period, label: 'errors' }),
    invocations: fn.metricInvocations({ statistic: cloudwatch.Stats.SUM, period, label: 'invocations' }),
    throttles: fn.metricThrottles({ statistic: cloudwatch.Stats.SUM, period, label: 'throttles' }),
    durationP99: fn.metricDuration({ statistic: cloudwatch.Stats.p(99), period, label: 'duration p99 (ms)' }),
    durationMax: fn.metricDuration({ statistic: cloudwatch.Stats.MAXIMUM, period, label: 'duration max (ms)' }),
    iteratorAgeMs: fn.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period, label: 'iterator age (ms), max' }),
  };
}

export function deliveryStreamMetrics(deliveryStream: firehose.IDeliveryStream, freshnessMetricName: string, successMetricName: string, period: Duration) {
  return {
    freshnessSeconds: deliveryStream.metric(freshnessMetricName, { statistic: cloudwatch.Stats.MAXIMUM, period, label: 'data freshness (s), max' }),
    success: deliveryStream.metric(successMetricName, { statistic: cloudwatch.Stats.MINIMUM, period, label: 'delivery success (min)' }),
    incomingBytesPerSecond: perSecond(deliveryStream.metricIncomingBytes({ statistic: cloudwatch.Stats.SUM, period }), 'bytes/s in', period),
    incomingRecordsPerSecond: perSecond(deliveryStream.metricIncomingRecords({ statistic: cloudwatch.Stats.SUM, period }), 'records/s in', period),
    bytesPerSecondLimit: deliveryStream.metric('BytesPerSecondLimit', { statistic: cloudwatch.Stats.MINIMUM, period, label: 'bytes/s limit (direct PUT)' }),
    throttledRecords: deliveryStream.metric('ThrottledRecords', { statistic: cloudwatch.Stats.SUM, period, label: 'throttled records' }),
    throttledGetRecords: deliveryStream.metric('ThrottledGetRecords', { statistic: cloudwatch.Stats.SUM, period, label: 'throttled source reads' }),
  };
}

export function tableMetrics(table: dynamodb.ITable, period: Duration) {
  const sum = { statistic: cloudwatch.Stats.SUM, period };
  return {
    writeThrottles: table.metric('WriteThrottleEvents', { ...sum, label: 'write throttle events' }),
    readThrottles: table.metric('ReadThrottleEvents', { ...sum, label: 'read throttle events' }),
    consumedWriteCapacity: perSecond(table.metricConsumedWriteCapacityUnits(sum), 'consumed WCU/s', period),
    systemErrors: table.metric('SystemErrors', { ...sum, label: 'system errors' }),
  };
}

/**
 * Managed Service for Apache Flink publishes its application metrics in `AWS/KinesisAnalytics` with the
 * `Application` dimension; `millisBehindLatest` of a Kinesis source also carries `Flow` = `Input` and `Id` = the
 * stream name.
 *
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/metrics-dimensions.html
 */
export function flinkMetrics(applicationName: string, period: Duration) {
  const metric = (metricName: string, statistic: string, label: string, extra: Record<string, string> = {}) => new cloudwatch.Metric({
    namespace: 'AWS/KinesisAnalytics',
    metricName,
    dimensionsMap: { Application: applicationName, ...extra },
    statistic,
    period,
    label,
  });
  return {
    downtimeMs: metric('downtime', cloudwatch.Stats.MAXIMUM, 'downtime (ms)'),
    fullRestarts: metric('fullRestarts', cloudwatch.Stats.MAXIMUM, 'full restarts (total)'),
    failedCheckpoints: metric('numberOfFailedCheckpoints', cloudwatch.Stats.MAXIMUM, 'failed checkpoints (total)'),
    lastCheckpointDurationMs: metric('lastCheckpointDuration', cloudwatch.Stats.MAXIMUM, 'last checkpoint duration (ms)'),
    cpuUtilization: metric('cpuUtilization', cloudwatch.Stats.MAXIMUM, 'CPU (%)'),
    heapMemoryUtilization: metric('heapMemoryUtilization', cloudwatch.Stats.MAXIMUM, 'heap (%)'),
    // The service names a source by its stream name with dots replaced by underscores.
    millisBehindLatest: (streamName: string) => metric('millisBehindLatest', cloudwatch.Stats.MAXIMUM, `behind ${Token.isUnresolved(streamName) ? 'source' : streamName} (ms)`,
      { Flow: 'Input', Id: Token.isUnresolved(streamName) ? streamName : streamName.replace(/\./g, '_') }),
  };
}
