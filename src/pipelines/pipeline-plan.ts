import { Size } from 'aws-cdk-lib';
import { round2 } from './private/cost';

/** The throughput a pipeline is planned for, given once and passed to every part. */
export interface PipelineThroughput {
  /** Peak records per second: every part's capacity is planned for it. */
  readonly recordsPerSecond: number;
  /**
   * Average records per second around the clock, for the cost estimate.
   *
   * @default - the peak
   */
  readonly averageRecordsPerSecond?: number;
  /** Average size of a record (its JSON document, and for a stream its partition key). */
  readonly averageRecordSize: Size;
  /**
   * Whether the use needs records processed within seconds. When it does not, the plan also says what Firehose or
   * SQS alone would cost instead.
   *
   * @default true
   */
  readonly realTime?: boolean;
}

/** One line of a pipeline's plan: a part, the capacity the throughput needs of it, and what it costs a month. */
export interface PipelinePlanLine {
  /** The part, by its construct path. */
  readonly part: string;
  /** What is planned and billed, e.g. `DataStream (provisioned)`. */
  readonly resource: string;
  /** The capacity planned for the peak, e.g. `4 shards, decided by WRITE_BYTES`. */
  readonly capacity: string;
  /** US dollars a month at the average rate. */
  readonly monthlyUsd: number;
  /** How the cost is computed, with the prices used. */
  readonly basis: string;
}

/** The capacity and monthly cost of a whole pipeline, line by line, printed at synth time. */
export class PipelinePlan {
  /** The lines, one per part. */
  public readonly lines: PipelinePlanLine[];
  /** What the pipeline would cost instead without real-time processing, when the throughput says it needs none. */
  public readonly alternatives: PipelinePlanLine[];
  /** Sum of the lines, US dollars a month. */
  public readonly monthlyUsd: number;
  /** The throughput the pipeline is planned for. */
  public readonly throughput: PipelineThroughput;

  /**
   * @param throughput the throughput the pipeline is planned for
   * @param lines the lines, one per part
   * @param alternatives the cost of simpler designs, when real-time processing is not needed
   */
  constructor(throughput: PipelineThroughput, lines: PipelinePlanLine[], alternatives: PipelinePlanLine[] = []) {
    this.throughput = throughput;
    this.lines = [...lines];
    this.alternatives = [...alternatives];
    this.monthlyUsd = round2(lines.reduce((sum, l) => sum + l.monthlyUsd, 0));
  }

  /** The plan as a table, as it is printed at synth time. */
  public get summary(): string {
    const t = this.throughput;
    const average = t.averageRecordsPerSecond ?? t.recordsPerSecond;
    const header = `Pipeline plan for ${fmt(t.recordsPerSecond)} records/s at peak, ${fmt(average)} on average, ` +
      `${fmt(t.averageRecordSize.toBytes())} bytes a record:`;
    const rows = this.lines.map((l) => [l.part, l.resource, l.capacity, usd(l.monthlyUsd), l.basis]);
    const table = formatTable(['part', 'resource', 'capacity', 'per month', 'basis'], rows);
    const total = `  estimated monthly total: ${usd(this.monthlyUsd)} (US East list prices unless overridden; each line states its prices)`;
    const alternatives = this.alternatives.length === 0 ? [] : [
      '  no real-time processing is declared (realTime: false); without the stream, the same data would cost:',
      ...this.alternatives.map((a) => `    ${a.resource}: ${usd(a.monthlyUsd)} a month (${a.basis})`),
    ];
    return [header, table, total, ...alternatives].join('\n');
  }
}

function usd(n: number): string {
  return `$${n.toFixed(2)}`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i])).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
