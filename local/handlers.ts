/**
 * Loads the real bundled handler of a function from its code asset (the same file Lambda would run) and gives it
 * the function's environment, as Lambda does at cold start. Each function gets its own module instance, even when
 * two functions share one asset (two transforms with different configurations).
 *
 * The handler's AWS SDK clients are pointed at the run's emulators: the asset's `require` of an SDK client package
 * returns the same package with its client class defaulting to the local endpoint, dummy credentials and HTTP/1.1
 * (the Kinesis client speaks HTTP/2 by default, which kinesalite does not). The handler code itself is unchanged.
 * SQS (producer failure queues) has no emulator: its client writes each message as a JSON line under the run's
 * failures folder, and answers as SQS does.
 */
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { LocalRunError } from './assembly';
import { localClientConfig, runnerRequire } from './emulators';
import type { LocalFunction } from './model';

export type LambdaHandler = (event: unknown, context: unknown) => Promise<any>;

export interface LocalEndpoints {
  readonly kinesis: string;
  readonly dynamodb?: string;
  /** Receives what a handler sends to an SQS queue. */
  readonly sqs: (queueUrl: string, body: string) => void;
  /** Where handlers log (CloudWatch Logs in Lambda); the process console when unset. */
  readonly console?: Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'>;
}

export function loadHandler(fn: LocalFunction, endpoints: LocalEndpoints): LambdaHandler {
  const [file, exportName] = splitHandler(fn.handler);
  const candidates = ['.js', '.cjs', '/index.js'].map((ext) => path.join(fn.codeDir, file + ext));
  const filename = candidates.find((f) => fs.existsSync(f));
  if (!filename) throw new LocalRunError(`function ${fn.id}: no ${file}.js in its code asset ${fn.codeDir}`);
  const shims = sdkShims(endpoints);
  // Each function sees its own environment, as in Lambda, through its own `process.env`; the run's process
  // environment is left alone (and handlers that read a variable at call time see theirs, too).
  const env: Record<string, string | undefined> = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ...fn.environment,
    AWS_LAMBDA_FUNCTION_NAME: fn.id,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  };
  const localProcess = new Proxy(process, { get: (target, key) => (key === 'env' ? env : Reflect.get(target, key)) });
  const m = new Module(filename, module);
  m.filename = filename;
  // The asset's own node_modules first (a user's bundle may carry its SDK), then the runner's.
  m.paths = [...(Module as any)._nodeModulePaths(path.dirname(filename)), ...(Module as any)._nodeModulePaths(__dirname)];
  const original = m.require.bind(m);
  const localRequire = Object.assign((id: string) => shims.get(id) ?? original(id), { resolve: require.resolve, cache: require.cache });
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname, process, console) {${fs.readFileSync(filename, 'utf8')}\n})`, { filename });
  wrapper.call(m.exports, m.exports, localRequire, m, filename, path.dirname(filename), localProcess, endpoints.console ?? console);
  const handler = (m.exports as Record<string, unknown>)[exportName];
  if (typeof handler !== 'function') throw new LocalRunError(`function ${fn.id}: ${filename} exports no function '${exportName}'`);
  return handler as LambdaHandler;
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return dot < 0 ? [handler, 'handler'] : [handler.slice(0, dot), handler.slice(dot + 1)];
}

const shimCache = new WeakMap<LocalEndpoints, Map<string, unknown>>();

function sdkShims(endpoints: LocalEndpoints): Map<string, unknown> {
  const cached = shimCache.get(endpoints);
  if (cached) return cached;
  const shims = new Map<string, unknown>();
  const withClient = (pkg: string, clientName: string, endpoint: string) => {
    const mod = runnerRequire(pkg);
    const Base = mod[clientName];
    const Local = class extends Base {
      constructor(config: Record<string, unknown> = {}) {
        super({ ...config, ...localClientConfig(endpoint) });
      }
    };
    shims.set(pkg, { ...mod, [clientName]: Local });
  };
  withClient('@aws-sdk/client-kinesis', 'KinesisClient', endpoints.kinesis);
  if (endpoints.dynamodb) withClient('@aws-sdk/client-dynamodb', 'DynamoDBClient', endpoints.dynamodb);

  const sqs = runnerRequire('@aws-sdk/client-sqs');
  const LocalSqs = class {
    public readonly config = { region: 'us-east-1' };
    constructor(_config?: unknown) {}
    public async send(command: any): Promise<unknown> {
      const input = command.input ?? {};
      if (command instanceof sqs.SendMessageBatchCommand) {
        for (const e of input.Entries ?? []) endpoints.sqs(input.QueueUrl, e.MessageBody);
        return { Successful: (input.Entries ?? []).map((e: any) => ({ Id: e.Id, MessageId: `local-${e.Id}`, MD5OfMessageBody: '' })), Failed: [] };
      }
      if (command instanceof sqs.SendMessageCommand) {
        endpoints.sqs(input.QueueUrl, input.MessageBody);
        return { MessageId: 'local' };
      }
      throw new Error(`the local run's SQS stand-in only takes SendMessage and SendMessageBatch, not ${command.constructor?.name}`);
    }
    public destroy(): void {}
  };
  shims.set('@aws-sdk/client-sqs', { ...sqs, SQSClient: LocalSqs });
  shimCache.set(endpoints, shims);
  return shims;
}

/** A Lambda context for a local invocation whose deadline is the function's timeout. */
export function lambdaContext(fn: LocalFunction, requestId: string): Record<string, unknown> {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.id,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${fn.id}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.id}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
