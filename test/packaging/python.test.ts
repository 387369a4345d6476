/**
 * The Python package works for a Python user: the wheel jsii-pacmak builds is installed into a virtual environment
 * with aws-cdk-lib and constructs from PyPI (the versions package.json pins), the Python version of the
 * orders-to-s3 example synthesizes with it, and its template is the TypeScript example's (same resources and
 * properties, apart from asset hashes and CDK metadata).
 *
 * Needs python3 with venv and pip, and PyPI (or a mirror) for the first run; `.ci/setup.d/30-python-venv.sh` creates
 * the environment in .cache/. Missing toolchains fail the test with the reason.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureVenv, ensureWheel } from './python-env';
import { CACHE, expectTheExampleTemplate, requireTool, ROOT, run, stepTimer } from './support';

const EXAMPLE = 'orders-to-s3';
const STACK = 'OrdersToS3';

describe('the Python package', () => {
  const timed = stepTimer('python');

  test(`the ${EXAMPLE} example in Python synthesizes the TypeScript example's template`, () => {
    requireTool('python3', ['--version'], 'Python 3.9+ with venv and pip');
    requireTool('node', ['--version'], 'Node.js for the jsii runtime');

    const python = timed('venv', () => ensureVenv());
    const wheel = timed('build', () => ensureWheel(python));
    timed('install', () => run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--force-reinstall', '--no-deps', wheel]));

    const outdir = fs.mkdtempSync(path.join(CACHE, 'python-synth-'));
    timed('synth', () => run(python, ['app.py'], {
      cwd: path.join(ROOT, 'examples', EXAMPLE, 'python'),
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        // ConsumerCode.fromHandlerFile bundles with esbuild, found on PATH from inside the jsii runtime.
        PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
        JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1',
      },
    }));
    const pythonTemplate = JSON.parse(fs.readFileSync(path.join(outdir, `${STACK}.template.json`), 'utf8'));
    // Against the TypeScript example's template as test/examples.test.ts keeps it (that test holds it equal to a fresh synth).
    expectTheExampleTemplate(pythonTemplate, EXAMPLE, STACK);
    fs.rmSync(outdir, { recursive: true, force: true });
  }, 290_000);
});
