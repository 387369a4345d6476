import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundledHandlerCode } from './assets';
import { createFunctionIdentity, FunctionIdentity, FunctionIdentityIds } from './function-identity';
import { checkFunctionSize } from './function-size';
import { HANDLER_RUNTIME } from './handler-runtime';
import { checkInteger, checkRange } from '../validation/rules';

/** A bundled handler of the library, and how to run it. */
export interface BundledFunctionProps extends FunctionIdentityIds {
  /** `<capability>/<name>`: the handler `lambda/<capability>/<name>.handler.ts` bundled into `assets/`. */
  readonly handler: string;
  readonly environment: Record<string, string>;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly description: string;
  readonly reservedConcurrentExecutions?: number;
  /** @default 'Function' */
  readonly functionId?: string;
}

/** A function the library creates, with its role and log group. */
export interface BundledFunction extends FunctionIdentity {
  readonly function: lambda.Function;
}

/**
 * A function running one of the library's bundled handlers the same way everywhere: the one handler runtime, arm64,
 * JSON logs in its own log group with a retention, a role that may write only there (no managed policy), and memory
 * and timeout checked against Lambda's ranges.
 */
export function createBundledFunction(scope: Construct, props: BundledFunctionProps): BundledFunction {
  checkFunctionSize(scope, props.memorySize, props.timeout);
  checkInteger(scope, 'reservedConcurrentExecutions', props.reservedConcurrentExecutions);
  checkRange(scope, 'reservedConcurrentExecutions', props.reservedConcurrentExecutions, 0, Number.MAX_SAFE_INTEGER);
  const { role, logGroup } = createFunctionIdentity(scope, props.logRetention, props);
  const fn = new lambda.Function(scope, props.functionId ?? 'Function', {
    role,
    logGroup,
    code: bundledHandlerCode(props.handler),
    handler: 'index.handler',
    runtime: HANDLER_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: props.environment,
    description: props.description,
  });
  return { function: fn, role, logGroup };
}
