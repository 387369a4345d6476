/**
 * The bundled stream-to-DynamoDB handler: JSON records become items through the consumer runtime, with per-key order,
 * batch item failures and conditional writes. Configured entirely by environment variables set by `DynamoDbStreamSink`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbSink } from './dynamodb-sink';
import { consumerOptionsFromEnvironment } from './environment';
import { createKinesisHandler, jsonParser } from './processor';

// One client per container, shared by the sink and the checkpoint store.
const client = new DynamoDBClient({});
const sink = DynamoDbSink.fromEnvironment(client);

export const handler = createKinesisHandler(sink.handle, { parser: jsonParser(), ...consumerOptionsFromEnvironment(client) });
