/**
 * The package's subpath exports (`cdk-kinesis-patterns/<module>`) point at bundles and types that `npx projen bundle`
 * produced (the test command bundles first), and each bundle exports what its source exports.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(path.join(root, 'package.json'));
const subpaths = Object.entries<any>(pkg.exports).filter(([k]) => k !== '.' && k !== './package.json' && k !== './.jsii');

describe('package exports', () => {
  test('the main entry and the jsii assembly are exported', () => {
    expect(pkg.exports['.']).toEqual({ types: './lib/index.d.ts', default: './lib/index.js' });
    expect(pkg.exports['./.jsii']).toBe('./.jsii');
  });

  test('every runtime module in lambda/ has a subpath export', () => {
    const modules = fs.readdirSync(path.join(root, 'lambda')).filter((d) => fs.existsSync(path.join(root, 'lambda', d, 'index.ts')));
    expect(subpaths.map(([k]) => k.slice(2)).sort()).toEqual(modules.sort());
  });

  test.each(subpaths)('%s resolves to a bundle and its types, exporting what the source exports', (subpath, target) => {
    const mod = subpath.slice(2);
    const bundle = path.join(root, target.default);
    expect(fs.existsSync(bundle)).toBe(true);
    expect(fs.existsSync(path.join(root, target.types))).toBe(true);
    expect(pkg.typesVersions['*'][mod]).toEqual([target.types.slice(2)]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundled = require(bundle);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const source = require(path.join(root, 'lambda', mod, 'index.ts'));
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(source).sort());
  });
});
