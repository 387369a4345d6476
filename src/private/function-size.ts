import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LambdaLimits } from '../validation/limits';
import { checkInteger, checkRange, wholeSeconds } from '../validation/rules';

/** Memory and timeout of a function the library creates must be what Lambda accepts. */
export function checkFunctionSize(scope: Construct, memorySize: number, timeout: Duration): void {
  checkInteger(scope, 'memorySize', memorySize);
  checkRange(scope, 'memorySize', memorySize, LambdaLimits.MIN_FUNCTION_MEMORY_MIB, LambdaLimits.MAX_FUNCTION_MEMORY_MIB, 'MiB');
  checkRange(scope, 'timeout', wholeSeconds(scope, 'timeout', timeout), LambdaLimits.MIN_FUNCTION_TIMEOUT_SECONDS, LambdaLimits.MAX_FUNCTION_TIMEOUT_SECONDS, 'seconds');
}
