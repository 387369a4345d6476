/**
 * `npm pack` refuses an incomplete build (scripts/prepack.js): a missing or stale output is named with the command
 * that builds it, and what projen regenerates on every run (a folder's tsconfig.json) does not make a build stale.
 * Run on a copy of the script in a tree of its own.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './support';

const OUTPUTS = ['lib/index.js', '.jsii', 'assets/x/index.js', 'runtime/consumer/index.js', 'runtime/local/cli.js'];
const SOURCES = ['src/index.ts', 'lambda/consumer/index.ts', 'local/cli.ts'];

function tree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prepack-'));
  const write = (file: string, when: Date) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), '');
    fs.utimesSync(path.join(dir, file), when, when);
  };
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'prepack.js'), path.join(dir, 'scripts', 'prepack.js'));
  for (const file of SOURCES) write(file, new Date(2026, 0, 1));
  for (const file of OUTPUTS) write(file, new Date(2026, 0, 2));
  return dir;
}

function prepack(dir: string): { status: number | null; stderr: string } {
  const proc = spawnSync(process.execPath, [path.join(dir, 'scripts', 'prepack.js')], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: proc.status, stderr: proc.stderr };
}

describe('npm pack on an incomplete build', () => {
  test('passes when every output is newer than its sources', () => {
    expect(prepack(tree())).toEqual({ status: 0, stderr: '' });
  });

  test('passes when only a generated tsconfig.json is newer', () => {
    const dir = tree();
    fs.writeFileSync(path.join(dir, 'local', 'tsconfig.json'), '{}');
    fs.writeFileSync(path.join(dir, 'lambda', 'tsconfig.json'), '{}');
    expect(prepack(dir).status).toBe(0);
  });

  test.each([
    ['runtime/local/cli.js', 'runtime/local/cli.js is missing: run `npx projen bundle`'],
    ['lib/index.js', 'lib/index.js is missing: run `npx projen compile`'],
  ])('refuses without %s, naming the command that builds it', (file, message) => {
    const dir = tree();
    fs.rmSync(path.join(dir, file));
    const result = prepack(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });

  test.each([
    ['local/cli.ts', 'runtime/local/cli.js is older than local/: run `npx projen bundle`'],
    ['src/index.ts', 'lib/index.js is older than src/: run `npx projen compile`'],
  ])('refuses when %s changed after the build', (file, message) => {
    const dir = tree();
    fs.writeFileSync(path.join(dir, file), '// changed');
    const result = prepack(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });
});
