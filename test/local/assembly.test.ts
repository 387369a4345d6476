import * as fs from 'fs';
import * as path from 'path';
import { synthExample } from './support';
import { LocalRunError, readAssembly } from '../../local/assembly';

describe('reading a cloud assembly', () => {
  test('clickstream-sessions: event source mappings with their settings, tables, and the consumer outside the app skipped', () => {
    const dir = synthExample('clickstream-sessions');
    const p = readAssembly(dir, 'clickstream-sessions');
    expect(p.streams).toEqual([expect.objectContaining({ id: expect.stringMatching(/^Clicks/), shardCount: 3 })]);
    const sessionizer = p.consumers.find((c) => c.id === 'Sessionizer')!;
    expect(sessionizer).toMatchObject({
      batchSize: 500,
      batchingWindowSeconds: 5,
      parallelizationFactor: 1,
      bisectOnError: true,
      maxRetryAttempts: 5,
      reportBatchItemFailures: true,
      failureDestination: expect.stringMatching(/^SessionizerFailureQueue/),
    });
    expect(fs.existsSync(path.join(sessionizer.fn.codeDir, 'index.js'))).toBe(true);
    // References in the environment are resolved to the local names of what they point at.
    expect(sessionizer.fn.environment.SESSIONS_TABLE).toBe(p.tables.find((t) => t.id.startsWith('Sessions'))!.name);
    expect(p.consumers.find((c) => c.id === 'LastSeenConsumer' || c.id === 'LastSeen')).toMatchObject({ batchSize: 1000 });
    expect(p.skipped.join('\n')).toMatch(/FraudEventSourceMapping.*outside this app/);
    // Nothing in the app writes to the stream: the bundled producer stands in.
    expect(p.producers).toHaveLength(1);
    expect(p.producers[0].fn).toBeUndefined();
    expect(p.useCase).toBe('clickstream');
  });

  test('iot-telemetry: the app\'s producer function and its stream', () => {
    const p = readAssembly(synthExample('iot-telemetry'), 'iot-telemetry');
    expect(p.producers).toHaveLength(1);
    expect(p.producers[0].fn?.environment).toMatchObject({ PARTITION_KEY_PATH: 'deviceId', STREAM_ARN: p.streams[0].arn });
    expect(p.useCase).toBe('telemetry');
    expect(p.skipped.join('\n')).toMatch(/API Gateway REST API/);
  });

  test('logs-to-s3: a direct PUT delivery stream with its prefixes, buffering, compression and transform', () => {
    const p = readAssembly(synthExample('logs-to-s3'), 'logs-to-s3');
    expect(p.streams).toHaveLength(0);
    expect(p.deliveryStreams).toEqual([expect.objectContaining({
      name: 'app-logs',
      source: undefined,
      destination: 's3',
      dynamicPartitioning: true,
      bufferSeconds: 300,
      bufferBytes: 64 * 1024 * 1024,
      output: expect.objectContaining({ prefix: 'logs/service=!{partitionKeyFromLambda:service}/date=!{timestamp:yyyy-MM-dd}/', compression: 'GZIP', fileExtension: '.jsonl.gz' }),
    })]);
    expect(p.deliveryStreams[0].transform).toBeDefined();
    expect(p.useCase).toBe('logs');
  });

  test('transactions-to-redshift: the Redshift delivery is staged in S3 and the cluster is skipped', () => {
    const p = readAssembly(synthExample('transactions-to-redshift'), 'transactions-to-redshift');
    expect(p.deliveryStreams[0]).toMatchObject({ destination: 'redshift', source: p.streams[0] });
    expect(p.deliveryStreams[0].notes.join('\n')).toMatch(/COPY into ledger.transactions is not simulated/);
    expect(p.skipped.join('\n')).toMatch(/Redshift cluster/);
    expect(p.useCase).toBe('transactions');
  });

  test('a folder without manifest.json is not a cloud assembly', () => {
    expect(() => readAssembly(path.join(__dirname), 'x')).toThrow(LocalRunError);
  });
});
