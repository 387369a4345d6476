import { ArnFormat, CfnResource, Fn, IResolvable, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as msk from 'aws-cdk-lib/aws-msk';
import { Construct, IConstruct, IDependable } from 'constructs';
import { connectivityOf, parseMskClusterArn, renderTimestamp } from './msk-checks';
import { acknowledgeMskConsumerGroups } from './nag';
import { fail, warn } from '../../validation/rules';
import { MskConnectivity, MskSourceOptions } from '../msk-source';

/** The actions the Firehose guide's MSK source policy grants the delivery role, by the resource they apply to. */
export const MSK_CLUSTER_ACTIONS = ['kafka:GetBootstrapBrokers', 'kafka:DescribeCluster', 'kafka:DescribeClusterV2', 'kafka-cluster:Connect'];
export const MSK_TOPIC_ACTIONS = ['kafka-cluster:DescribeTopic', 'kafka-cluster:DescribeTopicDynamicConfiguration', 'kafka-cluster:ReadData'];
export const MSK_GROUP_ACTIONS = ['kafka-cluster:DescribeGroup'];
/** What the cluster policy lets Firehose do for private connectivity (multi-VPC private connection). */
export const MSK_CLUSTER_POLICY_ACTIONS = ['kafka:CreateVpcConnection', 'kafka:GetBootstrapBrokers', 'kafka:DescribeCluster', 'kafka:DescribeClusterV2'];

const CLUSTER_TYPE = 'AWS::MSK::Cluster';
const SERVERLESS_TYPE = 'AWS::MSK::ServerlessCluster';

/**
 * The ARNs IAM access control names under a cluster: `topic/<cluster name>/<cluster uuid>/<topic>` and
 * `group/<cluster name>/<cluster uuid>/*`, built from the cluster ARN as text, or with `Fn::Split` for a token.
 */
export function mskResourceArns(clusterArn: string, topicName: string): { topicArn: string; groupArn: string } {
  if (!Token.isUnresolved(clusterArn)) {
    const [head, tail] = clusterArn.split(':cluster/');
    return { topicArn: `${head}:topic/${tail}/${topicName}`, groupArn: `${head}:group/${tail}/*` };
  }
  const parts = Fn.split(':cluster/', clusterArn);
  const head = Fn.select(0, parts);
  const tail = Fn.select(1, parts);
  return {
    topicArn: Fn.join('', [head, ':topic/', tail, '/', topicName]),
    groupArn: Fn.join('', [head, ':group/', tail, '/*']),
  };
}

/**
 * The consumer groups of a cluster of the app, by its literal name: `group/<name>/*` in the cluster's stack, so the
 * ARN (and the cdk-nag finding acknowledged for it) stays the same when the cluster is in another stack, whose ARN
 * reaches the delivery stack as an import only at synthesis.
 */
function groupArnOfApp(cluster: CfnResource): string | undefined {
  const name = (cluster as msk.CfnServerlessCluster | msk.CfnCluster).clusterName;
  if (typeof name !== 'string' || Token.isUnresolved(name)) return undefined;
  return Stack.of(cluster).formatArn({ service: 'kafka', resource: 'group', resourceName: `${name}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

/** The MSK cluster resource of the app a token ARN refers to, when it does. */
function clusterOfApp(clusterArn: string): CfnResource | undefined {
  if (!Token.isUnresolved(clusterArn)) return undefined;
  for (const token of Tokenization.reverseString(clusterArn).tokens) {
    if (!(token instanceof Reference)) continue;
    const target = token.target;
    if (CfnResource.isCfnResource(target) && [CLUSTER_TYPE, SERVERLESS_TYPE].includes(target.cfnResourceType)) return target;
  }
  return undefined;
}

/** A nested value of an L1 property, when every step of the path is literal; `undefined` when a token is on the way. */
function literalAt(value: unknown, path: string[]): { known: boolean; value?: unknown } {
  let current: unknown = value;
  for (const key of path) {
    if (current === undefined || current === null) return { known: true, value: undefined };
    if (Token.isUnresolved(current) || typeof current !== 'object' || isResolvable(current)) return { known: false };
    current = (current as Record<string, unknown>)[key];
  }
  if (isResolvable(current)) return { known: false };
  return { known: true, value: current };
}

function isResolvable(v: unknown): v is IResolvable {
  return typeof v === 'object' && v !== null && typeof (v as IResolvable).resolve === 'function';
}

/** Checks a cluster defined in the app against what Firehose needs of it: IAM access control and the connectivity. */
function checkClusterOfApp(scope: IConstruct, cluster: CfnResource, connectivity: MskConnectivity): void {
  const where = cluster.node.path;
  if (cluster.cfnResourceType === SERVERLESS_TYPE) {
    const serverless = cluster as msk.CfnServerlessCluster;
    if (connectivity.value === MskConnectivity.PUBLIC.value) {
      fail(scope, `source cluster ${where} is an MSK Serverless cluster, which has no public bootstrap brokers: use MskConnectivity.PRIVATE`);
    }
    const iamAuth = literalAt(serverless.clientAuthentication, ['sasl', 'iam', 'enabled']);
    if (iamAuth.known && iamAuth.value !== true) {
      fail(scope, `source cluster ${where} does not turn on IAM access control (clientAuthentication.sasl.iam.enabled), the only authentication Firehose uses`);
    }
    return;
  }
  const provisioned = cluster as msk.CfnCluster;
  const iamAuth = literalAt(provisioned.clientAuthentication, ['sasl', 'iam', 'enabled']);
  if (iamAuth.known && iamAuth.value !== true) {
    fail(scope, `source cluster ${where} does not turn on IAM access control (clientAuthentication.sasl.iam.enabled is ${iamAuth.value}), the only authentication Firehose uses: turn it on`);
  }
  if (connectivity.value === MskConnectivity.PRIVATE.value) {
    const multiVpc = literalAt(provisioned.brokerNodeGroupInfo, ['connectivityInfo', 'vpcConnectivity', 'clientAuthentication', 'sasl', 'iam', 'enabled']);
    if (multiVpc.known && multiVpc.value !== true) {
      warn(scope, 'MskConnectivityNotEnabled', `source cluster ${where} does not turn on multi-VPC private connectivity for IAM `
        + '(brokerNodeGroupInfo.connectivityInfo.vpcConnectivity.clientAuthentication.sasl.iam.enabled), which Firehose\'s private connectivity needs: turn it on once the cluster '
        + 'is active (MSK does not turn it on at creation), or use MskConnectivity.PUBLIC with public access');
    }
  } else if (connectivity.value === MskConnectivity.PUBLIC.value) {
    const publicAccess = literalAt(provisioned.brokerNodeGroupInfo, ['connectivityInfo', 'publicAccess', 'type']);
    if (publicAccess.known && publicAccess.value !== 'SERVICE_PROVIDED_EIPS') {
      warn(scope, 'MskConnectivityNotEnabled', `source cluster ${where} does not turn on public access (brokerNodeGroupInfo.connectivityInfo.publicAccess.type is `
        + `${publicAccess.value === undefined ? 'not set' : `'${publicAccess.value}'`}), which Firehose's public connectivity needs: set it to `
        + '\'SERVICE_PROVIDED_EIPS\' once the cluster is active (MSK does not turn it on at creation), or use MskConnectivity.PRIVATE');
    }
  }
}

/** What binding an MSK source needs of the delivery construct. */
export interface MskBindRequest {
  readonly options: MskSourceOptions;
  readonly role: iam.IRole;
  readonly cfnDeliveryStream: firehose.CfnDeliveryStream;
}

/**
 * Makes the delivery stream read the MSK topic: the L1's type and source configuration (aws-cdk-lib's
 * `DeliveryStream` takes only a Kinesis source), the role's grants, the cluster policy when asked, and the warnings.
 * Returns what the delivery stream must be created after.
 */
export function bindMskSource(scope: Construct, request: MskBindRequest): IDependable[] {
  const { options, role, cfnDeliveryStream: cfn } = request;
  const connectivity = connectivityOf(options);
  const stack = Stack.of(scope);
  const parts = parseMskClusterArn(scope, options.clusterArn);
  if (parts && !Token.isUnresolved(stack.region) && parts.region !== stack.region) {
    fail(scope, `source cluster '${options.clusterArn}' is in ${parts.region}, but this stack is in ${stack.region}: Firehose reads MSK clusters `
      + 'of its own Region only; deploy the delivery stream in the cluster\'s Region');
  }
  if (parts && !Token.isUnresolved(stack.account) && parts.account !== stack.account) {
    warn(scope, 'MskCrossAccount', `source cluster '${options.clusterArn}' is in account ${parts.account}, but this stack is in ${stack.account}: the `
      + `cluster's policy in ${parts.account} must allow the delivery role ${MSK_CLUSTER_ACTIONS.concat(MSK_TOPIC_ACTIONS, MSK_GROUP_ACTIONS).join(', ')} `
      + `(and firehose.amazonaws.com ${MSK_CLUSTER_POLICY_ACTIONS.join(', ')} for private connectivity); see the Firehose guide's cross-account delivery from Amazon MSK`);
  }
  const cluster = clusterOfApp(options.clusterArn);
  if (cluster) checkClusterOfApp(scope, cluster, connectivity);

  const ts = options.readFromTimestamp;
  if (ts && ts.getTime() > Date.now()) {
    warn(scope, 'MskReadFromFuture', `readFromTimestamp ${renderTimestamp(ts)} is in the future: Firehose skips every record written before it. `
      + 'Give a past time, new Date(0) for the earliest record, or leave it out to read from the time the delivery stream becomes active');
  }

  const arns = mskResourceArns(options.clusterArn, options.topicName);
  const topicArn = arns.topicArn;
  const groupArn = (cluster && groupArnOfApp(cluster)) ?? arns.groupArn;
  const dependables: IDependable[] = [
    iam.Grant.addToPrincipal({ grantee: role, actions: MSK_CLUSTER_ACTIONS, resourceArns: [options.clusterArn] }),
    iam.Grant.addToPrincipal({ grantee: role, actions: MSK_TOPIC_ACTIONS, resourceArns: [topicArn] }),
    iam.Grant.addToPrincipal({ grantee: role, actions: MSK_GROUP_ACTIONS, resourceArns: [groupArn] }),
  ];
  acknowledgeMskConsumerGroups(role, groupArn);

  cfn.deliveryStreamType = 'MSKAsSource';
  cfn.mskSourceConfiguration = {
    mskClusterArn: options.clusterArn,
    topicName: options.topicName,
    authenticationConfiguration: { connectivity: connectivity.value, roleArn: role.roleArn },
    readFromTimestamp: ts ? renderTimestamp(ts) : undefined,
  };

  // A cluster has one policy: another one for it in the app would replace it, or already be the one Firehose needs.
  const policies = scope.node.root.node.findAll()
    .filter((c): c is msk.CfnClusterPolicy => c instanceof msk.CfnClusterPolicy && c.clusterArn === options.clusterArn);
  if (options.clusterPolicy && policies.length > 0) {
    fail(scope, `clusterPolicy: the app already defines the policy of ${describeCluster(options.clusterArn, cluster)} (${policies[0].node.path}), `
      + `and a cluster has one policy: add ${MSK_CLUSTER_POLICY_ACTIONS.join(', ')} for firehose.amazonaws.com to it (one policy serves every delivery stream reading the cluster) and leave clusterPolicy out`);
  }
  const allowsFirehose = policies.some((policy) => {
    const text = JSON.stringify(Stack.of(policy).resolve(policy.policy) ?? {});
    return text.includes('firehose.amazonaws.com') && text.includes('kafka:CreateVpcConnection');
  });
  if (options.clusterPolicy) {
    dependables.push(new msk.CfnClusterPolicy(scope, 'MskClusterPolicy', {
      clusterArn: options.clusterArn,
      policy: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('firehose.amazonaws.com')],
          actions: MSK_CLUSTER_POLICY_ACTIONS,
          resources: [options.clusterArn],
        })],
      }),
    }));
  } else if (allowsFirehose) {
    dependables.push(...policies);
  } else if (connectivity.value === MskConnectivity.PRIVATE.value) {
    warn(scope, 'MskClusterPolicy', `private connectivity to ${describeCluster(options.clusterArn, cluster)} needs a cluster policy that lets `
      + `firehose.amazonaws.com call ${MSK_CLUSTER_POLICY_ACTIONS.join(', ')} on the cluster, and multi-VPC private connectivity turned on for IAM: `
      + 'set clusterPolicy: true when the app defines no other policy for the cluster, or add these actions to the cluster\'s policy (AWS::MSK::ClusterPolicy, or the MSK console)');
  }
  return dependables;
}

function describeCluster(arn: string, cluster?: CfnResource): string {
  if (cluster) return cluster.node.path;
  return Token.isUnresolved(arn) ? 'the source cluster' : `'${arn}'`;
}
