/**
 * Preloaded into the examples' apps by scripts/synth-examples.ts (`ts-node -r`). The examples import the library
 * from ../../src, so the frames of its own code look like the app's to the CDK CLI, which shows the first frame
 * outside node_modules as an annotation's location: every warning pointed into src/. An app that installs the
 * package has those frames under node_modules, which the CLI skips. Dropping them here shows the locations a user
 * sees: the line of the app that created the construct.
 */
const path = require('path');

const root = path.join(__dirname, '..');
const library = [path.join(root, 'src') + path.sep, path.join(root, 'lambda') + path.sep];
const original = Error.prepareStackTrace;

Error.prepareStackTrace = (error, frames) => {
  const kept = frames.filter((f) => {
    const file = f.getFileName() || '';
    return !library.some((dir) => file.startsWith(dir));
  });
  if (original) return original(error, kept);
  return `${error}${kept.map((f) => `\n    at ${f}`).join('')}`;
};
