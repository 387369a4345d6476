/**
 * The KPL aggregated record format, encode and decode, with no dependency but Node's `crypto`.
 *
 * ```ts
 * import { RecordAggregator, deaggregate } from 'cdk-kinesis-patterns/aggregation';
 * ```
 *
 * @see https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md
 */
export { AggregationFormatError, deaggregate, encodeAggregate, FRAMING_BYTES, isAggregated } from './record-format';
export type { DeaggregatedRecord, UserRecord } from './record-format';
export { RecordAggregator } from './aggregator';
export type { EncodedRecord, RecordAggregatorOptions } from './aggregator';
