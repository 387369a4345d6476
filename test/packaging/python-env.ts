/**
 * The Python virtual environment of the Python smoke test: aws-cdk-lib and constructs from PyPI at the versions the
 * repository pins, in .cache/python-venv-<versions>/, created once (a few minutes of downloads) and reused.
 * `.ci/setup.d/30-python-venv.sh` runs this file, so that the test itself only installs the fresh wheel.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CACHE, requireTool, run, VERSIONS, withLock } from './support';

export const VENV = path.join(CACHE, `python-venv-cdk${VERSIONS.cdk}-constructs${VERSIONS.constructs}`);
export const PYTHON = path.join(VENV, 'bin', 'python');

export function ensureVenv(): string {
  requireTool('python3', ['--version'], 'Python 3.9+ with the venv module (apt-get install python3 python3-venv)');
  return withLock('python-venv', () => {
    // Written last: a venv without it was interrupted and is made again.
    const ready = path.join(VENV, '.ready');
    if (fs.existsSync(ready)) return PYTHON;
    fs.rmSync(VENV, { recursive: true, force: true });
    fs.mkdirSync(CACHE, { recursive: true });
    run('python3', ['-m', 'venv', VENV]);
    run(PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `aws-cdk-lib==${VERSIONS.cdk}`, `constructs==${VERSIONS.constructs}`]);
    fs.writeFileSync(ready, `aws-cdk-lib==${VERSIONS.cdk}\nconstructs==${VERSIONS.constructs}\n`);
    return PYTHON;
  });
}

if (require.main === module) {
  console.log(`Python venv for the smoke test: ${ensureVenv()}`);
}
