/**
 * Starts a dynalite server (the DynamoDB API emulator from npm, in memory) on a free loopback port, in this process,
 * and gives DynamoDB clients pointed at it. Tests own the server: `await server.stop()` in `afterAll`.
 */
import type { Server } from 'http';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from './kinesalite';
import { closeServer, listenOnLoopback, waitUntilActive } from './loopback-server';

// dynalite has no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export interface DynaliteServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  client(overrides?: Partial<DynamoDBClientConfig>): DynamoDBClient;
  /** Creates a table with a string partition key (and optional string sort key) and waits until it is ACTIVE. */
  createTable(tableName: string, partitionKey: string, sortKey?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startDynalite(): Promise<DynaliteServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const endpoint = await listenOnLoopback(server);
  const clients: DynamoDBClient[] = [];
  const client = (overrides: Partial<DynamoDBClientConfig> = {}): DynamoDBClient => {
    const c = new DynamoDBClient({ ...localClientConfig(endpoint), ...overrides } as DynamoDBClientConfig);
    clients.push(c);
    return c;
  };
  return {
    endpoint,
    client,
    async createTable(tableName, partitionKey, sortKey) {
      const c = client();
      const keys = sortKey ? [partitionKey, sortKey] : [partitionKey];
      await c.send(new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((k) => ({ AttributeName: k, AttributeType: 'S' })),
        KeySchema: keys.map((k, i) => ({ AttributeName: k, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
      }));
      await waitUntilActive(`table ${tableName}`, async () =>
        (await c.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus === 'ACTIVE', 10);
    },
    stop: () => closeServer(server, clients),
  };
}
