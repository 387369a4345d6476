import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { secret } from './destination-support';
import { errorOf, newStack } from './support';
import {
  RedshiftCopyOptions, RedshiftDataFormat, RedshiftDeliveryStream, RedshiftDeliveryStreamProps, RedshiftTarget, RedshiftTimeFormat,
} from '../../src/delivery';

const P = 'Stack/Delivery: ';
const INTERMEDIATE = 'Stack/Delivery (intermediate): ';
const CLUSTER = RedshiftTarget.cluster({ endpointAddress: 'ledger.abc123xyz.eu-west-1.redshift.amazonaws.com', databaseName: 'finance' });

type Extra = Partial<RedshiftDeliveryStreamProps> | ((stack: Stack) => Partial<RedshiftDeliveryStreamProps>);

function message(extra: Extra): string {
  const stack = newStack();
  return errorOf(() => new RedshiftDeliveryStream(stack, 'Delivery', {
    target: CLUSTER,
    credentials: secret(stack),
    tableName: 'transactions',
    ...(typeof extra === 'function' ? extra(stack) : extra),
  }));
}

const copy = (props: Parameters<typeof RedshiftCopyOptions.of>[0]) => ({ copyOptions: RedshiftCopyOptions.of(props) });

describe('RedshiftDeliveryStream rules', () => {
  test.each<[string, Extra, string, string?]>([
    ['source backup without a transform', { sourceBackup: {} },
      'sourceBackup needs a transform: Firehose backs up the source records of a Redshift destination when a Lambda transform changes them, and without '
      + 'one the backup would be a second copy of the files staged in intermediateBucket'],
    ['Snappy staging', { compression: firehose.Compression.SNAPPY },
      'compression Snappy is not supported here (the Redshift COPY command reads the staged files and cannot read Snappy or ZIP); use one of GZIP, UNCOMPRESSED', INTERMEDIATE],
    ['ZIP staging', { compression: firehose.Compression.ZIP },
      'compression ZIP is not supported here (the Redshift COPY command reads the staged files and cannot read Snappy or ZIP); use one of GZIP, UNCOMPRESSED', INTERMEDIATE],
    ['Hadoop Snappy staging', { compression: firehose.Compression.HADOOP_SNAPPY },
      'compression HADOOP_SNAPPY is not supported here (the Redshift COPY command reads the staged files and cannot read Snappy or ZIP); use one of GZIP, UNCOMPRESSED', INTERMEDIATE],
    ['MANIFEST in raw options', { copyOptions: RedshiftCopyOptions.raw("JSON 'auto' MANIFEST") },
      "copy options may not contain MANIFEST: Firehose adds it to the COPY command itself, got 'JSON 'auto' MANIFEST'"],
    ['credentials in extra options', copy({ extraOptions: ["IAM_ROLE 'arn:aws:iam::123456789012:role/x'"] }),
      "copy options may not contain IAM_ROLE: Firehose adds it to the COPY command itself, got 'JSON 'auto' IAM_ROLE 'arn:aws:iam::123456789012:role/x''"],
    ['MANIFEST next to a JSONPaths file in a bucket of the app', (s) => copy({
      dataFormat: RedshiftDataFormat.jsonPaths(new s3.Bucket(s, 'Config'), 'transactions.jsonpaths'), extraOptions: ['MANIFEST'],
    }), "copy options may not contain MANIFEST: Firehose adds it to the COPY command itself, got 'JSON 's3://<deploy-time value>/transactions.jsonpaths' MANIFEST'"],
    ['GZIP in raw options', { copyOptions: RedshiftCopyOptions.raw("JSON 'auto' gzip") },
      "copy options may not contain GZIP: the COPY compression is derived from the staged files' compression (GZIP); set compression instead, got 'JSON 'auto' gzip'"],
    ['ZSTD with uncompressed staging', { copyOptions: RedshiftCopyOptions.raw('ZSTD'), compression: firehose.Compression.UNCOMPRESSED },
      "copy options may not contain ZSTD: the COPY compression is derived from the staged files' compression (UNCOMPRESSED); set compression instead, got 'ZSTD'"],
    ['epoch date format', copy({ dateFormat: RedshiftTimeFormat.EPOCH_SECONDS }),
      "dateFormat 'epochsecs' is a TIMEFORMAT; DATEFORMAT accepts 'auto' or a format string"],
    ['quote in a time format', copy({ timeFormat: RedshiftTimeFormat.of("YYYY'MM") }), "timeFormat must be a non-empty format without single quotes, got 'YYYY'MM'"],
    ['replacement character', copy({ invalidCharReplacement: '??' }), "invalidCharReplacement must be one character other than a single quote or a backslash, got '??'"],
    ['max errors range', copy({ maxErrors: 100_001 }), 'maxErrors must be between 0 and 100000, got 100001'],
    ['max errors integer', copy({ maxErrors: 1.5 }), 'maxErrors must be a whole number, got 1.5'],
    ['empty extra option', copy({ extraOptions: [' '] }), 'extraOptions entries may not be empty'],
    ['CSV delimiter', copy({ dataFormat: RedshiftDataFormat.csv('||') }),
      "RedshiftDataFormat.csv delimiter must be one character other than a single quote or a backslash, got '||'"],
    ['CSV quote', copy({ dataFormat: RedshiftDataFormat.csv(',', "'") }),
      "RedshiftDataFormat.csv quote must be one character other than a single quote or a backslash, got '''"],
    ['delimiter', copy({ dataFormat: RedshiftDataFormat.delimited('\\') }),
      "RedshiftDataFormat.delimited delimiter must be one character other than a single quote or a backslash, got '\\'"],
    ['JSONPaths key', (s) => copy({ dataFormat: RedshiftDataFormat.jsonPaths(s3.Bucket.fromBucketName(s, 'B', 'finance-config'), '') }),
      "RedshiftDataFormat.jsonPaths key must be a non-empty object key without single quotes, got ''"],
    ['table name characters', { tableName: 'transactions; drop table x' },
      "tableName may not contain ';', single quotes or white space (it is written into the COPY command), got 'transactions; drop table x'"],
    ['table name length', { tableName: 't'.repeat(513) }, 'tableName must be 1 to 512 characters, got 513'],
    ['no columns', { columns: [] }, 'columns must name at least one column, or be left unset to load every column'],
    ['column name', { columns: ['id', 'amount,currency'] },
      "columns entries must be column names without commas, parentheses, ';', quotes or white space, got 'amount,currency'"],
    ['cluster port', { target: RedshiftTarget.cluster({ endpointAddress: 'c.x.eu-west-1.redshift.amazonaws.com', databaseName: 'd', port: 80 }) },
      'RedshiftTarget.cluster port must be between 1150 and 65535, got 80'],
    ['cluster endpoint', { target: RedshiftTarget.cluster({ endpointAddress: 'jdbc:redshift://c.x.eu-west-1.redshift.amazonaws.com:5439/d', databaseName: 'd' }) },
      "RedshiftTarget.cluster endpointAddress must be a host name without scheme, port or path (e.g. 'my-cluster.abc123xyz.eu-west-1.redshift.amazonaws.com'), " +
      "got 'jdbc:redshift://c.x.eu-west-1.redshift.amazonaws.com:5439/d'"],
    ['database name', { target: RedshiftTarget.cluster({ endpointAddress: 'c.x.eu-west-1.redshift.amazonaws.com', databaseName: 'fin ance' }) },
      "databaseName may only contain letters, digits, _, $ and -, got 'fin ance'"],
    ['serverless port', { target: RedshiftTarget.serverless({ workgroupName: 'wg', port: 5439 + 100 }) },
      'RedshiftTarget.serverless port must be in 5431-5455 or 8191-8215, got 5539'],
    ['workgroup name', { target: RedshiftTarget.serverless({ workgroupName: 'Finance' }) },
      "RedshiftTarget.serverless workgroupName may only contain lowercase letters, digits and -, got 'Finance'"],
    ['retry duration', { retryDuration: Duration.hours(3) }, 'retryDuration must be between 0 and 7200 seconds, got 10800 seconds'],
    ['buffering size', { buffering: { size: Size.mebibytes(129) } }, 'buffering.size must be between 1 and 128 MiB, got 129 MiB', INTERMEDIATE],
    ['buffering interval', { buffering: { interval: Duration.seconds(901) } }, 'buffering.interval must be between 0 and 900 seconds, got 901 seconds', INTERMEDIATE],
    ['intermediate bucket and props', (s) => ({ intermediateBucket: new s3.Bucket(s, 'B'), intermediateBucketProps: {} }),
      'intermediateBucket and intermediateBucketProps cannot be given together: intermediateBucketProps configure the bucket this construct creates', INTERMEDIATE],
    ['intermediate prefix with an expression', { intermediatePrefix: 'staging/!{timestamp:yyyy}/' },
      "intermediatePrefix 'staging/!{timestamp:yyyy}/' contains a !{...} expression, which Firehose refuses in the prefix of a Redshift destination: use plain "
      + "text such as 'data/' (Firehose appends yyyy/MM/dd/HH/ itself), and put expressions in sourceBackup.prefix if you need them"],
    ['intermediate prefix with a partition key', { intermediatePrefix: 'staging/!{partitionKeyFromLambda:account}/' },
      "intermediatePrefix 'staging/!{partitionKeyFromLambda:account}/' contains a !{...} expression, which Firehose refuses in the prefix of a Redshift destination: "
      + "use plain text such as 'data/' (Firehose appends yyyy/MM/dd/HH/ itself), and put expressions in sourceBackup.prefix if you need them"],
    ['an error output prefix from JavaScript', { intermediateErrorOutputPrefix: 'staging-errors/' } as unknown as Partial<RedshiftDeliveryStreamProps>,
      "intermediateErrorOutputPrefix is not supported, got 'staging-errors/': Firehose requires the error output prefix of a Redshift destination to be null, "
      + 'and writes records it could not stage under intermediatePrefix followed by the error type. Remove it'],
    ['security group-less connections', () => ({
      target: RedshiftTarget.cluster({ endpointAddress: 'c.x.eu-west-1.redshift.amazonaws.com', databaseName: 'd', connections: { connections: new ec2.Connections() } }),
    }), "the Redshift cluster's connections have no security group to open: pass the security groups of the cluster"],
  ])('%s', (_name, extra, expected, path = P) => {
    expect(message(extra)).toBe(path + expected);
  });
});
