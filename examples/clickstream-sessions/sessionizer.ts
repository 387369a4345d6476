/**
 * The user's own handler: folds each user's clicks into sessions (a session ends after 30 minutes without a click).
 * The construct bundles this file with the consumer runtime at synth time; in a project of your own, import the
 * runtime from 'cdk-kinesis-patterns/consumer'.
 *
 * Sessions are only correct if a user's clicks are folded in order and exactly once: the runtime hands a user's
 * clicks over one after the other, stops that user at a failure (other users go on), and with idempotency skips the
 * clicks a retried batch already folded in.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { consumerOptionsFromEnvironment, createKinesisHandler, jsonParser } from '../../lambda/consumer';

interface Click { readonly user: string; readonly page: string; readonly at: number }
interface Session {
  readonly user: string;
  readonly sk: string;
  readonly start: number;
  readonly last: number;
  readonly clicks: number;
  readonly pages: string[];
}

const SESSION_GAP_MS = 30 * 60 * 1000;
const CURRENT = 'CURRENT';

// One client per container, shared with the checkpoint store.
const client = new DynamoDBClient({});
const documents = DynamoDBDocumentClient.from(client);
const table = process.env.SESSIONS_TABLE!;

function validate(value: unknown): Click {
  const c = value as Partial<Click>;
  if (typeof c.user !== 'string' || typeof c.page !== 'string' || typeof c.at !== 'number') {
    throw new Error(`not a click: ${JSON.stringify(value)}`);
  }
  return c as Click;
}

async function foldClick(click: Click): Promise<void> {
  const read = await documents.send(new GetCommand({ TableName: table, Key: { user: click.user, sk: CURRENT }, ConsistentRead: true }));
  const current = read.Item as Session | undefined;
  const continues = current !== undefined && click.at - current.last <= SESSION_GAP_MS;
  const next: Session = continues
    ? { ...current, last: Math.max(current.last, click.at), clicks: current.clicks + 1, pages: [...current.pages, click.page].slice(-50) }
    : { user: click.user, sk: CURRENT, start: click.at, last: click.at, clicks: 1, pages: [click.page] };
  const writes: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [{ Put: { TableName: table, Item: next } }];
  // The previous session is over: keep it under its start time, in the same transaction as the new one.
  if (current && !continues) writes.push({ Put: { TableName: table, Item: { ...current, sk: `session#${current.start}` } } });
  await documents.send(new TransactWriteCommand({ TransactItems: writes }));
}

export const handler = createKinesisHandler(foldClick, { parser: jsonParser(validate), ...consumerOptionsFromEnvironment(client) });
