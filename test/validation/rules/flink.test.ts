import { findingsOf, flinkApp, stream } from './support';

describe('KPX20 Flink source in another Region', () => {
  test('aws.region names another Region', () => {
    const found = findingsOf('KPX20', (stack) => flinkApp(stack, 'Job', { 'input.stream.arn': stream(stack, 'S').streamArn, 'aws.region': 'us-east-1' }));
    expect(found[0].message).toMatch(/property group source aws.region names Region us-east-1, but the application runs in eu-west-1/);
  });
  test('a stream ARN in another Region', () => {
    expect(findingsOf('KPX20', (stack) => flinkApp(stack, 'Job', { 'sink.stream.arn': 'arn:aws:kinesis:us-west-2:111111111111:stream/out' }))[0].message)
      .toMatch(/sink.stream.arn names Region us-west-2/);
  });
  test('silent in the same Region', () => {
    expect(findingsOf('KPX20', (stack) => flinkApp(stack, 'Job', { 'input.stream.arn': stream(stack, 'S').streamArn, 'aws.region': 'eu-west-1' }))).toEqual([]);
  });
});

describe('KPX21 Flink reading a stream without checkpoints', () => {
  test('checkpointing turned off', () => {
    const found = findingsOf('KPX21', (stack) => flinkApp(stack, 'Job', { 'input.stream.arn': stream(stack, 'S').streamArn },
      { checkpointConfiguration: { configurationType: 'CUSTOM', checkpointingEnabled: false } }));
    expect(found[0].message).toMatch(/checkpointing is off \(CUSTOM, CheckpointingEnabled false\) on an application that reads a Kinesis stream/);
  });
  test('silent with the default configuration', () => {
    expect(findingsOf('KPX21', (stack) => flinkApp(stack, 'Job', { 'input.stream.arn': stream(stack, 'S').streamArn },
      { checkpointConfiguration: { configurationType: 'DEFAULT' } }))).toEqual([]);
  });
});

describe('KPX22 Flink parallelism above the shard count', () => {
  const build = (parallelism: number) => (stack: any) => flinkApp(stack, 'Job', { 'input.stream.name': stream(stack, 'S', { shardCount: 4 }).streamName },
    { parallelismConfiguration: { configurationType: 'CUSTOM', parallelism, parallelismPerKpu: 1, autoScalingEnabled: false } });
  test('parallelism 8 on 4 shards', () => {
    expect(findingsOf('KPX22', build(8))[0].message).toMatch(/parallelism 8 is above the 4 shards of the streams it reads \(Design\/S\/Resource\)/);
  });
  test('silent at 4', () => {
    expect(findingsOf('KPX22', build(4))).toEqual([]);
  });
});
