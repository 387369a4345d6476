import { Token } from 'aws-cdk-lib';
import { LambdaLimits } from '../../validation/limits';
import { fail, RuleScope } from '../../validation/rules';
import type { BundledTransformOptions } from '../transform';
import { checkPartitionKeyName } from './prefixes';
import { TRANSFORM_CONFIG_ENV, TRANSFORM_CONFIG_VERSION, TransformConfig } from '../../contracts/transform-config';

function checkPath(scope: RuleScope, what: string, path: string): void {
  if (Token.isUnresolved(path)) fail(scope, `${what} must be known at synth time (the transform is configured through its environment), got a token`);
  if (path.length === 0 || path.split('.').some((s) => s.length === 0)) fail(scope, `${what} must be a dotted field path such as 'detail.level', got '${path}'`);
}

function checkTopLevel(scope: RuleScope, what: string, field: string): void {
  checkPath(scope, what, field);
  if (field.includes('.')) fail(scope, `${what} names a top-level field, got the path '${field}': keep, rename and drop work on top-level fields only`);
}

/** The checks the bundled transform's options must pass; each message names the option and the value. */
export function checkBundledTransformOptions(scope: RuleScope, options: BundledTransformOptions): void {
  for (const f of options.requiredFields ?? []) checkPath(scope, 'requiredFields entry', f);
  const keep = options.keepFields ?? [];
  const drop = options.dropFields ?? [];
  for (const f of keep) checkTopLevel(scope, 'keepFields entry', f);
  for (const f of drop) checkTopLevel(scope, 'dropFields entry', f);
  const both = keep.filter((f) => drop.includes(f));
  if (both.length > 0) fail(scope, `fields cannot be both kept and dropped, got ${both.map((f) => `'${f}'`).join(', ')} in keepFields and dropFields`);

  const renames = Object.entries(options.renameFields ?? {});
  const targets = new Map<string, string>();
  for (const [from, to] of renames) {
    checkTopLevel(scope, 'renameFields key', from);
    checkTopLevel(scope, `renameFields['${from}']`, to);
    const other = targets.get(to);
    if (other !== undefined) fail(scope, `renameFields maps both '${other}' and '${from}' to '${to}': one would overwrite the other`);
    targets.set(to, from);
    if (keep.length > 0 && !keep.includes(from)) fail(scope, `renameFields renames '${from}', which keepFields removes: add '${from}' to keepFields`);
  }
  // Only a keepFields list tells, at synth time, which original fields reach the output.
  for (const [to, from] of targets) {
    if (keep.includes(to) && !drop.includes(to) && !(to in (options.renameFields ?? {}))) {
      fail(scope, `renameFields renames '${from}' to '${to}', which keepFields also keeps: one would overwrite the other`);
    }
  }

  for (const filter of options.filters ?? []) {
    checkPath(scope, 'filter field', filter.field);
    for (const v of filter.values) {
      const t = typeof v;
      if (v !== null && t !== 'string' && t !== 'number' && t !== 'boolean') {
        fail(scope, `filter on '${filter.field}' compares with ${JSON.stringify(v)}: filter values must be strings, numbers, booleans or null`);
      }
    }
    if ((filter.comparison === 'in' || filter.comparison === 'notIn') && filter.values.length === 0) {
      fail(scope, `filter ${filter.comparison} on '${filter.field}' has no values: it would ${filter.comparison === 'in' ? 'drop every record' : 'keep every record'}`);
    }
  }
  for (const [key, field] of Object.entries(options.partitionKeyFields ?? {})) {
    checkPartitionKeyName(scope, key);
    checkPath(scope, `partitionKeyFields['${key}']`, field);
  }
  const routing = options.icebergRouting;
  if (routing) {
    if ((routing.database === undefined) === (routing.databaseField === undefined)) {
      fail(scope, `icebergRouting needs exactly one of database and databaseField, got ${routing.database === undefined ? 'neither' : 'both'}`);
    }
    if (routing.database !== undefined && routing.database.length === 0) fail(scope, 'icebergRouting.database must not be empty');
    if (routing.databaseField !== undefined) checkPath(scope, 'icebergRouting.databaseField', routing.databaseField);
    checkPath(scope, 'icebergRouting.tableField', routing.tableField);
    if (routing.operationField !== undefined) checkPath(scope, 'icebergRouting.operationField', routing.operationField);
  }
}

/** Serializes the options into the handler's environment, within Lambda's 4 KB environment limit. */
export function renderTransformEnvironment(scope: RuleScope, options: BundledTransformOptions): { [key: string]: string } {
  const config: TransformConfig = {
    version: TRANSFORM_CONFIG_VERSION,
    requiredFields: options.requiredFields ?? [],
    keepFields: options.keepFields ?? [],
    renameFields: Object.entries(options.renameFields ?? {}),
    dropFields: options.dropFields ?? [],
    filters: (options.filters ?? []).map((f) => f._render()),
    partitionKeys: Object.entries(options.partitionKeyFields ?? {}),
    appendNewline: options.appendNewline ?? true,
    ...(options.icebergRouting ? { icebergRouting: { ...options.icebergRouting } } : {}),
  };
  const value = JSON.stringify(config);
  const bytes = Buffer.byteLength(TRANSFORM_CONFIG_ENV, 'utf8') + Buffer.byteLength(value, 'utf8');
  if (bytes > LambdaLimits.MAX_ENVIRONMENT_BYTES) {
    fail(scope, `the bundled transform's configuration is ${bytes} bytes, but a function's environment holds at most ${LambdaLimits.MAX_ENVIRONMENT_BYTES} bytes: ` +
      'use fewer or shorter field names, or write your own transform with the cdk-kinesis-patterns/firehose runtime');
  }
  return { [TRANSFORM_CONFIG_ENV]: value };
}
