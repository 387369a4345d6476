/** Plumbing shared by the in-process emulators the tests start (kinesalite, dynalite). */
import type { Server } from 'http';
import { AddressInfo } from 'net';

/** Listens on a free port of 127.0.0.1 and returns `http://127.0.0.1:<port>`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes the server once its clients are destroyed. */
export async function closeServer(server: Server, clients: ReadonlyArray<{ destroy(): void }>): Promise<void> {
  clients.forEach((c) => c.destroy());
  await new Promise<void>((resolve, reject) => server.close((err?: Error) => (err ? reject(err) : resolve())));
}

/** Polls `isActive` until it answers true, at most 200 times `intervalMs` apart; throws naming `what` otherwise. */
export async function waitUntilActive(what: string, isActive: () => Promise<boolean>, intervalMs: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await isActive()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what} did not become ACTIVE`);
}
