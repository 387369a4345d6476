/**
 * Preloaded by oldest-aws-cdk-lib.test.ts into a Node.js process of its own: `aws-cdk-lib` and `constructs`, from
 * anywhere (the library's src/, the examples, aws-cdk-lib itself), resolve to the copies in AWS_CDK_LIB_DIR instead of
 * node_modules, as they would in a user's app that installed that version.
 */
const Module = require('module');

const dir = process.env.AWS_CDK_LIB_DIR;
if (!dir) throw new Error('AWS_CDK_LIB_DIR is not set');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  if (/^(aws-cdk-lib|constructs)(\/|$)/.test(request)) {
    return original.call(this, request, parent, isMain, { ...options, paths: [dir] });
  }
  return original.call(this, request, parent, isMain, options);
};
