/**
 * The anomaly-detection job's choice of Flink connectors from the property groups the Flink application construct
 * renders (FLINK-CONTRACT: `source.<name>`, `sink.<name>`, `application`), read with the job's own code
 * (`explain.py` prints what `main.py` would create, without starting Flink).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { propertyGroups, runJobScript } from './support/pyflink';

const REGION = 'eu-west-1';
const STREAM_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/transactions';
const ALERTS_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/alerts';
const JSON_FORMAT = { 'format': 'json', 'json.timestamp-format.standard': 'ISO-8601' };

const kinesisSource = (extra: Record<string, string> = {}) => ({
  'connector': 'kinesis', 'stream.name': 'transactions', 'stream.arn': STREAM_ARN, 'aws.region': REGION, ...extra,
});
const kinesisSink = { 'connector': 'kinesis', 'stream.name': 'alerts', 'stream.arn': ALERTS_ARN, 'aws.region': REGION };

let work: string;
let counter = 0;
beforeAll(() => { work = mkdtempSync(path.join(tmpdir(), 'flink-props-')); });
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function explain(groups: Record<string, Record<string, string>>, args: string[] = []) {
  const file = path.join(work, `properties-${counter++}.json`);
  writeFileSync(file, propertyGroups(groups));
  return runJobScript('explain.py', file, 30_000, args);
}

async function options(groups: Record<string, Record<string, string>>) {
  const run = await explain(groups);
  if (run.exitCode !== 0) throw new Error(`explain.py exited with ${run.exitCode}: ${run.output}`);
  return JSON.parse(run.output);
}

async function failure(groups: Record<string, Record<string, string>>): Promise<string> {
  const run = await explain(groups);
  expect(run.exitCode).toBe(2);
  return run.output.trim();
}

describe('kinesis source', () => {
  test('POLLING from LATEST by default, with the stream ARN and region; other aws.* keys pass through', async () => {
    const out = await options({
      'source.transactions': kinesisSource({ 'read.mode': 'POLLING', 'aws.endpoint': 'http://127.0.0.1:4567' }),
      'sink.alerts': kinesisSink,
    });
    expect(out.transactions).toEqual({
      'connector': 'kinesis',
      'stream.arn': STREAM_ARN,
      'aws.region': REGION,
      'aws.endpoint': 'http://127.0.0.1:4567',
      'source.init.position': 'LATEST',
      'source.reader.type': 'POLLING',
      ...JSON_FORMAT,
    });
  });

  test('EFO uses the consumer the construct registered (SELF_MANAGED), from TRIM_HORIZON', async () => {
    const out = await options({
      'source.transactions': kinesisSource({
        'read.mode': 'EFO',
        'efo.consumer.name': 'anomaly-detection',
        'efo.consumer.arn': `${STREAM_ARN}/consumer/anomaly-detection:1700000000`,
        'initial.position': 'TRIM_HORIZON',
      }),
      'sink.alerts': kinesisSink,
    });
    expect(out.transactions).toMatchObject({
      'source.reader.type': 'EFO',
      'source.efo.consumer.name': 'anomaly-detection',
      'source.efo.lifecycle': 'SELF_MANAGED',
      'source.init.position': 'TRIM_HORIZON',
    });
    expect(out.transactions).not.toHaveProperty('efo.consumer.arn');
  });

  test('AT_TIMESTAMP turns the ISO-8601 timestamp into the connector\'s format, in UTC', async () => {
    const out = await options({
      'source.transactions': kinesisSource({ 'initial.position': 'AT_TIMESTAMP', 'initial.timestamp': '2026-01-31T13:00:00+01:00' }),
      'sink.alerts': kinesisSink,
    });
    expect(out.transactions).toMatchObject({ 'source.init.position': 'AT_TIMESTAMP', 'source.init.timestamp': '2026-01-31T12:00:00.000+00:00' });
  });
});

describe('sinks', () => {
  const source = { 'source.transactions': kinesisSource() };

  test('kinesis: the stream by ARN, records keyed by card', async () => {
    const out = await options({ ...source, 'sink.alerts': kinesisSink });
    expect(out.alerts).toEqual({ 'connector': 'kinesis', 'stream.arn': ALERTS_ARN, 'aws.region': REGION, ...JSON_FORMAT });
    expect(out.partitionedBy).toEqual(['cardId']);
    const sql = await explain({ ...source, 'sink.alerts': kinesisSink }, ['--sql']);
    expect(sql.output).toMatch(/CREATE TABLE `alerts` \([^;]*\)\nPARTITIONED BY \(`cardId`\)\nWITH \(/);
  });

  test('firehose: the delivery stream by name', async () => {
    const out = await options({
      ...source,
      'sink.alerts': {
        'connector': 'firehose',
        'delivery.stream.name': 'alerts-to-s3',
        'delivery.stream.arn': 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/alerts-to-s3',
        'aws.region': REGION,
      },
    });
    expect(out.alerts).toEqual({ 'connector': 'firehose', 'delivery-stream': 'alerts-to-s3', 'aws.region': REGION, ...JSON_FORMAT });
    expect(out.partitionedBy).toEqual([]);
  });

  test('s3: Flink\'s filesystem connector on the s3:// path', async () => {
    const out = await options({
      ...source,
      'sink.alerts': { 'connector': 's3', 'bucket.name': 'alerts', 'bucket.arn': 'arn:aws:s3:::alerts', 'path': 's3://alerts/anomalies/', 'aws.region': REGION },
    });
    expect(out.alerts).toEqual({ connector: 'filesystem', path: 's3://alerts/anomalies/', ...JSON_FORMAT });
  });
});

describe('application settings', () => {
  const tables = { 'source.transactions': kinesisSource(), 'sink.alerts': kinesisSink };

  test('documented defaults without an application group', async () => {
    expect((await options(tables)).settings).toEqual({
      zscore_threshold: 3, min_prior_transactions: 5, window_minutes: 60, min_stddev: 0.01, watermark_delay_seconds: 5, source_idle_timeout_seconds: 60,
    });
    expect((await options(tables)).tableConfig).toEqual({ 'table.exec.source.idle-timeout': '60 s' });
  });

  test('values from the application group', async () => {
    const out = await options({
      ...tables,
      application: { 'zscore.threshold': '4.5', 'min.prior.transactions': '10', 'window.minutes': '1440', 'min.stddev': '1', 'watermark.delay.seconds': '30', 'source.idle.timeout.seconds': '0' },
    });
    expect(out.settings).toEqual({
      zscore_threshold: 4.5, min_prior_transactions: 10, window_minutes: 1440, min_stddev: 1, watermark_delay_seconds: 30, source_idle_timeout_seconds: 0,
    });
    expect(out.tableConfig).toEqual({ 'table.exec.source.idle-timeout': '0 s' });
  });
});

describe('errors name the group, the key and the value', () => {
  const source = { 'source.transactions': kinesisSource() };

  test.each([
    ['no sink group', source, /has no property group 'sink.alerts' \(groups: \['source.transactions'\]\)/],
    ['an unknown connector', { ...source, 'sink.alerts': { connector: 'kafka' } }, /'sink.alerts': 'connector' is 'kafka', expected one of \['kinesis', 'firehose', 's3', 'filesystem'\]/],
    ['a kinesis sink without its ARN', { ...source, 'sink.alerts': { 'connector': 'kinesis', 'aws.region': REGION } }, /'sink.alerts' has no 'stream.arn'/],
    ['EFO without a consumer', { 'source.transactions': kinesisSource({ 'read.mode': 'EFO' }), 'sink.alerts': kinesisSink }, /'source.transactions' has no 'efo.consumer.name'/],
    ['an unknown read mode', { 'source.transactions': kinesisSource({ 'read.mode': 'FANOUT' }), 'sink.alerts': kinesisSink }, /'read.mode' is 'FANOUT', expected one of \['POLLING', 'EFO'\]/],
    ['an s3 path that is not s3://', { ...source, 'sink.alerts': { 'connector': 's3', 'path': 'alerts/', 'aws.region': REGION } }, /'path' is 'alerts\/', expected s3:\/\/bucket\/prefix\//],
    ['a threshold that is not a number', { ...source, 'sink.alerts': kinesisSink, 'application': { 'zscore.threshold': 'high' } }, /'application': 'zscore.threshold' is 'high', not a number/],
    ['a window over 99 days', { ...source, 'sink.alerts': kinesisSink, 'application': { 'window.minutes': '200000' } }, /'window.minutes' is 200000, expected between 1 and 142560/],
  ])('%s', async (_name, groups, message) => {
    expect(await failure(groups as Record<string, Record<string, string>>)).toMatch(message);
  });

  test('a missing properties file names the path', async () => {
    const run = await runJobScript('explain.py', path.join(work, 'absent.json'), 30_000);
    expect(run.exitCode).toBe(2);
    expect(run.output).toMatch(/cannot read runtime properties .*absent\.json: No such file or directory/);
  });
});
