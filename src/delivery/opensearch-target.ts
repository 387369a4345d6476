import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { IDependable } from 'constructs';
import { DeliveryDestinationKind } from './delivery-stream-alarms';
import { acknowledgeOpenSearchDomain } from './private/nag';
import { FirehoseLimits } from '../validation/limits';
import { checkRequiredProps, describe, fail } from '../validation/rules';

/**
 * How often Firehose starts a new index (it appends the date to the index name), so that old data can be dropped a
 * whole index at a time. OpenSearch Service domains only; Serverless collections do not rotate.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/es-index-rotation.html
 */
export class IndexRotation {
  /** One index, never rotated. */
  public static readonly NO_ROTATION = new IndexRotation('NoRotation');
  /** A new index every hour (`-yyyy-MM-dd-HH`). */
  public static readonly ONE_HOUR = new IndexRotation('OneHour');
  /** A new index every day (`-yyyy-MM-dd`). */
  public static readonly ONE_DAY = new IndexRotation('OneDay');
  /** A new index every week (`-yyyy-w`). */
  public static readonly ONE_WEEK = new IndexRotation('OneWeek');
  /** A new index every month (`-yyyy-MM`). */
  public static readonly ONE_MONTH = new IndexRotation('OneMonth');

  /** The rotation period as Firehose's `IndexRotationPeriod` takes it, e.g. `OneDay`. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/**
 * The document id Firehose gives each record. OpenSearch Service domains only.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_DocumentIdOptions.html
 */
export class DocumentIdFormat {
  /** A unique id per record: a record retried after a partial failure is not indexed twice. */
  public static readonly FIREHOSE_DEFAULT = new DocumentIdFormat('FIREHOSE_DEFAULT');
  /** No id: OpenSearch generates one, which indexes faster but may index a retried record twice. */
  public static readonly NO_DOCUMENT_ID = new DocumentIdFormat('NO_DOCUMENT_ID');

  /** The format as Firehose's `DocumentIdOptions.DefaultDocumentIdFormat` takes it. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/** Properties of an OpenSearch Serverless collection as a delivery target. */
export interface OpenSearchCollectionTargetProps {
  /** The collection's endpoint, `https://<id>.<region>.aoss.amazonaws.com`. */
  readonly collectionEndpoint: string;
  /** The collection's ARN, on which the role is granted `aoss:APIAccessAll`. */
  readonly collectionArn: string;
  /**
   * With VPC delivery, the security groups of the collection's VPC endpoint, opened to the delivery stream's on 443.
   *
   * @default - not opened: allow HTTPS from the delivery stream's security groups yourself
   */
  readonly connections?: ec2.IConnectable;
}

/** A target, resolved for a delivery stream. */
export interface OpenSearchTargetConfig {
  /** Whether it is a Serverless collection. */
  readonly serverless: boolean;
  /** The domain's ARN. */
  readonly domainArn?: string;
  /** The collection's endpoint. */
  readonly collectionEndpoint?: string;
  /** The security groups of the target, for VPC delivery, when known. */
  readonly connections?: ec2.IConnectable;
  /**
   * Whether the target is reachable only in a VPC, when the construct can tell (a domain created in the app).
   *
   * @default - unknown: an imported domain or a collection
   */
  readonly vpcAccess?: boolean;
  /** The delivery metrics of the target. */
  readonly kind: DeliveryDestinationKind;
  /** Grants made to the role. */
  readonly dependables: IDependable[];
}

/**
 * The OpenSearch that Firehose indexes into: an OpenSearch Service domain, or an OpenSearch Serverless collection
 * (aws-cdk-lib's `aws-opensearchserverless` has L1 resources only, so a collection is given by endpoint and ARN).
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es
 */
export abstract class OpenSearchTarget {
  /**
   * An OpenSearch Service domain. The role is granted what the Firehose guide lists; a domain with fine-grained access
   * control must also map the role to a backend role that may write the index.
   *
   * @param domain the domain Firehose indexes into
   */
  public static domain(domain: opensearch.IDomain): OpenSearchTarget {
    if (domain === undefined || domain === null || typeof domain.domainArn !== 'string') {
      fail('OpenSearchTarget.domain', `domain must be an OpenSearch domain (opensearch.IDomain), got ${describe(domain)}`);
    }
    return new DomainTarget(domain);
  }

  /**
   * An OpenSearch Serverless collection. The role is granted `aoss:APIAccessAll`; the collection's data access
   * policy must also allow the role to create and write the index (see `OpenSearchDeliveryStream.dataAccessPolicy`).
   *
   * @param props the collection and how the construct reaches it
   */
  public static collection(props: OpenSearchCollectionTargetProps): OpenSearchTarget {
    checkRequiredProps('OpenSearchTarget.collection', props, ['collectionEndpoint', 'collectionArn']);
    return new CollectionTarget(props);
  }

  /**
   * Grants `role` access for indexing into `indexName`, and resolves the target.
   *
   * @param path construct path of the delivery stream, for error messages
   * @param role the delivery role Firehose assumes
   * @param indexName the index Firehose writes to
   */
  public abstract bind(path: string, role: iam.IRole, indexName: string): OpenSearchTargetConfig;
}

class DomainTarget extends OpenSearchTarget {
  constructor(private readonly domain: opensearch.IDomain) {
    super();
  }

  public bind(_path: string, role: iam.IRole, indexName: string): OpenSearchTargetConfig {
    const arn = this.domain.domainArn;
    // The delivery role policy of the Firehose developer guide: describe and write on the domain, and the read-only
    // cluster and index endpoints Firehose queries before it indexes.
    const write = iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['es:DescribeDomain', 'es:DescribeDomains', 'es:DescribeDomainConfig', 'es:ESHttpPost', 'es:ESHttpPut'],
      resourceArns: [arn, `${arn}/*`],
    });
    const read = iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['es:ESHttpGet'],
      resourceArns: ['_all/_settings', '_cluster/stats', `${indexName}*/_mapping/*`, '_nodes', '_nodes/stats', '_nodes/*/stats', '_stats',
        `${indexName}*/_stats`, ''].map((p) => `${arn}/${p}`),
    });
    acknowledgeOpenSearchDomain(role, arn, indexName);
    const connections = vpcConnections(this.domain);
    return {
      serverless: false,
      domainArn: arn,
      connections,
      vpcAccess: this.domain instanceof opensearch.Domain ? connections !== undefined : undefined,
      kind: DeliveryDestinationKind.OPENSEARCH,
      dependables: [write, read],
    };
  }
}

class CollectionTarget extends OpenSearchTarget {
  constructor(private readonly props: OpenSearchCollectionTargetProps) {
    super();
  }

  public bind(path: string, role: iam.IRole, _indexName: string): OpenSearchTargetConfig {
    const endpoint = this.props.collectionEndpoint;
    if (!Token.isUnresolved(endpoint)) {
      if (!endpoint.startsWith('https://') || endpoint.length > FirehoseLimits.MAX_OPENSEARCH_COLLECTION_ENDPOINT_LENGTH) {
        fail(path, `OpenSearchTarget.collection collectionEndpoint must be an https:// URL of at most ${FirehoseLimits.MAX_OPENSEARCH_COLLECTION_ENDPOINT_LENGTH} ` +
          `characters, got '${endpoint}'`);
      }
    }
    const grant = iam.Grant.addToPrincipal({ grantee: role, actions: ['aoss:APIAccessAll'], resourceArns: [this.props.collectionArn] });
    return {
      serverless: true,
      collectionEndpoint: endpoint,
      connections: this.props.connections,
      kind: DeliveryDestinationKind.OPENSEARCH_SERVERLESS,
      dependables: [grant],
    };
  }
}

/**
 * The security groups of a domain created in the app with VPC access. aws-cdk-lib's `Domain.connections` throws for a
 * domain without VPC access, and an imported domain has none, so both give undefined.
 */
function vpcConnections(domain: opensearch.IDomain): ec2.IConnectable | undefined {
  if (!(domain instanceof opensearch.Domain)) return undefined;
  try {
    return { connections: domain.connections };
  } catch {
    return undefined;
  }
}
