import { Aspects, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnApplication } from 'aws-cdk-lib/aws-kinesisanalyticsv2';
import { Construct, IConstruct } from 'constructs';
import { FlinkLimits } from '../../validation/limits';
import { checkAtMost, fail, warn } from '../../validation/rules';

/** Where an application's network interfaces go. */
export interface NetworkOptions {
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
}

export interface Network {
  readonly vpcConfigurations?: CfnApplication.VpcConfigurationProperty[];
  readonly securityGroups: ec2.ISecurityGroup[];
}

// The permissions the service documents for VPC placement; EC2 has no resource-level permissions for them.
const VPC_ACTIONS = [
  'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeDhcpOptions',
  'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface',
];

/** The VPC configuration, the security groups (one created when none is given) and the role's EC2 rights. */
export function configureNetwork(scope: Construct, role: iam.IRole, options: NetworkOptions): Network {
  if (!options.vpc) {
    if (options.securityGroups?.length || options.vpcSubnets) fail(scope, 'securityGroups and vpcSubnets need a vpc: set vpc, or remove them');
    return { securityGroups: [] };
  }
  const vpc = options.vpc;
  const selection = vpc.selectSubnets(options.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
  checkAtMost(scope, 'vpcSubnets (subnets selected)', selection.subnetIds.length, FlinkLimits.MAX_VPC_SUBNETS);
  if (selection.subnetIds.length === 0) fail(scope, 'vpcSubnets selects no subnet of the VPC');
  checkAtMost(scope, 'securityGroups', options.securityGroups?.length, FlinkLimits.MAX_VPC_SECURITY_GROUPS);
  const securityGroups = options.securityGroups?.length ? options.securityGroups : [new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description: `Network interfaces of ${scope.node.path}`,
    allowAllOutbound: true,
  })];
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'VpcNetworkInterfaces', actions: VPC_ACTIONS, resources: ['*'] }));
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'The Managed Service for Apache Flink VPC policy: EC2 Describe and network interface actions have no resource-level permissions, and the service creates its interfaces at run time',
  });
  Aspects.of(scope).add(new ReachabilityCheck(scope, vpc));
  return {
    vpcConfigurations: [{ subnetIds: selection.subnetIds, securityGroupIds: securityGroups.map((g) => g.securityGroupId) }],
    securityGroups,
  };
}

/**
 * Warns, once the whole app is built, when the job could not reach Kinesis from its subnets: no interface endpoint
 * for Kinesis Data Streams in the VPC, and no NAT gateway (the service gives its network interfaces no public IP).
 */
class ReachabilityCheck implements IAspect {
  private done = false;

  constructor(private readonly owner: IConstruct, private readonly vpc: ec2.IVpc) {}

  public visit(node: IConstruct): void {
    if (this.done || node !== this.owner) return;
    this.done = true;
    const stack = Stack.of(this.owner);
    const vpcId = stack.resolve(this.vpc.vpcId);
    const root = this.owner.node.root;
    const hasEndpoint = root.node.findAll().some((c) => c instanceof ec2.CfnVPCEndpoint
      && JSON.stringify(Stack.of(c).resolve(c.vpcId)) === JSON.stringify(vpcId)
      && /kinesis-streams/.test(JSON.stringify(Stack.of(c).resolve(c.serviceName))));
    if (hasEndpoint) return;
    const created = this.vpc instanceof ec2.Vpc;
    const hasNat = created && this.vpc.node.findAll().some((c) => c instanceof ec2.CfnNatGateway);
    if (created && !hasNat) {
      warn(this.owner, 'FlinkVpcNoKinesisRoute', `the application runs in ${this.vpc.node.path}, which has neither an interface endpoint for Kinesis Data Streams nor a NAT gateway: ` +
        'the job cannot reach its streams. Add vpc.addInterfaceEndpoint(\'Kinesis\', { service: ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS }) or NAT gateways');
    } else if (!created) {
      warn(this.owner, 'FlinkVpcRouteUnknown', `the application runs in the imported VPC ${this.vpc.vpcId}: make sure its subnets reach Kinesis (an interface endpoint for Kinesis Data Streams, or NAT)`);
    }
  }
}
