import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbClientModule } from './dynamodb-sdk';
import { parsePositionKey, positionKey } from './position';
import type { RecordPosition } from './position';
import { CONSUMER_ENVIRONMENT } from '../../src/contracts/consumer-environment';
import { DynamoDbLimits } from '../../src/validation/limits';

/** Identifies one checkpoint: the records of one partition key in one shard. */
export interface CheckpointKey {
  /** The shard, e.g. `shardId-000000000000`. */
  readonly shardId: string;
  /** The user record's partition key. */
  readonly partitionKey: string;
}

/**
 * Remembers, per shard and partition key, the position of the last record handled, so that a retried batch skips
 * what an earlier attempt already did. Implement it to keep checkpoints elsewhere than DynamoDB.
 */
export interface CheckpointStore {
  /** The last handled positions of `keys`, by `checkpointId(key)`; keys without a checkpoint are absent. */
  load(keys: readonly CheckpointKey[]): Promise<Map<string, RecordPosition>>;
  /** Records that `position` was handled; must never move a checkpoint backwards. */
  save(key: CheckpointKey, position: RecordPosition): Promise<void>;
}

/**
 * The id of a checkpoint. Shard ids never contain `|`, so the first `|` separates the two parts whatever characters
 * the partition key holds.
 */
export function checkpointId(key: CheckpointKey): string {
  return `${key.shardId}|${key.partitionKey}`;
}

/** Options of `DynamoDbCheckpointStore`. */
export interface DynamoDbCheckpointStoreOptions {
  /** The table: partition key `pk` (string), no sort key; TTL on `expiresAt` is recommended. */
  readonly tableName: string;
  /** A client to reuse; create it once per container. @default a new client for the function's Region */
  readonly client?: DynamoDBClient;
  /** Prepended to every checkpoint id, to share one table between consumers. @default no prefix */
  readonly keyPrefix?: string;
  /**
   * How long a checkpoint outlives its last update, in seconds. It only has to outlive the event source mapping's
   * maximum record age: an older record is never delivered again. @default 8 days
   */
  readonly ttlSeconds?: number;
  /** Attempts for keys DynamoDB leaves unprocessed under throttling. @default 5 */
  readonly maxAttempts?: number;
}


const DEFAULT_TTL_SECONDS = 8 * 24 * 3600;

/**
 * Checkpoints in a DynamoDB table. Reads are strongly consistent, and a write only succeeds when it moves the
 * checkpoint forward (a condition on the sortable `position` attribute), so a late writer cannot undo a newer one.
 */
export class DynamoDbCheckpointStore implements CheckpointStore {
  /**
   * A store configured by the environment variables the constructs set (`CONSUMER_CHECKPOINT_TABLE`, and
   * optionally `CONSUMER_CHECKPOINT_TTL_SECONDS`); undefined when no table is configured.
   */
  public static fromEnvironment(client?: DynamoDBClient, env: NodeJS.ProcessEnv = process.env): DynamoDbCheckpointStore | undefined {
    const tableName = env[CONSUMER_ENVIRONMENT.CHECKPOINT_TABLE];
    if (!tableName) return undefined;
    const ttl = env[CONSUMER_ENVIRONMENT.CHECKPOINT_TTL_SECONDS];
    return new DynamoDbCheckpointStore({ tableName, client, ttlSeconds: ttl ? Number(ttl) : undefined });
  }

  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly prefix: string;
  private readonly ttlSeconds: number;
  private readonly maxAttempts: number;

  constructor(options: DynamoDbCheckpointStoreOptions) {
    this.client = options.client ?? new (dynamoDbClientModule().DynamoDBClient)({});
    this.tableName = options.tableName;
    this.prefix = options.keyPrefix ?? '';
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    this.maxAttempts = options.maxAttempts ?? 5;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds <= 0) {
      throw new Error(`checkpoint TTL must be a whole number of seconds greater than 0, got ${options.ttlSeconds}`);
    }
  }

  public async load(keys: readonly CheckpointKey[]): Promise<Map<string, RecordPosition>> {
    const found = new Map<string, RecordPosition>();
    const chunks: Record<string, AttributeValue>[][] = [];
    for (let i = 0; i < keys.length; i += DynamoDbLimits.MAX_BATCH_GET_KEYS) {
      chunks.push(keys.slice(i, i + DynamoDbLimits.MAX_BATCH_GET_KEYS).map((k) => ({ pk: { S: this.prefix + checkpointId(k) } })));
    }
    await Promise.all(chunks.map((chunk) => this.loadChunk(chunk, found)));
    return found;
  }

  public async save(key: CheckpointKey, position: RecordPosition): Promise<void> {
    try {
      await this.client.send(new (dynamoDbClientModule().UpdateItemCommand)({
        TableName: this.tableName,
        Key: { pk: { S: this.prefix + checkpointId(key) } },
        UpdateExpression: 'SET #position = :position, #expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#position) OR #position < :position',
        ExpressionAttributeNames: { '#position': 'position', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: {
          ':position': { S: positionKey(position) },
          ':expiresAt': { N: String(Math.floor(Date.now() / 1000) + this.ttlSeconds) },
        },
      }));
    } catch (error) {
      // A newer checkpoint is already stored (an earlier attempt got further): nothing to do.
      if (error instanceof dynamoDbClientModule().ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return;
      throw error;
    }
  }

  private async loadChunk(keys: Record<string, AttributeValue>[], found: Map<string, RecordPosition>): Promise<void> {
    let pending = keys;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > this.maxAttempts) {
        throw new Error(`DynamoDB left ${pending.length} checkpoint key(s) of ${this.tableName} unprocessed after ${this.maxAttempts} attempts`);
      }
      if (attempt > 1) await new Promise((r) => setTimeout(r, 2 ** attempt * 25 * Math.random()));
      const response = await this.client.send(new (dynamoDbClientModule().BatchGetItemCommand)({
        RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'pk, #position', ExpressionAttributeNames: { '#position': 'position' } } },
      }));
      for (const item of response.Responses?.[this.tableName] ?? []) {
        const id = item.pk?.S;
        const position = item.position?.S;
        if (id !== undefined && position !== undefined) found.set(id.slice(this.prefix.length), parsePositionKey(position));
      }
      pending = (response.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, AttributeValue>[];
    }
  }
}
