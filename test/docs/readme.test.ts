/**
 * Every TypeScript snippet of the README and of the guides in docs/ compiles (in one program, with the repository's compiler options) and, when
 * it is stack or app code, synthesizes without errors. New ```ts blocks are picked up automatically; a snippet names
 * the fixture that declares what it refers to (`fixture=<name>`, see test/docs/fixtures/ and the README's
 * Development section).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { extractSnippets, renderSnippet, ROOT, Snippet } from './snippets';

const OUT = path.join(ROOT, '.cache', 'snippets');
// Fixtures declare more than each snippet uses.
const UNUSED = new Set([6133, 6192, 6196, 6198, 6205]);

// The README and the guides in docs/.
const snippets = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]
  .flatMap((doc) => extractSnippets(path.join(ROOT, doc)));
const files = new Map<Snippet, string>();
// Compiled in the same program: proves that a wrong snippet is reported, without a program of its own.
const CANARY: Snippet = { location: 'canary:1', fixture: 'default', code: "import { DataStream } from 'cdk-kinesis-patterns';\nnew DataStream(this, 'S', { shardCount: '2' });" };

beforeAll(() => {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  // Snippets that package a PyFlink project refer to `path.join(__dirname, 'job')`: the example's job is that folder.
  fs.cpSync(path.join(ROOT, 'examples', 'anomaly-detection', 'job'), path.join(OUT, 'job'), {
    recursive: true,
    filter: (src) => !/(__pycache__|[/\\]lib[/\\]|[/\\]target[/\\])/.test(src),
  });
  for (const s of snippets) {
    const [doc, line] = s.location.split(':');
    const name = `${path.basename(doc, '.md').toLowerCase()}-${line.padStart(4, '0')}.ts`;
    const source = renderSnippet(s, OUT);
    fs.writeFileSync(path.join(OUT, name), source);
    if (s.file) fs.writeFileSync(path.join(OUT, s.file), source);
    files.set(s, path.join(OUT, name));
  }
  fs.writeFileSync(path.join(OUT, 'canary.ts'), renderSnippet(CANARY, OUT));
});

test('the README has TypeScript snippets', () => {
  expect(snippets.length).toBeGreaterThan(10);
});

test('every snippet compiles', () => {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'test', 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  })!;
  const all = new Map([...files.entries(), [CANARY, path.join(OUT, 'canary.ts')]]);
  const program = ts.createProgram([...all.values()], { ...config.options, noEmit: true });
  const byFile = new Map([...all.entries()].map(([s, f]) => [path.resolve(f), s]));
  const problems = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && byFile.has(path.resolve(d.file.fileName)) && !UNUSED.has(d.code))
    .map((d) => {
      const snippet = byFile.get(path.resolve(d.file!.fileName))!;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const text = d.file!.text.split('\n')[line].trim();
      return `${snippet.location} (fixture ${snippet.fixture}): TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}\n    at: ${text}`;
    });
  expect(problems.filter((p) => p.startsWith('canary:'))).toEqual([expect.stringContaining("TS2322 Type 'string' is not assignable to type 'number'")]);
  expect(problems.filter((p) => !p.startsWith('canary:'))).toEqual([]);
}, 240_000);

describe.each(snippets.map((s) => [s.location, s] as const))('snippet %s', (_location, snippet) => {
  test('loads, and synthesizes without errors', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(files.get(snippet)!);
    let app: App | undefined;
    if (mod.SnippetStack) {
      app = new App();
      new mod.SnippetStack(app, 'Snippet');
    } else if (mod.app) {
      app = mod.app;
    }
    if (!app) return; // a module snippet: loading it was the test
    app.synth();
    const errors = app.node.children.filter((c): c is Stack => Stack.isStack(c))
      .flatMap((s) => Annotations.fromStack(s).findError('*', Match.anyValue()).map((e) => `${e.id}: ${e.entry.data}`));
    expect(errors).toEqual([]);
  });
});
