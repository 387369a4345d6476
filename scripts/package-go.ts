/**
 * `package:go`: generates the Go module with jsii-pacmak, then builds it with the Go toolchain.
 *
 * jsii-pacmak's own Go build writes every module of the jsii dependency closure into go.mod as an indirect
 * requirement, at the version npm installed (for example cloud-assembly-schema 54.26.0). The Go module proxy does
 * not serve every such version, and `go mod tidy` then fails although nothing needs it: aws-cdk-go requires its own
 * (older) version. So an indirect requirement the proxy does not serve is dropped, `go mod tidy` selects the version
 * the direct dependencies require, and `go build ./...` proves the module compiles.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const outdir = path.join(root, 'dist', 'go');

function run(cmd: string, args: string[], cwd: string): void {
  console.log(`$ ${cmd} ${args.join(' ')}   (in ${path.relative(root, cwd) || '.'})`);
  execFileSync(cmd, args, { cwd, stdio: 'inherit' });
}

run(process.execPath, [require.resolve('jsii-pacmak/bin/jsii-pacmak'), '-v', '--target', 'go', '--code-only', '--outdir', 'dist'], root);

const modules = fs.readdirSync(outdir).filter((d) => fs.existsSync(path.join(outdir, d, 'go.mod')));
if (modules.length === 0) throw new Error(`jsii-pacmak wrote no go.mod under ${outdir}`);

for (const dir of modules.map((d) => path.join(outdir, d))) {
  const gomod = fs.readFileSync(path.join(dir, 'go.mod'), 'utf8');
  const indirect = [...gomod.matchAll(/^\s*(\S+)\s+(v\S+)\s+\/\/ indirect$/gm)].map((m) => ({ mod: m[1], version: m[2] }));
  for (const { mod, version } of indirect) {
    const probe = spawnSync('go', ['mod', 'download', '-json', `${mod}@${version}`], { cwd: dir, encoding: 'utf8' });
    if (probe.status !== 0) {
      const reason = (JSON.parse(probe.stdout || '{}').Error ?? probe.stderr).toString().split('\n')[0];
      console.log(`go.mod: dropping indirect ${mod} ${version} (${reason}); go mod tidy selects the version the direct dependencies require`);
      run('go', ['mod', 'edit', `-droprequire=${mod}`], dir);
    }
  }
  run('go', ['mod', 'tidy'], dir);
  run('go', ['build', './...'], dir);
  console.log(`built Go module ${path.relative(root, dir)}`);
}
