import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { build as logsToOpenSearch } from '../../examples/logs-to-opensearch/app';
import { build as transactionsToRedshift } from '../../examples/transactions-to-redshift/app';
import {
  DeliverySource, HttpEndpointDeliveryStream, OpenSearchDeliveryStream, OpenSearchTarget, RecordTransform, RedshiftDeliveryStream, RedshiftTarget,
  SplunkDeliveryStream, SplunkEndpointType,
} from '../../src/delivery';
import { nagFindings } from '../support/nag';

/**
 * Secrets without rotation are flagged by AwsSolutions-SMG4 where they are created; in these tests they stand for the
 * user's secrets, which this library does not create, so that finding is filtered out here and only here.
 */
function findings(build: (stack: Stack) => void): string[] {
  return nagFindings((app) => build(new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } })))
    .filter((f) => !/^AwsSolutions-SMG4 at Nag\/(Credentials|Token|ApiKey)(\/|$)/.test(f));
}

describe('AwsSolutionsChecks: no unacknowledged finding', () => {
  test('Redshift from a stream, with a transform and a source backup', () => {
    expect(findings((stack) => {
      const stream = new kinesis.Stream(stack, 'Transactions', { encryption: kinesis.StreamEncryption.MANAGED, retentionPeriod: Duration.hours(24) });
      new RedshiftDeliveryStream(stack, 'Ledger', {
        source: DeliverySource.kinesisStream(stream),
        target: RedshiftTarget.cluster({ endpointAddress: 'ledger.abc.eu-west-1.redshift.amazonaws.com', databaseName: 'finance', connections: ec2.SecurityGroup.fromSecurityGroupId(stack, 'ClusterSg', 'sg-0123456789abcdef0') }),
        credentials: new secretsmanager.Secret(stack, 'Credentials'),
        tableName: 'transactions',
        transform: RecordTransform.bundled({ requiredFields: ['id'] }),
        sourceBackup: {},
      });
    })).toEqual([]);
  });

  test('OpenSearch domain with VPC delivery, OpenSearch Serverless, Splunk and an HTTP endpoint', () => {
    expect(findings((stack) => {
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-1'], vpcCidrBlock: '10.0.0.0/16' });
      new OpenSearchDeliveryStream(stack, 'Logs', {
        target: OpenSearchTarget.domain(opensearch.Domain.fromDomainEndpoint(stack, 'Domain', 'https://vpc-logs-abc.eu-west-1.es.amazonaws.com')),
        indexName: 'logs',
        vpc: { vpc },
      });
      new OpenSearchDeliveryStream(stack, 'Events', {
        target: OpenSearchTarget.collection({ collectionEndpoint: 'https://abc.eu-west-1.aoss.amazonaws.com', collectionArn: 'arn:aws:aoss:eu-west-1:123456789012:collection/abc' }),
        indexName: 'events',
      });
      new SplunkDeliveryStream(stack, 'Splunk', { hecEndpoint: 'https://hec.example.com', hecEndpointType: SplunkEndpointType.EVENT, hecToken: new secretsmanager.Secret(stack, 'Token') });
      new HttpEndpointDeliveryStream(stack, 'Datadog', { url: 'https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input', accessKey: new secretsmanager.Secret(stack, 'ApiKey') });
    })).toEqual([]);
  });
});

test.each([['transactions-to-redshift', transactionsToRedshift], ['logs-to-opensearch', logsToOpenSearch]])('AwsSolutionsChecks: example %s is clean', (_name, build) => {
  expect(nagFindings((app) => build(app))).toEqual([]);
});
