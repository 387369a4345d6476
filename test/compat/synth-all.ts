/**
 * Run by oldest-aws-cdk-lib.test.ts in a process whose aws-cdk-lib is the oldest one the peer dependency allows:
 * synthesizes every example and prints, as JSON, the aws-cdk-lib version it ran with and each stack's resources
 * (logical id to type) and error annotations.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';

const examplesDir = path.join(__dirname, '..', '..', 'examples');
const result: { version: string; resolved: string; stacks: Record<string, { resources: Record<string, string>; errors: string[] }> } = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  version: require('aws-cdk-lib/package.json').version,
  resolved: require.resolve('aws-cdk-lib'),
  stacks: {},
};
for (const example of fs.readdirSync(examplesDir).filter((d) => fs.existsSync(path.join(examplesDir, d, 'app.ts'))).sort()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require(path.join(examplesDir, example, 'app.ts')) as { build: (app: App) => App };
  // Handler files are not bundled: the templates are compared by resource, not by asset.
  const app = build(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
  const assembly = app.synth();
  for (const stack of app.node.children.filter((c): c is Stack => Stack.isStack(c))) {
    const artifact = assembly.getStackByName(stack.stackName);
    const resources = Object.fromEntries(Object.entries<any>(artifact.template.Resources ?? {}).map(([id, r]) => [id, r.Type]));
    const errors = artifact.messages.filter((m) => m.level === 'error').map((m) => `${m.id}: ${m.entry.data}`);
    result.stacks[`${example}.${stack.node.id}`] = { resources, errors };
  }
}
process.stdout.write(JSON.stringify(result));
