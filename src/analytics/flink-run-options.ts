import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FlinkLogLevel } from './flink-monitoring';

/** Where a Flink application or a Studio notebook logs and which network it runs in. */
export interface FlinkRunOptions {
  /**
   * What the application or notebook writes to its log.
   *
   * @default FlinkLogLevel.INFO
   */
  readonly logLevel?: FlinkLogLevel;
  /**
   * A log group of yours.
   *
   * @default - a new log group encrypted with `logEncryptionKey`
   */
  readonly logGroup?: logs.ILogGroup;
  /**
   * Retention of the log group this construct creates.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Key of the log group this construct creates.
   *
   * @default - a new key with rotation on
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * Run the network interfaces in this VPC (to reach private resources). The subnets need a route to Kinesis: an
   * interface endpoint or NAT; synth warns when the VPC has neither.
   *
   * @default - no VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of `vpc`, up to 16.
   *
   * @default - the private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the network interfaces, up to 5.
   *
   * @default - one new group, all outbound allowed
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}
