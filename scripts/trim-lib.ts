/**
 * Strips the comments from the library's compiled JavaScript (lib/**\/*.js) after jsii. jsii compiles with the
 * comments kept, so every doc comment shipped three times: in the declarations (lib/**\/*.d.ts, which editors show),
 * in the jsii assembly (which the other languages' bindings and Construct Hub read) and in the JavaScript, where
 * nothing reads it. The declarations and the assembly are untouched; the code is reprinted by esbuild, with the same
 * names, statements and module format (no minification), so stack traces stay readable. Idempotent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { transformSync } from 'esbuild';

const lib = path.join(__dirname, '..', 'lib');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

if (!fs.existsSync(path.join(lib, 'index.js'))) {
  throw new Error('lib/index.js is missing: run `npx projen compile` (jsii) first');
}
let before = 0;
let after = 0;
for (const file of walk(lib).filter((f) => f.endsWith('.js'))) {
  const code = fs.readFileSync(file, 'utf8');
  const trimmed = transformSync(code, { loader: 'js', legalComments: 'none', sourcefile: path.relative(lib, file) }).code;
  before += code.length;
  after += trimmed.length;
  if (trimmed !== code) fs.writeFileSync(file, trimmed);
}
console.error(`lib/*.js without comments: ${(before / 1024).toFixed(0)} -> ${(after / 1024).toFixed(0)} KiB`);
