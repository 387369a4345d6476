/**
 * Bundles the local runner (local/cli.ts) into runtime/local/cli.js, the package's `cdk-kinesis-local` bin. The
 * emulators and the AWS SDK stay external: they are not dependencies of the construct library, and the runner says
 * which packages to install when they are missing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';

const root = path.join(__dirname, '..');
const outfile = path.join(root, 'runtime', 'local', 'cli.js');
buildSync({
  entryPoints: [path.join(root, 'local', 'cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@aws-sdk/*', '@smithy/*', 'kinesalite', 'dynalite'],
  // Whitespace and syntax only: the names stay, so a stack trace from the runner still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
fs.chmodSync(outfile, 0o755);
console.error(`bin      cdk-kinesis-local                        -> runtime/local/cli.js (${(fs.statSync(outfile).size / 1024).toFixed(1)} KiB)`);
