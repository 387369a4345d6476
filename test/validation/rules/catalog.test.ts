import * as fs from 'fs';
import * as path from 'path';
import { RuleCatalog } from '../../../src';
import { PART_RULES } from '../../../src/validation/checks/part-rules';
import { CROSS_PART_RULES } from '../../../src/validation/checks/rules';

const root = path.join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory()
    ? sourceFiles(path.join(dir, e.name))
    : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

const constructSources = sourceFiles(path.join(root, 'src'))
  .filter((f) => !f.includes(`${path.sep}validation${path.sep}`))
  .map((f) => fs.readFileSync(f, 'utf8'));

describe('the rule catalog', () => {
  test('has at least 40 rules with unique ids, each with what, why and fix', () => {
    const all = RuleCatalog.all();
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    for (const r of all) {
      expect(r.what.length).toBeGreaterThan(10);
      expect(r.why.length).toBeGreaterThan(10);
      expect(r.fix.length).toBeGreaterThan(10);
      expect(['error', 'warning']).toContain(r.severity);
    }
  });

  test('every cross-part rule has its own file under src/validation/checks/rules and its tests', () => {
    const dir = path.join(root, 'src', 'validation', 'checks', 'rules');
    const tests = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.ts')).map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8')).join('\n');
    for (const rule of CROSS_PART_RULES) {
      const files = fs.readdirSync(dir).filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(`id: '${rule.id}'`));
      expect(files).toHaveLength(1);
      expect(tests).toContain(`findingsOf('${rule.id}'`);
    }
  });

  test('every per-part rule is still in the constructs, with its message', () => {
    for (const rule of PART_RULES) {
      expect([rule.id, constructSources.some((s) => s.includes(rule.evidence))]).toEqual([rule.id, true]);
    }
  });

  test('every warning id the constructs emit is catalogued', () => {
    const emitted = new Set(constructSources.flatMap((s) => [...s.matchAll(/warn\(\s*[\w.]+,\s*'([A-Za-z]+)'/g)].map((m) => m[1])));
    const catalogued = new Set(PART_RULES.map((r) => r.id));
    expect([...emitted].filter((id) => !catalogued.has(id))).toEqual([]);
    expect(emitted.size).toBeGreaterThan(10);
  });

  test('the table of docs/rules.md is the rule data', () => {
    const readme = fs.readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8');
    const start = readme.indexOf('<!-- rules-table:start -->');
    const end = readme.indexOf('<!-- rules-table:end -->');
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start + '<!-- rules-table:start -->'.length, end).trim()).toBe(RuleCatalog.markdownTable());
  });
});
