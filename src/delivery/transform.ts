import { Duration, Size } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RecordFilter } from './record-filter';
import { createBundledFunction } from '../private/bundled-function';
import { FirehoseLimits } from '../validation/limits';
import { checkRange, describe, fail, wholeSeconds } from '../validation/rules';
import { LambdaProcessor } from './private/lambda-processor';
import { checkBundledTransformOptions, renderTransformEnvironment } from './private/transform-options';

/**
 * How Firehose invokes a transformation function.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html
 */
export interface TransformProcessorOptions {
  /**
   * Data Firehose buffers before each invocation.
   *
   * Minimum: 0.2 MiB. Maximum: `Size.mebibytes(3)`.
   *
   * @default Size.mebibytes(1) (the service default)
   */
  readonly bufferSize?: Size;

  /**
   * Longest time Firehose buffers before an invocation.
   *
   * Minimum: `Duration.seconds(0)`. Maximum: `Duration.seconds(900)`.
   *
   * @default Duration.seconds(60) (the service default)
   */
  readonly bufferInterval?: Duration;

  /**
   * Retries of a failed invocation (timeout, throttling, function error) before the batch goes to the error prefix.
   *
   * Minimum: 0. Maximum: 300.
   *
   * @default 3 (the service default)
   */
  readonly retries?: number;

  /**
   * The keys the function returns in `metadata.partitionKeys`, so that `!{partitionKeyFromLambda:<key>}` expressions
   * in the prefix can be checked at synth time.
   *
   * @default - not declared: prefix expressions that use Lambda keys are not checked against the function
   */
  readonly partitionKeys?: string[];
}

/** Where the bundled transform reads each record's Iceberg destination. Give `database` or `databaseField`. */
export interface BundledIcebergRouting {
  /**
   * The database of every record.
   *
   * @default - read from `databaseField`
   */
  readonly database?: string;
  /**
   * Dotted path of the field that holds the database.
   *
   * @default - `database` for every record
   */
  readonly databaseField?: string;
  /** Dotted path of the field that holds the table, e.g. `event_type`. */
  readonly tableField: string;
  /**
   * Dotted path of the field that holds the operation: `insert`, `update` or `delete` (any case).
   *
   * @default - every record is an insert
   */
  readonly operationField?: string;
}

/**
 * Options of the bundled JSON transform. Records are processed in this order: parse (a record that is not a JSON
 * object is ProcessingFailed), filters (a record that fails one is Dropped), required fields (ProcessingFailed when
 * one is missing), partition keys (ProcessingFailed when a key's field is missing or not a scalar), Iceberg routing
 * (ProcessingFailed when a record cannot be routed), then keep, rename and drop fields, then a newline.
 */
export interface BundledTransformOptions extends TransformProcessorOptions {
  /**
   * Dotted paths that must be present and not null.
   *
   * @default - no field is required
   */
  readonly requiredFields?: string[];

  /**
   * Top-level fields to keep; every other field is removed.
   *
   * @default - every field is kept
   */
  readonly keepFields?: string[];

  /**
   * Top-level fields to rename, from the old name to the new one.
   *
   * @default - no field is renamed
   */
  readonly renameFields?: { [from: string]: string };

  /**
   * Top-level fields to remove.
   *
   * @default - no field is removed
   */
  readonly dropFields?: string[];

  /**
   * Conditions a record must meet to be delivered; the others are dropped.
   *
   * @default - every valid record is delivered
   */
  readonly filters?: RecordFilter[];

  /**
   * Dynamic partition keys returned to Firehose, from the key name to the dotted path of the field that holds its
   * value; use them in the prefix as `!{partitionKeyFromLambda:<key>}`.
   *
   * @default - no partition keys
   */
  readonly partitionKeyFields?: { [key: string]: string };

  /**
   * Return each record's Iceberg table (and operation) in `metadata.otfMetadata`, for
   * `IcebergDeliveryStream`'s `IcebergRouting.fromTransform()`. A record whose fields cannot route it is
   * ProcessingFailed.
   *
   * @default - no routing metadata
   */
  readonly icebergRouting?: BundledIcebergRouting;

  /**
   * End every record with a newline, so that objects in S3 are JSON Lines (one record per line) that Athena, Glue
   * and Spark can read.
   *
   * @default true
   */
  readonly appendNewline?: boolean;

  /**
   * Memory of the function, in MiB; more memory is also more CPU.
   *
   * @default 1024
   */
  readonly memorySize?: number;

  /**
   * Timeout of the function.
   *
   * Maximum: `Duration.minutes(5)` (Firehose's invocation limit).
   *
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;

  /**
   * Retention of the function's log group.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/** A transform bound to a delivery stream. */
export interface RecordTransformConfig {
  /** The processor to add to the destination. */
  readonly processor: firehose.IDataProcessor;
  /** The function Firehose invokes. */
  readonly lambdaFunction: lambda.IFunction;
  /**
   * The partition keys the function returns.
   *
   * @default - unknown
   */
  readonly partitionKeys?: string[];
}

/**
 * A Lambda transform of the records before delivery: the bundled JSON transform configured from props, or a
 * function of yours (which can use the `cdk-kinesis-patterns/firehose` runtime).
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html
 */
export abstract class RecordTransform {
  /**
   * The bundled JSON transform: required fields, filters, keep/rename/drop, partition keys and JSON Lines output,
   * with malformed records sent to the error prefix and the response kept within the 6 MB Lambda limit.
   *
   * @param options required fields, filters, field changes, partition keys and the function's settings
   */
  public static bundled(options: BundledTransformOptions = {}): RecordTransform {
    return new BundledTransform(options);
  }

  /**
   * Your own function, which must follow the Firehose data-transformation contract.
   *
   * @param fn the transform function Firehose invokes
   * @param options buffering and retries of the Lambda processor
   */
  public static fromFunction(fn: lambda.IFunction, options: TransformProcessorOptions = {}): RecordTransform {
    if (fn === undefined || fn === null || typeof fn.functionArn !== 'string') {
      fail('RecordTransform.fromFunction', `fn must be a Lambda function (lambda.IFunction), got ${describe(fn)}`);
    }
    return new FunctionTransform(fn, options);
  }

  /**
   * Creates what the transform needs under `scope` and returns its processor.
   *
   * @param scope the delivery stream construct
   */
  public abstract bind(scope: Construct): RecordTransformConfig;
}

class FunctionTransform extends RecordTransform {
  constructor(private readonly fn: lambda.IFunction, private readonly options: TransformProcessorOptions) {
    super();
  }

  public bind(scope: Construct): RecordTransformConfig {
    LambdaProcessor.validate(scope, this.options);
    return { processor: new LambdaProcessor(this.fn, this.options), lambdaFunction: this.fn, partitionKeys: this.options.partitionKeys };
  }
}

class BundledTransform extends RecordTransform {
  constructor(private readonly options: BundledTransformOptions) {
    super();
  }

  public bind(scope: Construct): RecordTransformConfig {
    const id = 'Transform';
    const path = `${scope.node.path}/${id}`;
    LambdaProcessor.validate(path, this.options);
    checkBundledTransformOptions(path, this.options);
    const timeout = this.options.timeout ?? Duration.minutes(1);
    checkRange(path, 'transform timeout', wholeSeconds(path, 'transform timeout', timeout), 1, FirehoseLimits.MAX_TRANSFORM_INVOCATION_SECONDS, 'seconds',
      'Firehose waits at most 5 minutes for a transform invocation');

    // A role with write access to its one log group, instead of the AWSLambdaBasicExecutionRole managed policy
    // (which may write to every log group in the account).
    const { function: fn, role } = createBundledFunction(scope, {
      handler: 'firehose/transform',
      environment: renderTransformEnvironment(path, this.options),
      memorySize: this.options.memorySize ?? 1024,
      timeout,
      logRetention: this.options.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      description: 'Firehose record transform (cdk-kinesis-patterns bundled JSON transform)',
      functionId: id,
      role: `${id}Role`,
      logGroup: `${id}LogGroup`,
    });
    fn.node.addDependency(role);
    return {
      processor: new LambdaProcessor(fn, this.options),
      lambdaFunction: fn,
      partitionKeys: Object.keys(this.options.partitionKeyFields ?? {}),
    };
  }
}
