import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { RedshiftLimits } from '../validation/limits';
import { checkName, checkRange, checkRequiredProps, fail } from '../validation/rules';

/** Properties of a provisioned Redshift cluster as a delivery target. */
export interface RedshiftClusterTargetProps {
  /** The cluster's endpoint address (host name only), e.g. `my-cluster.abc123xyz.eu-west-1.redshift.amazonaws.com`. */
  readonly endpointAddress: string;

  /**
   * The cluster's port.
   *
   * Minimum: 1150. Maximum: 65535.
   *
   * @default 5439
   */
  readonly port?: number;

  /** The database of the target table. */
  readonly databaseName: string;

  /**
   * The cluster's security groups, as a connectable (an `ec2.ISecurityGroup`, or anything that has the cluster's
   * connections). The construct opens them to the region's Firehose CIDR block on `port`.
   *
   * @default - none: the construct cannot open the cluster's network and emits a warning that says what to do
   */
  readonly connections?: ec2.IConnectable;

  /**
   * Whether the cluster is publicly accessible. Firehose connects to Redshift over the cluster's public endpoint, so a
   * private cluster cannot be a Firehose destination: the construct warns when this is false.
   *
   * @default true
   */
  readonly publiclyAccessible?: boolean;
}

/** Properties of a Redshift Serverless workgroup as a delivery target. */
export interface RedshiftServerlessTargetProps {
  /** Name of the workgroup. */
  readonly workgroupName: string;

  /**
   * The database of the target table.
   *
   * @default 'dev'
   */
  readonly databaseName?: string;

  /**
   * The workgroup's port.
   *
   * 5431 to 5455, or 8191 to 8215.
   *
   * @default 5439
   */
  readonly port?: number;

  /**
   * The workgroup's endpoint address.
   *
   * @default - `<workgroupName>.<account>.<region>.redshift-serverless.amazonaws.com` of the stack's account and region
   */
  readonly endpointAddress?: string;

  /**
   * The workgroup's security groups, as a connectable; opened to the region's Firehose CIDR block on `port`.
   *
   * @default - none: the construct emits a warning that says what to do
   */
  readonly connections?: ec2.IConnectable;

  /**
   * Whether the workgroup is publicly accessible (Firehose reaches it over its public endpoint).
   *
   * @default true
   */
  readonly publiclyAccessible?: boolean;
}

/** A Redshift target, resolved. */
export interface RedshiftTargetConfig {
  /** The JDBC URL Firehose connects to. */
  readonly jdbcUrl: string;
  /** The port. */
  readonly port: number;
  /** The security groups to open, when known. */
  readonly connections?: ec2.IConnectable;
  /** Whether the target is publicly accessible. */
  readonly publiclyAccessible: boolean;
  /** 'cluster' or 'Serverless workgroup', for messages. */
  readonly description: string;
}

/**
 * The Redshift that Firehose loads: a provisioned cluster, or a Redshift Serverless workgroup. aws-cdk-lib has no
 * stable Redshift L2, so a target is described by its endpoint, port and database, plus its security groups when the
 * construct should open them.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/create-destination.html#create-destination-redshift
 */
export abstract class RedshiftTarget {
  /**
   * A provisioned cluster.
   *
   * @param props the cluster, its endpoint and how the construct reaches it
   */
  public static cluster(props: RedshiftClusterTargetProps): RedshiftTarget {
    checkRequiredProps('RedshiftTarget.cluster', props, ['endpointAddress', 'databaseName']);
    return new ClusterTarget(props);
  }

  /**
   * A Redshift Serverless workgroup.
   *
   * @param props the workgroup, its endpoint and how the construct reaches it
   */
  public static serverless(props: RedshiftServerlessTargetProps): RedshiftTarget {
    checkRequiredProps('RedshiftTarget.serverless', props, ['workgroupName']);
    return new ServerlessTarget(props);
  }

  /**
   * Resolves the target in `scope`'s stack, after checking it.
   *
   * @param scope the delivery stream construct
   */
  public abstract bind(scope: Construct): RedshiftTargetConfig;
}

function checkHost(path: string, what: string, host: string): void {
  if (Token.isUnresolved(host)) return;
  if (host.length === 0 || /[:/\s]/.test(host)) {
    fail(path, `${what} must be a host name without scheme, port or path (e.g. 'my-cluster.abc123xyz.eu-west-1.redshift.amazonaws.com'), got '${host}'`);
  }
}

function checkDatabase(path: string, database: string): void {
  // Firehose validates ClusterJDBCURL with a pattern whose database part is [a-zA-Z0-9_$-]+.
  checkName(path, 'databaseName', database, RedshiftLimits.MAX_DATABASE_NAME_LENGTH, /^[a-zA-Z0-9_$-]+$/, 'letters, digits, _, $ and -');
}

function jdbcUrl(host: string, port: number, database: string): string {
  return `jdbc:redshift://${host}:${port}/${database}`;
}

class ClusterTarget extends RedshiftTarget {
  constructor(private readonly props: RedshiftClusterTargetProps) {
    super();
  }

  public bind(scope: Construct): RedshiftTargetConfig {
    const path = scope.node.path;
    const port = this.props.port ?? RedshiftLimits.DEFAULT_PORT;
    checkHost(path, 'RedshiftTarget.cluster endpointAddress', this.props.endpointAddress);
    checkRange(path, 'RedshiftTarget.cluster port', port, RedshiftLimits.MIN_CLUSTER_PORT, RedshiftLimits.MAX_CLUSTER_PORT);
    checkDatabase(path, this.props.databaseName);
    return {
      jdbcUrl: jdbcUrl(this.props.endpointAddress, port, this.props.databaseName),
      port,
      connections: this.props.connections,
      publiclyAccessible: this.props.publiclyAccessible ?? true,
      description: 'cluster',
    };
  }
}

class ServerlessTarget extends RedshiftTarget {
  constructor(private readonly props: RedshiftServerlessTargetProps) {
    super();
  }

  public bind(scope: Construct): RedshiftTargetConfig {
    const path = scope.node.path;
    const port = this.props.port ?? RedshiftLimits.DEFAULT_PORT;
    const database = this.props.databaseName ?? 'dev';
    checkName(path, 'RedshiftTarget.serverless workgroupName', this.props.workgroupName, RedshiftLimits.MAX_WORKGROUP_NAME_LENGTH, /^[a-z0-9-]+$/, 'lowercase letters, digits and -');
    if (!Token.isUnresolved(port) && !RedshiftLimits.SERVERLESS_PORT_RANGES.some(([lo, hi]) => port >= lo && port <= hi)) {
      fail(path, `RedshiftTarget.serverless port must be in ${RedshiftLimits.SERVERLESS_PORT_RANGES.map(([lo, hi]) => `${lo}-${hi}`).join(' or ')}, got ${port}`);
    }
    checkDatabase(path, database);
    const stack = Stack.of(scope);
    const host = this.props.endpointAddress ?? `${this.props.workgroupName}.${stack.account}.${stack.region}.redshift-serverless.${stack.urlSuffix}`;
    checkHost(path, 'RedshiftTarget.serverless endpointAddress', host);
    return {
      jdbcUrl: jdbcUrl(host, port, database),
      port,
      connections: this.props.connections,
      publiclyAccessible: this.props.publiclyAccessible ?? true,
      description: 'Serverless workgroup',
    };
  }
}
