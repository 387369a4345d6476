/**
 * Bundles the run-time world (`lambda/`) with esbuild:
 *
 * - every `lambda/<capability>/<name>.handler.ts` becomes `assets/<capability>/<name>/index.js`, the code of a
 *   bundled Lambda handler (constructs point `Code.fromAsset` at it);
 * - every `lambda/<module>/index.ts` becomes `runtime/<module>/index.js`, a module users import from their own
 *   functions through a subpath export (`cdk-kinesis-patterns/<module>`); its types come from `tsc -p tsconfig.runtime.json`.
 *
 * The AWS SDK v3 is left out of both: the Lambda Node.js runtime provides it, and users' bundlers resolve their own.
 *
 * Progress goes to stderr, so that the stdout of a task that bundles first is its product alone (a bench's JSON).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { LambdaLimits } from '../src/validation/limits';

const root = path.join(__dirname, '..');
const lambdaDir = path.join(root, 'lambda');
const target = `node${LambdaLimits.HANDLER_NODE_MAJOR_VERSION}`;

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

const files = walk(lambdaDir);
const handlers = files.filter((f) => f.endsWith('.handler.ts'));
const modules = fs.existsSync(lambdaDir)
  ? fs.readdirSync(lambdaDir).filter((d) => fs.existsSync(path.join(lambdaDir, d, 'index.ts')))
  : [];

fs.rmSync(path.join(root, 'assets'), { recursive: true, force: true });
fs.rmSync(path.join(root, 'runtime'), { recursive: true, force: true });

for (const entry of handlers) {
  const rel = path.relative(lambdaDir, entry).replace(/\.handler\.ts$/, '');
  const outfile = path.join(root, 'assets', rel, 'index.js');
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target,
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'warning',
  });
  const kib = (fs.statSync(outfile).size / 1024).toFixed(1);
  console.error(`handler  ${rel.padEnd(40)} ${kib.padStart(8)} KiB  -> assets/${rel}/index.js`);
}

for (const mod of modules) {
  const outfile = path.join(root, 'runtime', mod, 'index.js');
  buildSync({
    entryPoints: [path.join(lambdaDir, mod, 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target,
    // Maps beside the modules (index.js.map), not inlined: an inline map with its sources doubled each module's size
    // in the npm package, and a user's bundler that wants maps reads them from the file. The maps point at the
    // TypeScript files and lines of lambda/ in the repository (`node --enable-source-maps` prints them in stack
    // traces) without carrying their text: the sources' contents were 60 % of the package's maps.
    sourcemap: true,
    sourcesContent: false,
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'warning',
  });
  console.error(`module   ${mod.padEnd(40)} -> runtime/${mod}/index.js`);
}

if (modules.length > 0) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.runtime.json')], { stdio: ['ignore', process.stderr, process.stderr] });
  console.error('types    runtime modules                          -> runtime/types/');
}
console.error(`bundled ${handlers.length} handler(s) and ${modules.length} runtime module(s) for ${target}`);
