import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { Construct } from 'constructs';
import { FirehoseLimits } from '../../validation/limits';
import { checkRange, fail, RuleScope, wholeSeconds } from '../../validation/rules';
import { DynamicPartitioning, RecordDeaggregation } from '../partitioning';
import { RecordTransform, RecordTransformConfig } from '../transform';
import { checkPartitionKeyName } from './prefixes';

/** What the processing options of a destination resolve to. */
export interface ResolvedProcessing {
  /** In the order Firehose applies them: de-aggregation, Lambda, JQ extraction, delimiter. */
  readonly processors: firehose.IDataProcessor[];
  readonly transform?: RecordTransformConfig;
  readonly queryKeys?: string[];
}

/** Options that decide the processors of a destination. */
export interface ProcessingOptions {
  readonly transform?: RecordTransform;
  readonly dynamicPartitioning?: DynamicPartitioning;
  readonly recordDeaggregation?: RecordDeaggregation;
  readonly appendDelimiter?: boolean;
  /** Whether records are converted to Parquet or ORC (which need no delimiter between records). */
  readonly formatConversion?: boolean;
}

/**
 * Checks the processing options against each other and builds the processors. The transform's resources are created
 * under `scope`.
 */
export function resolveProcessing(scope: Construct, path: RuleScope, options: ProcessingOptions): ResolvedProcessing {
  const dp = options.dynamicPartitioning;
  if (options.recordDeaggregation && !dp) {
    fail(path, `recordDeaggregation (${options.recordDeaggregation.subRecordType}) is part of dynamic partitioning: set dynamicPartitioning, or split records in a transform`);
  }
  if (options.recordDeaggregation?.subRecordType === 'DELIMITED' && !options.recordDeaggregation.delimiter) {
    fail(path, 'recordDeaggregation.delimited needs a non-empty delimiter');
  }
  if (options.appendDelimiter && !dp) {
    fail(path, 'appendDelimiter is part of dynamic partitioning: without it, use RecordTransform.bundled (appendNewline) to end records with a newline');
  }
  if (dp && !dp.jqQuery && !options.transform) {
    fail(path, 'DynamicPartitioning.byTransform needs a transform that returns partition keys: set transform, or use DynamicPartitioning.byJq');
  }
  const retry = wholeSeconds(path, 'dynamicPartitioning retryDuration', dp?.retryDuration);
  checkRange(path, 'dynamicPartitioning retryDuration', retry, 0, FirehoseLimits.MAX_RETRY_DURATION_SECONDS, 'seconds');

  const processors: firehose.IDataProcessor[] = [];
  if (options.recordDeaggregation) processors.push(options.recordDeaggregation.processor);
  const transform = options.transform?.bind(scope);
  if (transform) processors.push(transform.processor);

  let queryKeys: string[] | undefined;
  if (dp?.jqQuery) {
    queryKeys = Object.keys(dp.jqQuery);
    if (queryKeys.length === 0) fail(path, 'DynamicPartitioning.byJq needs at least one partition key');
    if (queryKeys.length > FirehoseLimits.MAX_JQ_PARTITION_KEYS) {
      fail(path, `DynamicPartitioning.byJq defines ${queryKeys.length} partition keys, more than the ${FirehoseLimits.MAX_JQ_PARTITION_KEYS} Firehose allows`);
    }
    for (const k of queryKeys) {
      checkPartitionKeyName(path, k);
      if (dp.jqQuery[k].trim().length === 0) fail(path, `DynamicPartitioning.byJq key '${k}' has an empty JQ expression`);
    }
    // Rendered as aws-cdk-lib renders it: {"key":expression,...}
    const rendered = `{${queryKeys.map((k) => `${JSON.stringify(k)}:${dp.jqQuery![k]}`).join(',')}}`;
    if (rendered.length > FirehoseLimits.MAX_PROCESSOR_PARAMETER_VALUE_LENGTH) {
      fail(path, `the JQ query is ${rendered.length} characters once rendered, more than the ${FirehoseLimits.MAX_PROCESSOR_PARAMETER_VALUE_LENGTH} Firehose accepts: use fewer or shorter expressions, or partition in a transform`);
    }
    processors.push(firehose.MetadataExtractionProcessor.jq16(dp.jqQuery));
  }
  // Without a transform, JSON records reach S3 back to back; with dynamic partitioning, the delimiter processor can
  // separate them. A transform decides for itself (the bundled one appends a newline), and Parquet or ORC files
  // have no use for a delimiter.
  if (dp && (options.appendDelimiter ?? (!transform && !options.formatConversion))) processors.push(new firehose.AppendDelimiterToRecordProcessor());
  return { processors, transform, queryKeys };
}
