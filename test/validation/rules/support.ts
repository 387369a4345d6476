import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kda from 'aws-cdk-lib/aws-kinesisanalyticsv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DesignFinding, KinesisDesign } from '../../../src';

/** Findings of one rule over the stack `build` fills in. */
export function findingsOf(ruleId: string, build: (stack: Stack) => void, env = { region: 'eu-west-1', account: '111111111111' }): DesignFinding[] {
  const app = new App();
  const stack = new Stack(app, 'Design', { env });
  build(stack);
  return KinesisDesign.findings(app).filter((f) => f.ruleId === ruleId);
}

export function fn(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    ...props,
  });
}

/** A correct consumer: bounded retries and age, an encrypted failure queue. */
export function mapping(stack: Stack, id: string, eventSourceArn: string, props: Partial<lambda.EventSourceMappingProps> = {}): lambda.EventSourceMapping {
  const queue = new sqs.Queue(stack, `${id}Failures`, { encryption: sqs.QueueEncryption.SQS_MANAGED });
  return new lambda.EventSourceMapping(stack, id, {
    target: fn(stack, `${id}Fn`),
    eventSourceArn,
    startingPosition: lambda.StartingPosition.LATEST,
    retryAttempts: 3,
    maxRecordAge: Duration.hours(1),
    onFailure: { bind: () => ({ destination: queue.queueArn }) },
    ...props,
  });
}

export function stream(stack: Stack, id: string, props: kinesis.StreamProps = {}): kinesis.Stream {
  return new kinesis.Stream(stack, id, { shardCount: 1, encryption: kinesis.StreamEncryption.MANAGED, ...props });
}

/** A Flink application on the L1, with one property group. */
export function flinkApp(stack: Stack, id: string, properties: Record<string, string>,
  flink?: kda.CfnApplication.FlinkApplicationConfigurationProperty, groupId = 'source'): kda.CfnApplication {
  const role = new iam.Role(stack, `${id}Role`, { assumedBy: new iam.ServicePrincipal('kinesisanalytics.amazonaws.com') });
  return new kda.CfnApplication(stack, id, {
    runtimeEnvironment: 'FLINK-1_20',
    serviceExecutionRole: role.roleArn,
    applicationConfiguration: {
      environmentProperties: { propertyGroups: [{ propertyGroupId: groupId, propertyMap: properties }] },
      flinkApplicationConfiguration: flink,
    },
  });
}
