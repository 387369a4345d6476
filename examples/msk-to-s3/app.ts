/**
 * MSK to S3: an order service publishes orders to the `orders` topic of an MSK Serverless cluster (IAM access
 * control, in isolated subnets of its own VPC); Firehose reads the topic through a multi-VPC private connection and
 * archives the orders in S3 as GZIP JSON Lines, the bundled transform checking each order and dropping the card
 * number on the way.
 *
 * Two stacks, because Firehose checks the topic when the delivery stream is created: deploy MskToS3Cluster, create
 * the topic with a Kafka admin client (MSK Serverless does not create topics on first write), then deploy
 * MskToS3Delivery. The delivery stream starts at the earliest record the topic keeps (`new Date(0)`), so orders
 * published between the two deployments are archived too. The delivery stack creates the cluster policy that lets
 * Firehose create its VPC connection (`clusterPolicy: true`): the app defines no other policy for the cluster.
 *
 * Run: npm run synth:examples -- msk-to-s3
 */
import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as msk from 'aws-cdk-lib/aws-msk';
import { Construct } from 'constructs';
import { DeliverySource, MskConnectivity, RecordFilter, RecordTransform, S3DeliveryStream } from '../../src';

export const TOPIC = 'orders';
const VPC_CIDR = '10.20.0.0/16';

export class MskClusterStack extends Stack {
  public readonly cluster: msk.CfnServerlessCluster;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // MSK Serverless needs subnets in at least two Availability Zones; clients and Firehose reach it privately.
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(VPC_CIDR),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Brokers', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
    });
    const brokers = new ec2.SecurityGroup(this, 'Brokers', { vpc, description: 'MSK Serverless brokers: Kafka over IAM (9098) from the VPC', allowAllOutbound: false });
    brokers.addIngressRule(ec2.Peer.ipv4(VPC_CIDR), ec2.Port.tcp(9098), 'Kafka clients in the VPC, IAM authentication');

    this.cluster = new msk.CfnServerlessCluster(this, 'Cluster', {
      clusterName: 'orders',
      clientAuthentication: { sasl: { iam: { enabled: true } } },
      vpcConfigs: [{ subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId), securityGroups: [brokers.securityGroupId] }],
    });
    new CfnOutput(this, 'ClusterArn', { value: this.cluster.attrArn, description: `Create the '${TOPIC}' topic on this cluster before deploying MskToS3Delivery` });
  }
}

export interface MskDeliveryStackProps extends StackProps {
  readonly cluster: msk.CfnServerlessCluster;
}

export class MskDeliveryStack extends Stack {
  public readonly archive: S3DeliveryStream;

  constructor(scope: Construct, id: string, props: MskDeliveryStackProps) {
    super(scope, id, props);
    // The delivery stack imports the cluster's ARN as a strong reference, said explicitly: the cluster stack cannot
    // remove the cluster while the delivery stream reads it.
    this.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');

    this.archive = new S3DeliveryStream(this, 'Archive', {
      source: DeliverySource.msk({
        clusterArn: props.cluster.attrArn,
        topicName: TOPIC,
        connectivity: MskConnectivity.PRIVATE,
        readFromTimestamp: new Date(0),
        clusterPolicy: true,
      }),
      transform: RecordTransform.bundled({
        requiredFields: ['orderId', 'customerId', 'amount'],
        filters: [RecordFilter.fieldNotEquals('status', 'TEST')],
        dropFields: ['cardNumber'],
      }),
      dataOutputPrefix: 'orders/!{timestamp:yyyy/MM/dd}/',
      errorOutputPrefix: 'orders-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
    });
  }
}

export function build(app: App): App {
  const cluster = new MskClusterStack(app, 'MskToS3Cluster');
  new MskDeliveryStack(app, 'MskToS3Delivery', { cluster: cluster.cluster });
  return app;
}

if (require.main === module) build(new App()).synth();
