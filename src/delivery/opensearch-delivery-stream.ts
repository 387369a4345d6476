import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BufferingOptions } from './buffering';
import { DestinationDeliveryStreamBase } from './destination-delivery-stream';
import { DestinationBackupOptions, DestinationDeliveryStreamProps } from './destination-props';
import { DocumentIdFormat, IndexRotation, OpenSearchTarget } from './opensearch-target';
import { destinationBufferingConstraints } from './private/destination';
import { acknowledgeVpcDelivery } from './private/nag';
import { describeSecurityGroups, openSecurityGroups } from './private/network';
import { FirehoseLimits } from '../validation/limits';
import { fail, requiredPropsAt, warn } from '../validation/rules';

/**
 * Delivery into a VPC: Firehose creates network interfaces in the subnets, with the security groups, and reaches
 * the domain or the collection's VPC endpoint from there.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es-vpc
 */
export interface OpenSearchVpcOptions {
  /** The VPC of the domain or of the collection's VPC endpoint. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of Firehose's network interfaces (1 to 16; keep free IP addresses in them: Firehose adds interfaces
   * as it scales out).
   *
   * @default - the VPC's private subnets with egress, else its isolated subnets, else its public subnets (aws-cdk-lib's default selection)
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The security groups of Firehose's network interfaces (1 to 5). They need outbound HTTPS to the target.
   *
   * @default - a new security group allowing outbound HTTPS only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/** Properties of an `OpenSearchDeliveryStream`. */
export interface OpenSearchDeliveryStreamProps extends DestinationDeliveryStreamProps {
  /** The domain or Serverless collection. */
  readonly target: OpenSearchTarget;

  /**
   * The index (1 to 80 characters, lowercase, not starting with `_`, `-` or `+`); with rotation, Firehose appends the
   * date to it.
   */
  readonly indexName: string;

  /**
   * Index rotation (domains only).
   *
   * @default IndexRotation.ONE_DAY for a domain (the service default); none for a collection
   */
  readonly indexRotation?: IndexRotation;

  /**
   * The document id of each record (domains only).
   *
   * @default - DocumentIdFormat.FIREHOSE_DEFAULT (the service default)
   */
  readonly documentIdFormat?: DocumentIdFormat;

  /**
   * Buffering before each bulk request.
   *
   * Size: 1 to 100 MiB. Interval: 0 to 900 s.
   *
   * @default - Size.mebibytes(5) and Duration.seconds(300)
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_AmazonopensearchserviceBufferingHints.html
   */
  readonly buffering?: BufferingOptions;

  /**
   * How long Firehose retries a failed bulk request before it writes the documents to the backup bucket.
   *
   * Minimum: `Duration.seconds(0)`. Maximum: `Duration.seconds(7200)`.
   *
   * @default Duration.seconds(300) (the service default)
   */
  readonly retryDuration?: Duration;

  /**
   * The S3 backup of failed documents (`BackupMode.FAILED`) or of all documents (`BackupMode.ALL`).
   *
   * @default - failed documents, to a new `DeliveryBucket`
   */
  readonly backup?: DestinationBackupOptions;

  /**
   * Delivery into a VPC, for a domain with VPC access or a collection reached through a VPC endpoint.
   *
   * @default - delivery to the public endpoint
   */
  readonly vpc?: OpenSearchVpcOptions;
}

interface RenderedVpc {
  readonly property: firehose.CfnDeliveryStream.VpcConfigurationProperty;
  readonly securityGroups: ec2.ISecurityGroup[];
}

/** OpenSearch endpoints, domains and collection VPC endpoints alike, listen on HTTPS only. */
const HTTPS = ec2.Port.tcp(443);

const INDEX_NAME = /^[^_\-+][^A-Z\\/*?"<>| ,#:]*$/;

/**
 * A Firehose delivery stream that indexes records into an OpenSearch Service domain or an OpenSearch Serverless
 * collection, with failed (or all) documents backed up to S3, optional VPC delivery and validated buffering, retry,
 * rotation and document-id options.
 *
 * aws-cdk-lib's `DeliveryStream` is used as is, with the OpenSearch configuration set on its L1 resource, since its
 * destinations can only be S3.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/create-destination.html#create-destination-elasticsearch
 */
export class OpenSearchDeliveryStream extends DestinationDeliveryStreamBase {
  /** The backup bucket. */
  public readonly backupBucket: s3.IBucket;
  /** The security groups of Firehose's network interfaces, with VPC delivery. */
  public readonly securityGroups?: ec2.ISecurityGroup[];
  private readonly indexName: string;

  /**
   * @param scope the construct the delivery stream is created in
   * @param id the delivery stream's id, unique within `scope`
   * @param props the source, the OpenSearch target and its options
   */
  constructor(scope: Construct, id: string, props: OpenSearchDeliveryStreamProps) {
    super(scope, id, requiredPropsAt(scope, id, props, ['target', 'indexName']), props.backup?.bucket);
    const core = this._core;
    const path = core.path;
    this.indexName = props.indexName;
    checkIndexName(path, props.indexName);
    const target = props.target.bind(path, core.role, props.indexName);
    target.dependables.forEach((d) => core.addDependable(d));
    if (target.serverless && props.indexRotation) {
      fail(path, `indexRotation ${props.indexRotation.value} is not available for an OpenSearch Serverless collection, which does not rotate indexes`);
    }
    if (target.serverless && props.documentIdFormat) {
      fail(path, `documentIdFormat ${props.documentIdFormat.value} is not available for an OpenSearch Serverless collection`);
    }
    if (target.vpcAccess === true && !props.vpc) {
      fail(path, 'the domain has VPC access, so Firehose reaches it only through VPC delivery: set vpc to the domain\'s VPC and subnets');
    }
    if (target.vpcAccess === false && props.vpc) {
      fail(path, 'vpc is set but the domain has a public endpoint: Firehose delivers to it without VPC delivery; remove vpc, or give the domain VPC access');
    }
    const buffering = core.buffering(props.buffering, destinationBufferingConstraints(FirehoseLimits.MAX_OPENSEARCH_BUFFER_SIZE_MIB));
    const retrySeconds = core.retrySeconds(props.retryDuration, FirehoseLimits.DEFAULT_OPENSEARCH_RETRY_DURATION_SECONDS);
    const backup = core.backup(props.backup);
    this.backupBucket = backup.bucket;
    const vpc = props.vpc ? this.renderVpc(props.vpc, target.connections) : undefined;
    this.securityGroups = vpc?.securityGroups;

    const common = {
      indexName: props.indexName,
      roleArn: core.role.roleArn,
      ...core.backedUpSettings({
        buffering,
        retrySeconds,
        backup,
        backupModes: { all: 'AllDocuments', failed: 'FailedDocumentsOnly' },
        logStreamName: target.serverless ? 'OpenSearchServerlessDelivery' : 'OpenSearchDelivery',
      }),
      vpcConfiguration: vpc?.property,
    };
    core.finish(target.kind, buffering.interval, true, (cfn) => {
      if (target.serverless) {
        cfn.amazonOpenSearchServerlessDestinationConfiguration = { ...common, collectionEndpoint: target.collectionEndpoint };
      } else {
        cfn.amazonopensearchserviceDestinationConfiguration = {
          ...common,
          domainArn: target.domainArn,
          indexRotationPeriod: (props.indexRotation ?? IndexRotation.ONE_DAY).value,
          documentIdOptions: props.documentIdFormat ? { defaultDocumentIdFormat: props.documentIdFormat.value } : undefined,
        };
      }
    });
  }

  /**
   * The data access policy an OpenSearch Serverless collection needs before Firehose can write to it, as the JSON
   * policy text of an `opensearchserverless.CfnAccessPolicy` of type `data`: it lets the delivery role create, update,
   * describe and write the indexes that start with the index name.
   *
   * @param collectionName the collection's name
   * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-serverless
   */
  public dataAccessPolicy(collectionName: string): string {
    return Stack.of(this).toJsonString([{
      Rules: [{
        ResourceType: 'index',
        Resource: [`index/${collectionName}/${this.indexName}*`],
        Permission: ['aoss:WriteDocument', 'aoss:CreateIndex', 'aoss:UpdateIndex', 'aoss:DescribeIndex'],
      }],
      Principal: [this.role.roleArn],
    }]);
  }

  private renderVpc(options: OpenSearchVpcOptions, targetConnections: ec2.IConnectable | undefined): RenderedVpc {
    const core = this._core;
    const path = core.path;
    const subnetIds = options.vpc.selectSubnets(options.subnets ?? {}).subnetIds;
    if (!Token.isUnresolved(subnetIds) && (subnetIds.length < 1 || subnetIds.length > FirehoseLimits.MAX_VPC_SUBNETS)) {
      fail(path, `vpc.subnets must select 1 to ${FirehoseLimits.MAX_VPC_SUBNETS} subnets, got ${subnetIds.length}`);
    }
    const given = options.securityGroups;
    if (given && (given.length < 1 || given.length > FirehoseLimits.MAX_VPC_SECURITY_GROUPS)) {
      fail(path, `vpc.securityGroups must have 1 to ${FirehoseLimits.MAX_VPC_SECURITY_GROUPS} security groups, got ${given.length}`);
    }
    const groups = given ?? [new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: options.vpc,
      allowAllOutbound: false,
      description: `Firehose network interfaces of ${path}`,
    })];
    if (!given) groups[0].addEgressRule(ec2.Peer.ipv4(options.vpc.vpcCidrBlock), HTTPS, 'HTTPS to the OpenSearch target');
    const firehoseSide: ec2.IConnectable = { connections: new ec2.Connections({ securityGroups: groups }) };
    if (targetConnections) {
      const result = openSecurityGroups(targetConnections, firehoseSide, HTTPS, `Firehose delivery from ${path}`);
      if (result.unchanged.length > 0) {
        warn(this, 'OpenSearchSecurityGroupNotOpened', `${path}: the security groups ${describeSecurityGroups(result.unchanged)} are imported as ` +
          `immutable: allow inbound HTTPS (443) from ${describeSecurityGroups(groups)} to them where they are managed`);
      }
    } else {
      warn(this, 'OpenSearchSecurityGroupNotOpened', `${path}: the OpenSearch target's security groups are not known here (an imported domain, ` +
        'or a collection without connections): allow inbound HTTPS (443) from the delivery stream\'s security groups ' +
        `(${describeSecurityGroups(groups)}) to the domain or VPC endpoint`);
    }
    // Firehose creates and deletes its network interfaces with the delivery role (the Firehose guide's VPC policy).
    // A policy of its own, so that its wildcard is acknowledged there and not on the whole role.
    const vpcPolicy = new iam.Policy(this, 'VpcDeliveryPolicy', {
      roles: [core.role],
      statements: [new iam.PolicyStatement({
        actions: ['ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces',
          'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface'],
        resources: ['*'],
      })],
    });
    core.addDependable(vpcPolicy);
    acknowledgeVpcDelivery(vpcPolicy);
    return { property: { roleArn: core.role.roleArn, subnetIds, securityGroupIds: groups.map((g) => g.securityGroupId) }, securityGroups: groups };
  }
}

function checkIndexName(path: string, index: string): void {
  if (Token.isUnresolved(index)) return;
  if (index.length < 1 || index.length > FirehoseLimits.MAX_OPENSEARCH_INDEX_NAME_LENGTH) {
    fail(path, `indexName must be 1 to ${FirehoseLimits.MAX_OPENSEARCH_INDEX_NAME_LENGTH} characters, got ${index.length} ('${index}')`);
  }
  if (!INDEX_NAME.test(index)) {
    fail(path, `indexName must be lowercase, may not start with _, - or +, and may not contain \\ / * ? " < > | , # : or spaces, got '${index}'`);
  }
}
