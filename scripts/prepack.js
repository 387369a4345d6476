/**
 * `npm pack` / `npm publish` guard: the tarball ships lib/ and .jsii (jsii), assets/ and runtime/ (esbuild), which
 * are build outputs, not sources. Refuse to pack when one is missing or older than the sources it comes from, and
 * name the command that builds it. Plain JavaScript so that it runs without ts-node.
 */
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

function newest(dir) {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const p = path.join(dir, e.name);
    return Math.max(max, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
}

const outputs = [
  { file: 'lib/index.js', from: 'src', build: 'npx projen compile' },
  { file: '.jsii', from: 'src', build: 'npx projen compile' },
  { file: 'assets', from: 'lambda', build: 'npx projen bundle' },
  { file: 'runtime', from: 'lambda', build: 'npx projen bundle' },
  // The package's bin (cdk-kinesis-local).
  { file: 'runtime/local/cli.js', from: 'local', build: 'npx projen bundle' },
];
const problems = [];
for (const { file, from, build } of outputs) {
  const p = path.join(root, file);
  if (!fs.existsSync(p)) {
    problems.push(`${file} is missing: run \`${build}\``);
  } else if (fs.statSync(p).isFile() && fs.statSync(p).mtimeMs < newest(path.join(root, from))) {
    problems.push(`${file} is older than ${from}/: run \`${build}\``);
  }
}
if (problems.length > 0) {
  console.error(`npm pack refused, the build is not complete (\`npx projen build\` does all of it):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
