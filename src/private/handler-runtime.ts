import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaLimits } from '../validation/limits';

/**
 * The one Lambda runtime every bundled handler runs on. esbuild targets the same Node.js major version
 * (`LambdaLimits.HANDLER_NODE_MAJOR_VERSION`), so changing it here and there is one change.
 */
export const HANDLER_RUNTIME: lambda.Runtime = lambda.Runtime.NODEJS_24_X;

if (HANDLER_RUNTIME.name !== `nodejs${LambdaLimits.HANDLER_NODE_MAJOR_VERSION}.x`) {
  throw new Error(`HANDLER_RUNTIME (${HANDLER_RUNTIME.name}) and LambdaLimits.HANDLER_NODE_MAJOR_VERSION disagree`);
}
