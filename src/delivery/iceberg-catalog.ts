import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Options of `IcebergCatalog.glueDataCatalog()`. */
export interface GlueIcebergCatalogOptions {
  /**
   * The bucket that holds the tables' data and metadata files. The role may read, write and delete objects in it
   * (Firehose writes data files and rewrites metadata), and use its KMS key.
   *
   * @default - none: the role gets no S3 rights on table data (give them yourself, or let Lake Formation vend them),
   * and table creation and schema evolution are refused (they need a warehouse location)
   */
  readonly warehouseBucket?: s3.IBucket;

  /**
   * Prefix of the warehouse location in the bucket, where Firehose creates tables (`s3://<bucket>/<prefix>`).
   *
   * @default 'warehouse/'
   */
  readonly warehousePrefix?: string;
}

/** What a catalog tells the delivery stream: the ARNs to write in the configuration and to grant. */
export interface IcebergCatalogConfig {
  /** `CatalogConfiguration.CatalogArn`. */
  readonly catalogArn: string;
  /** The Glue resource ARNs the role needs on the catalog itself (the catalog and its parents). */
  readonly catalogResourceArns: string[];
  /** The `s3://` warehouse location, when there is a warehouse bucket. */
  readonly warehouseLocation?: string;
  /** The warehouse bucket, when there is one. */
  readonly warehouseBucket?: s3.IBucket;
  /** Whether the tables are S3 Tables, whose data Lake Formation vends (no bucket of ours to grant). */
  readonly s3Tables: boolean;
  /** The Lake Formation catalog id of the tables (`<account>` or `<account>:s3tablescatalog/<bucket>`). */
  readonly lakeFormationCatalogId: string;
  /** `arn:<partition>:glue:<region>:<account>`, the start of every Glue ARN of the catalog. */
  readonly glueArnBase: string;
  /**
   * What precedes a database name in the catalog's database and table ARNs (`database/<prefix><db>`,
   * `table/<prefix><db>/<table>`): empty for the Glue Data Catalog, `s3tablescatalog/<bucket>/` for S3 Tables.
   */
  readonly resourcePrefix: string;
}

/**
 * Where the Iceberg tables are registered: the AWS Glue Data Catalog of the stack's account (self-managed tables in
 * your bucket), or an Amazon S3 Tables table bucket through its federated `s3tablescatalog` catalog.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/apache-iceberg-destination.html
 */
export abstract class IcebergCatalog {
  /**
   * The Glue Data Catalog of the stack's account and region (`arn:<partition>:glue:<region>:<account>:catalog`).
   *
   * @param options the warehouse bucket of the tables
   */
  public static glueDataCatalog(options: GlueIcebergCatalogOptions = {}): IcebergCatalog {
    return new (class extends IcebergCatalog {
      public bind(scope: Construct): IcebergCatalogConfig {
        const glue = glueArns(scope);
        const bucket = options.warehouseBucket;
        return {
          catalogArn: glue.catalog(''),
          catalogResourceArns: [glue.catalog('')],
          warehouseLocation: bucket ? `s3://${bucket.bucketName}/${options.warehousePrefix ?? 'warehouse/'}` : undefined,
          warehouseBucket: bucket,
          s3Tables: false,
          lakeFormationCatalogId: Stack.of(scope).account,
          glueArnBase: glue.base,
          resourcePrefix: '',
        };
      }
    })();
  }

  /**
   * An Amazon S3 Tables table bucket of the stack's account and region, integrated with the Glue Data Catalog
   * (`catalog/s3tablescatalog/<bucket>`). Its namespaces are the databases. Lake Formation vends the data access, so
   * the role gets `lakeformation:GetDataAccess` and Lake Formation permissions on the tables.
   *
   * @param tableBucketName the table bucket's name
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-integrating-firehose.html
   */
  public static s3Tables(tableBucketName: string): IcebergCatalog {
    return new (class extends IcebergCatalog {
      public bind(scope: Construct): IcebergCatalogConfig {
        const glue = glueArns(scope);
        const federated = `s3tablescatalog/${tableBucketName}`;
        return {
          catalogArn: glue.catalog(`/${federated}`),
          // Firehose resolves the federated catalog through its parents.
          catalogResourceArns: [glue.catalog(''), glue.catalog('/s3tablescatalog'), glue.catalog(`/${federated}`)],
          s3Tables: true,
          lakeFormationCatalogId: `${Stack.of(scope).account}:${federated}`,
          glueArnBase: glue.base,
          resourcePrefix: `${federated}/`,
        };
      }
    })();
  }

  /**
   * The catalog's ARNs, under `scope`.
   *
   * @param scope the delivery stream
   */
  public abstract bind(scope: Construct): IcebergCatalogConfig;
}

function glueArns(scope: Construct) {
  const stack = Stack.of(scope);
  const base = `arn:${stack.partition}:glue:${stack.region}:${stack.account}`;
  return { base, catalog: (suffix: string) => `${base}:catalog${suffix}` };
}

/**
 * A table the delivery stream writes to. Only listed tables are granted: a record routed to another table is refused
 * and written to the S3 error output.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_DestinationTableConfiguration.html
 */
export interface IcebergDestinationTable {
  /** The database (an S3 Tables namespace), 1 to 255 characters. */
  readonly database: string;
  /** The table, 1 to 255 characters. */
  readonly table: string;
  /**
   * Columns that identify a row, for updates and deletes (the `operation` of the routing metadata). Refused with
   * `appendOnly`.
   *
   * @default - none: updates and deletes use the table's identifier fields
   */
  readonly uniqueKeys?: string[];
  /**
   * Prefix, in the backup bucket, of the records this table refused.
   *
   * @default - the backup's error output prefix
   */
  readonly errorOutputPrefix?: string;
  /**
   * Columns of the identity partition spec of a table Firehose creates (with `tableCreation` only).
   *
   * @default - unpartitioned
   */
  readonly partitionFields?: string[];
}

/** JQ expressions that route each record (all evaluated on the record as Firehose receives it, after the transform). */
export interface IcebergJqRoutingOptions {
  /**
   * The expression of the database, e.g. `.app`.
   *
   * @default - the database of the tables, when they all have the same one (refused otherwise)
   */
  readonly databaseExpression?: string;
  /** The expression of the table, e.g. `.event_type`. */
  readonly tableExpression: string;
  /**
   * The expression of the operation: `"insert"`, `"update"` or `"delete"`. Refused with `appendOnly`.
   *
   * @default - every record is an insert
   */
  readonly operationExpression?: string;
}

/** What a routing gives the delivery stream. */
export interface IcebergRoutingConfig {
  /** The `MetadataExtractionQuery` of a JQ routing. */
  readonly jqQuery?: string;
  /** Whether the routing may produce updates and deletes. */
  readonly changesRows: boolean;
  /** Whether the transform sets the routing metadata (`otfMetadata`). */
  readonly fromTransform: boolean;
}

/**
 * How Firehose learns the table (and the operation) of each record, when it writes to more than one table or
 * updates and deletes rows.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/apache-iceberg-format-input-record-different.html
 */
export abstract class IcebergRouting {
  /**
   * JQ expressions on the record (a `MetadataExtraction` processor, run with JQ 1.6).
   *
   * @param options the expressions
   */
  public static jq(options: IcebergJqRoutingOptions): IcebergRouting {
    return new (class extends IcebergRouting {
      public bind(defaultDatabase?: string): IcebergRoutingConfig {
        const database = options.databaseExpression ?? (defaultDatabase === undefined ? undefined : JSON.stringify(defaultDatabase));
        const parts = [`destinationDatabaseName: ${database}`, `destinationTableName: ${options.tableExpression}`];
        if (options.operationExpression) parts.push(`operation: ${options.operationExpression}`);
        return { jqQuery: database === undefined ? undefined : `{${parts.join(', ')}}`, changesRows: options.operationExpression !== undefined, fromTransform: false };
      }
    })();
  }

  /**
   * The transform returns each record's `metadata.otfMetadata` (`destinationDatabaseName`, `destinationTableName`,
   * `operation`): the bundled transform with `icebergRouting`, or your own function.
   *
   * @param changesRows whether the transform may return `update` and `delete` operations @default false
   */
  public static fromTransform(changesRows: boolean = false): IcebergRouting {
    return new (class extends IcebergRouting {
      public bind(): IcebergRoutingConfig {
        return { changesRows, fromTransform: true };
      }
    })();
  }

  /**
   * The routing's configuration.
   *
   * @param defaultDatabase the database of every listed table, when they share one
   */
  public abstract bind(defaultDatabase?: string): IcebergRoutingConfig;
}
