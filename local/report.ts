/**
 * local-report.html: one self-contained page (inline SVG and CSS, the run's data inline as JSON; nothing fetched)
 * with the pipeline's diagram, per-second throughput per shard against the shard limit, latency histograms per part
 * and the failures and where they went.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { PartSummary, RunSummary, StreamSummary } from './summary';

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function writeReport(summary: RunSummary, file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderReport(summary));
  return file;
}

export function renderReport(s: RunSummary): string {
  const failures = s.parts.flatMap((p) => Object.entries(p.failureTargets).map(([t, n]) => ({ part: p.id, target: t, n })));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local run of ${esc(s.app)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:20px} h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0} td,th{border:1px solid #ddd;padding:3px 8px;text-align:right} th{background:#f5f5f5} td:first-child,th:first-child{text-align:left}
.ok{color:#2a7d2a}.bad{color:#b00020} .part{display:inline-block;vertical-align:top;margin:0 16px 16px 0} svg text{font:11px system-ui,sans-serif}
.note{color:#666;font-size:12px}
</style></head><body>
<h1>Local run of <span id="app-name">${esc(s.app)}</span></h1>
<p>${esc(s.useCase)} events at ${s.rate}/s per producer for ${s.seconds}s, started ${esc(s.startedAt)}: <b id="produced">${s.produced}</b> produced,
<b>${s.writtenToStreams}</b> written to streams. <span id="accounted" class="${s.allAccounted ? 'ok' : 'bad'}">${s.allAccounted ? 'Every record is delivered, filtered or accounted for as a failure.' : 'Some records are not accounted for.'}</span></p>
<h2>Pipeline</h2>
${diagram(s)}
<h2>Parts</h2>
${partsTable(s.parts)}
<h2>Throughput per shard</h2>
${s.streams.map(throughputChart).join('\n') || '<p class="note">No data stream in this app.</p>'}
<h2>Latency</h2>
${s.parts.filter((p) => p.latencyMs.count > 0).map(histogram).join('\n')}
<h2>Failures</h2>
${failures.length === 0 ? '<p id="no-failures">No failures.</p>' : `<table id="failures"><tr><th>part</th><th>went to</th><th>records</th></tr>${failures.map((f) => `<tr><td>${esc(f.part)}</td><td>${esc(f.target)}</td><td>${f.n}</td></tr>`).join('')}</table>`}
${s.skipped.length ? `<h2>Not simulated</h2><ul id="skipped">${s.skipped.map((k) => `<li>${esc(k)}</li>`).join('')}</ul>` : ''}
<script type="application/json" id="run-data">${JSON.stringify(s).replace(/</g, '\\u003c')}</script>
<script>
// Hovering a part in the diagram highlights its row in the parts table.
document.querySelectorAll('[data-part]').forEach(function (el) {
  el.addEventListener('mouseenter', function () {
    var row = document.querySelector('tr[data-row="' + el.getAttribute('data-part') + '"]');
    if (row) row.style.background = '#fff7d6';
  });
  el.addEventListener('mouseleave', function () {
    var row = document.querySelector('tr[data-row="' + el.getAttribute('data-part') + '"]');
    if (row) row.style.background = '';
  });
});
document.body.setAttribute('data-rendered', 'true');
</script>
</body></html>
`;
}

function partsTable(parts: readonly PartSummary[]): string {
  const ms = (v?: number) => (v === undefined ? '-' : String(Math.round(v)));
  return `<table id="parts"><tr><th>part</th><th>kind</th><th>in</th><th>out</th><th>failed</th><th>dropped</th><th>p50 ms</th><th>p99 ms</th><th>order violations</th><th>max iterator age ms</th></tr>
${parts.map((p) => `<tr data-row="${esc(p.id)}"><td>${esc(p.label)}</td><td>${p.kind}</td><td class="in">${p.recordsIn}</td><td class="out">${p.recordsOut}</td><td>${p.failed}</td><td>${p.dropped}</td><td>${ms(p.latencyMs.p50)}</td><td class="p99">${ms(p.latencyMs.p99)}</td><td>${p.kind === 'consumer' ? p.orderViolations : ''}</td><td>${p.kind === 'consumer' ? p.maxIteratorAgeMs : ''}</td></tr>`).join('\n')}
</table>
${parts.flatMap((p) => p.notes.map((n) => `<p class="note">${esc(p.id)}: ${esc(n)}</p>`)).join('')}`;
}

function diagram(s: RunSummary): string {
  const box = { w: 210, h: 46 };
  const colX = [10, 270, 530, 790];
  const producers = s.parts.filter((p) => p.kind === 'producer');
  const readers = s.parts.filter((p) => p.kind === 'consumer' || p.kind === 'delivery');
  const stores = [...new Set(s.parts.flatMap((p) => [...p.objectKeys.slice(0, 1).map((k) => k.split('/').slice(0, 3).join('/') + '/'), ...Object.keys(p.failureTargets)]))];
  const rows = Math.max(producers.length, s.streams.length, readers.length, stores.length, 1);
  const height = rows * (box.h + 24) + 20;
  const pos = new Map<string, { x: number; y: number }>();
  const el: string[] = [];
  const node = (key: string, col: number, row: number, title: string, sub: string, cls: string, part?: string) => {
    const x = colX[col];
    const y = 10 + row * (box.h + 24);
    pos.set(key, { x, y });
    el.push(`<g class="node ${cls}"${part ? ` data-part="${esc(part)}"` : ''}><rect x="${x}" y="${y}" width="${box.w}" height="${box.h}" rx="6" fill="#fff" stroke="#555"/>`
      + `<text x="${x + 8}" y="${y + 18}" font-weight="bold">${esc(title.slice(0, 34))}</text><text x="${x + 8}" y="${y + 35}">${esc(sub.slice(0, 40))}</text></g>`);
  };
  producers.forEach((p, i) => node(`p:${p.id}`, 0, i, p.id, `${p.recordsOut} written, ${p.failed} failed`, 'producer', p.id));
  s.streams.forEach((st, i) => {
    node(`s:${st.id}`, 1, i, st.id, `${st.shardCount} shard(s), ${st.shards.reduce((n, x) => n + x.throttled, 0)} throttled`, 'stream', st.id);
    const { x, y } = pos.get(`s:${st.id}`)!;
    const w = (box.w - 16) / Math.max(1, st.shardCount);
    for (let k = 0; k < st.shardCount; k++) el.push(`<rect class="shard" x="${x + 8 + k * w}" y="${y + box.h - 6}" width="${w - 2}" height="4" fill="${COLORS[k % COLORS.length]}"/>`);
  });
  readers.forEach((p, i) => node(`r:${p.id}`, 2, i, p.id, `${p.recordsOut} out, ${p.failed} failed${p.kind === 'delivery' ? `, ${p.objects} objects` : ''}`, p.kind, p.id));
  stores.forEach((t, i) => node(`t:${t}`, 3, i, t.startsWith('s3://') ? 'S3 (local folder)' : 'failures', t, 'store'));
  const arrow = (a: string, b: string, color = '#888') => {
    const p = pos.get(a);
    const q = pos.get(b);
    if (!p || !q) return;
    el.unshift(`<line x1="${p.x + box.w}" y1="${p.y + box.h / 2}" x2="${q.x}" y2="${q.y + box.h / 2}" stroke="${color}" stroke-width="1.5" marker-end="url(#arrow)"/>`);
  };
  for (const p of producers) arrow(`p:${p.id}`, p.stream ? `s:${p.stream}` : `r:${p.id.replace(/Writer$/, '')}`);
  for (const p of readers) {
    if (p.stream) arrow(`s:${p.stream}`, `r:${p.id}`);
    if (p.objectKeys[0]) arrow(`r:${p.id}`, `t:${p.objectKeys[0].split('/').slice(0, 3).join('/')}/`);
    for (const t of Object.keys(p.failureTargets)) arrow(`r:${p.id}`, `t:${t}`, '#b00020');
  }
  for (const p of producers) for (const t of Object.keys(p.failureTargets)) arrow(`p:${p.id}`, `t:${t}`, '#b00020');
  return `<svg id="diagram" width="${colX[3] + box.w + 10}" height="${height}" viewBox="0 0 ${colX[3] + box.w + 10} ${height}" role="img" aria-label="pipeline diagram">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#888"/></marker></defs>
${el.join('\n')}</svg>`;
}

function throughputChart(st: StreamSummary): string {
  const W = 760;
  const H = 220;
  const pad = { l: 50, r: 120, t: 16, b: 28 };
  const n = Math.max(1, ...st.shards.map((s) => s.recordsPerSecond.length));
  const top = Math.max(st.limitRecordsPerSecond * 1.1, ...st.shards.flatMap((s) => s.recordsPerSecond));
  const x = (i: number) => pad.l + (i / Math.max(1, n - 1)) * (W - pad.l - pad.r);
  const y = (v: number) => H - pad.b - (v / top) * (H - pad.t - pad.b);
  const lines = st.shards.map((sh, k) => `<polyline class="shard-line" data-shard="${esc(sh.shardId)}" fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="2" points="${sh.recordsPerSecond.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`
    + `<text x="${W - pad.r + 8}" y="${pad.t + 14 * (k + 1)}" fill="${COLORS[k % COLORS.length]}">${esc(sh.shardId)} peak ${sh.peakRecordsPerSecond}/s</text>`);
  const limit = `<line class="limit" x1="${pad.l}" x2="${W - pad.r}" y1="${y(st.limitRecordsPerSecond)}" y2="${y(st.limitRecordsPerSecond)}" stroke="#b00020" stroke-dasharray="6 4"/><text x="${pad.l + 4}" y="${y(st.limitRecordsPerSecond) - 4}" fill="#b00020">limit ${st.limitRecordsPerSecond} records/s per shard</text>`;
  const axes = `<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="#333"/><line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="#333"/>`
    + `<text x="${pad.l}" y="${H - 8}">0 s</text><text x="${W - pad.r - 30}" y="${H - 8}">${n - 1} s</text><text x="4" y="${pad.t + 8}">${Math.round(top)}/s</text>`;
  return `<div class="part"><h3>${esc(st.id)} (${st.shardCount} shards)</h3><svg class="throughput" data-stream="${esc(st.id)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${axes}${limit}${lines.join('')}</svg></div>`;
}

function histogram(p: PartSummary): string {
  const W = 360;
  const H = 170;
  const pad = { l: 36, b: 34, t: 10 };
  const { bounds, counts } = p.latencyHistogram;
  const max = Math.max(1, ...counts);
  const bw = (W - pad.l - 8) / counts.length;
  const bars = counts.map((c, i) => {
    const h = (c / max) * (H - pad.t - pad.b);
    const label = bounds[i] < 0 ? '>' : bounds[i] >= 1000 ? `${bounds[i] / 1000}s` : `${bounds[i]}`;
    return `<rect class="bar" data-count="${c}" x="${pad.l + i * bw + 1}" y="${H - pad.b - h}" width="${bw - 2}" height="${h}" fill="#4878a8"><title>≤ ${label}: ${c}</title></rect>`
      + `<text x="${pad.l + i * bw + 2}" y="${H - pad.b + 12}">${label}</text>`;
  });
  const what = p.kind === 'producer' ? 'invocation latency (ms)' : 'end-to-end latency (ms)';
  return `<div class="part"><h3>${esc(p.id)}</h3><svg class="histogram" data-part="${esc(p.id)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${bars.join('')}`
    + `<text x="${pad.l}" y="${H - 6}">${what}: p50 ${Math.round(p.latencyMs.p50 ?? 0)} · p99 <tspan class="p99">${Math.round(p.latencyMs.p99 ?? 0)}</tspan> · n ${p.latencyMs.count}</text></svg></div>`;
}
