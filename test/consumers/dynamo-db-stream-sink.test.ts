import { Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { stackWithStream, template } from './helpers';
import { DynamoDbStreamSink, StreamReadMode } from '../../src/consumers';

test('creates an on-demand table with point-in-time recovery and a bundled function configured for it', () => {
  const { stack, stream } = stackWithStream();
  const sink = new DynamoDbStreamSink(stack, 'Sink', { stream, partitionKeyAttribute: 'user', partitionKeyField: 'userId', versionField: 'at', keyConcurrency: 20 });
  const t = template(stack);
  t.hasResourceProperties('AWS::DynamoDB::Table', {
    KeySchema: [{ AttributeName: 'user', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  });
  t.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x',
    Handler: 'index.handler',
    Architectures: ['arm64'],
    MemorySize: 256,
    Timeout: 60,
    Environment: {
      Variables: {
        SINK_TABLE_NAME: { Ref: stack.getLogicalId(sink.table.node.defaultChild as never) },
        SINK_PARTITION_KEY_ATTRIBUTE: 'user',
        SINK_PARTITION_KEY_FIELD: 'userId',
        SINK_VERSION_FIELD: 'at',
        CONSUMER_KEY_CONCURRENCY: '20',
      },
    },
  });
  t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dynamodb:PutItem']) })]) } });
  t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: 5 });
  expect(sink.consumer.function).toBe(sink.function);
});

test('writes to a table the user brings, with a sort key', () => {
  const { stack, stream } = stackWithStream();
  const table = new dynamodb.TableV2(stack, 'Sessions', { partitionKey: { name: 'user', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'session', type: dynamodb.AttributeType.STRING } });
  new DynamoDbStreamSink(stack, 'Sink', { stream, table, partitionKeyAttribute: 'user', sortKeyAttribute: 'session', sortKeyField: 'sessionId', readMode: StreamReadMode.enhancedFanOut() });
  const t = template(stack);
  t.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
  t.resourceCountIs('AWS::DynamoDB::Table', 0);
  t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ SINK_SORT_KEY_ATTRIBUTE: 'session', SINK_SORT_KEY_FIELD: 'sessionId' }) } });
  t.resourceCountIs('AWS::Kinesis::StreamConsumer', 1);
});
