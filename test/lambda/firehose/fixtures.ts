import type { FirehoseTransformationEvent, FirehoseTransformationEventRecord } from 'aws-lambda';
import { TRANSFORM_CONFIG_VERSION, type TransformConfig } from '../../../src/contracts/transform-config';

/**
 * The sample events of the AWS documentation: a direct PUT event (Lambda developer guide, "Using Lambda with
 * Firehose") and a Kinesis-stream-source event with `kinesisRecordMetadata` (Firehose developer guide).
 */
export const DOCUMENTED_EVENT: FirehoseTransformationEvent = {
  invocationId: 'invocationIdExample',
  deliveryStreamArn: 'arn:aws:kinesis:EXAMPLE',
  region: 'us-east-1',
  records: [
    {
      recordId: '49546986683135544286507457936321625675700192471156785154',
      approximateArrivalTimestamp: 1495072949453,
      data: 'SGVsbG8gV29ybGQ=',
    },
  ],
};

export const DOCUMENTED_KINESIS_RECORD: FirehoseTransformationEventRecord = {
  recordId: '49546986683135544286507457936321625675700192471156785154',
  approximateArrivalTimestamp: 1495072949453,
  data: 'SGVsbG8gV29ybGQ=',
  kinesisRecordMetadata: {
    sequenceNumber: '49545115243490985018280067714973144582180062593244200961',
    subsequenceNumber: '123456',
    partitionKey: 'partitionKey-03',
    shardId: 'shardId-000000000000',
    approximateArrivalTimestamp: 1495072949453,
  },
};

/** A documented-shape event whose records carry `payloads` (objects are JSON-encoded, strings taken as is). */
export function eventOf(
  payloads: Array<string | object>,
  template: FirehoseTransformationEventRecord = DOCUMENTED_EVENT.records[0],
): FirehoseTransformationEvent {
  return {
    ...DOCUMENTED_EVENT,
    records: payloads.map((p, i) => ({
      ...template,
      recordId: `${template.recordId}${String(i).padStart(6, '0')}`,
      data: Buffer.from(typeof p === 'string' ? p : JSON.stringify(p), 'utf8').toString('base64'),
    })),
  };
}

/** A transform configuration with nothing enabled but the newline. */
export function config(overrides: Partial<TransformConfig> = {}): TransformConfig {
  return {
    version: TRANSFORM_CONFIG_VERSION,
    requiredFields: [],
    keepFields: [],
    renameFields: [],
    dropFields: [],
    filters: [],
    partitionKeys: [],
    appendNewline: true,
    ...overrides,
  };
}

/** Decodes a response entry's data. */
export function decode(data: string | undefined): string {
  return Buffer.from(data ?? '', 'base64').toString('utf8');
}

/** Swallows the batch summary. */
export const quiet = { log: () => undefined };
