/**
 * Runs the anomaly-detection example's PyFlink job in a local mini-cluster (PyFlink starts one in its JVM when a job
 * is executed without a cluster), from the venv `.ci/setup.d/50-pyflink.sh` creates.
 *
 * A missing venv, wheel or Java is an error naming what is missing, so that the test fails instead of passing or
 * being skipped.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const JOB_DIR = path.join(REPO_ROOT, 'examples', 'anomaly-detection', 'job');
const REQUIREMENTS = path.join(JOB_DIR, 'requirements-local.txt');
const SETUP_STEP = '.ci/setup.d/50-pyflink.sh';

/** The apache-flink release the job pins for local runs (Flink 1.20, the example's runtime). */
export function pinnedPyFlinkVersion(): string {
  const match = /^apache-flink==([0-9.]+)\s*$/m.exec(readFileSync(REQUIREMENTS, 'utf8'));
  if (!match) throw new Error(`${REQUIREMENTS} has no 'apache-flink==<version>' line`);
  return match[1];
}

export function venvPython(): string {
  const venv = process.env.PYFLINK_VENV ? path.resolve(REPO_ROOT, process.env.PYFLINK_VENV) : path.join(REPO_ROOT, '.cache', 'pyflink-venv');
  return path.join(venv, 'bin', 'python');
}

/**
 * Checks that the venv has the pinned apache-flink and that Java runs; throws with the reason otherwise.
 * @returns the venv's python and the Java version line
 */
export function requirePyFlink(): { python: string; java: string } {
  checked ??= checkPyFlink();
  return checked;
}

let checked: { python: string; java: string } | undefined;

function checkPyFlink(): { python: string; java: string } {
  const python = venvPython();
  const pin = pinnedPyFlinkVersion();
  if (!existsSync(python)) {
    throw new Error(`PyFlink venv missing: ${python} does not exist; run 'bash ${SETUP_STEP}' (installs apache-flink==${pin})`);
  }
  let installed: string;
  try {
    installed = execFileSync(python, ['-c', 'import importlib.metadata as m, pyflink; print(m.version("apache-flink"))'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (e) {
    throw new Error(`apache-flink is not importable from ${python}: ${(e as { stderr?: string }).stderr ?? e}; run 'bash ${SETUP_STEP}'`);
  }
  if (installed !== pin) {
    throw new Error(`${python} has apache-flink ${installed}, the job pins ${pin}; run 'bash ${SETUP_STEP}'`);
  }
  // `java -version` writes to stderr.
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    throw new Error(`java does not run (${java.error?.message ?? java.stderr}); PyFlink ${pin} needs a JVM (Java 11 or 17)`);
  }
  return { python, java: java.stderr.split('\n')[0].trim() };
}

export interface JobRun {
  readonly exitCode: number | null;
  readonly output: string;
  readonly millis: number;
}

/**
 * Runs a script of the job folder with the runtime properties file in FLINK_APPLICATION_PROPERTIES.
 * @param script `main.py` (the job) or `explain.py` (its options, without Flink)
 * @param propertiesFile the JSON list of property groups
 * @param timeoutMs the run is killed after this long
 * @param args extra arguments for the script
 */
export function runJobScript(script: string, propertiesFile: string, timeoutMs: number, args: string[] = []): Promise<JobRun> {
  const { python } = requirePyFlink();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.join(JOB_DIR, script), ...args], {
      cwd: JOB_DIR,
      env: { ...process.env, FLINK_APPLICATION_PROPERTIES: propertiesFile, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: string[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => chunks.push(d.toString()));
    // PyFlink's JVM is a child of the python process: kill the whole group on timeout.
    const timer = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
      reject(new Error(`${script} did not finish within ${timeoutMs} ms; output:\n${chunks.join('').slice(-4000)}`));
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output: chunks.join(''), millis: Date.now() - started });
    });
  });
}

/** A runtime properties file's content: `[{ PropertyGroupId, PropertyMap }]`. */
export function propertyGroups(groups: Record<string, Record<string, string>>): string {
  return JSON.stringify(Object.entries(groups).map(([PropertyGroupId, PropertyMap]) => ({ PropertyGroupId, PropertyMap })), null, 2);
}
