import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';


/** What happened when the construct tried to open security groups to a peer. */
export interface OpenResult {
  /** Security groups that now allow the peer. */
  readonly opened: ec2.ISecurityGroup[];
  /** Security groups the construct could not change (imported with `mutable: false`). */
  readonly unchanged: ec2.ISecurityGroup[];
}

/**
 * Allows `peer` into every security group of `target` on `port`. A security group created in the app takes the rule
 * inline; a mutable imported one gets an `AWS::EC2::SecurityGroupIngress` child; an immutable import silently ignores
 * the rule, which is detected by its unchanged children so that the caller can tell the user.
 */
export function openSecurityGroups(target: ec2.IConnectable, peer: ec2.IConnectable, port: ec2.Port, description: string): OpenResult {
  const opened: ec2.ISecurityGroup[] = [];
  const unchanged: ec2.ISecurityGroup[] = [];
  for (const sg of target.connections.securityGroups) {
    const before = sg.node.children.length;
    sg.connections.allowFrom(peer, port, description);
    if (sg instanceof ec2.SecurityGroup || sg.node.children.length > before) opened.push(sg);
    else unchanged.push(sg);
  }
  return { opened, unchanged };
}

/** Names the security groups for a message: their ids when known at synth time, their construct paths otherwise. */
export function describeSecurityGroups(groups: ec2.ISecurityGroup[]): string {
  return groups.map((g) => (Token.isUnresolved(g.securityGroupId) ? g.node.path : g.securityGroupId)).join(', ');
}
