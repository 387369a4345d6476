/**
 * Consumes the alerts the Flink job writes: each alert becomes an item of the alerts table (one per transaction,
 * so a replayed alert overwrites itself instead of duplicating), where the fraud team's case tool picks it up.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { consumerOptionsFromEnvironment, createKinesisHandler, jsonParser } from '../../lambda/consumer';

/** What the job writes to the `alerts` sink (see job/README.md). */
interface Alert {
  readonly transactionId: string;
  readonly cardId: string;
  readonly amount: number;
  readonly mean: number;
  readonly stddev: number;
  readonly zScore: number;
  readonly windowEnd: string;
}

const client = new DynamoDBClient({});
const documents = DynamoDBDocumentClient.from(client);
const table = process.env.ALERTS_TABLE!;

function validate(value: unknown): Alert {
  const a = value as Partial<Alert>;
  if (typeof a.transactionId !== 'string' || typeof a.cardId !== 'string' || typeof a.amount !== 'number'
    || typeof a.zScore !== 'number' || typeof a.mean !== 'number' || typeof a.stddev !== 'number') {
    throw new Error(`not an alert: ${JSON.stringify(value)}`);
  }
  return a as Alert;
}

async function storeAlert(alert: Alert): Promise<void> {
  await documents.send(new PutCommand({
    TableName: table,
    Item: {
      cardId: alert.cardId,
      transactionId: alert.transactionId,
      amount: alert.amount,
      mean: alert.mean,
      stddev: alert.stddev,
      zScore: alert.zScore,
      windowEnd: alert.windowEnd,
    },
  }));
}

export const handler = createKinesisHandler(storeAlert, { parser: jsonParser(validate), ...consumerOptionsFromEnvironment(client) });
