import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AlarmSettings } from '../../monitoring/alarm-settings';
import { createAlarm } from '../../monitoring/private/alarms';
import { fail, literalMillis } from '../../validation/rules';
import { ConsumerAlarms } from '../consumer-alarms';

/** The alarms a consumer created. */
export interface CreatedConsumerAlarms {
  readonly iteratorAge?: cloudwatch.Alarm;
  readonly functionErrors?: cloudwatch.Alarm;
  readonly functionThrottles?: cloudwatch.Alarm;
  readonly failureDestination?: cloudwatch.Alarm;
  readonly failureDestinationDelivery?: cloudwatch.Alarm;
}

/** What the thresholds are derived from. */
export interface ConsumerAlarmInputs {
  readonly fn: lambda.IFunction;
  readonly iteratorAge: cloudwatch.Metric;
  /** The function's timeout, when known. */
  readonly timeout?: Duration;
  readonly retryAttempts: number;
  readonly maxBatchingWindow: Duration;
  readonly maxRecordAge: Duration;
  readonly failureMessages: cloudwatch.IMetric;
  readonly failureDestinationName: string;
  /** Failed writes to the failure destination, watched when nothing else would reveal them (a bucket). */
  readonly failureDeliveryFailures?: cloudwatch.IMetric;
}

const MIN_ITERATOR_AGE_THRESHOLD = Duration.minutes(1);
/** Lambda's default function timeout: the best guess for a function brought without a known timeout. */
const LAMBDA_DEFAULT_TIMEOUT = Duration.seconds(3);

/**
 * The time a batch can legitimately take, through all its attempts, before the next one is read: beyond it the
 * consumer is falling behind, not retrying. Capped at half the maximum record age so the alarm fires before Lambda
 * starts dropping records for their age.
 */
export function deriveIteratorAgeThreshold(inputs: ConsumerAlarmInputs): Duration {
  // A setting from a token cannot be multiplied at synth time: the floor is the threshold then.
  const parts = [inputs.timeout, inputs.maxBatchingWindow, inputs.maxRecordAge].filter((d): d is Duration => d !== undefined);
  if (Token.isUnresolved(inputs.retryAttempts) || parts.some((d) => d.isUnresolved())) return MIN_ITERATOR_AGE_THRESHOLD;
  const perAttempt = (inputs.timeout ?? LAMBDA_DEFAULT_TIMEOUT).toSeconds() + inputs.maxBatchingWindow.toSeconds();
  const seconds = Math.max(MIN_ITERATOR_AGE_THRESHOLD.toSeconds(), (inputs.retryAttempts + 1) * perAttempt);
  return Duration.seconds(Math.min(seconds, Math.floor(inputs.maxRecordAge.toSeconds() / 2)));
}

export function createConsumerAlarms(scope: Construct, inputs: ConsumerAlarmInputs, settings: ConsumerAlarms = {}): CreatedConsumerAlarms {
  if (settings.enabled === false) return {};
  const actions = settings.actions ?? [];
  const alarms = new Construct(scope, 'Alarms');
  const path = scope.node.path;

  const make = (name: keyof CreatedConsumerAlarms, id: string, settings_: AlarmSettings, defaultEvaluationPeriods: number, metric: cloudwatch.IMetric,
    threshold: number, description: string) =>
    createAlarm(scope, alarms, { name, id, settings: settings_, defaultEvaluationPeriods, metric, threshold, description }, actions);

  const age = settings.iteratorAge ?? {};
  const threshold = age.threshold ?? deriveIteratorAgeThreshold(inputs);
  const thresholdMs = literalMillis(scope, 'alarms.iteratorAge.threshold', threshold);
  const maxAgeMs = literalMillis(scope, 'maxRecordAge', inputs.maxRecordAge);
  if (age.enabled !== false && thresholdMs !== undefined && (thresholdMs <= 0 || (maxAgeMs !== undefined && thresholdMs >= maxAgeMs))) {
    fail(scope, `alarms.iteratorAge.threshold must be above 0 and shorter than maxRecordAge (${inputs.maxRecordAge.toHumanString()}), got ${threshold.toHumanString()}`);
  }
  return {
    iteratorAge: make('iteratorAge', 'IteratorAge', age, 5,
      inputs.iteratorAge, threshold.toMilliseconds(),
      `${path} is more than ${threshold.toHumanString()} behind its stream, longer than a batch takes through all its attempts; ` +
      `records older than ${inputs.maxRecordAge.toHumanString()} go to the failure destination unprocessed.`),
    functionErrors: make('functionErrors', 'FunctionErrors', settings.functionErrors ?? {}, 1,
      inputs.fn.metricErrors({ statistic: cloudwatch.Stats.SUM }), 1,
      `The function of ${path} threw or timed out: the whole batch is retried (record failures it reports are not errors).`),
    functionThrottles: make('functionThrottles', 'FunctionThrottles', settings.functionThrottles ?? {}, 5,
      inputs.fn.metricThrottles({ statistic: cloudwatch.Stats.SUM }), 1,
      `The function of ${path} is throttled: raise its concurrency limit or the account's, or lower the parallelization factor.`),
    failureDestination: make('failureDestination', 'FailureDestinationMessages', settings.failureDestination ?? {}, 1,
      inputs.failureMessages, 1,
      `Lambda gave up on a batch of ${path} and described it in ${inputs.failureDestinationName}: replay it from the stream before its retention ends.`),
    failureDestinationDelivery: inputs.failureDeliveryFailures === undefined ? undefined : make('failureDestinationDelivery', 'FailureDestinationDeliveryFailures',
      settings.failureDestinationDelivery ?? {}, 1, inputs.failureDeliveryFailures, 1,
      `Lambda could not write a failed batch of ${path} to ${inputs.failureDestinationName}: the batch is dropped. Check the role's s3:PutObject and the bucket's policy and key.`),
  };
}
