import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { esbuildAvailable } from '../private/esbuild';
import { createFunctionIdentity } from '../private/function-identity';
import { checkFunctionSize } from '../private/function-size';
import { HANDLER_RUNTIME } from '../private/handler-runtime';
import { LambdaLimits } from '../validation/limits';
import { describe, fail } from '../validation/rules';

/** Options of a consumer function bundled from the user's own handler file. */
export interface HandlerFileOptions {
  /**
   * The exported function Lambda calls.
   *
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * Memory of the function, in MiB.
   *
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Timeout of one invocation. The runtime stops starting records shortly before it and reports the rest, so a long
   * batch is not retried as a whole.
   *
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;
  /**
   * Environment variables, besides those the construct sets for the runtime.
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * esbuild options, as for `NodejsFunction`.
   *
   * @default - minified, with source maps, for the runtime's Node.js version, AWS SDK v3 left to the Lambda runtime,
   * esbuild printing warnings and errors only (`NodejsFunction` documents that default, but passes no log level to
   * esbuild without one, which then prints a summary of every bundle at synth)
   */
  readonly bundling?: nodejs.BundlingOptions;
  /**
   * How long the function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * A description of the function.
   *
   * @default - none
   */
  readonly description?: string;
}

/** What a `ConsumerCode` gives the construct that uses it. */
export interface ConsumerCodeConfig {
  /** The function the event source mapping invokes. */
  readonly function: lambda.IFunction;
  /** Whether the construct created the function, and so may set its environment. */
  readonly owned: boolean;
}

const DEFAULT_MEMORY_MIB = 512;
const DEFAULT_TIMEOUT = Duration.minutes(1);

/**
 * The code a stream consumer runs: any function you already have, or your own handler file, bundled with the
 * consumer runtime by esbuild at synth time (as `NodejsFunction` does).
 */
export abstract class ConsumerCode {
  /**
   * Any function. Use the runtime (`cdk-kinesis-patterns/consumer`) in it to keep per-key order and report batch item
   * failures; the construct cannot set its environment unless it is a `lambda.Function`.
   *
   * @param fn the function the event source mapping invokes
   */
  public static fromFunction(fn: lambda.IFunction): ConsumerCode {
    if (fn === undefined || fn === null || typeof fn.functionArn !== 'string') {
      fail('ConsumerCode.fromFunction', `fn must be a Lambda function (lambda.IFunction), got ${describe(fn)}`);
    }
    return new (class extends ConsumerCode {
      public bind(): ConsumerCodeConfig {
        return { function: fn, owned: false };
      }
    })();
  }

  /**
   * Your handler file (TypeScript or JavaScript), bundled at synth time with what it imports, the consumer runtime
   * included, onto the library's Node.js runtime.
   *
   * @param entry path of the file
   * @param options memory, timeout, environment and bundling of the function
   */
  public static fromHandlerFile(entry: string, options: HandlerFileOptions = {}): ConsumerCode {
    if (typeof entry !== 'string' || entry.length === 0) fail('ConsumerCode.fromHandlerFile', `entry must be the path of a handler file, got ${describe(entry)}`);
    return new (class extends ConsumerCode {
      public bind(scope: Construct): ConsumerCodeConfig {
        const memorySize = options.memorySize ?? DEFAULT_MEMORY_MIB;
        const timeout = options.timeout ?? DEFAULT_TIMEOUT;
        checkFunctionSize(scope, memorySize, timeout);
        if (!options.bundling?.forceDockerBundling && !esbuildAvailable()) {
          fail(scope, `ConsumerCode.fromHandlerFile bundles ${entry} with esbuild at synth time, and esbuild is not installed: ` +
            'add it to your app (`npm install --save-dev esbuild`), or set bundling.forceDockerBundling to bundle in Docker');
        }
        const { role, logGroup } = createFunctionIdentity(scope, options.logRetention ?? logs.RetentionDays.ONE_MONTH);
        const fn = new nodejs.NodejsFunction(scope, 'Function', {
          role,
          logGroup,
          entry,
          handler: options.handler ?? 'handler',
          runtime: HANDLER_RUNTIME,
          architecture: lambda.Architecture.ARM_64,
          memorySize,
          timeout,
          environment: options.environment,
          description: options.description,
          loggingFormat: lambda.LoggingFormat.JSON,
          bundling: {
            target: `node${LambdaLimits.HANDLER_NODE_MAJOR_VERSION}`,
            minify: true,
            sourceMap: true,
            logLevel: nodejs.LogLevel.WARNING,
            ...options.bundling,
          },
        });
        return { function: fn, owned: true };
      }
    })();
  }

  /**
   * Creates or returns the function, under `scope`.
   *
   * @param scope the consumer construct the function belongs to
   */
  public abstract bind(scope: Construct): ConsumerCodeConfig;
}
