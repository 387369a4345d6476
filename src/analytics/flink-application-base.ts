import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { CfnApplication } from 'aws-cdk-lib/aws-kinesisanalyticsv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

const NAMESPACE = 'AWS/KinesisAnalytics';

/**
 * What Flink applications and Studio notebooks share: the L1 application, its role, its log and network, and the
 * metrics the service publishes under `AWS/KinesisAnalytics` with the `Application` dimension.
 *
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/metrics-dimensions.html
 */
export abstract class FlinkApplicationBase extends Construct implements iam.IGrantable, ec2.IConnectable {
  /** The CloudFormation resource, for properties this construct does not cover. */
  public abstract readonly cfnApplication: CfnApplication;
  /** The role the service assumes to run the application. */
  public abstract readonly role: iam.IRole;
  /** The application's log group. */
  public abstract readonly logGroup: logs.ILogGroup;
  /** The security groups of the application's network interfaces (empty outside a VPC). */
  public abstract readonly securityGroups: ec2.ISecurityGroup[];

  /** The application's name. */
  public get applicationName(): string {
    return this.cfnApplication.ref;
  }

  /** The application's ARN. */
  public get applicationArn(): string {
    return Stack.of(this).formatArn({ service: 'kinesisanalytics', resource: 'application', resourceName: this.applicationName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /** The principal the application's rights are granted to: its role. */
  public get grantPrincipal(): iam.IPrincipal {
    return this.role;
  }

  /** The network connections of the application, when it runs in a VPC. */
  public get connections(): ec2.Connections {
    return new ec2.Connections({ securityGroups: this.securityGroups });
  }

  /**
   * Grants actions on this application, e.g. `kinesisanalytics:DescribeApplication`.
   *
   * @param grantee who gets the actions
   * @param actions the `kinesisanalytics:` actions, by name
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.applicationArn] });
  }

  /**
   * Grants starting, stopping and describing the application (what an operator or a deployment pipeline does).
   *
   * @param grantee who gets the rights
   */
  public grantStartStop(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'kinesisanalytics:StartApplication', 'kinesisanalytics:StopApplication', 'kinesisanalytics:DescribeApplication');
  }

  /**
   * A metric of this application in `AWS/KinesisAnalytics`.
   *
   * @param metricName the metric's name, e.g. `cpuUtilization`
   * @param props statistic, period and other options
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName,
      dimensionsMap: { Application: this.applicationName },
      period: Duration.minutes(1),
      ...props,
    });
  }

  /**
   * Time the job has been down in its current outage, in milliseconds (0 while it runs). Maximum by default.
   *
   * @param props options of the metric (period, statistic, label)
   */
  public metricDowntime(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('downtime', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Time the job has been running without interruption, in milliseconds. Maximum by default.
   *
   * @param props options of the metric (period, statistic, label)
   */
  public metricUptime(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('uptime', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Full restarts of the job since it was submitted (a running count). Maximum by default.
   *
   * @param props options of the metric (period, statistic, label)
   */
  public metricFullRestarts(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('fullRestarts', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Failed checkpoints (a running count). Maximum by default.
   *
   * @param props options of the metric (period, statistic, label)
   */
  public metricNumberOfFailedCheckpoints(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('numberOfFailedCheckpoints', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * How long the last checkpoint took, in milliseconds. Maximum by default.
   *
   * @param props options of the metric (period, statistic, label)
   */
  public metricLastCheckpointDuration(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('lastCheckpointDuration', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Size of the last checkpoint, in bytes. Maximum by default.
   *
   * @param props options of the metric (period, statistic, label)
   */
  public metricLastCheckpointSize(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('lastCheckpointSize', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * KPUs in use. Average by default.
   *
   * @param props options of the metric (period, statistic, label)
   */
  public metricKpus(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('KPUs', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /**
   * CPU in use across the task managers, in percent. Maximum by default.
   *
   * @param props options of the metric (period, statistic, label)
   */
  public metricCpuUtilization(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('cpuUtilization', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Heap memory in use across the task managers, in percent. Maximum by default.
   *
   * @param props options of the metric (period, statistic, label)
   */
  public metricHeapMemoryUtilization(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('heapMemoryUtilization', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * How far behind the head of a Kinesis source stream the job reads, in milliseconds (the Flink Kinesis
   * connector's metric, `Flow` = `Input`, `Id` = the stream name). Maximum by default.
   *
   * @param stream the source stream
   * @param props statistic, period and other options
   */
  public metricMillisBehindLatest(stream: kinesis.IStream, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    const name = stream.streamName;
    return new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName: 'millisBehindLatest',
      // The service writes the stream name with '.' replaced by '_' in the Id dimension.
      dimensionsMap: { Application: this.applicationName, Flow: 'Input', Id: Token.isUnresolved(name) ? name : name.replace(/\./g, '_') },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      ...props,
    });
  }
}
