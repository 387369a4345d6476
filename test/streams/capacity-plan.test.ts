import { App, Size, Stack } from 'aws-cdk-lib';
import { StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { CapacityLimit, CapacityPlan, DataStream } from '../../src';

const KiB = 1024;

describe('CapacityPlan', () => {
  test('a byte-heavy stream is decided by the 1 MiB/s write limit', () => {
    // 2000 records/s × 2 KiB = 3.9 MiB/s; with 25% headroom 4.9 MiB/s → 5 shards.
    const plan = CapacityPlan.fromThroughput({ recordsPerSecond: 2000, averageRecordSize: Size.kibibytes(2) });
    expect(plan.shardCount).toBe(5);
    expect(plan.decidingLimit).toBe(CapacityLimit.WRITE_BYTES);
    expect(plan.writeBytesPerSecond).toBe(2000 * 2 * KiB);
    expect(plan.requirements.find((r) => r.limit === CapacityLimit.WRITE_RECORDS)!.shards).toBe(3);
  });

  test('a stream of small records is decided by the 1000 records/s limit', () => {
    const plan = CapacityPlan.fromThroughput({ recordsPerSecond: 10_000, averageRecordSize: Size.bytes(100) });
    expect(plan.decidingLimit).toBe(CapacityLimit.WRITE_RECORDS);
    expect(plan.shardCount).toBe(13); // 12,500 records/s / 1000
  });

  test('several shared consumers make the 2 MiB/s read limit decide', () => {
    // 800 records/s × 1 KiB × 1.25 = 0.98 MiB/s written (1 shard); read by 4 consumers = 3.9 MiB/s (2 shards).
    const plan = CapacityPlan.fromThroughput({ recordsPerSecond: 800, averageRecordSize: Size.kibibytes(1), sharedThroughputConsumers: 4 });
    expect(plan.decidingLimit).toBe(CapacityLimit.SHARED_READ_BYTES);
    expect(plan.shardCount).toBe(2);
    expect(plan.pollsPerSecondPerConsumer).toBe(1.25);
  });

  test('enhanced fan-out consumers do not add shards: each has its own 2 MiB/s per shard', () => {
    const without = CapacityPlan.fromThroughput({ recordsPerSecond: 3000, averageRecordSize: Size.kibibytes(1) });
    const withEfo = CapacityPlan.fromThroughput({ recordsPerSecond: 3000, averageRecordSize: Size.kibibytes(1), enhancedFanOutConsumers: 5 });
    expect(withEfo.shardCount).toBe(without.shardCount);
    expect(withEfo.provisionedCost.monthlyUsd).toBeGreaterThan(without.provisionedCost.monthlyUsd);
  });

  test('headroom scales the shard count, and an exact fit does not round up', () => {
    expect(CapacityPlan.fromThroughput({ recordsPerSecond: 1000, averageRecordSize: Size.bytes(10), headroom: 1 }).shardCount).toBe(1);
    expect(CapacityPlan.fromThroughput({ recordsPerSecond: 1000, averageRecordSize: Size.bytes(10), headroom: 2 }).shardCount).toBe(2);
  });

  test('the provisioned cost is shard hours plus 25 KiB PUT payload units', () => {
    const plan = CapacityPlan.fromThroughput({ recordsPerSecond: 100, averageRecordSize: Size.kibibytes(30), headroom: 1 });
    // 3 MiB/s → 3 shards; 100 records/s × 2 units × 730 h × 3600 s = 525.6 M units.
    expect(plan.shardCount).toBe(3);
    const expected = 3 * 730 * 0.015 + 525.6 * 0.014;
    expect(plan.provisionedCost.monthlyUsd).toBeCloseTo(expected, 6);
    expect(plan.provisionedCost.items.map((i) => i.description)).toEqual([
      expect.stringContaining('shard hours (3 shards'),
      expect.stringContaining('PUT payload units (525.6 M units'),
    ]);
  });

  test('the on-demand cost is stream hours, ingest rounded up to 1 KiB per record, and reads per consumer', () => {
    const plan = CapacityPlan.fromThroughput({ recordsPerSecond: 100, averageRecordSize: Size.bytes(1500), sharedThroughputConsumers: 2 });
    const ingestGiB = (100 * 2 * KiB * 730 * 3600) / 1024 ** 3;
    expect(plan.onDemandCost.monthlyUsd).toBeCloseTo(730 * 0.04 + ingestGiB * 0.08 + 2 * ingestGiB * 0.04, 6);
  });

  test('retention beyond 24 hours and 7 days is priced', () => {
    const base = { recordsPerSecond: 1000, averageRecordSize: Size.kibibytes(1) };
    const day = CapacityPlan.fromThroughput(base, { retentionHours: 24 });
    const week = CapacityPlan.fromThroughput(base, { retentionHours: 168 });
    const year = CapacityPlan.fromThroughput(base, { retentionHours: 8760 });
    expect(week.provisionedCost.items.some((i) => i.description.startsWith('extended retention'))).toBe(true);
    expect(day.provisionedCost.items.some((i) => i.description.startsWith('extended retention'))).toBe(false);
    expect(year.provisionedCost.items.some((i) => i.description.startsWith('long-term retention'))).toBe(true);
    expect(year.onDemandCost.monthlyUsd).toBeGreaterThan(week.onDemandCost.monthlyUsd);
    expect(week.onDemandCost.monthlyUsd).toBeGreaterThan(day.onDemandCost.monthlyUsd);
  });

  test('on-demand is cheaper for a spiky stream whose average is far below its peak', () => {
    const spiky = CapacityPlan.fromThroughput({ recordsPerSecond: 100_000, averageRecordsPerSecond: 50, averageRecordSize: Size.bytes(200) });
    expect(spiky.cheaperMode).toBe(StreamMode.ON_DEMAND);
    const steady = CapacityPlan.fromThroughput({ recordsPerSecond: 5000, averageRecordSize: Size.kibibytes(1) });
    expect(steady.cheaperMode).toBe(StreamMode.PROVISIONED);
  });

  test('prices can be overridden, and the plan states the prices it used', () => {
    const plan = CapacityPlan.fromThroughput({ recordsPerSecond: 1, averageRecordSize: Size.bytes(10) }, {
      pricing: { shardHour: 1, millionPutPayloadUnits: 0 },
    });
    expect(plan.provisionedCost.monthlyUsd).toBeCloseTo(730, 6);
    expect(plan.pricing.shardHour).toBe(1);
    expect(plan.pricing.onDemandStreamHour).toBe(0.04);
  });

  test('the summary names the deciding limit, the shard count and both costs', () => {
    const plan = CapacityPlan.fromThroughput({ recordsPerSecond: 2000, averageRecordSize: Size.kibibytes(2) });
    expect(plan.summary).toMatch(/^Capacity plan \(PROVISIONED\): 5 shards, decided by WRITE_BYTES/);
    expect(plan.summary).toMatch(/estimated monthly cost: provisioned \$\d+\.\d\d, on-demand \$\d+\.\d\d/);
  });

  describe('warnings', () => {
    test('more than 5 shared consumers will be throttled on GetRecords', () => {
      const plan = CapacityPlan.fromThroughput({ recordsPerSecond: 10, averageRecordSize: Size.bytes(100), sharedThroughputConsumers: 6 });
      expect(plan.warnings.join()).toMatch(/6 shared-throughput consumers share 5 GetRecords calls\/s/);
    });

    test('records above 1 MiB on average', () => {
      const plan = CapacityPlan.fromThroughput({ recordsPerSecond: 1, averageRecordSize: Size.mebibytes(2) }, { maxRecordSize: Size.mebibytes(4) });
      expect(plan.warnings.join()).toMatch(/above 1 MiB/);
    });

    test('an on-demand stream starts at 4 MiB/s unless it has warm throughput', () => {
      const req = { recordsPerSecond: 10_000, averageRecordSize: Size.kibibytes(1) };
      expect(CapacityPlan.fromThroughput(req, { streamMode: StreamMode.ON_DEMAND }).warnings.join()).toMatch(/4 MiB\/s a new on-demand stream starts with/);
      expect(CapacityPlan.fromThroughput(req, { streamMode: StreamMode.ON_DEMAND, warmThroughputMiBps: 20 }).warnings).toEqual([]);
      expect(CapacityPlan.fromThroughput(req, { streamMode: StreamMode.ON_DEMAND, warmThroughputMiBps: 5 }).warnings.join()).toMatch(/above the 5 MiB\/s warm throughput/);
    });

    test('an on-demand stream above the 200 MiB/s default maximum', () => {
      const plan = CapacityPlan.fromThroughput({ recordsPerSecond: 200_000, averageRecordSize: Size.kibibytes(1) }, {
        streamMode: StreamMode.ON_DEMAND,
        warmThroughputMiBps: 1000,
      });
      expect(plan.warnings.join()).toMatch(/above the on-demand default maximum of 200 MiB\/s/);
    });
  });

  describe('rules', () => {
    const stack = new Stack(new App(), 'Rules');
    const plan = (throughput: any, props: any = {}) => () => new DataStream(stack, `S${Math.random().toString(36).slice(2)}`, { throughput, ...props });

    test.each([
      [{ recordsPerSecond: 0, averageRecordSize: Size.bytes(10) }, /throughput.recordsPerSecond must be greater than 0 records\/s, got 0 records\/s/],
      [{ recordsPerSecond: -5, averageRecordSize: Size.bytes(10) }, /throughput.recordsPerSecond must be greater than 0/],
      [{ recordsPerSecond: 5, averageRecordSize: Size.bytes(0) }, /throughput.averageRecordSize must be greater than 0 bytes, got 0 bytes/],
      [{ recordsPerSecond: 5, averageRecordsPerSecond: 10, averageRecordSize: Size.bytes(10) }, /averageRecordsPerSecond \(10\) cannot exceed the peak recordsPerSecond \(5\)/],
      [{ recordsPerSecond: 5, averageRecordSize: Size.bytes(10), headroom: 0.9 }, /throughput.headroom must be between 1 and 10, got 0.9/],
      [{ recordsPerSecond: 5, averageRecordSize: Size.bytes(10), enhancedFanOutConsumers: 21 }, /throughput.enhancedFanOutConsumers must be between 0 and 20, got 21. A stream can register at most 20/],
      [{ recordsPerSecond: 5, averageRecordSize: Size.bytes(10), sharedThroughputConsumers: -1 }, /throughput.sharedThroughputConsumers must be between 0 and/],
      [{ recordsPerSecond: 5, averageRecordSize: Size.bytes(10), sharedThroughputConsumers: 1.5 }, /throughput.sharedThroughputConsumers must be a whole number, got 1.5/],
    ])('rejects %o', (throughput, message) => {
      expect(plan(throughput)).toThrow(message);
    });

    test('names the construct path in every message', () => {
      expect(() => new DataStream(stack, 'Named', { throughput: { recordsPerSecond: 0, averageRecordSize: Size.bytes(1) } })).toThrow(/^Rules\/Named: /);
    });

    test('rejects an average record above the maximum record size', () => {
      expect(plan({ recordsPerSecond: 1, averageRecordSize: Size.mebibytes(2) })).toThrow(
        /throughput.averageRecordSize is 2,097,152 bytes, above the stream's maximum record size of 1,048,576 bytes: raise maxRecordSize/);
      expect(plan({ recordsPerSecond: 1, averageRecordSize: Size.mebibytes(2) }, { maxRecordSize: Size.mebibytes(2) })).not.toThrow();
    });

    test('rejects a plan that needs more shards than the account quota', () => {
      expect(plan({ recordsPerSecond: 600_000, averageRecordSize: Size.bytes(100) })).toThrow(
        /the declared throughput needs 750 shards \(decided by WRITE_RECORDS\), above the account shard quota of 500: request a quota increase and set accountShardQuota/);
      expect(plan({ recordsPerSecond: 600_000, averageRecordSize: Size.bytes(100) }, { accountShardQuota: 1000 })).not.toThrow();
      expect(plan({ recordsPerSecond: 600_000, averageRecordSize: Size.bytes(100) }, { streamMode: StreamMode.ON_DEMAND })).not.toThrow();
    });
  });
});
