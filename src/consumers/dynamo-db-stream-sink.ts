import { Duration, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ConsumerCode } from './consumer-code';
import { LambdaStreamConsumer } from './lambda-stream-consumer';
import { StreamConsumerOptions } from './stream-consumer-options';
import { SINK_ATTRIBUTES, SINK_ENVIRONMENT } from '../contracts/consumer-environment';
import { createBundledFunction } from '../private/bundled-function';
import { checkRequiredProps, describe, fail } from '../validation/rules';

/** Properties of a `DynamoDbStreamSink`. */
export interface DynamoDbStreamSinkProps extends StreamConsumerOptions {
  /** The stream of JSON records to store. */
  readonly stream: kinesis.IStream;
  /**
   * The table. Its key attributes must be those named by `partitionKeyAttribute` and `sortKeyAttribute`.
   *
   * @default - a new on-demand table with point-in-time recovery, keyed by `partitionKeyAttribute` (and
   * `sortKeyAttribute`), both strings
   */
  readonly table?: dynamodb.ITable;
  /**
   * The table's partition key attribute.
   *
   * @default 'pk'
   */
  readonly partitionKeyAttribute?: string;
  /**
   * The record field whose value is the item's partition key.
   *
   * @default - the record's Kinesis partition key
   */
  readonly partitionKeyField?: string;
  /**
   * The table's sort key attribute; give `sortKeyField` with it.
   *
   * @default - no sort key: one item per partition key
   */
  readonly sortKeyAttribute?: string;
  /**
   * The record field whose value is the item's sort key.
   *
   * @default - no sort key
   */
  readonly sortKeyField?: string;
  /**
   * A numeric record field that orders versions of an item (an event time, a counter). Use it when one item's records
   * can come through different shards (several Kinesis partition keys per item, or resharding), where stream positions
   * do not compare.
   *
   * @default - the stream position (sequence number, then sub-sequence number)
   */
  readonly versionField?: string;
  /**
   * Memory of the sink function, in MiB.
   *
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout of one invocation of the sink function.
   *
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;
  /**
   * How long the sink function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

const DEFAULT_MEMORY_MIB = 256;
const DEFAULT_TIMEOUT = Duration.minutes(1);

/**
 * Lands a stream of JSON records in a DynamoDB table (Firehose cannot deliver there): one item per key, written with
 * a condition so that an older record never overwrites a newer one, through the consumer runtime (per-key order,
 * batch item failures) and a `LambdaStreamConsumer` (safe event source mapping defaults, alarms).
 */
export class DynamoDbStreamSink extends Construct {
  /** The table items are written to. */
  public readonly table: dynamodb.ITable;
  /** The bundled sink function. */
  public readonly function: lambda.Function;
  /** The consumer: event source mapping, failure destination, alarms. */
  public readonly consumer: LambdaStreamConsumer;

  /**
   * @param scope the construct the sink is created in
   * @param id the sink's id, unique within `scope`
   * @param props the stream, the table and how records map to items
   */
  constructor(scope: Construct, id: string, props: DynamoDbStreamSinkProps) {
    super(scope, id);
    checkRequiredProps(this, props, ['stream']);
    const partitionKeyAttribute = props.partitionKeyAttribute ?? 'pk';
    checkKeyAttributes(this, partitionKeyAttribute, props);
    if ((props.sortKeyAttribute === undefined) !== (props.sortKeyField === undefined)) {
      fail(this, `sortKeyAttribute and sortKeyField must be given together, got sortKeyAttribute ${props.sortKeyAttribute} and sortKeyField ${props.sortKeyField}`);
    }
    const memorySize = props.memorySize ?? DEFAULT_MEMORY_MIB;
    const timeout = props.timeout ?? DEFAULT_TIMEOUT;

    this.table = props.table ?? new dynamodb.Table(this, 'Table', {
      partitionKey: { name: partitionKeyAttribute, type: dynamodb.AttributeType.STRING },
      sortKey: props.sortKeyAttribute ? { name: props.sortKeyAttribute, type: dynamodb.AttributeType.STRING } : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });

    const environment: Record<string, string> = {
      [SINK_ENVIRONMENT.TABLE_NAME]: this.table.tableName,
      [SINK_ENVIRONMENT.PARTITION_KEY_ATTRIBUTE]: partitionKeyAttribute,
    };
    if (props.partitionKeyField) environment[SINK_ENVIRONMENT.PARTITION_KEY_FIELD] = props.partitionKeyField;
    if (props.sortKeyAttribute) environment[SINK_ENVIRONMENT.SORT_KEY_ATTRIBUTE] = props.sortKeyAttribute;
    if (props.sortKeyField) environment[SINK_ENVIRONMENT.SORT_KEY_FIELD] = props.sortKeyField;
    if (props.versionField) environment[SINK_ENVIRONMENT.VERSION_FIELD] = props.versionField;

    this.function = createBundledFunction(this, {
      handler: 'consumer/dynamodb-sink',
      environment,
      memorySize,
      timeout,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      description: `Stores records of ${props.stream.node.path} in DynamoDB, newest per key`,
    }).function;
    this.table.grantWriteData(this.function);

    this.consumer = new LambdaStreamConsumer(this, 'Consumer', { ...props, code: ConsumerCode.fromFunction(this.function) });
  }
}

/** Attribute names DynamoDB accepts for keys: 1 to 255 bytes. */
const MAX_KEY_ATTRIBUTE_LENGTH = 255;

/**
 * The sink's key attributes must be the table's key schema (when the table's schema is known here) and must not be
 * attributes the sink writes itself, which would overwrite the key.
 */
function checkKeyAttributes(scope: Construct, partitionKeyAttribute: string, props: DynamoDbStreamSinkProps): void {
  const written: string[] = Object.values(SINK_ATTRIBUTES);
  const keys: Array<[string, string | undefined]> = [['partitionKeyAttribute', partitionKeyAttribute], ['sortKeyAttribute', props.sortKeyAttribute]];
  for (const [what, name] of keys) {
    if (name === undefined || Token.isUnresolved(name)) continue;
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_KEY_ATTRIBUTE_LENGTH) {
      fail(scope, `${what} must be an attribute name of 1 to ${MAX_KEY_ATTRIBUTE_LENGTH} characters, got ${describe(name)}`);
    }
    if (written.includes(name)) {
      fail(scope, `${what} '${name}' is an attribute the sink writes into every item (${written.join(', ')}), so the key would be overwritten: choose another name`);
    }
  }
  if (props.sortKeyAttribute !== undefined && props.sortKeyAttribute === partitionKeyAttribute) {
    fail(scope, `sortKeyAttribute and partitionKeyAttribute must differ, both are '${partitionKeyAttribute}'`);
  }
  if (props.versionField !== undefined && written.includes(props.versionField)) {
    fail(scope, `versionField '${props.versionField}' is an attribute the sink writes itself (${written.join(', ')}): name a field of the record`);
  }
  if (!(props.table instanceof dynamodb.Table)) return;
  const schema = props.table.schemaV2();
  // A key of several attributes is not one the sink can fill.
  if (schema.partitionKeys.length !== 1 || schema.sortKeys.length > 1) {
    fail(scope, `the table ${props.table.node.path} has a key of ${schema.partitionKeys.length} partition and ${schema.sortKeys.length} sort attributes; `
      + 'the sink writes one partition key attribute and at most one sort key attribute');
  }
  const partitionKey = schema.partitionKeys[0];
  const sortKey = schema.sortKeys[0];
  const tablePath = props.table.node.path;
  if (!Token.isUnresolved(partitionKey.name) && partitionKey.name !== partitionKeyAttribute) {
    fail(scope, `partitionKeyAttribute is '${partitionKeyAttribute}'${props.partitionKeyAttribute === undefined ? ' (the default)' : ''}, but the table ${tablePath} `
      + `is keyed by '${partitionKey.name}': set partitionKeyAttribute to '${partitionKey.name}'`);
  }
  const tableSort = sortKey?.name;
  if (tableSort !== props.sortKeyAttribute) {
    fail(scope, tableSort === undefined
      ? `sortKeyAttribute is '${props.sortKeyAttribute}', but the table ${tablePath} has no sort key: remove sortKeyAttribute and sortKeyField`
      : `the table ${tablePath} has the sort key '${tableSort}', but sortKeyAttribute is ${describe(props.sortKeyAttribute)}: set sortKeyAttribute to '${tableSort}' and sortKeyField`);
  }
  for (const [what, key] of [['partition key', partitionKey], ['sort key', sortKey]] as const) {
    if (key && key.type === dynamodb.AttributeType.BINARY) {
      fail(scope, `the table ${tablePath} has a binary ${what} '${key.name}', but the sink writes keys as strings or numbers from the record: use a STRING key`);
    }
  }
  if (props.partitionKeyField === undefined && partitionKey.type !== dynamodb.AttributeType.STRING) {
    fail(scope, `the table ${tablePath} has a ${partitionKey.type} partition key, but without partitionKeyField the sink writes the record's Kinesis `
      + 'partition key, a string: use a STRING key or set partitionKeyField');
  }
}
