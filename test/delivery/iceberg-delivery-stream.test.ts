import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { allowing, streamResource, warnings } from './destination-support';
import { errorOf, newStack } from './support';
import {
  IcebergCatalog, IcebergDeliveryStream, IcebergDeliveryStreamProps, IcebergRouting, RecordTransform,
} from '../../src/delivery';
import { nagFindings } from '../support/nag';

type Extra = Partial<IcebergDeliveryStreamProps> | ((stack: Stack) => Partial<IcebergDeliveryStreamProps>);

function build(extra: Extra = {}, stack: Stack = newStack()) {
  const delivery = new IcebergDeliveryStream(stack, 'Delivery', {
    catalog: IcebergCatalog.glueDataCatalog(),
    tables: [{ database: 'clickstream', table: 'events' }],
    ...(typeof extra === 'function' ? extra(stack) : extra),
  });
  const template = Template.fromStack(stack);
  const resource = streamResource(template);
  return { stack, delivery, template, resource, config: resource.Properties.IcebergDestinationConfiguration };
}

const join = (s: unknown) => JSON.stringify(s);

describe('IcebergDeliveryStream defaults', () => {
  const { config, template } = build();

  test('one table in the account\'s Glue Data Catalog, S3 buffering, 300 s of retries, failed data backed up', () => {
    expect(config).toMatchObject({
      CatalogConfiguration: { CatalogArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:eu-west-1:123456789012:catalog']] } },
      DestinationTableConfigurationList: [{ DestinationDatabaseName: 'clickstream', DestinationTableName: 'events' }],
      AppendOnly: false,
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      RetryOptions: { DurationInSeconds: 300 },
      // CloudFormation spells this one property with a lowercase s.
      s3BackupMode: 'FailedDataOnly',
      S3Configuration: { BucketARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryBackupBucket/), 'Arn'] }, CompressionFormat: 'GZIP' },
      CloudWatchLoggingOptions: { Enabled: true, LogStreamName: { Ref: expect.stringMatching(/^DeliveryIcebergDeliveryLogStream/) } },
    });
    expect(config.ProcessingConfiguration).toBeUndefined();
    expect(config.SchemaEvolutionConfiguration).toBeUndefined();
    expect(config.TableCreationConfiguration).toBeUndefined();
    expect(config.CatalogConfiguration.WarehouseLocation).toBeUndefined();
  });

  test('the role may read and commit the catalog, the database and the table, and nothing else in Glue', () => {
    const glue = allowing(template, 'glue:GetTable');
    expect(glue).toHaveLength(1);
    expect(glue[0].Action).toEqual(['glue:GetTable', 'glue:GetDatabase', 'glue:UpdateTable']);
    const resources = join(glue[0].Resource);
    for (const r of [':catalog"', ':database/clickstream"', ':table/clickstream/events"']) expect(resources).toContain(r);
    expect(resources).not.toContain('*');
    expect(allowing(template, 'glue:CreateTable')).toHaveLength(0);
    expect(allowing(template, 'lakeformation:GetDataAccess')).toHaveLength(0);
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
  });

  test('alarms: Iceberg freshness, and rows refused by the tables (not the commit count)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DeliveryToIceberg.DataFreshness', Statistic: 'Maximum' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToIceberg.FailedRowCount', Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
    });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'DeliveryToIceberg.Success' }, 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'BackupToS3.Success' });
  });
});

test('a warehouse bucket: its location in the catalog configuration, object rights on it and its key', () => {
  const { config, template, stack } = build((s) => ({
    catalog: IcebergCatalog.glueDataCatalog({ warehouseBucket: new s3.Bucket(s, 'Lake', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(s, 'LakeKey') }), warehousePrefix: 'iceberg/' }),
  }));
  const lake = stack.getLogicalId(stack.node.findChild('Lake').node.defaultChild as never);
  expect(config.CatalogConfiguration.WarehouseLocation).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: lake }, '/iceberg/']] });
  expect(allowing(template, 's3:PutObject').some((s) => join(s.Resource).includes(lake) && s.Action.includes('s3:DeleteObject'))).toBe(true);
  expect(allowing(template, 's3:ListBucket').some((s) => join(s.Resource).includes(lake))).toBe(true);
  expect(allowing(template, 'kms:Decrypt').some((s) => join(s.Resource).includes('LakeKey'))).toBe(true);
});

describe('S3 Tables', () => {
  const { config, template, delivery, stack } = build({ catalog: IcebergCatalog.s3Tables('analytics'), tables: [{ database: 'web', table: 'clicks' }] });

  test('the federated catalog ARN, and Glue rights on it, its parents, the namespace and the table', () => {
    expect(join(config.CatalogConfiguration.CatalogArn)).toContain(':catalog/s3tablescatalog/analytics');
    const resources = join(allowing(template, 'glue:GetTable')[0].Resource);
    for (const r of [':catalog"', ':catalog/s3tablescatalog"', ':catalog/s3tablescatalog/analytics"', ':database/s3tablescatalog/analytics/web"',
      ':table/s3tablescatalog/analytics/web/clicks"']) expect(resources).toContain(r);
  });

  test('Lake Formation vends the data: GetDataAccess, and a warning with the grants CloudFormation cannot make on a federated catalog', () => {
    expect(allowing(template, 'lakeformation:GetDataAccess')).toEqual([expect.objectContaining({ Resource: '*' })]);
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
    expect(delivery.lakeFormationPermissions).toHaveLength(0);
    expect(warnings(stack).map((w) => w.text)).toContainEqual(expect.stringContaining(
      'Lake Formation must grant Stack/Delivery/Role DESCRIBE, SELECT, INSERT, ALTER on each table and DESCRIBE on each namespace of catalog 123456789012:s3tablescatalog/analytics'));
  });

  test('lakeFormationPermissions: true is refused there, with the reason', () => {
    expect(errorOf(() => build({ catalog: IcebergCatalog.s3Tables('analytics'), lakeFormationPermissions: true })))
      .toContain('lakeFormationPermissions cannot be granted by CloudFormation in S3 Tables: AWS::LakeFormation::PrincipalPermissions takes a 12-digit catalog id, not the federated 123456789012:s3tablescatalog/analytics');
  });
});

test('unique keys, updates and deletes: DELETE in Lake Formation, keys in the table configuration', () => {
  const { config, template, resource, delivery } = build({
    tables: [{ database: 'shop', table: 'orders', uniqueKeys: ['order_id'], errorOutputPrefix: 'errors/orders/' }],
    routing: IcebergRouting.jq({ tableExpression: '"orders"', operationExpression: '.op' }),
    lakeFormationPermissions: true,
  });
  expect(config.DestinationTableConfigurationList).toEqual([{ DestinationDatabaseName: 'shop', DestinationTableName: 'orders', UniqueKeys: ['order_id'], S3ErrorOutputPrefix: 'errors/orders/' }]);
  template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
    Resource: { Table: { CatalogId: '123456789012', DatabaseName: 'shop', Name: 'orders' } },
    Permissions: ['DESCRIBE', 'SELECT', 'INSERT', 'ALTER', 'DELETE'],
    PermissionsWithGrantOption: [],
  });
  template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', { Resource: { Database: { CatalogId: '123456789012', Name: 'shop' } }, Permissions: ['DESCRIBE'] });
  expect(allowing(template, 'lakeformation:GetDataAccess')).toHaveLength(1);
  // Firehose checks the table at creation: the permissions exist first.
  expect(delivery.lakeFormationPermissions).toHaveLength(2);
  for (const p of delivery.lakeFormationPermissions) expect(resource.DependsOn).toContain(Stack.of(p).getLogicalId(p));
});

test('JQ routing: a MetadataExtraction processor with JQ 1.6, the shared database filled in', () => {
  const { config } = build({
    tables: [{ database: 'clickstream', table: 'page_view' }, { database: 'clickstream', table: 'purchase' }],
    routing: IcebergRouting.jq({ tableExpression: '.event_type' }),
  });
  expect(config.ProcessingConfiguration).toEqual({
    Enabled: true,
    Processors: [{
      Type: 'MetadataExtraction',
      Parameters: [
        { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{destinationDatabaseName: "clickstream", destinationTableName: .event_type}' },
        { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
      ],
    }],
  });
});

test('routing from the bundled transform: its Lambda processor, and the transform configured to set otfMetadata', () => {
  const { config, template } = build({
    tables: [{ database: 'clickstream', table: 'page_view' }, { database: 'clickstream', table: 'purchase' }],
    routing: IcebergRouting.fromTransform(),
    transform: RecordTransform.bundled({ icebergRouting: { database: 'clickstream', tableField: 'event_type' } }),
  });
  expect(config.ProcessingConfiguration.Processors.map((p: { Type: string }) => p.Type)).toEqual(['Lambda']);
  const env = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables ?? {})
    .find((v: Record<string, string>) => v.KINESIS_PATTERNS_FIREHOSE_TRANSFORM) as Record<string, string>;
  expect(JSON.parse(env.KINESIS_PATTERNS_FIREHOSE_TRANSFORM).icebergRouting).toEqual({ database: 'clickstream', tableField: 'event_type' });
});

test('schema evolution, table creation with a partition spec, append-only, buffering and retries', () => {
  const { config, template } = build((s) => ({
    catalog: IcebergCatalog.glueDataCatalog({ warehouseBucket: new s3.Bucket(s, 'Lake') }),
    tables: [{ database: 'clickstream', table: 'events', partitionFields: ['event_date'] }],
    schemaEvolution: true,
    tableCreation: true,
    appendOnly: true,
    buffering: { size: Size.mebibytes(64), interval: Duration.seconds(60) },
    retryDuration: Duration.seconds(900),
  }));
  expect(config).toMatchObject({
    SchemaEvolutionConfiguration: { Enabled: true },
    TableCreationConfiguration: { Enabled: true },
    AppendOnly: true,
    BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
    RetryOptions: { DurationInSeconds: 900 },
  });
  expect(config.DestinationTableConfigurationList[0].PartitionSpec).toEqual({ Identity: [{ SourceName: 'event_date' }] });
  const create = allowing(template, 'glue:CreateTable');
  expect(create).toHaveLength(1);
  expect(join(create[0].Resource)).toContain(':table/clickstream/*"');
});

describe('every combination the service refuses fails at synth with the path, the value and the limit', () => {
  const two = [{ database: 'a', table: 'x' }, { database: 'b', table: 'y' }];
  test.each<[string, Extra, string]>([
    ['no table', { tables: [] }, 'Stack/Delivery: tables must list at least one destination table, got none'],
    ['a table name over 255 characters', { tables: [{ database: 'd', table: 't'.repeat(256) }] }, `tables[0].table must be 1 to 255 characters, got '${'t'.repeat(256)}' (256)`],
    ['an empty database name', { tables: [{ database: '', table: 't' }] }, "tables[0].database must be 1 to 255 characters, got '' (0)"],
    ['a table listed twice', { tables: [{ database: 'd', table: 't' }, { database: 'd', table: 't' }], routing: IcebergRouting.jq({ tableExpression: '.t' }) }, 'tables[1] lists d.t a second time'],
    ['empty unique keys', { tables: [{ database: 'd', table: 't', uniqueKeys: [] }] }, 'tables[0].uniqueKeys must hold at least one column when given, got []'],
    ['a repeated unique key', { tables: [{ database: 'd', table: 't', uniqueKeys: ['id', 'id'] }] }, 'tables[0].uniqueKeys must not repeat a column, got id, id'],
    ['several tables without routing', { tables: two }, 'routing is required with 2 tables'],
    ['JQ routing over two databases without a database expression', { tables: two, routing: IcebergRouting.jq({ tableExpression: '.t' }) },
      'routing needs databaseExpression when the tables are in more than one database (got a, b)'],
    ['routing from a transform without one', { tables: two, routing: IcebergRouting.fromTransform() }, 'IcebergRouting.fromTransform() needs a transform'],
    ['unique keys with append-only', { appendOnly: true, tables: [{ database: 'd', table: 't', uniqueKeys: ['id'] }] }, 'tables[0].uniqueKeys are for updates and deletes, which appendOnly: true refuses'],
    ['an operation with append-only', { appendOnly: true, routing: IcebergRouting.jq({ tableExpression: '.t', operationExpression: '.op' }) },
      'routing with an operation (updates and deletes) is refused with appendOnly: true'],
    ['schema evolution without a warehouse', { schemaEvolution: true }, 'schemaEvolution: true needs a warehouse location: use IcebergCatalog.glueDataCatalog({ warehouseBucket })'],
    ['table creation in S3 Tables', { catalog: IcebergCatalog.s3Tables('b'), tableCreation: true },
      'tableCreation: true needs a warehouse location: use IcebergCatalog.glueDataCatalog({ warehouseBucket }) (S3 Tables tables are created in the table bucket, not by Firehose)'],
    ['a partition spec without table creation', { tables: [{ database: 'd', table: 't', partitionFields: ['day'] }] }, 'tables[0].partitionFields configure a table Firehose creates, and need tableCreation: true (got tableCreation false)'],
    ['backing up all data', { backup: { mode: firehose.BackupMode.ALL } }, 'backup.mode must be BackupMode.FAILED, got BackupMode.ALL'],
    ['buffering above 128 MiB', { buffering: { size: Size.mebibytes(129) } }, 'buffering'],
    ['buffering above 900 s', { buffering: { interval: Duration.seconds(901) } }, 'buffering'],
    ['retries above 7200 s', { retryDuration: Duration.seconds(7201) }, 'Stack/Delivery: retryDuration must be between 0 and 7200 seconds, got 7201 seconds'],
    ['a JQ query over 5120 characters', { routing: IcebergRouting.jq({ tableExpression: `.${'x'.repeat(5200)}` }) }, 'the JQ routing query length must be at most 5120 characters'],
    ['an error prefix over 1024 characters', { tables: [{ database: 'd', table: 't', errorOutputPrefix: 'p'.repeat(1025) }] }, 'tables[0].errorOutputPrefix length must be at most 1024 characters'],
  ])('%s', (_rule, extra, message) => {
    expect(errorOf(() => build(extra))).toContain(message);
  });

  test('buffering messages name the limit', () => {
    expect(errorOf(() => build({ buffering: { size: Size.mebibytes(129) } }))).toMatch(/128/);
    expect(errorOf(() => build({ buffering: { interval: Duration.seconds(901) } }))).toMatch(/900/);
  });

  test('operations without unique keys are warned about (the tables\' identifier fields must be set)', () => {
    const { stack } = build({ routing: IcebergRouting.jq({ tableExpression: '.t', operationExpression: '.op' }) });
    expect(warnings(stack).some((w) => w.text.includes('no table lists uniqueKeys'))).toBe(true);
  });
});

test('cdk-nag: the Glue and S3 Tables delivery streams have no unacknowledged finding', () => {
  const findings = nagFindings((app) => {
    const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
    new IcebergDeliveryStream(stack, 'Glue', {
      catalog: IcebergCatalog.glueDataCatalog(),
      tables: [{ database: 'd', table: 'a' }, { database: 'd', table: 'b' }],
      routing: IcebergRouting.jq({ tableExpression: '.t' }),
    });
    new IcebergDeliveryStream(stack, 'Tables', { catalog: IcebergCatalog.s3Tables('lake'), tables: [{ database: 'web', table: 'clicks', uniqueKeys: ['id'] }] });
  });
  expect(findings).toEqual([]);
});
