import { spawnSync } from 'child_process';
import * as path from 'path';

/** How aws-cdk-lib's NodejsFunction looks for esbuild: a package it can require, else an `esbuild` on PATH. */
export interface EsbuildLookup {
  /** Resolves a module from aws-cdk-lib's folder, as NodejsFunction does; throws when it is not installed. */
  readonly resolve: (request: string) => string;
  /** Runs `esbuild --version`; returns whether it succeeded. */
  readonly onPath: () => boolean;
}

const defaultLookup: EsbuildLookup = {
  resolve: (request) => require.resolve(request, { paths: [path.dirname(require.resolve('aws-cdk-lib/package.json'))] }),
  onPath: () => {
    const proc = spawnSync('esbuild', ['--version'], { stdio: 'ignore' });
    return proc.status === 0 && !proc.error;
  },
};

let lookup: EsbuildLookup = defaultLookup;

/**
 * Whether NodejsFunction will bundle with a local esbuild. Without one it falls back to bundling in Docker, and
 * without Docker synth fails with a message about Docker, not about esbuild.
 */
export function esbuildAvailable(): boolean {
  try {
    lookup.resolve('esbuild/package.json');
    return true;
  } catch {
    return lookup.onPath();
  }
}

/** Replaces the lookup (tests simulate a machine without esbuild); `undefined` restores the real one. */
export function setEsbuildLookup(replacement: EsbuildLookup | undefined): void {
  lookup = replacement ?? defaultLookup;
}
