import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledgeWildcardResource } from './nag';

/*
 * The exact rights each connector needs, by action name (no wildcard actions): what the Flink Kinesis, Firehose and
 * file-system connectors call, as the Managed Service for Apache Flink guide lists them.
 */

const STREAM_DESCRIBE = ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards'];
const STREAM_POLL = ['kinesis:GetShardIterator', 'kinesis:GetRecords'];
const CONSUMER_READ = ['kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'];
const STREAM_WRITE = ['kinesis:PutRecord', 'kinesis:PutRecords'];
const FIREHOSE_WRITE = ['firehose:PutRecord', 'firehose:PutRecordBatch'];
const S3_OBJECT_WRITE = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
const S3_BUCKET_LIST = ['s3:ListBucket', 's3:ListBucketMultipartUploads'];

/** Read a stream by polling, or through the given enhanced fan-out consumer; decrypt with its key when it has one. */
export function grantStreamRead(role: iam.IRole, stream: kinesis.IStream, consumer?: kinesis.IStreamConsumer): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: consumer ? STREAM_DESCRIBE : [...STREAM_DESCRIBE, ...STREAM_POLL],
    resources: [stream.streamArn],
  }));
  if (consumer) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: CONSUMER_READ, resources: [consumer.streamConsumerArn] }));
  stream.encryptionKey?.grant(role, 'kms:Decrypt');
}

/** Write to a stream; generate data keys with its key when it has one. */
export function grantStreamWrite(role: iam.IRole, stream: kinesis.IStream): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...STREAM_DESCRIBE, ...STREAM_WRITE], resources: [stream.streamArn] }));
  stream.encryptionKey?.grant(role, 'kms:GenerateDataKey');
}

/** Write to a delivery stream (Firehose encrypts at rest with its own key; the producer needs no KMS right). */
export function grantDeliveryStreamWrite(role: iam.IRole, deliveryStream: firehose.IDeliveryStream): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: FIREHOSE_WRITE, resources: [deliveryStream.deliveryStreamArn] }));
}

/**
 * Write objects under a prefix of a bucket, with the multipart and listing rights Flink's S3 file sink uses to
 * commit exactly once; encrypt and decrypt multipart parts with the bucket's key when it has one.
 */
export function grantBucketWrite(role: iam.IRole, bucket: s3.IBucket, prefix: string): void {
  const objects = bucket.arnForObjects(`${prefix}*`);
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: S3_OBJECT_WRITE, resources: [objects] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: S3_BUCKET_LIST, resources: [bucket.bucketArn] }));
  acknowledgeWildcardResource(role, objects, 'The S3 file sink writes part files under generated names (bucket, subtask, counter) below its prefix');
  bucket.encryptionKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
}

/** Read the application package. */
export function grantCodeRead(role: iam.IRole, bucket: s3.IBucket, key: string): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [bucket.arnForObjects(key)] }));
  bucket.encryptionKey?.grant(role, 'kms:Decrypt');
}
