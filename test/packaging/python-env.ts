/**
 * The Python virtual environment of the Python smoke test: aws-cdk-lib and constructs from PyPI at the versions the
 * repository pins, in .cache/python-venv-<versions>/, created once (a few minutes of downloads) and reused.
 * `.ci/setup.d/30-python-venv.sh` runs this file, so that the test itself only installs the fresh wheel.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CACHE, ensureJsiiBuild, newestMtime, requireTool, ROOT, run, VERSIONS, withLock } from './support';

export const VENV = path.join(CACHE, `python-venv-cdk${VERSIONS.cdk}-constructs${VERSIONS.constructs}`);
export const PYTHON = path.join(VENV, 'bin', 'python');

// aws-cdk-lib and constructs for the app; setuptools and wheel to build the wheel from jsii-pacmak's generated
// project in this environment (the version jsii-pacmak's pyproject.toml asks for), instead of a new one each time.
const REQUIREMENTS = [`aws-cdk-lib==${VERSIONS.cdk}`, `constructs==${VERSIONS.constructs}`, 'setuptools~=75.3.2', 'wheel'];

export function ensureVenv(): string {
  requireTool('python3', ['--version'], 'Python 3.9+ with the venv module (apt-get install python3 python3-venv)');
  return withLock('python-venv', () => {
    // Written last, with what was installed: a venv without it was interrupted and is made again.
    const ready = path.join(VENV, '.ready');
    const expected = REQUIREMENTS.join('\n') + '\n';
    if (fs.existsSync(ready) && fs.readFileSync(ready, 'utf8') === expected) return PYTHON;
    if (!fs.existsSync(ready)) {
      fs.rmSync(VENV, { recursive: true, force: true });
      fs.mkdirSync(CACHE, { recursive: true });
      run('python3', ['-m', 'venv', VENV]);
    }
    run(PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...REQUIREMENTS]);
    fs.writeFileSync(ready, expected);
    return PYTHON;
  });
}

/**
 * The wheel of the current build, in .cache/python-wheel/: jsii-pacmak generates the Python project (`--code-only`,
 * the same code `npx projen package:python` packages) and pip builds it in the cached environment. Reused while it
 * is newer than the jsii build and the bundled assets.
 */
export function ensureWheel(python: string): string {
  ensureJsiiBuild();
  return withLock('python-wheel', () => {
    const outdir = path.join(CACHE, 'python-wheel');
    const inputs = Math.max(fs.statSync(path.join(ROOT, '.jsii')).mtimeMs, newestMtime('assets', 'runtime'));
    const existing = fs.existsSync(outdir) ? fs.readdirSync(outdir).filter((f) => f.endsWith('.whl')) : [];
    if (existing.length === 1 && fs.statSync(path.join(outdir, existing[0])).mtimeMs > inputs) return path.join(outdir, existing[0]);
    const code = path.join(CACHE, 'pacmak-code');
    fs.rmSync(code, { recursive: true, force: true });
    fs.rmSync(outdir, { recursive: true, force: true });
    run(path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'), ['--target', 'python', '--code-only', '--outdir', code],
      { env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });
    run(python, ['-m', 'pip', 'wheel', '--quiet', '--disable-pip-version-check', '--no-deps', '--no-build-isolation', '-w', outdir, path.join(code, 'python')]);
    const wheels = fs.readdirSync(outdir).filter((f) => f.endsWith('.whl'));
    if (wheels.length !== 1) throw new Error(`pip wheel wrote ${wheels.length} wheels into ${outdir}`);
    return path.join(outdir, wheels[0]);
  });
}

if (require.main === module) {
  console.log(`Python venv for the smoke test: ${ensureVenv()}`);
}
