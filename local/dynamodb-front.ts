/**
 * dynalite has no transactions. This front passes every DynamoDB call through to it, and answers
 * TransactWriteItems and TransactGetItems by running their items one by one (Put, Update, Delete with their
 * conditions; ConditionCheck as a read of the item), in order. That is not atomic: a transaction whose condition
 * fails half way leaves its earlier writes, which the summary says. Local handlers that use transactions (a
 * sessionizer writing two items at once) run as they would, minus the all-or-nothing.
 */
import * as http from 'http';
import { relay, replyJson, serveFront, upstream } from './json-front';

const TARGET = 'DynamoDB_20120810.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

export interface DynamoDbFront {
  readonly endpoint: string;
  /** Transactions run item by item. */
  transactions: number;
  stop(): Promise<void>;
}

export async function startDynamoDbFront(target: string): Promise<DynamoDbFront> {
  const dynalite = upstream(target);
  const call = (req: http.IncomingMessage, operation: string, body: Buffer) => dynalite.forward(req, body, { 'x-amz-target': TARGET + operation });
  const front = { transactions: 0 } as { transactions: number };

  const reply = (res: http.ServerResponse, status: number, payload: unknown) => replyJson(res, status, payload, CONTENT_TYPE);

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
    relay(res, await call(req, operation, body));
  };

  const server = await serveFront('dynamodb front', CONTENT_TYPE, handle);
  return Object.assign(front, {
    endpoint: server.endpoint,
    async stop() {
      dynalite.destroy();
      await server.close();
    },
  });
}
