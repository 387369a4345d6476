/**
 * Starts a kinesalite server (the Kinesis API emulator from npm) on a free loopback port, in this process, and gives
 * a Kinesis client pointed at it. Tests own the server: `await server.stop()` in `afterAll`.
 *
 * The SDK v3 client is given the HTTP/1.1 `NodeHttpHandler`: kinesalite does not speak HTTP/2.
 */
import type { Server } from 'http';
import { Agent } from 'http';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { closeServer, listenOnLoopback, waitUntilActive } from './loopback-server';

// kinesalite has no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => Server;

export interface KinesaliteServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** A client for this server; pass overrides to change retries or the request handler. */
  client(overrides?: Partial<KinesisClientConfig>): KinesisClient;
  /** Creates a stream and waits until it is ACTIVE. */
  createStream(streamName: string, shardCount: number): Promise<void>;
  stop(): Promise<void>;
}

export interface KinesaliteOptions {
  /** Milliseconds a stream stays CREATING/UPDATING/DELETING. @default 0 */
  readonly transitionMs?: number;
  /** The emulator's account shard limit. @default 100 */
  readonly shardLimit?: number;
}

/** Client settings for a local endpoint: dummy credentials, HTTP/1.1 with kept-alive connections. */
export function localClientConfig(endpoint: string, overrides: Partial<KinesisClientConfig> = {}): KinesisClientConfig {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
    ...overrides,
  };
}

export async function startKinesalite(options: KinesaliteOptions = {}): Promise<KinesaliteServer> {
  const ms = options.transitionMs ?? 0;
  const server = kinesalite({ createStreamMs: ms, deleteStreamMs: ms, updateStreamMs: ms, shardLimit: options.shardLimit ?? 100 });
  const endpoint = await listenOnLoopback(server);
  const port = Number(new URL(endpoint).port);
  const clients: KinesisClient[] = [];

  const client = (overrides: Partial<KinesisClientConfig> = {}): KinesisClient => {
    const c = new KinesisClient(localClientConfig(endpoint, overrides));
    clients.push(c);
    return c;
  };

  return {
    endpoint,
    port,
    client,
    async createStream(streamName: string, shardCount: number) {
      const c = client();
      await c.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
      await waitUntilActive(`stream ${streamName}`, async () =>
        (await c.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE', 25);
    },
    stop: () => closeServer(server, clients),
  };
}
