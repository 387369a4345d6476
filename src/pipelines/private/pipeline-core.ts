import { Annotations, Aspects, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { monitoringLine, prices, Prices } from './cost';
import { FlinkApplication } from '../../analytics/flink-application';
import { StudioNotebook } from '../../analytics/studio-notebook';
import { AlarmTopic, RouteAlarms } from '../../monitoring/alarm-topic';
import { PipelineDashboard } from '../../monitoring/pipeline-dashboard';
import { DataStream } from '../../streams/data-stream';
import { KinesisLimits } from '../../validation/limits';
import { fail } from '../../validation/rules';
import { PipelineCommonProps } from '../pipeline-options';
import { PipelinePlan, PipelinePlanLine, PipelineThroughput } from '../pipeline-plan';

/** The throughput, checked: literal, finite, positive numbers, the average at most the peak. */
export interface CheckedThroughput {
  readonly peak: number;
  readonly average: number;
  readonly recordBytes: number;
  readonly realTime: boolean;
}

export function checkThroughput(scope: Construct, t: PipelineThroughput | undefined): CheckedThroughput {
  if (t === undefined || t === null) fail(scope, 'throughput is required: the pipeline plans every part from it (recordsPerSecond, averageRecordSize)');
  const number = (what: string, v: unknown): number => {
    if (typeof v !== 'number') fail(scope, `throughput.${what} must be a number, got ${String(v)}`);
    if (Token.isUnresolved(v)) fail(scope, `throughput.${what} must be a literal number, got a token: the pipeline plans shards, concurrency and buffering from it at synth time`);
    if (!Number.isFinite(v) || v <= 0) fail(scope, `throughput.${what} must be a finite number above 0, got ${v}`);
    return v;
  };
  const peak = number('recordsPerSecond', t.recordsPerSecond);
  const average = t.averageRecordsPerSecond === undefined ? peak : number('averageRecordsPerSecond', t.averageRecordsPerSecond);
  if (average > peak) fail(scope, `throughput.averageRecordsPerSecond (${average}) cannot exceed recordsPerSecond (${peak}), the peak`);
  if (t.averageRecordSize === undefined || typeof t.averageRecordSize.toBytes !== 'function') {
    fail(scope, 'throughput.averageRecordSize is required, e.g. Size.bytes(500)');
  }
  const recordBytes = number('averageRecordSize (bytes)', t.averageRecordSize.toBytes());
  return { peak, average, recordBytes, realTime: t.realTime ?? true };
}

/**
 * What every pipeline does once its parts exist: routes every alarm under it to one place, draws its dashboard, and
 * prints its plan.
 */
export class PipelineCore {
  public readonly prices: Prices;
  public readonly dashboard?: PipelineDashboard;
  public readonly alarmTopic?: AlarmTopic;

  constructor(private readonly scope: Construct, props: PipelineCommonProps) {
    this.prices = prices(props.pricing);
    if (props.alarmActions !== undefined) {
      Aspects.of(scope).add(new RouteAlarms(props.alarmActions));
    } else {
      this.alarmTopic = new AlarmTopic(scope, 'AlarmTopic');
      this.alarmTopic.routeAlarmsOf(scope);
    }
    if (props.dashboard !== false) {
      this.dashboard = new PipelineDashboard(scope, 'Dashboard', { dashboardName: props.dashboardName });
    }
  }

  /** Closes the plan with the monitoring line, prints it as an info message, and returns it. */
  public plan(throughput: PipelineThroughput, lines: PipelinePlanLine[], alternatives: PipelinePlanLine[]): PipelinePlan {
    const alarms = this.scope.node.findAll().filter((c) => c instanceof cloudwatch.Alarm).length;
    const all = [...lines, monitoringLine(this.scope.node.path, this.prices, alarms, this.dashboard ? 1 : 0)];
    const plan = new PipelinePlan(throughput, all, alternatives);
    Annotations.of(this.scope).addInfo(plan.summary);
    if (this.dashboard) this.dashboard.addAlarmStatus(this.scope, 'Alarms of the pipeline');
    return plan;
  }
}

/** The stream's line of a plan: the shards its plan decided and the cost of its mode. */
export function streamLine(stream: DataStream): PipelinePlanLine {
  const plan = stream.capacityPlan!;
  const provisioned = plan.streamMode === 'PROVISIONED';
  const cost = provisioned ? plan.provisionedCost : plan.onDemandCost;
  return {
    part: stream.node.path,
    resource: `Kinesis data stream (${provisioned ? 'provisioned' : 'on-demand'})`,
    capacity: provisioned
      ? `${plan.shardCount} shard(s), decided by ${plan.decidingLimit} (${KinesisLimits.SHARD_WRITE_RECORDS_PER_SECOND} records/s and 1 MiB/s in per shard)`
      : 'on-demand',
    monthlyUsd: Math.round(cost.monthlyUsd * 100) / 100,
    basis: cost.items.map((i) => i.description).join('; '),
  };
}

/** A Flink application's or notebook's line of a plan: its KPUs and their cost. */
export function flinkLine(app: FlinkApplication | StudioNotebook): PipelinePlanLine {
  const plan = app.capacityPlan;
  return {
    part: app.node.path,
    resource: app instanceof StudioNotebook ? 'Managed Service for Apache Flink (Studio notebook)' : 'Managed Service for Apache Flink',
    capacity: `parallelism ${plan.parallelism}, ${plan.kpus} KPU(s), ${plan.billedKpus} billed with orchestration`,
    monthlyUsd: Math.round(plan.monthlyCost.monthlyUsd * 100) / 100,
    basis: plan.monthlyCost.items.map((i) => i.description).join('; '),
  };
}
