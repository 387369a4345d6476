/**
 * One snapshot per example stack, in test/__snapshots__/examples/<example>.<stack>.json (one file each, so examples
 * never contend for a shared snapshot file and a diff shows which example moved).
 *
 * Snapshots change only when someone asks: `npx projen test:update`, or for one example
 * `UPDATE_EXAMPLE_SNAPSHOTS=1 npx jest test/examples.test.ts -t '^example <name> '`. A missing snapshot fails the test.
 *
 * Asset hashes are replaced by a placeholder so that a change to a bundled handler does not rewrite every snapshot;
 * handler code is covered by its own tests. Snapshots complement the fine-grained assertions, they do not replace them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

const examplesDir = path.join(__dirname, '..', 'examples');
const snapshotDir = path.join(__dirname, '__snapshots__', 'examples');
const update = process.env.UPDATE_EXAMPLE_SNAPSHOTS === '1';
const examples = fs.readdirSync(examplesDir).filter((d) => fs.existsSync(path.join(examplesDir, d, 'app.ts'))).sort();

function normalize(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}(\.zip|\.json)?/g, '[asset-hash]$1'));
}

describe.each(examples)('example %s', (example) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(examplesDir, example, 'app.ts')) as { build: (app: App) => App };
  const app = mod.build(new App());
  const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c));

  test('defines at least one stack', () => {
    expect(stacks.length).toBeGreaterThan(0);
  });

  test.each(stacks.map((s) => [s.node.id, s] as const))('stack %s matches its snapshot', (id, stack) => {
    const actual = normalize(Template.fromStack(stack).toJSON());
    const file = path.join(snapshotDir, `${example}.${id}.json`);
    if (update) {
      fs.mkdirSync(snapshotDir, { recursive: true });
      fs.writeFileSync(file, JSON.stringify(actual, null, 2) + '\n');
    }
    if (!fs.existsSync(file)) {
      throw new Error(`no snapshot for example ${example}, stack ${id}: run \`UPDATE_EXAMPLE_SNAPSHOTS=1 npx jest test/examples.test.ts -t '^example ${example} '\` and review it`);
    }
    expect(actual).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
  });
});
