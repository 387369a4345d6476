import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlarmSettings } from '../../monitoring/alarm-settings';
import { createAlarm } from '../../monitoring/private/alarms';
import { ProducerAlarms } from '../producer-alarms';

/** The alarms a producer function created. */
export interface CreatedProducerAlarms {
  readonly functionErrors?: cloudwatch.Alarm;
  readonly functionThrottles?: cloudwatch.Alarm;
  readonly failedRecords?: cloudwatch.Alarm;
}

export function createProducerAlarms(scope: Construct, fn: lambda.IFunction, queue: sqs.IQueue, settings: ProducerAlarms = {}): CreatedProducerAlarms {
  if (settings.enabled === false) return {};
  const actions = settings.actions ?? [];
  const alarms = new Construct(scope, 'Alarms');
  const path = scope.node.path;

  const make = (name: keyof CreatedProducerAlarms, id: string, settings_: AlarmSettings, defaultEvaluationPeriods: number,
    metric: cloudwatch.Metric, description: string) =>
    createAlarm(scope, alarms, { name, id, settings: settings_, defaultEvaluationPeriods, metric, threshold: 1, description }, actions);

  return {
    functionErrors: make('functionErrors', 'FunctionErrors', settings.functionErrors ?? {}, 1, fn.metricErrors({ statistic: cloudwatch.Stats.SUM }),
      `The producer function of ${path} threw or timed out: the caller got an error for the whole batch and must retry it.`),
    functionThrottles: make('functionThrottles', 'FunctionThrottles', settings.functionThrottles ?? {}, 5, fn.metricThrottles({ statistic: cloudwatch.Stats.SUM }),
      `The producer function of ${path} is throttled: raise its concurrency or slow the callers down.`),
    failedRecords: make('failedRecords', 'FailedRecords', settings.failedRecords ?? {}, 1,
      queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM }),
      `Records that ${path} could not write to its stream are waiting in the failure queue: replay them after fixing the cause.`),
  };
}
