import { ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { KinesaliteServer, startKinesalite } from './kinesalite';

describe('kinesalite support', () => {
  let server: KinesaliteServer;
  beforeAll(async () => { server = await startKinesalite(); });
  afterAll(async () => { await server.stop(); });

  test('starts on a free loopback port and serves PutRecords and ListShards', async () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await server.createStream('support-test', 2);
    const client = server.client();
    const put = await client.send(new PutRecordsCommand({
      StreamName: 'support-test',
      Records: [{ PartitionKey: 'a', Data: Buffer.from('x') }, { PartitionKey: 'b', Data: Buffer.from('y') }],
    }));
    expect(put.FailedRecordCount).toBe(0);
    const shards = await client.send(new ListShardsCommand({ StreamName: 'support-test' }));
    expect(shards.Shards).toHaveLength(2);
  });
});
