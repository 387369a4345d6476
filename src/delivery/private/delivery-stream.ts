import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { registerWithDataStream } from './data-stream';
import { transformInterval } from './helpers';
import { bindMskSource } from './msk-source';
import { acknowledgeDeliveryRole, acknowledgeFirehoseCidrMapping, acknowledgeMskSourceEncryption, acknowledgeStreamSourceEncryption } from './nag';
import { DeliveryStreamAlarms, DeliveryStreamAlarmsOptions, DeliveryStreamAlarmsProps } from '../delivery-stream-alarms';
import { DeliverySource } from '../source';
import { RecordTransformConfig } from '../transform';

/** The props of every delivery construct that decide the delivery stream itself and its alarms. */
export interface DeliveryStreamBasics {
  readonly source?: DeliverySource;
  readonly deliveryStreamName?: string;
  readonly alarms?: boolean;
  readonly alarmOptions?: DeliveryStreamAlarmsOptions;
}

/** What a delivery construct has built before its delivery stream. */
export interface DeliveryStreamRequest {
  readonly props: DeliveryStreamBasics;
  readonly destination: firehose.IDestination;
  readonly role: iam.IRole;
  readonly encryptionKey: kms.IKey;
  /** The buckets the role writes to; their object ARN wildcard is acknowledged. */
  readonly buckets: Array<s3.IBucket | undefined>;
  readonly transform?: RecordTransformConfig;
  readonly formatConversion?: boolean;
  /** Sets on the L1 resource what `destination` cannot, before anything else reads the delivery stream. */
  readonly configure?: (cfn: firehose.CfnDeliveryStream, deliveryStream: firehose.DeliveryStream) => void;
  /** What the alarms derive their metrics and thresholds from. */
  readonly alarms: Pick<DeliveryStreamAlarmsProps, 'destination' | 'bufferingInterval' | 'dynamicPartitioning' | 's3Backup'>;
}

/** A delivery stream with its L1 resource and its alarms. */
export interface CreatedDeliveryStream {
  readonly deliveryStream: firehose.DeliveryStream;
  readonly cfnDeliveryStream: firehose.CfnDeliveryStream;
  readonly alarms?: DeliveryStreamAlarms;
}

/**
 * Creates aws-cdk-lib's `DeliveryStream` (source, server-side encryption with the key for direct PUT only: Firehose
 * refuses it with a data stream or an MSK source), registers it with a `DataStream` source, sets an MSK source on the
 * L1 resource (aws-cdk-lib's L2 takes only a Kinesis source), acknowledges the cdk-nag findings it cannot avoid and
 * adds the alarms (unless turned off): the same for every destination.
 */
export function createDeliveryStream(scope: Construct, request: DeliveryStreamRequest): CreatedDeliveryStream {
  const props = request.props;
  const stream = props.source?.stream;
  const mskSource = props.source?.mskSource;
  const directPut = !stream && !mskSource;
  const deliveryStream = new firehose.DeliveryStream(scope, 'DeliveryStream', {
    deliveryStreamName: props.deliveryStreamName,
    destination: request.destination,
    role: request.role,
    source: stream ? new firehose.KinesisStreamSource(stream) : undefined,
    encryption: directPut ? firehose.StreamEncryption.customerManagedKey(request.encryptionKey) : undefined,
  });
  const cfnDeliveryStream = deliveryStream.node.defaultChild as firehose.CfnDeliveryStream;
  acknowledgeFirehoseCidrMapping(deliveryStream);
  if (mskSource) {
    const dependables = bindMskSource(scope, { options: mskSource, role: request.role, cfnDeliveryStream });
    for (const d of dependables) cfnDeliveryStream.node.addDependency(d);
    acknowledgeMskSourceEncryption(deliveryStream);
  }
  request.configure?.(cfnDeliveryStream, deliveryStream);
  if (stream) {
    registerWithDataStream(stream, deliveryStream);
    acknowledgeStreamSourceEncryption(deliveryStream);
  }
  const transform = request.transform;
  acknowledgeDeliveryRole(request.role, {
    buckets: request.buckets.filter((b): b is s3.IBucket => b !== undefined),
    transform: transform?.lambdaFunction instanceof lambda.Function ? transform.lambdaFunction : undefined,
    formatConversion: request.formatConversion ?? false,
  });
  const alarms = props.alarms === false ? undefined : new DeliveryStreamAlarms(scope, 'Alarms', {
    ...props.alarmOptions,
    ...request.alarms,
    deliveryStream,
    transformBufferingInterval: transform ? transformInterval(transform.processor) : undefined,
    kinesisStreamSource: stream !== undefined,
    mskSource: mskSource !== undefined,
  });
  return { deliveryStream, cfnDeliveryStream, alarms };
}
