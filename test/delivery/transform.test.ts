import { Duration, Size } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newStack, s3Config, synth } from './support';
import { TRANSFORM_CONFIG_ENV } from '../../src/contracts/transform-config';
import { DynamicPartitioning, RecordFilter, RecordTransform } from '../../src/delivery';

describe('RecordTransform.bundled', () => {
  const { template, delivery } = synth({
    transform: RecordTransform.bundled({
      requiredFields: ['timestamp', 'detail.user'],
      keepFields: ['timestamp', 'detail', 'service'],
      renameFields: { timestamp: 'ts' },
      dropFields: ['level'],
      filters: [RecordFilter.fieldNotEquals('level', 'DEBUG'), RecordFilter.fieldIn('service', ['api', 'web']), RecordFilter.fieldExists('detail')],
      partitionKeyFields: { service: 'service' },
      bufferSize: Size.kibibytes(512),
      bufferInterval: Duration.seconds(30),
      retries: 0,
    }),
    dynamicPartitioning: DynamicPartitioning.byTransform(),
    dataOutputPrefix: 'logs/service=!{partitionKeyFromLambda:service}/',
    errorOutputPrefix: 'errors/!{firehose:error-output-type}/',
  });

  test('runs the bundled handler on the one runtime, ARM, 1 GiB, 1 minute, with its configuration in the environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 60,
      Environment: { Variables: { [TRANSFORM_CONFIG_ENV]: Match.anyValue() } },
    });
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(JSON.parse(fn.Properties.Environment.Variables[TRANSFORM_CONFIG_ENV])).toEqual({
      version: 1,
      requiredFields: ['timestamp', 'detail.user'],
      keepFields: ['timestamp', 'detail', 'service'],
      renameFields: [['timestamp', 'ts']],
      dropFields: ['level'],
      filters: [
        { field: 'level', operator: 'notEquals', values: ['DEBUG'] },
        { field: 'service', operator: 'in', values: ['api', 'web'] },
        { field: 'detail', operator: 'exists', values: [] },
      ],
      partitionKeys: [['service', 'service']],
      appendNewline: true,
    });
  });

  test('renders the Lambda processor with fractional buffer size and zero retries', () => {
    const [processor] = s3Config(template).ProcessingConfiguration.Processors;
    expect(processor.Type).toBe('Lambda');
    const params = Object.fromEntries(processor.Parameters.map((p: { ParameterName: string; ParameterValue: unknown }) => [p.ParameterName, p.ParameterValue]));
    expect(params).toEqual({
      LambdaArn: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryTransform/), 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryRole/), 'Arn'] },
      NumberOfRetries: '0',
      BufferSizeInMBs: '0.5',
      BufferIntervalInSeconds: '30',
    });
  });

  test('Firehose\'s role may invoke the function and read its configuration', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^DeliveryRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'lambda:InvokeFunction' }),
          Match.objectLike({ Action: 'lambda:GetFunctionConfiguration', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliveryTransform'), 'Arn'] } }),
        ]),
      },
    });
  });

  test('the function writes only to its own log group, kept three months, without the managed basic execution policy', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] } } });
    expect(Object.values(roles)).toHaveLength(1);
    expect(Object.values(roles)[0].Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^DeliveryTransformRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliveryTransformLogGroup'), 'Arn'] } })] },
    });
  });

  test('exposes the function, and the alarms watch transform failures', () => {
    expect(delivery.transformFunction).toBeDefined();
    expect(delivery.alarms?.transformFailures).toBeDefined();
  });
});

describe('RecordTransform.fromFunction', () => {
  test('uses your function, leaves unset processor parameters to the service, and checks declared keys', () => {
    const stack = newStack();
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:eu-west-1:123456789012:function:mine');
    const { template, delivery } = synth({
      transform: RecordTransform.fromFunction(fn, { partitionKeys: ['tenant'] }),
      dynamicPartitioning: DynamicPartitioning.byTransform(),
      dataOutputPrefix: 'tenant=!{partitionKeyFromLambda:tenant}/',
    }, stack);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(s3Config(template).ProcessingConfiguration.Processors).toEqual([{
      Type: 'Lambda',
      Parameters: [
        { ParameterName: 'LambdaArn', ParameterValue: 'arn:aws:lambda:eu-west-1:123456789012:function:mine' },
        { ParameterName: 'RoleArn', ParameterValue: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryRole/), 'Arn'] } },
      ],
    }]);
    expect(delivery.transformFunction).toBe(fn);
  });
});
