import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { undocumented } from '../../scripts/check-api-docs';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'check-api-docs.ts');

const documented = { docs: { summary: 'Documented.' } };
const type = (extra: object) => ({ ...documented, locationInModule: { filename: 'src/x.ts', line: 3 }, ...extra });

describe('check-api-docs', () => {
  test('lists every undocumented type, method, parameter, property and enum member, with its place', () => {
    const found = undocumented({
      types: {
        'pkg.Bare': { locationInModule: { filename: 'src/bare.ts', line: 1 } },
        'pkg.Klass': type({
          initializer: { parameters: [{ name: 'scope', ...documented }, { name: 'id' }], locationInModule: { line: 7 } },
          methods: [{ name: 'grantRead', parameters: [{ name: 'grantee' }], locationInModule: { line: 9 } }],
          properties: [{ name: 'stream', locationInModule: { line: 5 } }, { name: 'ok', ...documented }],
        }),
        'pkg.Kind': type({ members: [{ name: 'ONE' }, { name: 'TWO', ...documented }] }),
      },
    });
    expect(found).toEqual([
      'enum member pkg.Kind.ONE (src/x.ts:3)',
      'method pkg.Klass.grantRead (src/x.ts:9)',
      'parameter grantee of pkg.Klass.grantRead (src/x.ts:9): add @param grantee',
      'parameter id of pkg.Klass.<constructor> (src/x.ts:7): add @param id',
      'property pkg.Klass.stream (src/x.ts:5)',
      'type pkg.Bare (src/bare.ts:1)',
    ].sort());
  });

  test('a fully documented assembly has nothing to report', () => {
    expect(undocumented({ types: { 'pkg.Ok': type({ methods: [{ name: 'm', ...documented, parameters: [] }] }) } })).toEqual([]);
  });

  // jsii --compress-assembly writes `.jsii` as a redirect to `.jsii.gz`: the check must read through it, and fail
  // the build on what it finds there, exactly as with an assembly in clear.
  test('reads a compressed assembly through its redirect and fails on what it finds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-docs-'));
    try {
      const assembly = {
        schema: 'jsii/0.10.0',
        name: 'pkg',
        version: '0.0.0',
        license: 'Apache-2.0',
        homepage: 'x',
        repository: { type: 'git', url: 'x' },
        author: { name: 'x', roles: ['author'] },
        fingerprint: 'x',
        jsiiVersion: '6.0.0',
        description: 'x',
        types: { 'pkg.Bare': { assembly: 'pkg', fqn: 'pkg.Bare', kind: 'interface', name: 'Bare', locationInModule: { filename: 'src/bare.ts', line: 1 } } },
      };
      fs.writeFileSync(path.join(dir, '.jsii.gz'), zlib.gzipSync(JSON.stringify(assembly)));
      fs.writeFileSync(path.join(dir, '.jsii'), JSON.stringify({ schema: 'jsii/file-redirect', compression: 'gzip', filename: '.jsii.gz' }));
      let stderr = '';
      try {
        execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', SCRIPT, path.join(dir, '.jsii')], { cwd: ROOT, stdio: 'pipe' });
      } catch (e: any) {
        stderr = String(e.stderr);
      }
      expect(stderr).toContain('1 undocumented element(s) in the public API');
      expect(stderr).toContain('type pkg.Bare (src/bare.ts:1)');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
