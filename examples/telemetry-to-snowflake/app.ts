/**
 * IoT telemetry into Snowflake: devices write readings (JSON, keyed by device id) into a data stream; Firehose reads
 * it and inserts each reading into a Snowflake table through Snowpipe Streaming, a few seconds after it arrives. The
 * table lands every reading whole in a VARIANT column, with Firehose's metadata of it (shard, sequence number,
 * ingestion time) in a second one, so readings with new fields still load and duplicates after a retry can be
 * removed on the sequence number. The bundled transform checks the fields every reading needs and drops the device's
 * network address; readings Snowflake refuses go to the backup bucket, and alarms on freshness, refused readings and
 * commit latency page the on-call topic.
 *
 * The key pair: the app creates the secret with the user's name and a random placeholder for the key, so no key is
 * ever in the template. Before the first reading, put the user's private key into it:
 *
 *   aws secretsmanager put-secret-value --secret-id <SnowflakeKeyPairArn output> \
 *     --secret-string '{"user":"FIREHOSE_TELEMETRY","private_key":"MIIE..."}'
 *
 * and in Snowflake (as a role that owns the table):
 *
 *   CREATE TABLE TELEMETRY.RAW.READINGS (RECORD_CONTENT VARIANT, RECORD_METADATA VARIANT);
 *   CREATE ROLE FIREHOSE_TELEMETRY_LOADER;
 *   GRANT USAGE ON DATABASE TELEMETRY TO ROLE FIREHOSE_TELEMETRY_LOADER;
 *   GRANT USAGE ON SCHEMA TELEMETRY.RAW TO ROLE FIREHOSE_TELEMETRY_LOADER;
 *   GRANT INSERT ON TABLE TELEMETRY.RAW.READINGS TO ROLE FIREHOSE_TELEMETRY_LOADER;
 *   CREATE USER FIREHOSE_TELEMETRY RSA_PUBLIC_KEY = 'MIIB...' DEFAULT_ROLE = FIREHOSE_TELEMETRY_LOADER;
 *   GRANT ROLE FIREHOSE_TELEMETRY_LOADER TO USER FIREHOSE_TELEMETRY;
 *
 * Run: npm run synth:examples -- telemetry-to-snowflake
 */
import { App, CfnOutput, Duration, Size, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DataStream, DeliverySource, RecordTransform, SnowflakeDataLoading, SnowflakeDeliveryStream } from '../../src';

const SNOWFLAKE_USER = 'FIREHOSE_TELEMETRY';

export class TelemetryToSnowflakeStack extends Stack {
  public readonly telemetry: DataStream;
  public readonly delivery: SnowflakeDeliveryStream;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.telemetry = new DataStream(this, 'Telemetry', {
      // 20,000 devices, a reading every 10 seconds, about 300 bytes each; Firehose is the one shared-throughput reader.
      throughput: { recordsPerSecond: 2000, averageRecordSize: Size.bytes(300), sharedThroughputConsumers: 1 },
      retentionPeriod: Duration.days(1),
    });

    // Secrets Manager generates a random `private_key` as a placeholder: the real key is put in after deployment.
    const keyPair = new secretsmanager.Secret(this, 'SnowflakeKeyPair', {
      description: `Key pair of the Snowflake user ${SNOWFLAKE_USER}, which Firehose signs in with`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ user: SNOWFLAKE_USER }),
        generateStringKey: 'private_key',
      },
    });
    Validations.of(keyPair).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A Snowflake key pair is rotated in Snowflake (RSA_PUBLIC_KEY_2, then the new private key here); Firehose re-reads the secret every 10 minutes',
    });

    const onCall = new sns.Topic(this, 'OnCall', { enforceSSL: true });
    this.delivery = new SnowflakeDeliveryStream(this, 'ToSnowflake', {
      source: DeliverySource.kinesisStream(this.telemetry),
      accountUrl: 'https://acme-telemetry.snowflakecomputing.com',
      secret: keyPair,
      database: 'TELEMETRY',
      schema: 'RAW',
      table: 'READINGS',
      snowflakeRole: 'FIREHOSE_TELEMETRY_LOADER',
      dataLoading: SnowflakeDataLoading.variantContentAndMetadata({ contentColumnName: 'RECORD_CONTENT', metadataColumnName: 'RECORD_METADATA' }),
      transform: RecordTransform.bundled({
        requiredFields: ['device_id', 'ts'],
        dropFields: ['source_ip'],
        // One record is one row: no separator after it.
        appendNewline: false,
      }),
      // Snowpipe Streaming inserts rows, not files: a short interval keeps readings fresh without small-file cost.
      buffering: { size: Size.mebibytes(1), interval: Duration.seconds(10) },
      retryDuration: Duration.minutes(5),
      alarmOptions: { alarmActions: [new cloudwatchActions.SnsAction(onCall)], commitLatencyThreshold: Duration.minutes(2) },
    });

    // Devices get temporary AWS credentials (the AWS IoT credentials provider) for this role.
    const devices = new iam.Role(this, 'DeviceRole', {
      assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com'),
      description: 'Assumed by telemetry devices to write readings keyed by device_id',
    });
    this.telemetry.grantWrite(devices);

    new CfnOutput(this, 'StreamName', { value: this.telemetry.streamName });
    new CfnOutput(this, 'SnowflakeKeyPairArn', { value: keyPair.secretArn });
    new CfnOutput(this, 'RefusedReadings', { value: `s3://${this.delivery.backupBucket.bucketName}/` });
  }
}

export function build(app: App): App {
  new TelemetryToSnowflakeStack(app, 'TelemetryToSnowflake');
  return app;
}

if (require.main === module) build(new App()).synth();
