/**
 * The sample event of the Lambda developer guide for Kinesis (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html),
 * verbatim: two records of partition key 1 in shard 6.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { createKinesisHandler, processKinesisBatch } from '../../../lambda/consumer';

const documented: KinesisStreamEvent = {
  Records: [
    {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: '1',
        sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
        data: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==',
        approximateArrivalTimestamp: 1545084650.987,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000006:49590338271490256608559692538361571095921575989136588898',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
      awsRegion: 'us-east-2',
      eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
    },
    {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: '1',
        sequenceNumber: '49590338271490256608559692540925702759324208523137515618',
        data: 'VGhpcyBpcyBvbmx5IGEgdGVzdC4=',
        approximateArrivalTimestamp: 1545084711.166,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000006:49590338271490256608559692540925702759324208523137515618',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
      awsRegion: 'us-east-2',
      eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
    },
  ],
};

test('both records reach the handler, decoded, in order', async () => {
  const seen: string[] = [];
  const response = await createKinesisHandler((body: Buffer, record) => {
    seen.push(`${record.shardId} ${record.partitionKey} ${body.toString()}`);
  })(documented);
  expect(response).toEqual({ batchItemFailures: [] });
  expect(seen).toEqual(['shardId-000000000006 1 Hello, this is a test.', 'shardId-000000000006 1 This is only a test.']);
});

test('a failure of the first record holds back the second, and Lambda is told to resume at the first', async () => {
  const seen: string[] = [];
  const outcome = await processKinesisBatch(documented, (body) => {
    if (body.toString().startsWith('Hello')) throw new Error('downstream unavailable');
    seen.push(body.toString());
  }, { onFailure: () => undefined });
  expect(seen).toEqual([]);
  expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: '49590338271490256608559692538361571095921575989136588898' }]);
  expect(outcome.failures[0].message).toBe("shardId-000000000006 sequence 49590338271490256608559692538361571095921575989136588898/0 (partition key '1'): handler failed: downstream unavailable");
});

test('a failure of the second record is reported by its own sequence number', async () => {
  const outcome = await processKinesisBatch(documented, (body) => {
    if (body.toString().startsWith('This')) throw new Error('bad record');
  }, { onFailure: () => undefined });
  expect(outcome).toMatchObject({ handled: 1, batchItemFailures: [{ itemIdentifier: '49590338271490256608559692540925702759324208523137515618' }] });
});
