/**
 * How Firehose reaches the brokers of an Amazon MSK cluster: the `Connectivity` of the source's
 * `AuthenticationConfiguration`. Firehose always authenticates with IAM, as the delivery role.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-msk.html
 */
export class MskConnectivity {
  /**
   * The private bootstrap brokers, through a multi-VPC private connection Firehose creates (the Firehose guide's
   * recommendation). The cluster must have IAM access control with multi-VPC private connectivity turned on for IAM,
   * and a cluster policy that lets `firehose.amazonaws.com` call `kafka:CreateVpcConnection` (see
   * `MskSourceOptions.clusterPolicy`).
   */
  public static readonly PRIVATE = new MskConnectivity('PRIVATE');

  /**
   * The public bootstrap brokers of a provisioned cluster with public access turned on (MSK Serverless clusters have
   * no public access) and IAM access control.
   */
  public static readonly PUBLIC = new MskConnectivity('PUBLIC');

  /**
   * A connectivity this library does not know yet, passed to CloudFormation as is.
   *
   * @param value the `Connectivity` value
   */
  public static of(value: string): MskConnectivity {
    return new MskConnectivity(value);
  }

  /**
   * @param value the `Connectivity` value CloudFormation receives
   */
  private constructor(public readonly value: string) {}
}

/**
 * An Amazon MSK topic as the source of a delivery stream (`DeliveryStreamType: MSKAsSource`): Firehose reads the
 * topic of a provisioned or serverless cluster with IAM authentication, as the delivery role, and the construct grants
 * the role what the Firehose guide lists: `kafka:GetBootstrapBrokers`, `kafka:DescribeCluster`,
 * `kafka:DescribeClusterV2` and `kafka-cluster:Connect` on the cluster; `kafka-cluster:DescribeTopic`,
 * `kafka-cluster:DescribeTopicDynamicConfiguration` and `kafka-cluster:ReadData` on the topic; and
 * `kafka-cluster:DescribeGroup` on the cluster's consumer groups (Firehose names its own group).
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-msk.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-kinesisfirehose-deliverystream-msksourceconfiguration.html
 */
export interface MskSourceOptions {
  /**
   * The ARN of the cluster: `arn:<partition>:kafka:<region>:<account>:cluster/<cluster name>/<cluster uuid>`, the
   * same form for provisioned and serverless clusters (`msk.CfnCluster.attrArn`, `msk.CfnServerlessCluster.attrArn`).
   * A token is passed through; a cluster of the app (a reference to an `msk.CfnCluster` or `msk.CfnServerlessCluster`)
   * is also checked for IAM access control and the connectivity. The cluster must be in the delivery stream's Region.
   */
  readonly clusterArn: string;

  /**
   * The topic Firehose reads: 1 to 249 letters, digits, `.`, `_` or `-` (Kafka's rule), neither `.` nor `..`.
   * A token is passed through.
   */
  readonly topicName: string;

  /**
   * How Firehose reaches the brokers.
   *
   * @default MskConnectivity.PRIVATE
   */
  readonly connectivity?: MskConnectivity;

  /**
   * Where in the topic Firehose starts reading (`ReadFromTimestamp`): the records from this time on. `new Date(0)`
   * (the epoch) reads from the earliest record the topic keeps. A time in the future is reported as a warning.
   * It cannot be changed later without replacing the delivery stream.
   *
   * @default - the time the delivery stream becomes active: earlier records are not read
   */
  readonly readFromTimestamp?: Date;

  /**
   * Whether to create the cluster policy (`AWS::MSK::ClusterPolicy`) that private connectivity needs: it lets
   * `firehose.amazonaws.com` call `kafka:CreateVpcConnection`, `kafka:GetBootstrapBrokers`, `kafka:DescribeCluster`
   * and `kafka:DescribeClusterV2` on the cluster, and the delivery stream is created after it. A cluster has one
   * policy: set this only when no other policy is defined for the cluster (it would replace it); otherwise add those
   * actions to your policy. Only with `MskConnectivity.PRIVATE`.
   *
   * @default false - a warning (`cdk-kinesis-patterns:MskClusterPolicy`) says what the cluster's policy must allow
   */
  readonly clusterPolicy?: boolean;
}
