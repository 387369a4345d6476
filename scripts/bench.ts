/**
 * `npm run bench`: runs every benchmark in bench/ (bench/<name>.bench.ts, each also `npm run bench:<name>`) one after
 * the other, so they do not compete for the CPU, and prints each one's JSON figures.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const benches = fs.readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.bench.ts')).sort();
const tsNode = path.join(root, 'node_modules', '.bin', 'ts-node');
let failed = 0;
for (const file of benches) {
  console.log(`\n■ ${file}`);
  try {
    execFileSync(tsNode, ['--transpile-only', path.join('bench', file)], { cwd: root, stdio: 'inherit' });
  } catch {
    failed++;
    console.error(`✗ ${file} failed`);
  }
}
if (failed) process.exit(1);
