/**
 * The report page of a real run, opened in headless Chromium (Debian's chromium, driven by playwright-core): it
 * renders the pipeline's parts and the figures of that run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, BrowserContext } from 'playwright-core';
import { synthExample, tempDir } from './support';
import { readAssembly } from '../../local/assembly';
import { runLocal } from '../../local/run';
import type { RunSummary } from '../../local/summary';

const CHROMIUM = '/usr/bin/chromium';

describe('local-report.html', () => {
  let summary: RunSummary;
  let reportFile: string;
  let browser: BrowserContext;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run .ci/setup (it installs Debian's chromium)`);
    const dir = synthExample('clickstream-to-parquet');
    ({ summary, reportFile } = await runLocal(readAssembly(dir, 'clickstream-to-parquet'), { seconds: 3, rate: 150, outDir: tempDir('report'), badRate: 0.02 }));
    // A fresh profile each run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(tempDir('chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('is self-contained: nothing is fetched from elsewhere', () => {
    const html = fs.readFileSync(reportFile, 'utf8');
    expect(path.basename(reportFile)).toBe('local-report.html');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/);
  });

  test('renders the parts and the figures of the run', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${reportFile}`);
    await page.waitForSelector('body[data-rendered="true"]');
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);

    expect(await page.textContent('#app-name')).toBe('clickstream-to-parquet');
    expect(Number(await page.textContent('#produced'))).toBe(summary.produced);

    // The diagram has a node for every part of the run, and the stream shows its shards.
    const parts = await page.$$eval('#diagram [data-part]', (els) => els.map((e) => e.getAttribute('data-part')));
    for (const p of summary.parts) expect(parts).toContain(p.id);
    for (const s of summary.streams) expect(parts).toContain(s.id);
    expect(await page.$$eval('#diagram rect.shard', (els) => els.length)).toBe(summary.streams.reduce((n, s) => n + s.shardCount, 0));
    const box = await page.$eval('#diagram', (el) => el.getBoundingClientRect().width);
    expect(box).toBeGreaterThan(500);

    // Throughput per shard against the limit: one line per shard, with as many points as seconds in the run.
    const stream = summary.streams[0];
    const lines = await page.$$eval(`svg.throughput[data-stream="${stream.id}"] polyline.shard-line`, (els) => els.map((e) => ({ shard: e.getAttribute('data-shard'), points: e.getAttribute('points')!.trim().split(' ').length })));
    expect(lines.map((l) => l.shard).sort()).toEqual(stream.shards.map((s) => s.shardId).sort());
    expect(lines.every((l, i) => l.points === stream.shards[i].recordsPerSecond.length)).toBe(true);
    expect(await page.$$eval('svg.throughput line.limit', (els) => els.length)).toBe(summary.streams.length);

    // Latency histograms: the bars add up to the samples of each part.
    for (const p of summary.parts.filter((x) => x.latencyMs.count > 0)) {
      const counts = await page.$$eval(`svg.histogram[data-part="${p.id}"] rect.bar`, (els) => els.map((e) => Number(e.getAttribute('data-count'))));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(p.latencyMs.count);
      expect(Number(await page.textContent(`svg.histogram[data-part="${p.id}"] .p99`))).toBe(Math.round(p.latencyMs.p99!));
    }

    // The parts table and the failures of the run.
    const rows = await page.$$eval('#parts tr[data-row]', (els) => els.map((e) => [e.getAttribute('data-row'), e.querySelector('.out')!.textContent]));
    expect(rows).toEqual(summary.parts.map((p) => [p.id, String(p.recordsOut)]));
    const failed = summary.parts.reduce((n, p) => n + p.failed, 0);
    if (failed > 0) {
      const cells = await page.$$eval('#failures tr td:last-child', (els) => els.map((e) => Number(e.textContent)));
      expect(cells.reduce((a, b) => a + b, 0)).toBe(failed);
    } else {
      expect(await page.textContent('#no-failures')).toBe('No failures.');
    }
    await page.close();
  });
});
