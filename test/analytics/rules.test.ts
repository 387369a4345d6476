import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { flinkApp, NOJAR, PYJOB, stack } from './support';
import { DataStream, FlinkApplication, FlinkCode, FlinkReadMode, FlinkRestore, FlinkRuntime, S3DeliveryStream, DeliverySource, StudioRuntime } from '../../src';

const PATH = 'S/App';

describe('FlinkApplication rules at synth time (path, value, limit)', () => {
  test('a legacy SQL runtime points to Flink and Studio', () => {
    expect(() => FlinkRuntime.of('SQL-1_0')).toThrow(/FlinkRuntime: SQL-1_0 is a legacy Kinesis Data Analytics for SQL runtime, which is discontinued .*Flink SQL, in a FlinkApplication .* or interactively in a StudioNotebook/);
  });

  test('a malformed runtime, and a Zeppelin runtime given to an application', () => {
    expect(() => FlinkRuntime.of('flink 1.20')).toThrow(/runtime must look like FLINK-<major>_<minor> \(e.g. FLINK-1_20\), got 'flink 1.20'/);
    expect(() => FlinkRuntime.of('ZEPPELIN-FLINK-3_0')).toThrow(/is a Studio notebook runtime: use StudioNotebook/);
  });

  test('Studio runtimes older than 3.0 are refused', () => {
    expect(() => StudioRuntime.of('ZEPPELIN-FLINK-2_0')).toThrow(/ZEPPELIN-FLINK-2_0 is older than ZEPPELIN-FLINK-3_0/);
    expect(StudioRuntime.of('ZEPPELIN-FLINK-4_0').value).toBe('ZEPPELIN-FLINK-4_0');
  });

  test('parallelism per KPU is 1 to 8', () => {
    expect(() => flinkApp(stack(), { parallelismPerKpu: 9 })).toThrow(`${PATH}: parallelismPerKpu must be between 1 and 8, got 9. One KPU (1 vCPU, 4 GB) runs 1 to 8 parallel tasks`);
    expect(() => flinkApp(stack(), { parallelismPerKpu: 0 })).toThrow(/parallelismPerKpu must be between 1 and 8, got 0/);
  });

  test('parallelism is a whole number from 1', () => {
    expect(() => flinkApp(stack(), { parallelism: 0 })).toThrow(`${PATH}: parallelism must be between 1 and ${Number.MAX_SAFE_INTEGER}, got 0`);
    expect(() => flinkApp(stack(), { parallelism: 1.5 })).toThrow(`${PATH}: parallelism must be a whole number, got 1.5`);
  });

  test('the KPUs the settings need must fit the application quota', () => {
    expect(() => flinkApp(stack(), { parallelism: 65 })).toThrow(`${PATH}: parallelism 65 at 1 per KPU needs 65 KPUs, above the 64 KPUs an application may use: raise parallelismPerKpu, or request a quota increase and set maxKpus`);
    expect(() => flinkApp(stack(), { parallelism: 65, maxKpus: 100 })).not.toThrow();
  });

  test('missing code', () => {
    expect(() => new FlinkApplication(stack(), 'App', {} as any)).toThrow(`${PATH}: code is required: FlinkCode.fromPythonProject, FlinkCode.fromJarFile or FlinkCode.fromBucket`);
  });

  test('a Python application without an entry point', () => {
    expect(() => flinkApp(stack(), { code: FlinkCode.fromPythonProject(PYJOB, { entryPoint: '' }) }))
      .toThrow(`${PATH}: a Python application needs an entry point (entryPoint, e.g. 'main.py')`);
    const s = stack();
    const bucket = s3.Bucket.fromBucketName(s, 'B', 'code-bucket');
    expect(() => flinkApp(s, { code: FlinkCode.fromBucket(bucket, 'a.zip', { python: {} as any }) })).toThrow(/needs an entry point/);
  });

  test('an entry point that is not in the project folder is an error', () => {
    expect(() => flinkApp(stack(), { code: FlinkCode.fromPythonProject(NOJAR, { entryPoint: 'job.py' }) }))
      .toThrow(/entryPoint job\.py is not in the PyFlink project folder .*nojar: the service could not start the job/);
  });

  test('entry point and jar must be relative files of the right kind', () => {
    expect(() => flinkApp(stack(), { code: FlinkCode.fromPythonProject(PYJOB, { entryPoint: 'main.txt' }) })).toThrow("entryPoint must be a Python file (.py), got 'main.txt'");
    expect(() => flinkApp(stack(), { code: FlinkCode.fromPythonProject(PYJOB, { entryPoint: '../main.py' }) })).toThrow("entryPoint must be relative to the root of the code package, got '../main.py'");
    expect(() => flinkApp(stack(), { code: FlinkCode.fromPythonProject(PYJOB, { entryPoint: 'main.py', jarFile: 'lib/deps.zip' }) })).toThrow("jarFile must be a .jar file, got 'lib/deps.zip'");
    expect(() => flinkApp(stack(), { code: FlinkCode.fromJarFile(`${PYJOB}/main.py`) })).toThrow(/takes a .jar file/);
  });

  test('a Python application on a runtime older than PyFlink support', () => {
    expect(() => flinkApp(stack(), { runtime: FlinkRuntime.of('FLINK-1_11') })).toThrow(`${PATH}: runtime FLINK-1_11 cannot run a Python application: PyFlink needs FLINK-1_13 or newer`);
  });

  test('checkpointing off in production mode', () => {
    expect(() => flinkApp(stack(), { checkpointing: false })).toThrow(`${PATH}: checkpointing is off, which production mode refuses`);
  });

  test('checkpoint timing needs checkpointing and a positive interval', () => {
    expect(() => flinkApp(stack(), { checkpointing: false, production: false, checkpointInterval: Duration.seconds(10) })).toThrow('checkpointInterval and minPauseBetweenCheckpoints need checkpointing on');
    expect(() => flinkApp(stack(), { checkpointInterval: Duration.millis(0) })).toThrow(/checkpointInterval must be between 1 and .* ms, got 0 ms/);
  });

  test('restoring from a snapshot needs snapshots on', () => {
    expect(() => flinkApp(stack(), { snapshots: false, restore: FlinkRestore.LATEST_SNAPSHOT }))
      .toThrow(`${PATH}: restore RESTORE_FROM_LATEST_SNAPSHOT needs snapshots, which are off: turn snapshots on, or use FlinkRestore.NONE to start without state`);
    expect(() => flinkApp(stack(), { restore: FlinkRestore.NONE, allowNonRestoredState: true })).toThrow('allowNonRestoredState applies only when restoring from a snapshot');
  });

  test('a source or sink in another Region without the opt-in', () => {
    const s = stack();
    const remote = kinesis.Stream.fromStreamArn(s, 'Remote', 'arn:aws:kinesis:us-east-1:111111111111:stream/remote');
    expect(() => flinkApp(s).addSource(remote)).toThrow(`${PATH}: source S/Remote is in us-east-1 but the application runs in eu-west-1: cross-Region reads and writes add latency and transfer cost; set allowCrossRegion: true`);
    const s2 = stack();
    const other = kinesis.Stream.fromStreamArn(s2, 'Remote', 'arn:aws:kinesis:us-east-1:111111111111:stream/remote');
    expect(() => flinkApp(s2).addKinesisSink(other)).toThrow(/sink S\/Remote is in us-east-1 but the application runs in eu-west-1/);
  });

  test('a delivery stream that reads a data stream takes no direct writes', () => {
    const s = stack();
    const source = new DataStream(s, 'Src');
    const ds = new S3DeliveryStream(s, 'Archive', { source: DeliverySource.kinesisStream(source) });
    expect(() => flinkApp(s).addFirehoseSink(ds.deliveryStream)).toThrow(/reads a Kinesis data stream, so Firehose refuses PutRecordBatch to it: write to its source stream with addKinesisSink instead/);
  });

  test('connector names: pattern and uniqueness', () => {
    const s = stack();
    const app = flinkApp(s);
    const stream = new DataStream(s, 'Alerts');
    expect(() => app.addKinesisSink(stream, { name: 'Alerts_1' })).toThrow("sink name must be lower-case letters, digits and hyphens (the job reads the group sink.<name>), got 'Alerts_1'");
    app.addKinesisSink(stream);
    expect(() => app.addKinesisSink(new DataStream(s, 'Other'), { name: 'alerts' })).toThrow('sink.alerts is already added: give the sink another name with options.name');
  });

  test('property groups: reserved ids, id pattern, 50 groups at most', () => {
    const s = stack();
    const app = flinkApp(s);
    expect(() => app.addPropertyGroup('kinesis.analytics.flink.run.options', {})).toThrow(/is the service's run options/);
    expect(() => app.addPropertyGroup('source.x', {})).toThrow(/uses the prefix of sources and sinks/);
    expect(() => app.addPropertyGroup('bad id', {})).toThrow("property group id may only contain letters, digits, underscores, periods and hyphens, got 'bad id'");
    for (let i = 0; i < 49; i++) app.addPropertyGroup(`g${i}`, { k: 'v' });
    expect(() => app.addPropertyGroup('g49', {})).toThrow(`${PATH}: cannot add property group 'g49': an application has at most 50 property groups`);
  });

  test('a property value over 2048 characters', () => {
    expect(() => flinkApp(stack(), { properties: { k: 'x'.repeat(2049) } })).toThrow("property group 'application': the value of 'k' must be at most 2048 characters, got 2049");
  });

  test('application name and description', () => {
    expect(() => flinkApp(stack(), { applicationName: 'my app' })).toThrow("applicationName may only contain letters, digits, underscores, periods and hyphens, got 'my app'");
    expect(() => flinkApp(stack(), { description: 'x'.repeat(1025) })).toThrow('description must be at most 1024 characters, got 1025');
  });

  test('VPC: subnets and security groups need a VPC; at most 5 security groups', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc');
    const sgs = Array.from({ length: 6 }, (_, i) => new ec2.SecurityGroup(s, `Sg${i}`, { vpc }));
    expect(() => flinkApp(s, { securityGroups: sgs.slice(0, 1) }, 'NoVpc')).toThrow('securityGroups and vpcSubnets need a vpc');
    expect(() => flinkApp(s, { vpc, securityGroups: sgs })).toThrow(`${PATH}: securityGroups must be at most 5, got 6`);
  });

  test('a log group of yours with a retention or key of ours', () => {
    const s = stack();
    const lg = new logs.LogGroup(s, 'Lg');
    expect(() => flinkApp(s, { logGroup: lg, logRetention: 7 as any })).toThrow('logGroup and logRetention cannot be given together');
  });

  test('alarm thresholds: the share of retention must leave time before records are lost', () => {
    const s = stack();
    const app = flinkApp(s, { alarms: { millisBehindLatest: { maxShareOfRetention: 1 } } });
    expect(() => app.addSource(new DataStream(s, 'In'))).toThrow(/alarms.millisBehindLatest.maxShareOfRetention must be between 0.01 and 0.99, got 1. A job behind by the whole retention period has lost records/);
  });

  test('tokens are passed through, not compared', () => {
    const s = new Stack(new App(), 'S');
    const p = new CfnParameter(s, 'P', { type: 'Number' });
    expect(() => flinkApp(s, { parallelism: p.valueAsNumber })).not.toThrow();
  });
});

describe('FlinkReadMode', () => {
  test('EFO and POLLING values as the job reads them', () => {
    expect(FlinkReadMode.EFO.value).toBe('EFO');
    expect(FlinkReadMode.POLLING.value).toBe('POLLING');
    expect(FlinkReadMode.enhancedFanOut('x').consumerName).toBe('x');
  });
});
