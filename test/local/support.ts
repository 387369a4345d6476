/** Synthesizes an example into a fresh temporary cloud assembly, as `npm run synth:examples` does, for one test file. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

export const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

export function synthExample(example: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `local-${example}-`));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(EXAMPLES_DIR, example, 'app.ts')) as { build: (app: App) => App };
  mod.build(new App({ outdir })).synth();
  return outdir;
}

export function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `local-${name}-`));
}

/** Reads a local run's S3 folder: object keys per bucket, relative to the bucket. */
export function objectKeys(outDir: string): string[] {
  const root = path.join(outDir, 's3');
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [path.relative(root, p).split(path.sep).join('/')];
  });
  return fs.existsSync(root) ? walk(root) : [];
}
