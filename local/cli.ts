#!/usr/bin/env node
/**
 * `cdk-kinesis-local <example | path to cdk.out> [--seconds N] [--rate R] [--json] [--out DIR] [--bad-rate F]`
 *
 * Runs a synthesized app's streams, producers, consumers and delivery streams on this machine (kinesalite, dynalite,
 * the real bundled handlers), prints a summary per part and writes local-report.html. Exits 0 when every record is
 * accounted for, 1 when some are not, 2 for bad input (unknown example, missing cdk.out, nothing to simulate).
 */
import * as fs from 'fs';
import * as path from 'path';
import { LocalRunError, readAssembly } from './assembly';
import { runLocal } from './run';
import { formatSummary } from './summary';

export interface CliArgs {
  readonly target: string;
  readonly seconds: number;
  readonly rate: number;
  readonly json: boolean;
  readonly out?: string;
  readonly badRate?: number;
}

const USAGE = 'usage: cdk-kinesis-local <example | path to cdk.out> [--seconds N] [--rate R] [--json] [--out DIR] [--bad-rate F]';

export function parseArgs(argv: readonly string[]): CliArgs {
  let target: string | undefined;
  let seconds = 20;
  let rate = 200;
  let json = false;
  let out: string | undefined;
  let badRate: number | undefined;
  const number = (name: string, raw: string | undefined, min: number, max: number) => {
    const v = Number(raw);
    if (raw === undefined || !Number.isFinite(v) || v < min || v > max) throw new LocalRunError(`${name} must be a number from ${min} to ${max}, got '${raw ?? ''}'\n${USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seconds') seconds = number('--seconds', argv[++i], 1, 3600);
    else if (a === '--rate') rate = number('--rate', argv[++i], 1, 100_000);
    else if (a === '--bad-rate') badRate = number('--bad-rate', argv[++i], 0, 1);
    else if (a === '--out') out = argv[++i];
    else if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') throw new LocalRunError(USAGE);
    else if (a.startsWith('--')) throw new LocalRunError(`unknown option ${a}\n${USAGE}`);
    else if (target === undefined) target = a;
    else throw new LocalRunError(`one app at a time: got '${target}' and '${a}'\n${USAGE}`);
  }
  if (!target) throw new LocalRunError(`name an example or a cloud assembly folder\n${USAGE}`);
  return { target, seconds, rate, json, out, badRate };
}

/** An example name (cdk.out/<example>, from `npm run synth:examples`) or a path to a cloud assembly. */
export function resolveAssembly(target: string, cwd = process.cwd()): { dir: string; name: string } {
  const asPath = path.resolve(cwd, target);
  if (fs.existsSync(path.join(asPath, 'manifest.json'))) return { dir: asPath, name: path.basename(asPath) === 'cdk.out' ? path.basename(path.dirname(asPath)) : path.basename(asPath) };
  if (fs.existsSync(asPath) && fs.statSync(asPath).isDirectory()) {
    throw new LocalRunError(`${asPath} is not a cloud assembly (no manifest.json): point at the cdk.out folder of a synthesized app`);
  }
  if (target.includes('/') || target.includes(path.sep) || target === 'cdk.out') {
    throw new LocalRunError(`no cloud assembly at ${asPath}: synthesize the app first (cdk synth writes cdk.out/)`);
  }
  const examples = findExamples(cwd);
  if (!examples.includes(target)) {
    throw new LocalRunError(`unknown example '${target}'${examples.length ? `: the examples are ${examples.join(', ')}` : ''} (or give the path of a cdk.out folder)`);
  }
  const dir = path.join(cwd, 'cdk.out', target);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new LocalRunError(`example '${target}' is not synthesized: cdk.out/${target} is missing. Run npm run synth:examples -- ${target} first`);
  }
  return { dir, name: target };
}

function findExamples(cwd: string): string[] {
  const dir = path.join(cwd, 'examples');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'app.ts'))).sort();
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    const { dir, name } = resolveAssembly(args.target);
    const pipeline = readAssembly(dir, name);
    const outDir = path.resolve(args.out ?? path.join('local-run', name));
    const { summary, reportFile } = await runLocal(pipeline, {
      seconds: args.seconds,
      rate: args.rate,
      outDir,
      badRate: args.badRate,
      progress: args.json ? undefined : process.stderr,
    });
    if (args.json) process.stdout.write(JSON.stringify({ ...summary, report: reportFile }) + '\n');
    else process.stdout.write(formatSummary(summary) + `\n  report: ${reportFile}\n`);
    return summary.allAccounted ? 0 : 1;
  } catch (err) {
    if (err instanceof LocalRunError) {
      process.stderr.write(`cdk-kinesis-local: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    process.stderr.write(`cdk-kinesis-local: ${(err as Error).stack ?? err}\n`);
    process.exit(3);
  });
}
