/**
 * Logs to S3: services write JSON log events straight to a Firehose delivery stream (direct PUT). The bundled
 * transform checks each event, drops DEBUG noise and secrets, and returns the service name as a partition key; the
 * objects land in S3 as GZIP-compressed JSON Lines under `logs/service=<service>/date=<yyyy-MM-dd>/`, ready for
 * Athena with partition projection. Malformed events go to `logs-errors/`, never failing the batch.
 *
 * Run: npm run synth:examples -- logs-to-s3
 */
import { App, CfnOutput, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DynamicPartitioning, RecordFilter, RecordTransform, S3DeliveryStream } from '../../src';

export class LogsToS3Stack extends Stack {
  public readonly logs: S3DeliveryStream;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const onCall = new sns.Topic(this, 'OnCall', { enforceSSL: true });

    this.logs = new S3DeliveryStream(this, 'AppLogs', {
      deliveryStreamName: 'app-logs',
      transform: RecordTransform.bundled({
        requiredFields: ['timestamp', 'service', 'level', 'message'],
        filters: [RecordFilter.fieldNotEquals('level', 'DEBUG')],
        // Tokens and passwords sometimes leak into structured logs: they never reach the bucket.
        dropFields: ['authorization', 'password', 'sessionToken'],
        partitionKeyFields: { service: 'service' },
      }),
      dynamicPartitioning: DynamicPartitioning.byTransform(),
      // The date is Firehose's arrival date: late events stay in the partition Athena already scanned.
      dataOutputPrefix: 'logs/service=!{partitionKeyFromLambda:service}/date=!{timestamp:yyyy-MM-dd}/',
      errorOutputPrefix: 'logs-errors/!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/',
      // Dynamic partitioning needs at least 64 MiB; five minutes keeps logs searchable soon after they are written.
      buffering: { size: Size.mebibytes(64), interval: Duration.minutes(5) },
      compression: firehose.Compression.GZIP,
      fileExtension: '.jsonl.gz',
      bucketProps: {
        lifecycleRules: [
          { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
          // Logs are kept 400 days (a year plus an audit margin), errors 30 days.
          { id: 'expire-logs', prefix: 'logs/', expiration: Duration.days(400) },
          { id: 'expire-errors', prefix: 'logs-errors/', expiration: Duration.days(30) },
        ],
      },
      alarmOptions: { alarmActions: [new cwActions.SnsAction(onCall)] },
    });

    // Services put log events with PutRecordBatch (up to 500 events or 4 MiB per call).
    const services = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Writes application log events to the app-logs delivery stream',
    });
    this.logs.deliveryStream.grantPutRecords(services);

    new CfnOutput(this, 'DeliveryStreamName', { value: this.logs.deliveryStream.deliveryStreamName });
    new CfnOutput(this, 'BucketName', { value: this.logs.bucket.bucketName });
  }
}

export function build(app: App): App {
  new LogsToS3Stack(app, 'LogsToS3');
  return app;
}

if (require.main === module) build(new App()).synth();
