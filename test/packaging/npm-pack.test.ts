/**
 * What `npm pack` puts in the package users install: the compiled library, the jsii assembly, the bundled handlers
 * and runtime modules with their types; no TypeScript sources, no inline source maps, and under the size budget.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureJsiiBuild, ROOT, run } from './support';

/**
 * The packed (gzipped) size the package must stay under: 600 KB, the target. With analytics, pipelines, the cross-part
 * rules, the local runner, Snowflake and MSK the package had reached 751 KiB. What brought it under: maps without their
 * sources' text and the compressed assembly (751 -> 637 KiB, before Snowflake and MSK took it to 689), then the
 * runtime modules file by file instead of one bundle each that carried the others' code, lib/*.js without comments,
 * the declarations nothing reaches left out, the local runner minified (names kept), and the README's reference
 * detail in docs/ (the README ships twice: as itself, and inside the assembly, which embeds it for Construct Hub).
 */
const BUDGET_BYTES = 600_000;

interface PackResult { size: number; unpackedSize: number; files: { path: string; size: number }[] }

describe('the npm package', () => {
  let pack: PackResult;
  let files: string[];

  beforeAll(() => {
    ensureJsiiBuild();
    // --ignore-scripts: prepack would only repeat the freshness check ensureJsiiBuild just satisfied.
    pack = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT }))[0];
    files = pack.files.map((f) => f.path);
  }, 290_000);

  test(`is under ${BUDGET_BYTES / 1000} KB packed`, () => {
    // Kept beside the build, so that the README's figure can be checked against it without output in the test run.
    fs.writeFileSync(path.join(ROOT, '.cache', 'npm-pack-size.json'),
      JSON.stringify({ packedBytes: pack.size, unpackedBytes: pack.unpackedSize, files: files.length }, null, 2) + '\n');
    expect(pack.size).toBeLessThan(BUDGET_BYTES);
  });

  test('ships the library, the jsii assembly, the handlers and the runtime modules', () => {
    expect(files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'LICENSE', '.jsii', '.jsii.gz', 'lib/index.js', 'lib/index.d.ts',
      'assets/producer/put-records/index.js', 'assets/firehose/transform/index.js', 'assets/consumer/dynamodb-sink/index.js',
      ...['aggregation', 'consumer', 'firehose', 'producer'].flatMap((m) => [`runtime/${m}/index.js`, `runtime/${m}/index.js.map`, `runtime/types/lambda/${m}/index.d.ts`]),
      'runtime/local/cli.js',
    ]));
    expect(files).toContain(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bin['cdk-kinesis-local']);
  });

  test('every relative require and import in the shipped code and declarations resolves to a shipped file', () => {
    const shipped = new Set(files);
    const unresolved: string[] = [];
    for (const file of files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const specifiers = file.endsWith('.d.ts')
        ? [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]*)['"]/g)].map((m) => m[1])
        : [...text.matchAll(/require\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*\)/g)].map((m) => m[1]);
      for (const spec of specifiers) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
        const candidates = file.endsWith('.d.ts')
          ? [`${target}.d.ts`, `${target}/index.d.ts`, target.replace(/\.js$/, '.d.ts')]
          : [target, `${target}.js`, `${target}/index.js`];
        if (!candidates.some((c) => shipped.has(c))) unresolved.push(`${file}: ${spec}`);
      }
    }
    expect(unresolved).toEqual([]);
  });

  test('ships no TypeScript sources, tests, examples or build scripts', () => {
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /^(src|lambda|test|examples|scripts|bench|projenrc|dist|coverage|\.cache)\//.test(f))).toEqual([]);
    expect(files).not.toContain('API.md');
  });

  test('runtime modules carry no inline source map, and point at the map beside them', () => {
    for (const file of files.filter((f) => /^(runtime|assets|lib)\/.*\.js$/.test(f))) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      expect({ file, inline: /sourceMappingURL=data:/.test(text) }).toEqual({ file, inline: false });
    }
    const modules = files.filter((f) => /^runtime\/.*\.js$/.test(f) && !f.startsWith('runtime/local/'));
    expect(modules).toEqual(expect.arrayContaining(['runtime/producer/index.js', 'runtime/src/validation/limits.js']));
    for (const file of modules) {
      const pointer = `//# sourceMappingURL=${path.basename(file)}.map`;
      expect({ file, pointer: fs.readFileSync(path.join(ROOT, file), 'utf8').trimEnd().endsWith(pointer) }).toEqual({ file, pointer: true });
      expect(files).toContain(`${file}.map`);
    }
  });

  test('the maps point at the TypeScript sources in the repository without carrying their text', () => {
    for (const file of files.filter((f) => f.endsWith('.js.map'))) {
      const map = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
      expect({ file, sourcesContent: map.sourcesContent }).toEqual({ file, sourcesContent: undefined });
      const missing = map.sources.filter((s: string) => !/\.ts$/.test(s) || !fs.existsSync(path.join(ROOT, path.dirname(file), s)));
      expect({ file, missing }).toEqual({ file, missing: [] });
    }
  });

  test('the jsii assembly is compressed: .jsii redirects to .jsii.gz, which jsii tools read', () => {
    const redirect = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
    expect(redirect).toEqual({ schema: 'jsii/file-redirect', compression: 'gzip', filename: '.jsii.gz' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const assembly = require('@jsii/spec').loadAssemblyFromFile(path.join(ROOT, '.jsii'));
    expect(assembly.name).toBe('cdk-kinesis-patterns');
    expect(Object.keys(assembly.types).length).toBeGreaterThan(100);
  });
});
