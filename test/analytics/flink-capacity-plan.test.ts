import { FlinkCapacityPlan, FlinkLimits } from '../../src';

describe('FlinkCapacityPlan', () => {
  test('KPUs round up; one orchestration KPU; 50 GB of running storage per KPU', () => {
    const plan = FlinkCapacityPlan.forApplication({ parallelism: 7, parallelismPerKpu: 3, autoScaling: false });
    expect(plan.kpus).toBe(3);
    expect(plan.orchestrationKpus).toBe(FlinkLimits.ORCHESTRATION_KPUS_PER_APPLICATION);
    expect(plan.billedKpus).toBe(4);
    expect(plan.runningStorageGb).toBe(150);
    expect(plan.monthlyCost.items.map((i) => i.description)).toEqual([
      'KPU hours (4 KPUs × 730 h × $0.110)',
      'running storage (150 GB × $0.100/GB-month)',
    ]);
    expect(plan.monthlyCost.monthlyUsd).toBeCloseTo(4 * 730 * 0.11 + 15, 6);
    expect(plan.summary).not.toContain('autoscaling');
  });

  test('with autoscaling, the ceiling at maxKpus', () => {
    const plan = FlinkCapacityPlan.forApplication({ parallelism: 2, maxKpus: 10, parallelismPerKpu: 4 });
    expect(plan.maxParallelism).toBe(40);
    expect(plan.maxMonthlyCost!.monthlyUsd).toBeCloseTo(11 * 730 * 0.11 + 500 * 0.1, 6);
    expect(plan.summary).toContain('autoscaling: up to 10 KPUs (parallelism 40)');
  });

  test('the defaults are one task on one KPU', () => {
    const plan = FlinkCapacityPlan.forApplication();
    expect([plan.parallelism, plan.parallelismPerKpu, plan.kpus, plan.billedKpus, plan.autoScaling]).toEqual([1, 1, 1, 2, true]);
    expect(plan.pricing).toEqual({ kpuHour: 0.11, runningStorageGbMonth: 0.1 });
  });

  test('rules name the value and the limit', () => {
    expect(() => FlinkCapacityPlan.forApplication({ parallelismPerKpu: 16 })).toThrow('FlinkCapacityPlan: parallelismPerKpu must be between 1 and 8, got 16');
    expect(() => FlinkCapacityPlan.forApplication({ parallelism: 100, parallelismPerKpu: 1, maxKpus: 50 })).toThrow(/needs 100 KPUs, above the 50 KPUs an application may use/);
  });
});
