/**
 * What the local runner simulates, as read from a cloud assembly: the parts of a pipeline and their settings, with
 * every CloudFormation reference resolved to the local name of the thing it points at.
 */

/** A Lambda function whose code is a directory of the cloud assembly. */
export interface LocalFunction {
  /** Logical id in its stack. */
  readonly id: string;
  /** `<file>.<export>`, as in the template's `Handler`. */
  readonly handler: string;
  /** The asset directory holding the code. */
  readonly codeDir: string;
  /** The function's environment, references resolved to local names. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
}

export interface LocalStream {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly shardCount: number;
  readonly onDemand: boolean;
}

export interface LocalProducer {
  readonly id: string;
  readonly stream: LocalStream;
  /** The app's producer function, or undefined when something outside the app writes (the bundled producer stands in). */
  readonly fn?: LocalFunction;
  /** Why this producer exists in the run. */
  readonly origin: string;
}

/** An event source mapping from a stream to a function, with the settings Lambda applies. */
export interface LocalConsumer {
  readonly id: string;
  readonly stream: LocalStream;
  readonly fn: LocalFunction;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly parallelizationFactor: number;
  readonly bisectOnError: boolean;
  /** -1: retry until the records expire. */
  readonly maxRetryAttempts: number;
  /** -1: no age limit. */
  readonly maxRecordAgeSeconds: number;
  readonly reportBatchItemFailures: boolean;
  readonly startingPosition: string;
  /** Logical id of the on-failure destination, when there is one. */
  readonly failureDestination?: string;
  /** The enhanced fan-out consumer it reads through, when it does. */
  readonly enhancedFanOut?: string;
}

export interface LocalBucketOutput {
  readonly bucket: string;
  readonly prefix?: string;
  readonly errorPrefix?: string;
  readonly compression: string;
  readonly fileExtension?: string;
}

export interface LocalDeliveryStream {
  readonly id: string;
  readonly name: string;
  /** The stream it reads, or undefined for direct PUT. */
  readonly source?: LocalStream;
  /** `s3` delivers to S3; `redshift` stages objects in S3 for the COPY, which is not simulated. */
  readonly destination: 's3' | 'redshift';
  readonly output: LocalBucketOutput;
  readonly bufferSeconds: number;
  readonly bufferBytes: number;
  readonly dynamicPartitioning: boolean;
  readonly transform?: LocalFunction;
  /** The jq query of a MetadataExtraction processor (`{key: .field}`), when there is one. */
  readonly metadataQuery?: string;
  readonly appendDelimiter: boolean;
  /** A copy of the source records (S3 backup), when enabled. */
  readonly backup?: LocalBucketOutput;
  /** Things of this delivery stream the run does not do as the service would, said in the summary. */
  readonly notes: readonly string[];
}

export interface LocalTable {
  readonly id: string;
  readonly name: string;
  readonly keys: ReadonlyArray<{ readonly name: string; readonly type: string; readonly keyType: string }>;
}

export interface LocalPipeline {
  /** The app's name (the example, or the cloud assembly's folder). */
  readonly name: string;
  readonly assemblyDir: string;
  readonly streams: readonly LocalStream[];
  readonly producers: readonly LocalProducer[];
  readonly consumers: readonly LocalConsumer[];
  readonly deliveryStreams: readonly LocalDeliveryStream[];
  readonly tables: readonly LocalTable[];
  /** Logical ids of SQS queues, by queue URL the functions are given. */
  readonly queues: ReadonlyMap<string, string>;
  /** Resources the run does not simulate, one line each. */
  readonly skipped: readonly string[];
  /** Hints for the event generator: names of the parts and fields the app's code requires. */
  readonly useCase: string;
}
