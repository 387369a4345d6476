import { Size, SizeRoundingBehavior, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { mebibytesOf } from './helpers';
import { FirehoseLimits } from '../../validation/limits';
import { checkInteger, checkRange, RuleScope, wholeSeconds } from '../../validation/rules';
import type { TransformProcessorOptions } from '../transform';

/**
 * A Lambda processor that renders its own parameters. aws-cdk-lib's `LambdaFunctionProcessor` renders the buffer size
 * as whole MiB (so the documented 0.2 MiB minimum cannot be set) and leaves out `NumberOfRetries` when it is 0; this
 * one renders what the service accepts, after checking the ranges.
 */
export class LambdaProcessor implements firehose.IDataProcessor {
  /** Checks the processor options against the service's ranges. */
  public static validate(scope: RuleScope, options: TransformProcessorOptions): void {
    const sizeMiB = options.bufferSize === undefined ? undefined : mebibytesOf(scope, 'transform bufferSize', options.bufferSize);
    checkRange(scope, 'transform bufferSize', sizeMiB, FirehoseLimits.MIN_TRANSFORM_BUFFER_SIZE_MIB, FirehoseLimits.MAX_TRANSFORM_BUFFER_SIZE_MIB, 'MiB');
    checkRange(scope, 'transform bufferInterval', wholeSeconds(scope, 'transform bufferInterval', options.bufferInterval), 0, FirehoseLimits.MAX_TRANSFORM_BUFFER_INTERVAL_SECONDS, 'seconds');
    checkInteger(scope, 'transform retries', options.retries);
    checkRange(scope, 'transform retries', options.retries, 0, FirehoseLimits.MAX_TRANSFORM_RETRIES);
  }

  public readonly props: firehose.DataProcessorProps;

  constructor(private readonly fn: lambda.IFunction, private readonly options: TransformProcessorOptions = {}) {
    this.props = { bufferInterval: options.bufferInterval, bufferSize: options.bufferSize, retries: options.retries };
  }

  public bind(_scope: Construct, options: firehose.DataProcessorBindOptions): firehose.DataProcessorConfig {
    this.fn.grantInvoke(options.role);
    // The Firehose guide's delivery role policy for a Lambda transform also allows reading the function's
    // configuration; aws-cdk-lib's processor grants only the invocation.
    iam.Grant.addToPrincipal({ grantee: options.role, actions: ['lambda:GetFunctionConfiguration'], resourceArns: [this.fn.functionArn] });
    const parameters: Array<{ parameterName: string; parameterValue: string }> = [
      { parameterName: 'LambdaArn', parameterValue: this.fn.functionArn },
      { parameterName: 'RoleArn', parameterValue: options.role.roleArn },
    ];
    if (this.options.retries !== undefined) parameters.push({ parameterName: 'NumberOfRetries', parameterValue: Tokenization.stringifyNumber(this.options.retries) });
    if (this.options.bufferSize !== undefined) parameters.push({ parameterName: 'BufferSizeInMBs', parameterValue: mebibytesText(this.options.bufferSize) });
    if (this.options.bufferInterval !== undefined) parameters.push({ parameterName: 'BufferIntervalInSeconds', parameterValue: Tokenization.stringifyNumber(this.options.bufferInterval.toSeconds()) });
    return {
      processorType: 'Lambda',
      processorIdentifier: { parameterName: 'LambdaArn', parameterValue: this.fn.functionArn },
      parameters,
    };
  }
}

function mebibytesText(size: Size): string {
  const mib = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  // The service reads a decimal number of MB; three decimals keep 0.2 MiB readable.
  return Token.isUnresolved(mib) ? Tokenization.stringifyNumber(mib) : String(Math.round(mib * 1000) / 1000);
}
