import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** Where `npx projen bundle` writes the bundled handlers: `<package>/assets`, from both `src/private` and `lib/private`. */
export const ASSETS_DIR = path.join(__dirname, '..', '..', 'assets');

/**
 * The code of a bundled handler: `lambda/<capability>/<name>.handler.ts` is bundled into `assets/<capability>/<name>`.
 *
 * @param handler `<capability>/<name>`, e.g. `producer/put-records`
 */
export function bundledHandlerCode(handler: string): lambda.Code {
  const dir = path.join(ASSETS_DIR, handler);
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`The bundled handler '${handler}' is missing from ${dir}: run 'npx projen bundle' (a published package ships it).`);
  }
  return lambda.Code.fromAsset(dir);
}
