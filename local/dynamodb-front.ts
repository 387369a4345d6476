/**
 * dynalite has no transactions. This front passes every DynamoDB call through to it, and answers
 * TransactWriteItems and TransactGetItems by running their items one by one (Put, Update, Delete with their
 * conditions; ConditionCheck as a read of the item), in order. That is not atomic: a transaction whose condition
 * fails half way leaves its earlier writes, which the summary says. Local handlers that use transactions (a
 * sessionizer writing two items at once) run as they would, minus the all-or-nothing.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

const TARGET = 'DynamoDB_20120810.';

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

export interface DynamoDbFront {
  readonly endpoint: string;
  /** Transactions run item by item. */
  transactions: number;
  stop(): Promise<void>;
}

export async function startDynamoDbFront(target: string): Promise<DynamoDbFront> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const call = (req: http.IncomingMessage, operation: string, body: Buffer) => new Promise<Answer>((resolve, reject) => {
    const headers = { ...req.headers, 'content-length': String(body.length), 'host': upstream.host, 'x-amz-target': TARGET + operation };
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: 'POST', path: req.url, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
  const front = { transactions: 0 } as { transactions: number };

  const reply = (res: http.ServerResponse, status: number, payload: unknown) => {
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': 'local' });
    res.end(text);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const operation = String(req.headers['x-amz-target'] ?? '').replace(TARGET, '');
    if (operation === 'TransactWriteItems') {
      front.transactions++;
      const input = JSON.parse(body.toString('utf8'));
      const reasons: Array<{ Code: string; Message?: string }> = [];
      let failed = false;
      for (const item of input.TransactItems ?? []) {
        if (failed) {
          reasons.push({ Code: 'None' });
          continue;
        }
        const [kind, params] = Object.entries(item)[0] as [string, Record<string, unknown>];
        const op = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'GetItem' }[kind];
        if (!op) {
          reply(res, 400, { __type: 'com.amazon.coral.validate#ValidationException', message: `unknown transaction item ${kind}` });
          return;
        }
        const { ReturnValuesOnConditionCheckFailure: _ignored, ...rest } = params;
        const request = kind === 'ConditionCheck' ? { TableName: rest.TableName, Key: rest.Key, ConsistentRead: true } : rest;
        const answer = await call(req, op, Buffer.from(JSON.stringify(request)));
        if (answer.status !== 200) {
          const err = JSON.parse(answer.body.toString('utf8') || '{}');
          failed = true;
          reasons.push({ Code: String(err.__type ?? '').split('#').pop()!.replace(/Exception$/, '') || 'Unknown', Message: err.message });
        } else {
          reasons.push({ Code: 'None' });
        }
      }
      if (failed) {
        reply(res, 400, {
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
          CancellationReasons: reasons,
        });
        return;
      }
      reply(res, 200, {});
      return;
    }
    if (operation === 'TransactGetItems') {
      const input = JSON.parse(body.toString('utf8'));
      const responses = [];
      for (const item of input.TransactItems ?? []) {
        const answer = await call(req, 'GetItem', Buffer.from(JSON.stringify({ ...item.Get, ConsistentRead: true })));
        responses.push(JSON.parse(answer.body.toString('utf8') || '{}'));
      }
      reply(res, 200, { Responses: responses.map((r) => (r.Item ? { Item: r.Item } : {})) });
      return;
    }
    const answer = await call(req, operation, body);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((err) => {
        if (!res.headersSent) reply(res, 500, { __type: 'InternalFailure', message: `dynamodb front: ${String(err)}` });
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return Object.assign(front, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
