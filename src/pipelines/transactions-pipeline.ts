import { Duration, Size } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PipelineCommonProps } from './pipeline-options';
import { PipelinePlan, PipelinePlanLine, PipelineThroughput } from './pipeline-plan';
import { firehoseLine, lambdaLine } from './private/cost';
import { checkThroughput, flinkLine, PipelineCore, streamLine } from './private/pipeline-core';
import { FlinkApplication } from '../analytics/flink-application';
import { FlinkCode } from '../analytics/flink-code';
import { FlinkReadMode } from '../analytics/flink-connector-options';
import { FlinkRuntime } from '../analytics/flink-runtime';
import { ConsumerCode } from '../consumers/consumer-code';
import { LambdaStreamConsumer } from '../consumers/lambda-stream-consumer';
import { DeliveryDestinationKind } from '../delivery/delivery-stream-alarms';
import { RedshiftCopyOptions } from '../delivery/redshift-copy';
import { RedshiftDeliveryStream } from '../delivery/redshift-delivery-stream';
import { RedshiftTarget } from '../delivery/redshift-target';
import { DeliverySource } from '../delivery/source';
import { RecordTransform } from '../delivery/transform';
import { AlarmTopic } from '../monitoring/alarm-topic';
import { PipelineDashboard } from '../monitoring/pipeline-dashboard';
import { DataStream } from '../streams/data-stream';
import { fail } from '../validation/rules';

/** Where a transactions pipeline loads its ledger in Redshift. */
export interface TransactionsRedshiftOptions {
  /** The cluster or workgroup and its database. */
  readonly target: RedshiftTarget;
  /** The secret with the loader's `username` and `password` (read by Firehose at delivery time). */
  readonly credentials: secretsmanager.ISecret;
  /** The table COPY loads, e.g. `ledger.transactions`. */
  readonly tableName: string;
  /**
   * The columns COPY fills, in order.
   *
   * @default - every column of the table
   */
  readonly columns?: string[];
  /**
   * The COPY command's options.
   *
   * @default - JSON 'auto', GZIP
   */
  readonly copyOptions?: RedshiftCopyOptions;
}

/** The anomaly-detection job of a transactions pipeline. */
export interface TransactionsAnomalyDetectionOptions {
  /** The Flink job: it reads source `transactions` and writes sink `alerts` (runtime property groups). */
  readonly code: FlinkCode;
  /**
   * Its Flink runtime.
   *
   * @default - the newest the library knows
   */
  readonly runtime?: FlinkRuntime;
  /**
   * Settings of the job, passed as the `application` property group.
   *
   * @default - none
   */
  readonly properties?: Record<string, string>;
  /**
   * Your handler for alerts, run by the consumer runtime on the alerts stream.
   *
   * @default - no alert consumer (read `pipeline.alerts` yourself)
   */
  readonly alertHandler?: ConsumerCode;
}

/** Properties of a `TransactionsPipeline`. */
export interface TransactionsPipelineProps extends PipelineCommonProps {
  /** Transactions per second and their size: planned once, passed to every part. */
  readonly throughput: PipelineThroughput;
  /**
   * The field of a transaction that names its account: the stream's partition key, so each account's
   * transactions stay in order.
   *
   * @default 'accountId'
   */
  readonly accountIdField?: string;
  /** The ledger in Redshift, loaded by COPY through S3. */
  readonly redshift: TransactionsRedshiftOptions;
  /**
   * A Flink job that flags anomalous transactions into an alerts stream.
   *
   * @default - none
   */
  readonly anomalyDetection?: TransactionsAnomalyDetectionOptions;
  /**
   * How long the stream keeps transactions: long enough to replay a day of incidents.
   *
   * @default Duration.days(7)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * Financial transactions: a data stream planned from the throughput with per-account order (partitioned by account
 * id), Firehose loading Redshift by COPY through S3 with every source record backed up raw as the audit trail, and an
 * anomaly-detection Flink job (enhanced fan-out) writing alerts to a second stream, optionally consumed by a handler
 * of yours. Producers write to `pipeline.stream` (`grantWrite`). One plan, one dashboard, one alarm topic.
 */
export class TransactionsPipeline extends Construct {
  /** The transactions stream. */
  public readonly stream: DataStream;
  /** The Redshift delivery. */
  public readonly ledger: RedshiftDeliveryStream;
  /** The anomaly-detection job, when asked for. */
  public readonly anomalyDetection?: FlinkApplication;
  /** The alerts stream the job writes, when there is a job. */
  public readonly alerts?: DataStream;
  /** The alert consumer, when a handler was given. */
  public readonly alertConsumer?: LambdaStreamConsumer;
  /** The pipeline's dashboard. */
  public readonly dashboard?: PipelineDashboard;
  /** The topic every alarm goes to, unless `alarmActions` were given. */
  public readonly alarmTopic?: AlarmTopic;
  /** Capacity and monthly cost of every part. */
  public readonly plan: PipelinePlan;

  /**
   * @param scope the construct the pipeline is created in
   * @param id the pipeline's id, unique within `scope`
   * @param props its throughput, ledger and anomaly detection
   */
  constructor(scope: Construct, id: string, props: TransactionsPipelineProps) {
    super(scope, id);
    if (props === undefined || props === null) fail(this, 'props are required: give at least throughput and redshift');
    const t = checkThroughput(this, props.throughput);
    if (props.redshift === undefined || props.redshift === null) fail(this, 'redshift is required: target, credentials and tableName of the ledger');
    const accountIdField = props.accountIdField ?? 'accountId';
    const core = new PipelineCore(this, props);
    this.dashboard = core.dashboard;
    this.alarmTopic = core.alarmTopic;

    this.stream = new DataStream(this, 'Stream', {
      throughput: {
        recordsPerSecond: t.peak,
        averageRecordsPerSecond: t.average,
        averageRecordSize: props.throughput.averageRecordSize,
        sharedThroughputConsumers: 1,
        enhancedFanOutConsumers: props.anomalyDetection ? 1 : 0,
      },
      retentionPeriod: props.retentionPeriod ?? Duration.days(7),
      pricing: props.pricing?.kinesis,
    });
    const lines: PipelinePlanLine[] = [streamLine(this.stream)];

    this.ledger = new RedshiftDeliveryStream(this, 'Ledger', {
      source: DeliverySource.kinesisStream(this.stream),
      target: props.redshift.target,
      credentials: props.redshift.credentials,
      tableName: props.redshift.tableName,
      columns: props.redshift.columns,
      copyOptions: props.redshift.copyOptions,
      transform: RecordTransform.bundled({ requiredFields: [accountIdField] }),
      // The raw records are the audit trail: every one is kept, whatever COPY does with it.
      sourceBackup: {},
    });
    lines.push(firehoseLine(this.ledger.node.path, core.prices, t.average, t.recordBytes, { capacity: 'COPY after each buffer (defaults of RedshiftDeliveryStream)' }));

    if (props.anomalyDetection) {
      // The alerts are few: a fraction of the transactions, planned at 1% of the peak (at least 1 record/s).
      this.alerts = new DataStream(this, 'Alerts', {
        throughput: {
          recordsPerSecond: Math.max(1, Math.ceil(t.peak / 100)),
          averageRecordSize: Size.bytes(Math.max(256, t.recordBytes + 128)),
          sharedThroughputConsumers: props.anomalyDetection.alertHandler ? 1 : 0,
        },
        retentionPeriod: Duration.days(7),
        pricing: props.pricing?.kinesis,
      });
      this.anomalyDetection = new FlinkApplication(this, 'AnomalyDetection', {
        code: props.anomalyDetection.code,
        runtime: props.anomalyDetection.runtime,
        properties: props.anomalyDetection.properties,
        // Source subtasks beyond the shard count would idle: parallelism follows the shards.
        parallelism: Math.max(1, this.stream.shardCount ?? 1),
        pricing: props.pricing?.flink,
      });
      this.anomalyDetection.addSource(this.stream, { name: 'transactions', readMode: FlinkReadMode.EFO });
      this.anomalyDetection.addKinesisSink(this.alerts, { name: 'alerts' });
      lines.push(streamLine(this.alerts), flinkLine(this.anomalyDetection));
      if (props.anomalyDetection.alertHandler) {
        this.alertConsumer = new LambdaStreamConsumer(this, 'AlertConsumer', { stream: this.alerts, code: props.anomalyDetection.alertHandler });
        lines.push(lambdaLine(this.alertConsumer.function.node.path, core.prices, Math.max(1, t.average / 100), 256, 100, 'one batch per shard at a time'));
      }
    }

    if (this.dashboard) {
      this.dashboard.addStream(this.stream);
      this.dashboard.addDeliveryStream(this.ledger.deliveryStream, { destination: DeliveryDestinationKind.REDSHIFT });
      if (this.anomalyDetection) {
        this.dashboard.addFlinkApplication(this.anomalyDetection.applicationName, {
          title: `Flink ${this.anomalyDetection.node.path}`,
          sourceStreamNames: [this.stream.streamName],
          checkpointInterval: this.anomalyDetection.checkpointInterval,
        });
      }
      if (this.alerts) this.dashboard.addStream(this.alerts);
      if (this.alertConsumer) this.dashboard.addConsumer(this.alertConsumer);
    }
    this.plan = core.plan(props.throughput, lines, []);
  }
}
