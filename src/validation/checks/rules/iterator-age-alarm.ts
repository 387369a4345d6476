import { asArray, DesignModel, ModelResource, num } from '../model';
import { DesignRule, Finding, RuleSeverity } from '../rule';
import { FUNCTION, functionOf, kinesisMappings, retentionHoursOf, STREAM } from '../topology';

function metricsOf(alarm: ModelResource): Array<{ namespace: string; name: string; dimensions: any[] }> {
  const p = alarm.properties;
  if (p.MetricName) return [{ namespace: p.Namespace, name: p.MetricName, dimensions: asArray(p.Dimensions) }];
  return asArray(p.Metrics).filter((m) => m.MetricStat).map((m) => ({
    namespace: m.MetricStat.Metric.Namespace, name: m.MetricStat.Metric.MetricName, dimensions: asArray(m.MetricStat.Metric.Dimensions),
  }));
}

export const iteratorAgeAlarm: DesignRule = {
  id: 'KPX7',
  severity: RuleSeverity.WARNING,
  what: 'An iterator-age alarm (Kinesis GetRecords.IteratorAgeMilliseconds or Lambda IteratorAge) whose threshold is at or beyond the stream\'s retention.',
  why: 'By the time the alarm fires, records older than the retention are already gone.',
  fix: 'Set the threshold to a fraction of the retention (this library\'s alarms use half), or lengthen the retention.',
  check(model: DesignModel): Finding[] {
    const findings: Finding[] = [];
    for (const alarm of model.ofType('AWS::CloudWatch::Alarm')) {
      const threshold = num(alarm.properties.Threshold);
      if (threshold === undefined) continue;
      for (const metric of metricsOf(alarm)) {
        let streams: ModelResource[] = [];
        const dim = (name: string) => metric.dimensions.find((d) => d.Name === name)?.Value;
        if (metric.namespace === 'AWS/Kinesis' && metric.name === 'GetRecords.IteratorAgeMilliseconds') {
          streams = model.ofType(STREAM).filter((s) => model.refersTo(alarm, dim('StreamName'), s));
        } else if (metric.namespace === 'AWS/Lambda' && metric.name === 'IteratorAge') {
          const fn = model.ofType(FUNCTION).find((f) => model.refersTo(alarm, dim('FunctionName'), f)
            || (typeof dim('FunctionName') === 'string' && f.properties.FunctionName === dim('FunctionName')));
          streams = kinesisMappings(model).filter((m) => fn && functionOf(model, m.mapping) === fn && m.stream).map((m) => m.stream!);
        }
        for (const stream of streams) {
          const hours = retentionHoursOf(stream);
          if (hours !== undefined && threshold >= hours * 3600 * 1000) {
            findings.push({ resource: alarm, location: 'Properties/Threshold', message: `threshold ${threshold} ms (${Math.round(threshold / 3600000 * 10) / 10} hours) is not below the retention of ${stream.path}, ${hours} hours (${hours * 3600 * 1000} ms)` });
          }
        }
      }
    }
    return findings;
  },
};
