/**
 * The emulators of a local run, in this process on free loopback ports: kinesalite for Kinesis, dynalite for
 * DynamoDB (only when the app has tables). Both are npm packages, not dependencies of the library (users of the
 * constructs should not install a Kinesis emulator): the runner loads them when it starts and, when they are not
 * installed, says which packages to install.
 */
import type { Server } from 'http';
import { Agent } from 'http';
import type { AddressInfo } from 'net';
import { LocalRunError, LOCAL_REGION } from './assembly';

/** The packages a local run needs besides the library, as one `npm install` line. */
export const RUNNER_PACKAGES = ['kinesalite', 'dynalite', '@aws-sdk/client-kinesis', '@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs', '@aws-sdk/lib-dynamodb', '@smithy/node-http-handler'];

/** Loads a package the runner needs, or fails with the install command. */
export function runnerRequire<T = any>(name: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    throw new LocalRunError(`the local run needs the package '${name}', which is not installed. Install what the runner uses with: npm install --save-dev ${RUNNER_PACKAGES.join(' ')}`);
  }
}

export interface LocalEmulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function stopper(server: Server): () => Promise<void> {
  return () => new Promise<void>((resolve) => {
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close(() => resolve());
  });
}

export async function startKinesalite(): Promise<LocalEmulator> {
  const kinesalite = runnerRequire<(o: Record<string, unknown>) => Server>('kinesalite');
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 500 });
  return { endpoint: await listen(server), stop: stopper(server) };
}

export async function startDynalite(): Promise<LocalEmulator> {
  const dynalite = runnerRequire<(o: Record<string, unknown>) => Server>('dynalite');
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return { endpoint: await listen(server), stop: stopper(server) };
}

/** SDK v3 client settings for a local endpoint: dummy credentials, HTTP/1.1 (the emulators speak no HTTP/2). */
export function localClientConfig(endpoint: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { NodeHttpHandler } = runnerRequire('@smithy/node-http-handler');
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
    ...extra,
  };
}
