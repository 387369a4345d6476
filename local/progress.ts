/**
 * One progress line per part while the run goes: rewritten in place on a terminal (ANSI cursor moves), printed as
 * plain lines every few seconds otherwise (CI logs, pipes).
 */
import type { RunTracker } from './metrics';
import type { LocalPipeline } from './model';
import type { ShardFront } from './shard-front';

export class Progress {
  private timer?: NodeJS.Timeout;
  private printed = 0;
  private ticks = 0;
  private seconds = 0;
  private phaseName = 'running';
  private readonly startedAt = Date.now();

  constructor(private readonly out: { isTTY?: boolean; write(s: string): unknown }, private readonly tracker: RunTracker,
    private readonly front: ShardFront, private readonly pipeline: LocalPipeline) {}

  public start(seconds: number): void {
    this.seconds = seconds;
    this.timer = setInterval(() => this.render(), this.out.isTTY ? 500 : 1000);
  }

  public phase(name: string): void {
    this.phaseName = name;
  }

  public stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.render(true);
  }

  private lines(): string[] {
    const elapsed = Math.round((Date.now() - this.startedAt) / 1000);
    const lines = [`[${this.phaseName} ${elapsed}s/${this.seconds}s] ${this.pipeline.name}`];
    for (const s of this.pipeline.streams) {
      const shards = this.front.writes.get(s.name);
      const recs = shards ? [...shards.values()].reduce((n, w) => n + w.records, 0) : 0;
      const thr = shards ? [...shards.values()].reduce((n, w) => n + w.throttled, 0) : 0;
      lines.push(`  stream   ${s.id.padEnd(28)} ${String(recs).padStart(7)} records on ${s.shardCount} shard(s), throttled ${thr}`);
    }
    for (const p of this.tracker.parts) {
      lines.push(`  ${p.kind.padEnd(8)} ${p.id.padEnd(28)} in ${String(p.received).padStart(7)}  out ${String(p.out).padStart(7)}  failed ${p.failed}${p.kind === 'delivery' ? `  objects ${p.objects.length}` : ''}`);
    }
    return lines;
  }

  private render(final = false): void {
    this.ticks++;
    const lines = this.lines();
    if (this.out.isTTY) {
      const up = this.printed > 0 ? `\x1b[${this.printed}A` : '';
      this.out.write(up + lines.map((l) => `\x1b[2K${l}`).join('\n') + '\n');
      this.printed = lines.length;
    } else if (final || this.ticks % 5 === 0) {
      this.out.write(lines.join('\n') + '\n');
    }
  }
}
