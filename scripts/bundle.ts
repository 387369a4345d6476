/**
 * Bundles the run-time world (`lambda/`) with esbuild:
 *
 * - every `lambda/<capability>/<name>.handler.ts` becomes `assets/<capability>/<name>/index.js`, the code of a
 *   bundled Lambda handler (constructs point `Code.fromAsset` at it);
 * - every `lambda/<module>/index.ts` becomes `runtime/<module>/index.js` (with the files it imports, one by one), a module users import from their own
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
import * as ts from 'typescript';
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

// The runtime modules ship file by file, as the TypeScript compiler would emit them, not as one bundle each: the
// producer and the consumer both use the aggregation module, and every module the limits, so bundles carried those
// twice or four times. Users' bundlers resolve the files (and drop what a function does not use); a module's graph
// is what esbuild finds from its index, so type-only files are left out. Files of lambda/<module>/ become
// runtime/<module>/, and the few of src/ the runtime imports (the limits, the contracts) runtime/src/, their relative
// requires shortened by the one directory level the move takes away.
if (modules.length > 0) {
  const graph = buildSync({
    entryPoints: modules.map((mod) => path.join(lambdaDir, mod, 'index.ts')),
    absWorkingDir: root,
    outdir: path.join(root, 'runtime'),
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target,
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'warning',
  });
  const inputs = Object.keys(graph.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  const outside = inputs.filter((f) => !f.startsWith('lambda/') && !f.startsWith('src/'));
  if (outside.length > 0) throw new Error(`runtime modules import files outside lambda/ and src/: ${outside.join(', ')}`);
  // TypeScript's own transpiler, file by file (lambda/ compiles with isolatedModules): readable output without the
  // comments (the declarations in runtime/types keep them) and without a bundler's helpers in every file.
  for (const file of inputs) {
    const fromLambda = file.startsWith('lambda/');
    const outfile = path.join(root, 'runtime', (fromLambda ? path.relative('lambda', file) : file).replace(/\.ts$/, '.js'));
    const out = ts.transpileModule(fs.readFileSync(path.join(root, file), 'utf8'), {
      fileName: path.join(root, file),
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        removeComments: true,
        // Maps beside the files (x.js.map), not inlined, pointing at the TypeScript files and lines in the
        // repository (`node --enable-source-maps` prints them in stack traces) without carrying their text.
        sourceMap: true,
        inlineSources: false,
      },
    });
    // lambda/<module>/x.ts sits one directory deeper below the root than runtime/<module>/x.js: its requires of
    // src/ (now runtime/src/) lose one '../'.
    const js = (fromLambda ? out.outputText.replace(/require\("\.\.\/((?:\.\.\/)*)src\//g, 'require("$1src/') : out.outputText)
      .replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${path.basename(outfile)}.map`);
    const map = JSON.parse(out.sourceMapText!);
    map.file = path.basename(outfile);
    map.sources = [path.relative(path.dirname(outfile), path.join(root, file))];
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    fs.writeFileSync(outfile, js);
    fs.writeFileSync(`${outfile}.map`, JSON.stringify(map));
  }
  for (const mod of modules) {
    const kib = (walk(path.join(root, 'runtime', mod)).filter((f) => f.endsWith('.js')).reduce((n, f) => n + fs.statSync(f).size, 0) / 1024).toFixed(1);
    console.error(`module   ${mod.padEnd(40)} ${kib.padStart(8)} KiB  -> runtime/${mod}/`);
  }
}

if (modules.length > 0) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.runtime.json')], { stdio: ['ignore', process.stderr, process.stderr] });
  // The declarations of src/ files (the limits, the contracts) are the ones lib/ ships: point at those, not at copies.
  const typesDir = path.join(root, 'runtime', 'types');
  for (const file of walk(path.join(typesDir, 'lambda')).filter((f) => f.endsWith('.d.ts'))) {
    const text = fs.readFileSync(file, 'utf8');
    // runtime/types/lambda/<module>/x.d.ts is two levels deeper below the root than lambda/<module>/x.ts was.
    const pointed = text.replace(/(['"])((?:\.\.\/)+)src\//g, '$1$2../../lib/');
    if (pointed !== text) fs.writeFileSync(file, pointed);
  }
  fs.rmSync(path.join(typesDir, 'src'), { recursive: true, force: true });
  console.error('types    runtime modules                          -> runtime/types/');
}
console.error(`bundled ${handlers.length} handler(s) and ${modules.length} runtime module(s) for ${target}`);
