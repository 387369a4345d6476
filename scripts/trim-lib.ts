/**
 * Trims what jsii leaves in lib/ to what a user's program loads, after jsii and before packing. Idempotent.
 *
 * - **Comments out of lib/**\/*.js.** jsii compiles with the comments kept, so every doc comment shipped three
 *   times: in the declarations (which editors show), in the jsii assembly (which the other languages' bindings and
 *   Construct Hub read) and in the JavaScript, where nothing reads it. The code is reprinted by esbuild with the same
 *   names, statements and module format (no minification), so stack traces stay readable.
 * - **Declarations nothing reaches.** The package's `exports` let a program import only `lib/index` (and the runtime
 *   subpaths, whose declarations point at `lib/contracts/` and `lib/validation/limits`), so the declarations of the
 *   internal modules (private/ folders, the rules' implementations) that no public declaration imports are never
 *   read. They are removed; the JavaScript of every module stays. A packaging test checks that every relative import
 *   of a shipped declaration resolves to a shipped file.
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

/** The declaration files a declaration imports, relative ones only (the rest are packages). */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]*)['"]/g)].flatMap(([, spec]) => {
    const target = path.join(path.dirname(file), spec);
    return [`${target}.d.ts`, path.join(target, 'index.d.ts'), target.replace(/\.js$/, '.d.ts')].filter((c) => fs.existsSync(c)).slice(0, 1);
  });
}

const declarations = walk(lib).filter((f) => f.endsWith('.d.ts'));
const roots = [path.join(lib, 'index.d.ts'), path.join(lib, 'validation', 'limits.d.ts'),
  ...declarations.filter((f) => path.dirname(f) === path.join(lib, 'contracts'))];
const reached = new Set<string>();
const queue = [...roots];
while (queue.length > 0) {
  const file = queue.pop()!;
  if (reached.has(file)) continue;
  reached.add(file);
  queue.push(...imports(file));
}
const unreached = declarations.filter((f) => !reached.has(f));
for (const file of unreached) fs.rmSync(file);
console.error(`lib/*.d.ts: ${reached.size} reached from lib/index.d.ts and the contracts, ${unreached.length} removed`);
