/**
 * The README and the guides in docs/ link to each other, to headings and to files of the repository: every relative
 * link resolves, to a file that exists and, with a `#fragment`, to a heading of that file (GitHub's anchors).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './snippets';

const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks. */
function prose(markdown: string): string {
  return markdown.replace(/^([ \t]*)(`{3,})[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = heading.trim().toLowerCase().replace(/<[^>]+>/g, '').replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

describe.each(DOCS)('%s', (doc) => {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  const links = [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/i.test(l));

  test('has relative links', () => {
    expect(links.length).toBeGreaterThan(0);
  });

  test('every relative link resolves to a file and a heading', () => {
    const broken = links.filter((link) => {
      const [file, fragment] = link.split('#');
      const target = file === '' ? path.join(ROOT, doc) : path.join(ROOT, path.dirname(doc), file);
      if (!fs.existsSync(target)) return true;
      if (fragment === undefined) return false;
      return !fs.statSync(target).isFile() || !anchors(fs.readFileSync(target, 'utf8')).has(fragment);
    });
    expect(broken).toEqual([]);
  });
});

test('the anchors follow GitHub', () => {
  expect([...anchors('# A: b (c) `d`\n## A: b (c) `d`\n```\n# not a heading\n```\n### Ünïcode, too')])
    .toEqual(['a-b-c-d', 'a-b-c-d-1', 'ünïcode-too']);
});
