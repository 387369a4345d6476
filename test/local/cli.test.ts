/** What the command refuses, with a clear message and a non-zero exit, before it starts anything. */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { tempDir } from './support';
import { main, parseArgs, resolveAssembly } from '../../local/cli';

const repo = path.join(__dirname, '..', '..');

async function run(args: string[], cwd = repo): Promise<{ code: number; stderr: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((c: any) => {
    chunks.push(String(c));
    return true;
  });
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return { code: await main(args), stderr: chunks.join('') };
  } finally {
    process.chdir(before);
    spy.mockRestore();
  }
}

describe('the local run command', () => {
  test('an unknown example is refused, naming the examples', async () => {
    const { code, stderr } = await run(['no-such-example']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown example 'no-such-example': the examples are .*clickstream.*logs-to-s3/);
  });

  test('a missing cdk.out is refused, saying how to make one', async () => {
    const dir = tempDir('missing');
    const { code, stderr } = await run([path.join(dir, 'cdk.out')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no cloud assembly at .*cdk\.out: synthesize the app first/);
  });

  test('an example that is not synthesized yet is refused with the command to synthesize it', () => {
    const cwd = tempDir('unsynthesized');
    fs.mkdirSync(path.join(cwd, 'examples', 'demo'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'examples', 'demo', 'app.ts'), '');
    expect(() => resolveAssembly('demo', cwd)).toThrow(/example 'demo' is not synthesized: cdk.out\/demo is missing. Run npm run synth:examples -- demo first/);
  });

  test('a folder that is not a cloud assembly is refused', () => {
    expect(() => resolveAssembly(tempDir('empty'))).toThrow(/is not a cloud assembly \(no manifest.json\)/);
  });

  test('an app without streams or delivery streams is refused', async () => {
    const outdir = tempDir('no-streams');
    const app = new App({ outdir });
    new s3.Bucket(new Stack(app, 'JustABucket'), 'Bucket');
    app.synth();
    const { code, stderr } = await run([outdir, '--seconds', '1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/has no Kinesis data stream and no Firehose delivery stream to S3 that the local run can simulate/);
  });

  test('options are checked', () => {
    expect(parseArgs(['clickstream', '--seconds', '5', '--rate', '50', '--json'])).toMatchObject({ target: 'clickstream', seconds: 5, rate: 50, json: true });
    expect(() => parseArgs(['x', '--seconds', '0'])).toThrow(/--seconds must be a number from 1 to 3600, got '0'/);
    expect(() => parseArgs(['x', '--nope'])).toThrow(/unknown option --nope/);
    expect(() => parseArgs([])).toThrow(/name an example or a cloud assembly folder/);
  });
});
