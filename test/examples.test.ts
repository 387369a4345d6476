/**
 * One snapshot per example stack. Asset hashes are replaced by a placeholder so that a change to a bundled handler
 * does not rewrite every snapshot; handler code is tested by its own unit tests. Snapshots are only rewritten by
 * `npx projen test:update`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

const examplesDir = path.join(__dirname, '..', 'examples');
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

  test.each(stacks.map((s) => [s.node.id, s] as const))('stack %s matches its snapshot', (_id, stack) => {
    expect(normalize(Template.fromStack(stack).toJSON())).toMatchSnapshot();
  });
});
