import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDbClientModule, dynamoDbDocumentModule } from './dynamodb-sdk';
import { positionKey } from './position';
import type { KinesisUserRecord } from './records';
import { SINK_ATTRIBUTES, SINK_ENVIRONMENT } from '../../src/contracts/consumer-environment';
import { DynamoDbLimits } from '../../src/validation/limits';

/** Options of `DynamoDbSink`. */
export interface DynamoDbSinkOptions {
  /** The table items are written to. */
  readonly tableName: string;
  /** A client to reuse; create it once per container. @default a new client for the function's Region */
  readonly client?: DynamoDBClient;
  /** The table's partition key attribute. @default 'pk' */
  readonly partitionKeyAttribute?: string;
  /** The record field whose value is the item's partition key. @default the record's Kinesis partition key */
  readonly partitionKeyField?: string;
  /** The table's sort key attribute. @default no sort key */
  readonly sortKeyAttribute?: string;
  /** The record field whose value is the item's sort key; required with `sortKeyAttribute`. */
  readonly sortKeyField?: string;
  /**
   * A numeric field of the record that orders versions of one item (an event time, a version counter). Use it when
   * records of one item can arrive through different shards (several Kinesis partition keys for one item, or a
   * resharded stream), where stream positions do not compare. @default the record's stream position
   */
  readonly versionField?: string;
}

/** Stream metadata the sink adds to every item. */
export { SINK_ATTRIBUTES };

/**
 * Stores JSON records as DynamoDB items, one item per key, with a conditional write so that an older record never
 * overwrites a newer one: the item keeps the record with the highest version (or stream position). Writing the same
 * record twice is refused by the same condition, so a retried batch has no duplicate effect even without checkpoints.
 */
export class DynamoDbSink {
  /** A sink configured by the environment variables the `DynamoDbStreamSink` construct sets. */
  public static fromEnvironment(client?: DynamoDBClient, env: NodeJS.ProcessEnv = process.env): DynamoDbSink {
    const tableName = env[SINK_ENVIRONMENT.TABLE_NAME];
    if (!tableName) throw new Error(`${SINK_ENVIRONMENT.TABLE_NAME} is not set`);
    return new DynamoDbSink({
      tableName,
      client,
      partitionKeyAttribute: env[SINK_ENVIRONMENT.PARTITION_KEY_ATTRIBUTE],
      partitionKeyField: env[SINK_ENVIRONMENT.PARTITION_KEY_FIELD],
      sortKeyAttribute: env[SINK_ENVIRONMENT.SORT_KEY_ATTRIBUTE],
      sortKeyField: env[SINK_ENVIRONMENT.SORT_KEY_FIELD],
      versionField: env[SINK_ENVIRONMENT.VERSION_FIELD],
    });
  }

  /** Items written. */
  public written = 0;
  /** Records refused because the item already held a newer (or the same) record. */
  public stale = 0;

  private readonly documents: DynamoDBDocumentClient;
  private readonly options: DynamoDbSinkOptions;
  private readonly partitionKeyAttribute: string;

  constructor(options: DynamoDbSinkOptions) {
    if ((options.sortKeyAttribute === undefined) !== (options.sortKeyField === undefined)) {
      throw new Error('sortKeyAttribute and sortKeyField must be given together');
    }
    this.options = options;
    this.partitionKeyAttribute = options.partitionKeyAttribute ?? 'pk';
    const { DynamoDBDocumentClient } = dynamoDbDocumentModule();
    const client = options.client ?? new (dynamoDbClientModule().DynamoDBClient)({});
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** The record handler: pass it to `createKinesisHandler` with `jsonParser()`. */
  public readonly handle = async (body: unknown, record: KinesisUserRecord): Promise<void> => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new Error(`a record must be a JSON object to become an item, got ${Array.isArray(body) ? 'an array' : typeof body}`);
    }
    // DynamoDB would refuse the item with a generic ValidationException; say why, with the record's size.
    if (record.data.length > DynamoDbLimits.MAX_ITEM_BYTES) {
      throw new Error(`a record of ${record.data.length} bytes cannot become an item: DynamoDB items are at most ${DynamoDbLimits.MAX_ITEM_BYTES} bytes`);
    }
    const fields = body as Record<string, unknown>;
    const item: Record<string, unknown> = {
      ...fields,
      [this.partitionKeyAttribute]: this.keyValue(fields, this.options.partitionKeyField, record.partitionKey),
      [SINK_ATTRIBUTES.POSITION]: positionKey(record),
      [SINK_ATTRIBUTES.SEQUENCE_NUMBER]: record.sequenceNumber,
      [SINK_ATTRIBUTES.SUB_SEQUENCE_NUMBER]: record.subSequenceNumber,
      [SINK_ATTRIBUTES.SHARD_ID]: record.shardId,
    };
    if (this.options.sortKeyAttribute) item[this.options.sortKeyAttribute] = this.keyValue(fields, this.options.sortKeyField, undefined);
    const version = this.options.versionField;
    let order: { name: string; value: unknown };
    if (version) {
      const value = fields[version];
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`version field '${version}' must be a number, got ${JSON.stringify(value)}`);
      order = { name: version, value };
    } else {
      order = { name: SINK_ATTRIBUTES.POSITION, value: item[SINK_ATTRIBUTES.POSITION] };
    }
    try {
      await this.documents.send(new (dynamoDbDocumentModule().PutCommand)({
        TableName: this.options.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#key) OR #order < :order',
        ExpressionAttributeNames: { '#key': this.partitionKeyAttribute, '#order': order.name },
        ExpressionAttributeValues: { ':order': order.value },
      }));
      this.written++;
    } catch (error) {
      if (!(error instanceof dynamoDbClientModule().ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException')) throw error;
      this.stale++;
    }
  };

  private keyValue(fields: Record<string, unknown>, field: string | undefined, fallback: string | undefined): string | number {
    const value = field === undefined ? fallback : fields[field];
    if (typeof value === 'string' ? value.length === 0 : typeof value !== 'number') {
      throw new Error(`key field '${field}' must be a non-empty string or a number, got ${JSON.stringify(value)}`);
    }
    return value as string | number;
  }
}
