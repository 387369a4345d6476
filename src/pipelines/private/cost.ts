import { PipelinePlanLine } from '../pipeline-plan';
import { PipelinePricing } from '../pipeline-pricing';

/** The default prices, each stated once. */
export const DEFAULT_PIPELINE_PRICING: Required<Omit<PipelinePricing, 'kinesis' | 'flink'>> = {
  firehoseIngestGb: 0.029,
  firehoseDynamicPartitioningGb: 0.02,
  firehoseDynamicPartitioningThousandObjects: 0.005,
  firehoseFormatConversionGb: 0.018,
  lambdaGbSecond: 0.0000133334,
  lambdaMillionRequests: 0.2,
  dynamoDbMillionWriteRequestUnits: 0.625,
  apiGatewayMillionRequests: 3.5,
  sqsMillionRequests: 0.4,
  s3StorageGbMonth: 0.023,
  s3ThousandPutRequests: 0.005,
  cloudWatchAlarmMonth: 0.1,
  cloudWatchDashboardMonth: 3,
};

/** Seconds in the 730-hour month every estimate of the library assumes. */
export const SECONDS_PER_MONTH = 730 * 3600;
const GB = 1024 ** 3;
const FIREHOSE_BILLING_INCREMENT_BYTES = 5 * 1024;

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export type Prices = Required<Omit<PipelinePricing, 'kinesis' | 'flink'>>;

export function prices(pricing: PipelinePricing = {}): Prices {
  const { kinesis: _kinesis, flink: _flink, ...rest } = pricing;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_PIPELINE_PRICING, ...defined };
}

const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits });

function line(part: string, resource: string, capacity: string, items: Array<[string, number]>): PipelinePlanLine {
  const monthlyUsd = round2(items.reduce((s, [, usd]) => s + usd, 0));
  return { part, resource, capacity, monthlyUsd, basis: items.map(([what]) => what).join('; ') };
}

/** Firehose ingestion (5 KB increments per record), plus dynamic partitioning and format conversion when used. */
export function firehoseLine(part: string, p: Prices, averageRecordsPerSecond: number, recordBytes: number, options: {
  readonly dynamicPartitioning?: boolean;
  readonly formatConversion?: boolean;
  readonly objectsPerMonth?: number;
  readonly capacity: string;
}): PipelinePlanLine {
  const billedBytes = Math.ceil(recordBytes / FIREHOSE_BILLING_INCREMENT_BYTES) * FIREHOSE_BILLING_INCREMENT_BYTES;
  const billedGb = averageRecordsPerSecond * SECONDS_PER_MONTH * billedBytes / GB;
  const dataGb = averageRecordsPerSecond * SECONDS_PER_MONTH * recordBytes / GB;
  const items: Array<[string, number]> = [[`ingestion ${n(billedGb, 1)} GB billed in 5 KB increments x $${p.firehoseIngestGb}`, billedGb * p.firehoseIngestGb]];
  if (options.dynamicPartitioning) {
    items.push([`dynamic partitioning ${n(dataGb, 1)} GB x $${p.firehoseDynamicPartitioningGb}`, dataGb * p.firehoseDynamicPartitioningGb]);
    const objects = options.objectsPerMonth ?? 0;
    items.push([`${n(objects)} objects x $${p.firehoseDynamicPartitioningThousandObjects}/1000`, objects / 1000 * p.firehoseDynamicPartitioningThousandObjects]);
  }
  if (options.formatConversion) {
    items.push([`format conversion ${n(billedGb, 1)} GB x $${p.firehoseFormatConversionGb}`, billedGb * p.firehoseFormatConversionGb]);
  }
  return line(part, 'Firehose delivery stream', options.capacity, items);
}

/** Lambda requests and duration at an assumed average duration. */
export function lambdaLine(part: string, p: Prices, invocationsPerSecond: number, memoryMiB: number, assumedDurationMs: number,
  capacity: string): PipelinePlanLine {
  const invocations = invocationsPerSecond * SECONDS_PER_MONTH;
  const gbSeconds = invocations * (assumedDurationMs / 1000) * (memoryMiB / 1024);
  return line(part, 'Lambda function (arm64)', capacity, [
    [`${n(invocations)} requests x $${p.lambdaMillionRequests}/M`, invocations / 1e6 * p.lambdaMillionRequests],
    [`${n(gbSeconds)} GB-s (${memoryMiB} MiB, ${assumedDurationMs} ms assumed per invocation) x $${p.lambdaGbSecond}`, gbSeconds * p.lambdaGbSecond],
  ]);
}

/** DynamoDB on-demand writes: one write request unit per KB of item. */
export function dynamoDbLine(part: string, p: Prices, writesPerSecond: number, itemBytes: number, capacity: string): PipelinePlanLine {
  const units = Math.ceil(itemBytes / 1024);
  const wru = writesPerSecond * SECONDS_PER_MONTH * units;
  return line(part, 'DynamoDB table (on-demand)', capacity, [
    [`${n(wru)} write request units (${units} per item) x $${p.dynamoDbMillionWriteRequestUnits}/M`, wru / 1e6 * p.dynamoDbMillionWriteRequestUnits],
  ]);
}

export function apiGatewayLine(part: string, p: Prices, requestsPerSecond: number, capacity: string): PipelinePlanLine {
  const requests = requestsPerSecond * SECONDS_PER_MONTH;
  return line(part, 'API Gateway REST API', capacity, [[`${n(requests)} requests x $${p.apiGatewayMillionRequests}/M`, requests / 1e6 * p.apiGatewayMillionRequests]]);
}

/** S3 storage of one month of data (as delivered, before any lifecycle rule) and the PUTs that wrote it. */
export function s3Line(part: string, p: Prices, bytesPerMonth: number, putsPerMonth: number, compressed: boolean): PipelinePlanLine {
  const gb = bytesPerMonth / GB;
  return line(part, 'S3 bucket (Standard)', `${n(gb, 1)} GB a month${compressed ? ' before compression' : ''}`, [
    [`${n(gb, 1)} GB-month for one month of data${compressed ? ' (uncompressed size: compression lowers it)' : ''} x $${p.s3StorageGbMonth}`, gb * p.s3StorageGbMonth],
    [`${n(putsPerMonth)} PUTs x $${p.s3ThousandPutRequests}/1000`, putsPerMonth / 1000 * p.s3ThousandPutRequests],
  ]);
}

export function monitoringLine(part: string, p: Prices, alarms: number, dashboards: number): PipelinePlanLine {
  return line(part, 'CloudWatch alarms and dashboard', `${alarms} alarms, ${dashboards} dashboard(s)`, [
    [`${alarms} alarms x $${p.cloudWatchAlarmMonth}`, alarms * p.cloudWatchAlarmMonth],
    [`${dashboards} dashboard(s) x $${p.cloudWatchDashboardMonth}`, dashboards * p.cloudWatchDashboardMonth],
  ]);
}

/** What the data would cost through Firehose alone (direct PUT to S3) or an SQS queue, without a stream. */
export function alternatives(p: Prices, averageRecordsPerSecond: number, recordBytes: number): PipelinePlanLine[] {
  const firehose = firehoseLine('-', p, averageRecordsPerSecond, recordBytes, { capacity: 'scales itself' });
  // SendMessageBatch, ReceiveMessage and DeleteMessageBatch of 10 messages: 3 requests per 10 records, each 64 KiB
  // chunk of a request billed as one.
  const chunks = Math.ceil(Math.min(10 * recordBytes, 256 * 1024) / (64 * 1024));
  const requests = averageRecordsPerSecond * SECONDS_PER_MONTH * 0.3 * chunks;
  return [
    { ...firehose, resource: 'Firehose direct PUT to S3 (batch analytics)' },
    line('-', 'SQS standard queue with a Lambda consumer (work queue)', 'scales itself', [
      [`${n(requests)} requests (send, receive and delete in batches of 10) x $${p.sqsMillionRequests}/M`, requests / 1e6 * p.sqsMillionRequests],
    ]),
  ];
}
