import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Synth-time rules shared by every construct. Each message names the construct path, the value and the limit, and
 * says what to do instead. Values that are tokens (unknown until deploy time) are not checked.
 */

/** The error every rule throws: `<construct path>: <message>`. */
export class PatternValidationError extends Error {
  public readonly constructPath: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'ValidationError';
    this.constructPath = path;
  }
}

/** Where a rule points: a construct, or the path a construct is about to be created at. */
export type RuleScope = IConstruct | string;

function pathOf(scope: RuleScope): string {
  return typeof scope === 'string' ? scope : scope.node.path;
}

/** Throws a validation error for `scope`. */
export function fail(scope: RuleScope, message: string): never {
  throw new PatternValidationError(pathOf(scope), message);
}

function isToken(value: unknown): boolean {
  return typeof value === 'number' ? Token.isUnresolved(value) : typeof value === 'string' && Token.isUnresolved(value);
}

function unitSuffix(unit?: string): string {
  return unit ? ` ${unit}` : '';
}

/** `value` must lie in [min, max]. */
export function checkRange(scope: RuleScope, what: string, value: number | undefined, min: number, max: number, unit?: string, hint?: string): void {
  if (value === undefined || isToken(value)) return;
  if (!Number.isFinite(value) || value < min || value > max) {
    fail(scope, `${what} must be between ${min} and ${max}${unitSuffix(unit)}, got ${value}${unitSuffix(unit)}${hint ? `. ${hint}` : ''}`);
  }
}

/** `value` must be a whole number. */
export function checkInteger(scope: RuleScope, what: string, value: number | undefined): void {
  if (value === undefined || isToken(value)) return;
  if (!Number.isInteger(value)) fail(scope, `${what} must be a whole number, got ${value}`);
}

/** `value` must be greater than zero. */
export function checkPositive(scope: RuleScope, what: string, value: number | undefined, unit?: string): void {
  if (value === undefined || isToken(value)) return;
  if (!Number.isFinite(value) || value <= 0) fail(scope, `${what} must be greater than 0${unitSuffix(unit)}, got ${value}${unitSuffix(unit)}`);
}

/** `value` must be at most `max`. */
export function checkAtMost(scope: RuleScope, what: string, value: number | undefined, max: number, unit?: string, hint?: string): void {
  if (value === undefined || isToken(value)) return;
  if (value > max) fail(scope, `${what} must be at most ${max}${unitSuffix(unit)}, got ${value}${unitSuffix(unit)}${hint ? `. ${hint}` : ''}`);
}

/** A string must match `pattern` and be 1 to `maxLength` characters. */
export function checkName(scope: RuleScope, what: string, value: string | undefined, maxLength: number, pattern: RegExp, allowed: string): void {
  if (value === undefined || isToken(value)) return;
  if (value.length < 1 || value.length > maxLength) fail(scope, `${what} must be 1 to ${maxLength} characters, got ${value.length} ('${value}')`);
  if (!pattern.test(value)) fail(scope, `${what} may only contain ${allowed}, got '${value}'`);
}

/** Two props that cannot be given together. */
export function checkExclusive(scope: RuleScope, a: string, aGiven: boolean, b: string, bGiven: boolean, hint?: string): void {
  if (aGiven && bGiven) fail(scope, `${a} and ${b} cannot be given together${hint ? `: ${hint}` : ''}`);
}

/** A warning in synth output, with an id so that users can acknowledge it. */
export function warn(scope: IConstruct, id: string, message: string): void {
  Annotations.of(scope).addWarningV2(`cdk-kinesis-patterns:${id}`, message);
}
