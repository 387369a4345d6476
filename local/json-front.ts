/**
 * What the fronts before the emulators share (the shard-limit front and the DynamoDB transactions front here, the
 * fault-injecting front of the tests): an HTTP server on a free loopback port that reads each AWS JSON-protocol call
 * whole, a keep-alive client that passes a call on to the emulator, and the JSON answer a front makes itself.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

/** An answer of the emulator, passed back as it came unless the front changes it. */
export interface Answer { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

/** Passes calls on to the emulator at `target` over kept-alive connections. */
export interface Upstream {
  /** Sends `body` (which may differ from the request's) with the request's method, path and headers. */
  forward(req: http.IncomingMessage, body: Buffer, headers?: http.OutgoingHttpHeaders): Promise<Answer>;
  /** Closes the kept-alive connections. */
  destroy(): void;
}

export function upstream(target: string): Upstream {
  const url = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return {
    forward: (req, body, extra = {}) => new Promise<Answer>((resolve, reject) => {
      const headers = { ...req.headers, ...extra, 'content-length': String(body.length), 'host': url.host };
      const out = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.url, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    }),
    destroy: () => agent.destroy(),
  };
}

/** Writes a JSON answer of the front's own, in the service's JSON protocol (`contentType`). */
export function replyJson(res: http.ServerResponse, status: number, payload: unknown, contentType: string, requestId = 'local'): void {
  const body = Buffer.from(JSON.stringify(payload));
  res.writeHead(status, { 'content-type': contentType, 'content-length': body.length, 'x-amzn-requestid': requestId });
  res.end(body);
}

/** Writes the emulator's answer back unchanged. */
export function relay(res: http.ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

/** A front's server, listening on a free loopback port. */
export interface Front {
  readonly server: http.Server;
  readonly endpoint: string;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves `handle` with each call's whole body; a handler that throws is answered `500 InternalFailure` naming the
 * front (`name`), unless it has answered already.
 */
export async function serveFront(
  name: string,
  contentType: string,
  handle: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => Promise<void>,
): Promise<Front> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((err) => {
        if (!res.headersSent) replyJson(res, 500, { __type: 'InternalFailure', message: `${name}: ${String(err)}` }, contentType);
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    server,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
