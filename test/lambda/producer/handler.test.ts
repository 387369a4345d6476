import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { decode, evenShards, MockKinesis } from './mock-kinesis';
import { KinesisProducer } from '../../../lambda/producer';
import { ProducerEnv, readConfig } from '../../../lambda/producer/handler/config';
import { BadRequestError, parseInvocation, toRecord } from '../../../lambda/producer/handler/events';
import { FailureMessage, FailureQueue } from '../../../lambda/producer/handler/failure-queue';
import { createProducerHandler, TIMEOUT_RESERVE_MS } from '../../../lambda/producer/handler/producer-handler';
import { SqsLimits } from '../../../src/validation/limits';

class MockSqs {
  public readonly batches: Array<Array<{ Id: string; MessageBody: string }>> = [];
  public failOnce = new Set<string>();
  public throwAll = false;
  /** Refuses, as the sender's fault, bodies longer than this (a queue whose MaximumMessageSize is below the SQS limit). */
  public maxBodyBytes = Infinity;
  public readonly client = { send: (c: SendMessageBatchCommand) => this.send(c) } as unknown as SQSClient;
  public get messages(): FailureMessage[] {
    return this.batches.flat().map((e) => JSON.parse(e.MessageBody));
  }
  private async send(command: SendMessageBatchCommand) {
    if (this.throwAll) throw new Error('queue unreachable');
    const entries = command.input.Entries as Array<{ Id: string; MessageBody: string }>;
    const tooLong = entries.filter((e) => Buffer.byteLength(e.MessageBody) > this.maxBodyBytes);
    const failed = entries.filter((e) => !tooLong.includes(e) && this.failOnce.delete(e.Id));
    const sent = entries.filter((e) => !failed.includes(e) && !tooLong.includes(e));
    this.batches.push(sent);
    return {
      Successful: sent.map((e) => ({ Id: e.Id })),
      Failed: [
        ...failed.map((e) => ({ Id: e.Id, SenderFault: false, Code: 'ServiceUnavailable' })),
        ...tooLong.map((e) => ({ Id: e.Id, SenderFault: true, Code: 'InvalidParameterValue', Message: `Message must be shorter than ${this.maxBodyBytes} bytes` })),
      ],
    };
  }
}

describe('handler configuration', () => {
  test('reads the environment, with defaults', () => {
    expect(readConfig({ [ProducerEnv.STREAM_NAME]: 's' })).toEqual({
      streamArn: undefined,
      streamName: 's',
      partitionKeyPath: undefined,
      aggregate: false,
      bufferTimeMs: undefined,
      maxBufferedRecords: undefined,
      maxRecordSizeBytes: 1024 * 1024,
      percentOfShardLimit: undefined,
      maxAttempts: undefined,
      failureQueueUrl: undefined,
      maxPayloadBytes: undefined,
    });
    const c = readConfig({ STREAM_ARN: 'arn', PARTITION_KEY_PATH: 'device.id', AGGREGATION_ENABLED: 'TRUE', BUFFER_TIME_MS: '0', MAX_RECORD_SIZE_KIB: '2048', FAILURE_QUEUE_URL: 'q' });
    expect(c).toMatchObject({ streamArn: 'arn', partitionKeyPath: ['device', 'id'], aggregate: true, bufferTimeMs: 0, maxRecordSizeBytes: 2048 * 1024, failureQueueUrl: 'q' });
  });

  test('refuses a wrong value at cold start, naming the variable and the range', () => {
    expect(() => readConfig({})).toThrow(/STREAM_ARN or STREAM_NAME/);
    expect(() => readConfig({ STREAM_NAME: 's', AGGREGATION_ENABLED: 'yes' })).toThrow(/AGGREGATION_ENABLED is 'yes'; use 'true' or 'false'/);
    expect(() => readConfig({ STREAM_NAME: 's', MAX_RECORD_SIZE_KIB: '512' })).toThrow(/MAX_RECORD_SIZE_KIB is '512'; it must be an integer from 1024 to 10240/);
    expect(() => readConfig({ STREAM_NAME: 's', BUFFER_TIME_MS: '1.5' })).toThrow(/BUFFER_TIME_MS/);
  });
});

describe('event contract', () => {
  test('accepts direct batches and API Gateway bodies (REST, HTTP API, base64)', () => {
    expect(parseInvocation({ records: [1, 2] })).toEqual({ events: [1, 2], http: false });
    expect(parseInvocation([{ a: 1 }])).toEqual({ events: [{ a: 1 }], http: false });
    expect(parseInvocation({ httpMethod: 'POST', body: '[{"a":1}]', requestContext: {} })).toEqual({ events: [{ a: 1 }], http: true });
    const b64 = Buffer.from('{"records":[{"b":2}]}').toString('base64');
    expect(parseInvocation({ routeKey: 'POST /events', body: b64, isBase64Encoded: true, requestContext: {} })).toEqual({ events: [{ b: 2 }], http: true });
    expect(() => parseInvocation({ httpMethod: 'POST', body: '{oops', requestContext: {} })).toThrow(BadRequestError);
    expect(() => parseInvocation({ records: 'x' })).toThrow(/expected a JSON array of events/);
  });

  test('refuses a body above the payload limit whole, with 413, counting decoded bytes', () => {
    const body = JSON.stringify([{ id: 'é'.repeat(50) }]); // 'é' is two bytes in UTF-8
    const bytes = Buffer.byteLength(body);
    expect(parseInvocation({ httpMethod: 'POST', body, requestContext: {} }, bytes).events).toHaveLength(1);
    const b64 = { httpMethod: 'POST', body: Buffer.from(body).toString('base64'), isBase64Encoded: true, requestContext: {} };
    expect(() => parseInvocation(b64, bytes - 1)).toThrow(`the request body is ${bytes} bytes, above the limit of ${bytes - 1} bytes: send fewer events per request`);
    try {
      parseInvocation(b64, bytes - 1);
    } catch (err) {
      expect((err as BadRequestError).status).toBe(413);
    }
    // Direct invocations have no body to measure: Lambda's own payload limit applies.
    expect(parseInvocation([{ id: 'x' }], 1).events).toHaveLength(1);
  });

  test('reads the partition key at a dot path; strings and numbers only', () => {
    const random = () => 'random-key';
    expect(toRecord({ device: { id: 'd-1' } }, ['device', 'id'], random)).toEqual({ partitionKey: 'd-1', data: Buffer.from('{"device":{"id":"d-1"}}') });
    expect(toRecord({ items: [{ id: 7 }] }, ['items', '0', 'id'], random)).toMatchObject({ partitionKey: '7' });
    expect(toRecord({ device: {} }, ['device', 'id'], random)).toMatch(/no string or number at 'device.id'/);
    expect(toRecord('plain', ['id'], random)).toMatch(/no string or number/);
    expect(toRecord({ x: 1 }, undefined, random)).toMatchObject({ partitionKey: 'random-key' });
  });
});

describe('FailureQueue', () => {
  const result = (index: number, size = 10) => ({
    index,
    record: { partitionKey: `k${index}`, data: Buffer.alloc(size, 1) },
    succeeded: false,
    attempts: 3,
    possibleDuplicate: false,
    error: { code: 'InternalFailure', message: 'boom', retryable: true } as never,
  });

  test('sends batches of at most 10, retries refused entries once, and omits data that would not fit', async () => {
    const sqs = new MockSqs();
    sqs.failOnce.add('3');
    const queued = await new FailureQueue(sqs.client, 'q').send('s', [...Array.from({ length: 23 }, (_, i) => result(i)), result(23, SqsLimits.MAX_MESSAGE_BYTES)]);
    expect(queued.size).toBe(24);
    expect(sqs.batches.every((b) => b.length <= SqsLimits.MAX_MESSAGES_PER_SEND_BATCH)).toBe(true);
    const byIndex = new Map(sqs.messages.map((m) => [m.index, m]));
    expect(byIndex.get(3)).toMatchObject({ stream: 's', partitionKey: 'k3', errorCode: 'InternalFailure', attempts: 3, data: Buffer.alloc(10, 1).toString('base64') });
    expect(byIndex.get(23)).toMatchObject({ dataOmittedBytes: SqsLimits.MAX_MESSAGE_BYTES });
    expect(byIndex.get(23)!.data).toBeUndefined();
  });

  test('a message a smaller queue refuses is queued again without its data, naming why', async () => {
    const sqs = new MockSqs();
    sqs.maxBodyBytes = 262_144;
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const queued = await new FailureQueue(sqs.client, 'q').send('s', [result(0), result(1, 300_000)]);
    error.mockRestore();
    expect([...queued].sort()).toEqual([0, 1]);
    const byIndex = new Map(sqs.messages.map((m) => [m.index, m]));
    expect(byIndex.get(0)!.data).toBeDefined();
    expect(byIndex.get(1)).toMatchObject({ partitionKey: 'k1', errorCode: 'InternalFailure', dataOmittedBytes: 300_000, dataRefusedCode: 'InvalidParameterValue' });
    expect(byIndex.get(1)!.data).toBeUndefined();
  });

  test('a message refused even without its data is reported unqueued, never retried forever', async () => {
    const sqs = new MockSqs();
    sqs.maxBodyBytes = 10;
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const queued = await new FailureQueue(sqs.client, 'q').send('s', [result(0)]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('failure queue refused a message'));
    error.mockRestore();
    expect(queued.size).toBe(0);
    expect(sqs.messages).toEqual([]);
  });

  test('reports nothing queued when the queue is unreachable', async () => {
    const sqs = new MockSqs();
    sqs.throwAll = true;
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect((await new FailureQueue(sqs.client, 'q').send('s', [result(0)])).size).toBe(0);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});

describe('producer handler', () => {
  const context = (ms = 30_000) => ({ getRemainingTimeInMillis: () => ms });
  let log: jest.SpyInstance;
  beforeEach(() => { log = jest.spyOn(console, 'log').mockImplementation(() => undefined); });
  afterEach(() => log.mockRestore());

  function setup(script?: MockKinesis['script']) {
    const mock = new MockKinesis(evenShards(2));
    if (script) mock.script = script;
    const sqs = new MockSqs();
    const config = readConfig({ STREAM_NAME: 'telemetry', PARTITION_KEY_PATH: 'deviceId', FAILURE_QUEUE_URL: 'q', BUFFER_TIME_MS: '1' });
    const producer = new KinesisProducer({ client: mock.client, streamName: 'telemetry', bufferTimeMs: 1, rateLimit: false });
    const handler = createProducerHandler({ config, producer, failureQueue: new FailureQueue(sqs.client, 'q') });
    return { mock, sqs, handler };
  }

  test('writes the events, keyed by the field, and answers one result per event in input order', async () => {
    const { mock, sqs, handler } = setup();
    const response = await handler({ records: [{ deviceId: 'd1', t: 1 }, { t: 2 }, { deviceId: 'd2', t: 3 }] }, context()) as { results: Array<Record<string, unknown>> };
    expect(response).toMatchObject({ total: 3, succeeded: 2, failed: 1, failureQueued: 1 });
    expect(response.results.map((r) => [r.index, r.status])).toEqual([[0, 'ok'], [1, 'failed'], [2, 'ok']]);
    expect(response.results[1]).toMatchObject({ errorCode: 'ValidationError', retryable: false, failureQueued: true });
    expect(mock.written.map((e) => [e.PartitionKey, decode(e.Data)])).toEqual(expect.arrayContaining([['d1', '{"deviceId":"d1","t":1}'], ['d2', '{"deviceId":"d2","t":3}']]));
    expect(sqs.messages).toEqual([expect.objectContaining({ index: 1, errorCode: 'ValidationError', data: Buffer.from('{"t":2}').toString('base64') })]);
  });

  test('answers API Gateway with 200, 207, 400 and 503', async () => {
    const ok = setup();
    const http = (body: unknown) => ({ httpMethod: 'POST', body: JSON.stringify(body), requestContext: {} });
    expect(await ok.handler(http([{ deviceId: 'a' }]), context())).toMatchObject({ statusCode: 200 });
    expect(await ok.handler(http([{ deviceId: 'a' }, {}]), context())).toMatchObject({ statusCode: 207 });
    expect(await ok.handler(http([{}]), context())).toMatchObject({ statusCode: 400 });
    const limited = createProducerHandler({
      config: readConfig({ STREAM_NAME: 'telemetry', PARTITION_KEY_PATH: 'deviceId', MAX_PAYLOAD_BYTES: '20' }),
      producer: new KinesisProducer({ client: new MockKinesis(evenShards(1)).client, streamName: 'telemetry', rateLimit: false }),
    });
    expect(await limited(http([{ deviceId: 'a-rather-long-device-id' }]), context())).toMatchObject({ statusCode: 413 });
    expect(await ok.handler({ httpMethod: 'POST', body: 'nope', requestContext: {} }, context())).toMatchObject({ statusCode: 400 });
    await expect(ok.handler({ nope: true }, context())).rejects.toThrow(/expected a JSON array/);
    const down = setup(() => {
      throw Object.assign(new Error('gone'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    });
    const answer = await down.handler(http([{ deviceId: 'a' }]), context()) as { statusCode: number; body: string };
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body).results[0]).toMatchObject({ errorCode: 'ResourceNotFoundException', failureQueued: true });
  });

  test('gives up before the function times out and queues what is still pending', async () => {
    const { sqs, handler } = setup(() => new Promise(() => undefined));
    const started = Date.now();
    const response = await handler([{ deviceId: 'a' }, { deviceId: 'b' }], context(TIMEOUT_RESERVE_MS + 100)) as { results: Array<Record<string, unknown>> };
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.results.map((r) => r.errorCode)).toEqual(['FunctionTimeout', 'FunctionTimeout']);
    expect(response.results.every((r) => r.possibleDuplicate === true && r.failureQueued === true)).toBe(true);
    expect(sqs.messages.map((m) => m.errorCode)).toEqual(['FunctionTimeout', 'FunctionTimeout']);
  });
});

describe('bundled handler module', () => {
  test('creates its clients at load from the environment, and refuses to load without a stream', () => {
    const saved = { ...process.env };
    try {
      process.env.AWS_REGION = 'us-east-1';
      delete process.env.STREAM_NAME;
      delete process.env.STREAM_ARN;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(() => require('../../../lambda/producer/put-records.handler')).toThrow(/STREAM_ARN or STREAM_NAME/);
      });
      process.env.STREAM_NAME = 's';
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        expect(typeof require('../../../lambda/producer/put-records.handler').handler).toBe('function');
      });
    } finally {
      process.env = saved;
    }
  });
});
