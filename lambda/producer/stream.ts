/** How the producer names its stream in API calls. */
export interface StreamTarget {
  /** The stream's name. One of `streamName` and `streamArn` is required. */
  readonly streamName?: string;
  /** The stream's ARN; preferred when both are given (it names the account and Region too). */
  readonly streamArn?: string;
}

/** The request parameters that name the stream. */
export function streamParams(target: StreamTarget): { StreamName?: string; StreamARN?: string } {
  if (target.streamArn) return { StreamARN: target.streamArn };
  if (target.streamName) return { StreamName: target.streamName };
  throw new Error('the producer needs a streamName or a streamArn');
}

