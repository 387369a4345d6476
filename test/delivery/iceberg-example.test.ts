import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { allowing, streamResource } from './destination-support';
import { build } from '../../examples/clickstream-to-iceberg/app';
import { nagFindings } from '../support/nag';

describe('example clickstream-to-iceberg', () => {
  const app = build(new App());
  const stack = app.node.findChild('ClickstreamToIceberg') as Stack;
  const template = Template.fromStack(stack);
  const stream = streamResource(template);
  const config = stream.Properties.IcebergDestinationConfiguration;

  test('three tables, routed by the bundled transform on event_type, purchases keyed by order id', () => {
    expect(config.DestinationTableConfigurationList).toEqual([
      { DestinationDatabaseName: 'clickstream', DestinationTableName: 'page_view' },
      { DestinationDatabaseName: 'clickstream', DestinationTableName: 'add_to_cart' },
      { DestinationDatabaseName: 'clickstream', DestinationTableName: 'purchase', UniqueKeys: ['order_id'], S3ErrorOutputPrefix: 'errors/purchase/' },
    ]);
    const env = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables ?? {})
      .find((v: Record<string, string>) => v.KINESIS_PATTERNS_FIREHOSE_TRANSFORM) as Record<string, string>;
    expect(JSON.parse(env.KINESIS_PATTERNS_FIREHOSE_TRANSFORM).icebergRouting).toEqual({ database: 'clickstream', tableField: 'event_type' });
    expect(config.SchemaEvolutionConfiguration).toEqual({ Enabled: true });
    expect(config.AppendOnly).toBe(false);
  });

  test('the delivery stream is created after the Glue tables it checks, and may commit only them', () => {
    const tables = Object.keys(template.findResources('AWS::Glue::Table'));
    expect(tables).toHaveLength(3);
    for (const t of tables) expect(stream.DependsOn).toContain(t);
    const glue = JSON.stringify(allowing(template, 'glue:UpdateTable')[0].Resource);
    for (const t of ['page_view', 'add_to_cart', 'purchase']) expect(glue).toContain(`:table/clickstream/${t}"`);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DeliveryToIceberg.FailedRowCount' });
  });

  test('cdk-nag AwsSolutions: no unacknowledged finding', () => {
    expect(nagFindings((a) => build(a))).toEqual([]);
  });
});
