import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { Construct, IConstruct } from 'constructs';
import { LambdaStreamConsumer } from '../consumers/lambda-stream-consumer';
import { DeliveryDestinationKind } from '../delivery/delivery-stream-alarms';
import { ProducerFunction } from '../producers/producer-function';
import { DataStream } from '../streams/data-stream';
import { KinesisLimits, MonitoringLimits } from '../validation/limits';
import { checkName, fail } from '../validation/rules';
import { deliveryStreamMetrics, flinkMetrics, functionMetrics, streamMetrics, tableMetrics } from './private/metrics';

/** Properties of a `PipelineDashboard`. */
export interface PipelineDashboardProps {
  /**
   * Name of the dashboard: 1 to 255 letters, digits, `-` and `_`.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
  /**
   * Period of every graph: 1, 5, 10 or 30 seconds or a whole number of minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
  /**
   * Start of the time range the dashboard opens with, relative (`-PT3H`) or absolute (ISO 8601).
   *
   * @default '-PT3H'
   */
  readonly start?: string;
}

/** Options of a stream's row on a dashboard. */
export interface StreamDashboardOptions {
  /**
   * Title of the row.
   *
   * @default - 'Stream ' and the stream's construct path
   */
  readonly title?: string;
  /**
   * Shards of the stream, to draw its write capacity as a line. A token draws no line.
   *
   * @default - the shard count of a provisioned `DataStream`; none for other streams
   */
  readonly shardCount?: number;
  /**
   * Retention period, to draw it on the iterator age graph.
   *
   * @default - the retention of a `DataStream`; 24 hours for other streams
   */
  readonly retentionPeriod?: Duration;
}

/** Options of a delivery stream's row on a dashboard. */
export interface DeliveryStreamDashboardOptions {
  /**
   * Title of the row.
   *
   * @default - 'Delivery ' and the delivery stream's construct path
   */
  readonly title?: string;
  /**
   * Its destination, which names the freshness and success metrics.
   *
   * @default DeliveryDestinationKind.S3
   */
  readonly destination?: DeliveryDestinationKind;
  /**
   * Freshness above which delivery is late, drawn on the freshness graph.
   *
   * @default - no line
   */
  readonly freshnessThreshold?: Duration;
}

/** Options of a Managed Service for Apache Flink application's row on a dashboard. */
export interface FlinkDashboardOptions {
  /**
   * Title of the row.
   *
   * @default - 'Flink application ' and the application name
   */
  readonly title?: string;
  /**
   * Names of the Kinesis streams the application reads, for its `millisBehindLatest` graph.
   *
   * @default - no lag graph
   */
  readonly sourceStreamNames?: string[];
  /**
   * The checkpoint interval, drawn on the checkpoint duration graph.
   *
   * @default - no line
   */
  readonly checkpointInterval?: Duration;
}

interface GraphSpec {
  readonly title: string;
  readonly left: cloudwatch.IMetric[];
  readonly annotations: cloudwatch.HorizontalAnnotation[];
}

const WIDTH = 24;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard for a pipeline: a row per part (stream, producers, consumers, delivery streams, tables,
 * Flink applications), each graph drawn against the limit or setting it must stay under (the shards' write capacity,
 * the retention period, the function's timeout, the checkpoint interval), and an alarm status row. Use it for a whole
 * pipeline or, opt-in, for one stream on its own.
 *
 * What to measure lives apart from how it is shown: the metrics come from the parts' `metric*` methods and the
 * library's metric helpers, each with the dimension that names its resource.
 */
export class PipelineDashboard extends Construct {
  /** The CloudWatch dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Period of every graph. */
  public readonly period: Duration;

  /**
   * @param scope the construct the dashboard is created in
   * @param id the dashboard's id, unique within `scope`
   * @param props its name, period and time range
   */
  constructor(scope: Construct, id: string, props: PipelineDashboardProps = {}) {
    super(scope, id);
    if (props.dashboardName !== undefined) {
      checkName(this, 'dashboardName', props.dashboardName, MonitoringLimits.MAX_DASHBOARD_NAME_LENGTH, /^[A-Za-z0-9_-]+$/, 'letters, digits, - and _');
    }
    this.period = props.period ?? Duration.minutes(5);
    const seconds = this.period.toSeconds();
    if (!Token.isUnresolved(seconds) && !MonitoringLimits.isValidGraphPeriod(seconds)) {
      fail(this, `period must be 1, 5, 10 or 30 seconds or a whole number of minutes, got ${seconds} seconds`);
    }
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      start: props.start ?? '-PT3H',
      periodOverride: cloudwatch.PeriodOverride.INHERIT,
    });
  }

  /**
   * Adds a stream's row: bytes and records written per second against the shards' capacity, throttled writes and
   * reads, iterator age against the retention period, and GetRecords calls per second against 5 per shard.
   *
   * @param stream the stream
   * @param options title, shard count and retention, when the stream is not a `DataStream`
   */
  public addStream(stream: kinesis.IStream, options: StreamDashboardOptions = {}): void {
    const data = DataStream.isDataStream(stream) ? stream : undefined;
    const given = options.shardCount ?? data?.shardCount;
    // A token shard count is a placeholder number: multiplying it would draw a meaningless line.
    const shards = given === undefined || Token.isUnresolved(given) ? undefined : given;
    const retentionHours = options.retentionPeriod?.toHours() ?? data?.retentionHours ?? 24;
    const m = streamMetrics(stream, this.period);
    const limit = (value: number | undefined, label: string) => value === undefined || Token.isUnresolved(value)
      ? [] : [{ value, label, color: cloudwatch.Color.RED }];
    this.row(options.title ?? `Stream ${stream.node.path}`, [
      this.graph('Bytes written per second', [m.incomingBytesPerSecond],
        limit(shards === undefined ? undefined : shards * KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND, `${shards} shard(s) x 1 MiB/s`)),
      this.graph('Records written per second', [m.incomingRecordsPerSecond],
        limit(shards === undefined ? undefined : shards * KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND, `${shards} shard(s) x 1000 records/s`)),
      this.graph('Throttling', [m.writeThrottled, m.readThrottled], []),
      this.graph('Iterator age', [m.iteratorAgeMs], limit(Token.isUnresolved(retentionHours) ? undefined : retentionHours * 3_600_000, 'retention')),
      this.graph('GetRecords calls per second', [m.getRecordsPerSecond],
        limit(shards === undefined ? undefined : shards * KinesisLimits.SHARD_GET_RECORDS_CALLS_PER_SECOND, `${shards} shard(s) x 5 calls/s`)),
    ]);
  }

  /**
   * Adds a producer function's row: invocations, errors, throttles, duration against the timeout, and records in
   * its failure queue.
   *
   * @param producer the producer
   */
  public addProducer(producer: ProducerFunction): void {
    const m = functionMetrics(producer.function, this.period);
    this.row(`Producer ${producer.node.path}`, [
      this.graph('Invocations and errors', [m.invocations, m.errors], []),
      this.graph('Throttles', [m.throttles], []),
      this.graph('Duration', [m.durationP99, m.durationMax], this.timeoutLine(producer.timeout)),
      this.graph('Failure queue depth', [producer.failureQueue.metricApproximateNumberOfMessagesVisible({ period: this.period, statistic: cloudwatch.Stats.MAXIMUM, label: 'records not written' })], []),
    ]);
  }

  /**
   * Adds a stream consumer's row: errors, throttles, duration, iterator age against its maximum record age, and the
   * depth of its failure destination.
   *
   * @param consumer the consumer
   */
  public addConsumer(consumer: LambdaStreamConsumer): void {
    const m = functionMetrics(consumer.function, this.period);
    const maxAge = consumer.maxRecordAge.toSeconds();
    this.row(`Consumer ${consumer.node.path}`, [
      this.graph('Invocations and errors', [m.invocations, m.errors], []),
      this.graph('Throttles', [m.throttles], []),
      this.graph('Duration', [m.durationP99, m.durationMax], []),
      this.graph('Iterator age', [consumer.metricIteratorAge({ period: this.period, label: 'iterator age (ms), max' })],
        Token.isUnresolved(maxAge) || maxAge < 0 ? [] : [{ value: maxAge * 1000, label: 'maximum record age', color: cloudwatch.Color.RED }]),
      this.graph('Failure destination', [consumer.metricFailedBatches()], []),
    ]);
  }

  /**
   * Adds a delivery stream's row: data freshness, delivery success (for destinations that count the records they
   * refuse, Iceberg and Snowflake, those records instead), incoming bytes against the direct PUT limit, and throttled
   * records and source reads.
   *
   * @param deliveryStream the delivery stream (for the library's constructs, their `deliveryStream`)
   * @param options title, destination and freshness threshold
   */
  public addDeliveryStream(deliveryStream: firehose.IDeliveryStream, options: DeliveryStreamDashboardOptions = {}): void {
    const destination = options.destination ?? DeliveryDestinationKind.S3;
    const m = deliveryStreamMetrics(deliveryStream, destination.freshnessMetricName, destination.successMetricName, this.period);
    const freshness = options.freshnessThreshold?.toSeconds();
    this.row(options.title ?? `Delivery ${deliveryStream.node.path}`, [
      this.graph('Data freshness', [m.freshnessSeconds],
        freshness === undefined || Token.isUnresolved(freshness) ? [] : [{ value: freshness, label: 'freshness threshold', color: cloudwatch.Color.RED }]),
      // Where the destination counts the records it refuses (Iceberg, Snowflake), its `.Success` metric is a count of
      // commits or calls, not the share delivered: the refused records are the graph, as the alarm watches them.
      destination.failedRecordsMetricName
        ? this.graph('Refused records', [deliveryStream.metric(destination.failedRecordsMetricName,
          { statistic: cloudwatch.Stats.SUM, period: this.period, label: 'records refused (to the S3 backup)' })], [])
        : this.graph('Delivery success', [m.success], [{ value: 1, label: 'all delivered', color: cloudwatch.Color.GREEN }]),
      this.graph('Bytes in per second', [m.incomingBytesPerSecond, m.bytesPerSecondLimit], []),
      this.graph('Throttling', [m.throttledRecords, m.throttledGetRecords], []),
    ]);
  }

  /**
   * Adds a DynamoDB table's row: throttle events, consumed write capacity and system errors.
   *
   * @param table the table
   */
  public addTable(table: dynamodb.ITable): void {
    const m = tableMetrics(table, this.period);
    this.row(`Table ${table.node.path}`, [
      this.graph('Throttle events', [m.writeThrottles, m.readThrottles], []),
      this.graph('Consumed write capacity', [m.consumedWriteCapacity], []),
      this.graph('System errors', [m.systemErrors], []),
    ]);
  }

  /**
   * Adds a Managed Service for Apache Flink application's row: downtime, full restarts, failed checkpoints,
   * checkpoint duration against the interval, and how far behind its Kinesis sources it is.
   *
   * @param applicationName the application's name
   * @param options title, source streams and checkpoint interval
   */
  public addFlinkApplication(applicationName: string, options: FlinkDashboardOptions = {}): void {
    const m = flinkMetrics(applicationName, this.period);
    const interval = options.checkpointInterval?.toMilliseconds();
    const widgets = [
      this.graph('Downtime', [m.downtimeMs], []),
      this.graph('Restarts and failed checkpoints', [m.fullRestarts, m.failedCheckpoints], []),
      this.graph('Checkpoint duration', [m.lastCheckpointDurationMs],
        interval === undefined || Token.isUnresolved(interval) ? [] : [{ value: interval, label: 'checkpoint interval', color: cloudwatch.Color.RED }]),
      this.graph('CPU and heap', [m.cpuUtilization, m.heapMemoryUtilization], [{ value: 100, label: '100%' }]),
    ];
    if (options.sourceStreamNames && options.sourceStreamNames.length > 0) {
      widgets.push(this.graph('Behind its sources', options.sourceStreamNames.map((n) => m.millisBehindLatest(n)), []));
    }
    this.row(options.title ?? `Flink application ${Token.isUnresolved(applicationName) ? '' : applicationName}`.trim(), widgets);
  }

  /**
   * Adds a row with the state of every CloudWatch alarm defined under `scope` (a pipeline, a stack, a part).
   *
   * @param scope where to look for alarms
   * @param title title of the row
   */
  public addAlarmStatus(scope: IConstruct, title: string = 'Alarms'): void {
    const alarms = scope.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);
    if (alarms.length === 0) return;
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${title}`, width: WIDTH, height: 1 }));
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({
      title,
      alarms,
      width: WIDTH,
      height: Math.min(MonitoringLimits.MAX_WIDGET_HEIGHT, 2 + Math.ceil(alarms.length / 4)),
    }));
  }

  /** A heading and one line of graphs sharing the dashboard's width. */
  private row(title: string, graphs: GraphSpec[]): void {
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${title}`, width: WIDTH, height: 1 }));
    const width = Math.floor(WIDTH / graphs.length);
    this.dashboard.addWidgets(...graphs.map((g) => new cloudwatch.GraphWidget({
      title: g.title,
      left: g.left,
      leftAnnotations: g.annotations,
      width,
      height: HEIGHT,
      period: this.period,
      liveData: true,
    })));
  }

  private graph(title: string, left: cloudwatch.IMetric[], annotations: cloudwatch.HorizontalAnnotation[]): GraphSpec {
    return { title, left, annotations };
  }

  private timeoutLine(timeout: Duration): cloudwatch.HorizontalAnnotation[] {
    const ms = timeout.toMilliseconds();
    return Token.isUnresolved(ms) ? [] : [{ value: ms, label: 'timeout', color: cloudwatch.Color.RED }];
  }
}
