/**
 * Starts a dynalite server (the DynamoDB API emulator from npm, in memory) on a free loopback port, in this process,
 * and gives DynamoDB clients pointed at it. Tests own the server: `await server.stop()` in `afterAll`.
 */
import type { Server } from 'http';
import { AddressInfo } from 'net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from './kinesalite';

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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
      for (let i = 0; i < 200; i++) {
        const t = await c.send(new DescribeTableCommand({ TableName: tableName }));
        if (t.Table?.TableStatus === 'ACTIVE') return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`table ${tableName} did not become ACTIVE`);
    },
    async stop() {
      clients.forEach((c) => c.destroy());
      await new Promise<void>((resolve, reject) => server.close((err?: Error) => (err ? reject(err) : resolve())));
    },
  };
}
