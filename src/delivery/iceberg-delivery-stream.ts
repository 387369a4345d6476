import { Duration, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BufferingOptions } from './buffering';
import { DeliveryDestinationKind } from './delivery-stream-alarms';
import { DestinationDeliveryStreamBase } from './destination-delivery-stream';
import { DestinationBackupOptions, DestinationDeliveryStreamProps } from './destination-props';
import { IcebergCatalog, IcebergCatalogConfig, IcebergDestinationTable, IcebergRouting, IcebergRoutingConfig } from './iceberg-catalog';
import { destinationBufferingConstraints } from './private/destination';
import { acknowledgeIcebergWarehouse } from './private/nag';
import { FirehoseLimits, IcebergLimits } from '../validation/limits';
import { checkAtMost, fail, warn } from '../validation/rules';

/** Properties of an `IcebergDeliveryStream`. */
export interface IcebergDeliveryStreamProps extends DestinationDeliveryStreamProps {
  /** Where the tables are registered: `IcebergCatalog.glueDataCatalog()` or `IcebergCatalog.s3Tables('bucket')`. */
  readonly catalog: IcebergCatalog;

  /**
   * The tables, at least one. With one table and no `routing`, every record goes to it; with more, `routing` is
   * required. Only these tables are granted to the role.
   */
  readonly tables: IcebergDestinationTable[];

  /**
   * How each record's table (and operation) is found.
   *
   * @default - none: every record is inserted into the one table (refused with more than one)
   */
  readonly routing?: IcebergRouting;

  /**
   * Inserts only: Firehose scales the stream's throughput with its throttling, and updates and deletes (unique keys,
   * an operation in the routing) are refused.
   *
   * @default false
   */
  readonly appendOnly?: boolean;

  /**
   * Let Firehose add columns to a table when records carry new fields. Needs a warehouse location
   * (`IcebergCatalog.glueDataCatalog({ warehouseBucket })`).
   *
   * @default false
   */
  readonly schemaEvolution?: boolean;

  /**
   * Let Firehose create a routed table that does not exist yet, in the warehouse location (with the table's
   * `partitionFields`). Needs a warehouse location.
   *
   * @default false
   */
  readonly tableCreation?: boolean;

  /**
   * With the Glue Data Catalog, grant the role Lake Formation permissions on the tables (`DESCRIBE`, `SELECT`,
   * `INSERT`, `ALTER`, and `DELETE` when rows change; `DESCRIBE` and, with table creation, `CREATE_TABLE` on their
   * databases) and `lakeformation:GetDataAccess`, for tables Lake Formation manages. With S3 Tables the role always
   * gets `lakeformation:GetDataAccess`, but CloudFormation cannot grant on the federated catalog: `true` is refused,
   * and a warning lists the grants to make with the Lake Formation API.
   *
   * @default false
   */
  readonly lakeFormationPermissions?: boolean;

  /**
   * Buffering before each commit to the tables.
   *
   * Size: 1 to 128 MiB. Interval: 0 to 900 s.
   *
   * @default - Size.mebibytes(5) and Duration.seconds(300)
   */
  readonly buffering?: BufferingOptions;

  /**
   * How long Firehose retries a failed commit before it writes the records to the error output.
   *
   * Minimum: `Duration.seconds(0)`. Maximum: `Duration.seconds(7200)`.
   *
   * @default Duration.seconds(300)
   */
  readonly retryDuration?: Duration;

  /**
   * The bucket of the records Firehose could not write (the only backup mode the Iceberg destination offers:
   * `BackupMode.ALL` is refused).
   *
   * @default - failed records, to a new `DeliveryBucket`
   */
  readonly backup?: DestinationBackupOptions;
}

/** Glue actions Firehose uses to read and commit a table (the Firehose guide's Iceberg policy). */
const GLUE_TABLE_ACTIONS = ['glue:GetTable', 'glue:GetDatabase', 'glue:UpdateTable'];

/**
 * A Firehose delivery stream to Apache Iceberg tables in the Glue Data Catalog or in Amazon S3 Tables: destination
 * tables with unique keys for updates and deletes, routing by JQ or by the transform's metadata, optional schema
 * evolution and table creation, failed records to S3, the Glue, S3 and Lake Formation permissions of the listed
 * tables only, and alarms on freshness and on rows the tables refused.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/apache-iceberg-destination.html
 */
export class IcebergDeliveryStream extends DestinationDeliveryStreamBase {
  /** The bucket of the records Firehose could not write. */
  public readonly backupBucket: s3.IBucket;
  /** The Lake Formation permissions of the role, one per table and database, when they are granted. */
  public readonly lakeFormationPermissions: lakeformation.CfnPrincipalPermissions[] = [];

  /**
   * @param scope the construct the delivery stream is created in
   * @param id the delivery stream's id, unique within `scope`
   * @param props its catalog, tables, routing, backup, buffering and alarms
   */
  constructor(scope: Construct, id: string, props: IcebergDeliveryStreamProps) {
    super(scope, id, props, props.backup?.bucket);
    const core = this._core;
    const path = core.path;
    const catalog = props.catalog.bind(this);
    checkTables(path, props);
    const databases = [...new Set(props.tables.map((t) => t.database))];
    const routing = props.routing?.bind(databases.length === 1 ? databases[0] : undefined);
    checkCombinations(this, path, props, catalog, routing, databases);

    const buffering = core.buffering(props.buffering, destinationBufferingConstraints(FirehoseLimits.MAX_BUFFER_SIZE_MIB));
    const retrySeconds = core.retrySeconds(props.retryDuration, IcebergLimits.DEFAULT_RETRY_DURATION_SECONDS);
    if (props.backup?.mode === firehose.BackupMode.ALL) {
      fail(path, 'backup.mode must be BackupMode.FAILED, got BackupMode.ALL: the Iceberg destination backs up only the records it could not write (FailedDataOnly)');
    }
    const backup = core.backup(props.backup);
    this.backupBucket = backup.bucket;

    const changesRows = props.tables.some((t) => (t.uniqueKeys ?? []).length > 0) || routing?.changesRows === true;
    this.grantCatalog(catalog, props, changesRows);

    const lambdaProcessing = core.processingConfiguration();
    const configuration: firehose.CfnDeliveryStream.IcebergDestinationConfigurationProperty = {
      roleArn: this.role.roleArn,
      catalogConfiguration: { catalogArn: catalog.catalogArn, warehouseLocation: catalog.warehouseLocation },
      destinationTableConfigurationList: props.tables.map((t) => ({
        destinationDatabaseName: t.database,
        destinationTableName: t.table,
        uniqueKeys: t.uniqueKeys,
        s3ErrorOutputPrefix: t.errorOutputPrefix,
        partitionSpec: t.partitionFields ? { identity: t.partitionFields.map((sourceName) => ({ sourceName })) } : undefined,
      })),
      appendOnly: props.appendOnly ?? false,
      schemaEvolutionConfiguration: props.schemaEvolution ? { enabled: true } : undefined,
      tableCreationConfiguration: props.tableCreation ? { enabled: true } : undefined,
      bufferingHints: core.bufferingHints(buffering),
      retryOptions: { durationInSeconds: retrySeconds },
      s3BackupMode: 'FailedDataOnly',
      s3Configuration: backup.property,
      processingConfiguration: withJqRouting(lambdaProcessing, routing?.jqQuery),
      cloudWatchLoggingOptions: core.logging('IcebergDelivery'),
    };
    core.finish(DeliveryDestinationKind.ICEBERG, buffering.interval, true, (cfn) => {
      cfn.icebergDestinationConfiguration = configuration;
    });
  }

  /**
   * Least privilege on the catalog: Glue read and commit on the catalog, the listed tables' databases and the listed
   * tables (create on their databases with table creation), the warehouse bucket's objects, and Lake Formation.
   */
  private grantCatalog(catalog: IcebergCatalogConfig, props: IcebergDeliveryStreamProps, changesRows: boolean): void {
    const core = this._core;
    const databaseArn = (db: string) => `${catalog.glueArnBase}:database/${catalog.resourcePrefix}${db}`;
    const tableArn = (db: string, table: string) => `${catalog.glueArnBase}:table/${catalog.resourcePrefix}${db}/${table}`;
    const databases = [...new Set(props.tables.map((t) => t.database))];
    const tables = props.tables.map((t) => tableArn(t.database, t.table));
    core.addDependable(iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: GLUE_TABLE_ACTIONS,
      resourceArns: [...catalog.catalogResourceArns, ...databases.map(databaseArn), ...tables],
    }));
    if (props.tableCreation) {
      core.addDependable(iam.Grant.addToPrincipal({
        grantee: this.role,
        actions: ['glue:CreateTable'],
        resourceArns: [...catalog.catalogResourceArns, ...databases.map(databaseArn), ...databases.map((db) => tableArn(db, '*'))],
      }));
    }
    const bucket = catalog.warehouseBucket;
    if (bucket) {
      core.addDependable(iam.Grant.addToPrincipal({
        grantee: this.role,
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resourceArns: [bucket.bucketArn],
      }));
      core.addDependable(iam.Grant.addToPrincipal({
        grantee: this.role,
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resourceArns: [bucket.arnForObjects('*')],
      }));
      if (bucket.encryptionKey) core.addDependable(bucket.encryptionKey.grantEncryptDecrypt(this.role));
      acknowledgeIcebergWarehouse(this.role, bucket);
    }

    const databasePermissions = ['DESCRIBE', ...(props.tableCreation ? ['CREATE_TABLE'] : [])];
    const tablePermissions = ['DESCRIBE', 'SELECT', 'INSERT', 'ALTER', ...(changesRows ? ['DELETE'] : [])];
    if (catalog.s3Tables && props.lakeFormationPermissions === true) {
      fail(this, 'lakeFormationPermissions cannot be granted by CloudFormation in S3 Tables: AWS::LakeFormation::PrincipalPermissions takes a 12-digit catalog id, ' +
        `not the federated ${catalog.lakeFormationCatalogId}. Leave it unset and grant them with the Lake Formation API`);
    }
    if (!catalog.s3Tables && props.lakeFormationPermissions !== true) return;
    // GetDataAccess has no resource-level permissions: Lake Formation checks its own grants.
    core.addDependable(iam.Grant.addToPrincipal({ grantee: this.role, actions: ['lakeformation:GetDataAccess'], resourceArns: ['*'] }));
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'lakeformation:GetDataAccess has no resource-level permissions; Lake Formation grants the role only the listed tables',
    });
    if (catalog.s3Tables) {
      warn(this, 'IcebergLakeFormationGrants', `Lake Formation must grant ${this.role.node.path} ${tablePermissions.join(', ')} on each table and ` +
        `${databasePermissions.join(', ')} on each namespace of catalog ${catalog.lakeFormationCatalogId} before the delivery stream is created ` +
        '(aws lakeformation grant-permissions): CloudFormation cannot grant on a federated catalog');
      return;
    }
    const principal = { dataLakePrincipalIdentifier: this.role.roleArn };
    databases.forEach((db, i) => this.lakeFormationPermissions.push(new lakeformation.CfnPrincipalPermissions(this, `DatabasePermissions${i}`, {
      principal,
      resource: { database: { catalogId: catalog.lakeFormationCatalogId, name: db } },
      permissions: databasePermissions,
      permissionsWithGrantOption: [],
    })));
    props.tables.forEach((t, i) => this.lakeFormationPermissions.push(new lakeformation.CfnPrincipalPermissions(this, `TablePermissions${i}`, {
      principal,
      resource: { table: { catalogId: catalog.lakeFormationCatalogId, databaseName: t.database, name: t.table } },
      permissions: tablePermissions,
      permissionsWithGrantOption: [],
    })));
    // Firehose checks the table at creation: the permissions must exist first.
    for (const permission of this.lakeFormationPermissions) core.addDependable(permission);
  }
}

function checkTables(path: string, props: IcebergDeliveryStreamProps): void {
  if (props.tables.length === 0) fail(path, 'tables must list at least one destination table, got none');
  const seen = new Set<string>();
  props.tables.forEach((t, i) => {
    for (const [what, value] of [['database', t.database], ['table', t.table]] as const) {
      if (Token.isUnresolved(value)) continue;
      if (value.length < 1 || value.length > IcebergLimits.MAX_NAME_LENGTH) {
        fail(path, `tables[${i}].${what} must be 1 to ${IcebergLimits.MAX_NAME_LENGTH} characters, got '${value}' (${value.length})`);
      }
    }
    const key = `${t.database}.${t.table}`;
    if (seen.has(key)) fail(path, `tables[${i}] lists ${key} a second time: give each table once`);
    seen.add(key);
    const keys = t.uniqueKeys ?? [];
    if (t.uniqueKeys !== undefined && keys.length === 0) fail(path, `tables[${i}].uniqueKeys must hold at least one column when given, got []`);
    if (new Set(keys).size !== keys.length) fail(path, `tables[${i}].uniqueKeys must not repeat a column, got ${keys.join(', ')}`);
    if (keys.some((k) => k.length === 0)) fail(path, `tables[${i}].uniqueKeys must not hold an empty column name`);
    if (t.errorOutputPrefix !== undefined) {
      checkAtMost(path, `tables[${i}].errorOutputPrefix length`, t.errorOutputPrefix.length, FirehoseLimits.MAX_PREFIX_LENGTH, 'characters');
    }
    if (t.partitionFields !== undefined && !props.tableCreation) {
      fail(path, `tables[${i}].partitionFields configure a table Firehose creates, and need tableCreation: true (got tableCreation ${props.tableCreation ?? false})`);
    }
  });
}

function checkCombinations(scope: Construct, path: string, props: IcebergDeliveryStreamProps, catalog: IcebergCatalogConfig,
  routing: IcebergRoutingConfig | undefined, databases: string[]): void {
  if (props.tables.length > 1 && routing === undefined) {
    fail(path, `routing is required with ${props.tables.length} tables: give IcebergRouting.jq({ tableExpression }) or IcebergRouting.fromTransform(), ` +
      'or list one table');
  }
  if (routing?.fromTransform && props.transform === undefined) {
    fail(path, 'IcebergRouting.fromTransform() needs a transform that returns metadata.otfMetadata: give transform (RecordTransform.bundled({ icebergRouting }) or your function)');
  }
  if (routing !== undefined && !routing.fromTransform && routing.jqQuery === undefined) {
    fail(path, `routing needs databaseExpression when the tables are in more than one database (got ${databases.join(', ')})`);
  }
  if (routing?.jqQuery !== undefined) {
    checkAtMost(path, 'the JQ routing query length', routing.jqQuery.length, FirehoseLimits.MAX_PROCESSOR_PARAMETER_VALUE_LENGTH, 'characters');
  }
  if (props.appendOnly) {
    const keyed = props.tables.findIndex((t) => (t.uniqueKeys ?? []).length > 0);
    if (keyed >= 0) fail(path, `tables[${keyed}].uniqueKeys are for updates and deletes, which appendOnly: true refuses: drop one or the other`);
    if (routing?.changesRows) fail(path, 'routing with an operation (updates and deletes) is refused with appendOnly: true: Firehose would deliver the changes out of order');
  }
  for (const [option, on] of [['schemaEvolution', props.schemaEvolution], ['tableCreation', props.tableCreation]] as const) {
    if (on && catalog.warehouseLocation === undefined) {
      fail(path, `${option}: true needs a warehouse location: use IcebergCatalog.glueDataCatalog({ warehouseBucket })` +
        (catalog.s3Tables ? ' (S3 Tables tables are created in the table bucket, not by Firehose)' : ''));
    }
  }
  const changes = routing?.changesRows === true;
  if (changes && !props.tables.some((t) => (t.uniqueKeys ?? []).length > 0)) {
    warn(scope, 'IcebergNoUniqueKeys',
      'routing may return update and delete operations but no table lists uniqueKeys: Firehose then matches rows on the tables\' identifier fields, which must be set');
  }
}

/** The transform's processors, followed by the JQ routing's `MetadataExtraction` processor. */
function withJqRouting(processing: firehose.CfnDeliveryStream.ProcessingConfigurationProperty | undefined, jqQuery: string | undefined):
firehose.CfnDeliveryStream.ProcessingConfigurationProperty | undefined {
  if (jqQuery === undefined) return processing;
  const processors = (processing?.processors ?? []) as firehose.CfnDeliveryStream.ProcessorProperty[];
  return {
    enabled: true,
    processors: [...processors, {
      type: 'MetadataExtraction',
      parameters: [
        { parameterName: 'MetadataExtractionQuery', parameterValue: jqQuery },
        { parameterName: 'JsonParsingEngine', parameterValue: IcebergLimits.JQ_ENGINE },
      ],
    }],
  };
}
