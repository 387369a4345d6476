import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { PipelinePricing } from './pipeline-pricing';

/** Monitoring and pricing options every pipeline accepts. */
export interface PipelineCommonProps {
  /**
   * Where every alarm of the pipeline goes, when it fires and when it recovers.
   *
   * @default - a KMS-encrypted SNS topic created for the pipeline (`pipeline.alarmTopic`)
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
  /**
   * Whether to create the pipeline's dashboard.
   *
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * Name of the dashboard.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
  /**
   * Prices of the plan's cost estimate.
   *
   * @default - US East (N. Virginia) list prices
   */
  readonly pricing?: PipelinePricing;
}
