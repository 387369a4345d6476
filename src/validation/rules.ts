import { Annotations, Duration, Size, SizeRoundingBehavior, Token, Tokenization } from 'aws-cdk-lib';
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
  if (typeof value !== 'number') fail(scope, `${what} must be a number, got ${describe(value)}`);
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
  if (!Number.isFinite(value) || value > max) fail(scope, `${what} must be at most ${max}${unitSuffix(unit)}, got ${value}${unitSuffix(unit)}${hint ? `. ${hint}` : ''}`);
}

/** A string must match `pattern` and be 1 to `maxLength` characters. */
export function checkName(scope: RuleScope, what: string, value: string | undefined, maxLength: number, pattern: RegExp, allowed: string): void {
  if (value === undefined || isToken(value)) return;
  if (typeof value !== 'string') fail(scope, `${what} must be a string, got ${describe(value)}`);
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

/** A value for a message: strings quoted, objects by their type, so that a message never prints `[object Object]`. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  // aws-cdk-lib's classes are subclassed for property injection (`Stack2`): the digits are not the class's name.
  return `a ${(value.constructor?.name ?? 'object').replace(/\d+$/, '')}`;
}

/**
 * A required prop: JavaScript callers have no compiler to insist on it, so its absence is reported here, by name,
 * instead of as `Cannot read properties of undefined` somewhere inside the construct.
 */
export function checkRequired<T>(scope: RuleScope, what: string, value: T | undefined | null): T {
  if (value === undefined || value === null) fail(scope, `${what} is required, got ${value}`);
  return value;
}

/** The props object of a construct whose props have required fields, and those fields. */
export function checkRequiredProps(scope: RuleScope, props: unknown, required: readonly string[]): void {
  if (props === undefined || props === null || typeof props !== 'object') {
    fail(scope, `props are required${required.length ? ` (with ${required.join(', ')})` : ''}, got ${describe(props)}`);
  }
  for (const name of required) checkRequired(scope, name, (props as Record<string, unknown>)[name]);
}

/** A value the library computes with at synth time (a plan, a derived threshold): a token cannot be used there. */
export function checkLiteral(scope: RuleScope, what: string, value: unknown, why: string): void {
  const unresolved = (typeof value === 'number' || typeof value === 'string') ? isToken(value)
    : (value instanceof Duration || value instanceof Size) ? value.isUnresolved() : false;
  if (unresolved) fail(scope, `${what} must be a literal value, got a token that resolves at deploy time: ${why}`);
}

/**
 * A duration in whole seconds: undefined when not given, a number token when it is a token given in seconds (for a
 * template, never for arithmetic). Any other token, a fraction of a second, NaN or Infinity is refused.
 */
export function wholeSeconds(scope: RuleScope, what: string, value: Duration | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Duration)) fail(scope, `${what} must be a Duration, got ${describe(value)}`);
  if (value.isUnresolved()) {
    try {
      return value.toSeconds();
    } catch {
      fail(scope, `${what} comes from a token in another unit than seconds and cannot be converted at synth time: use Duration.seconds(token)`);
    }
  }
  const ms = value.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms)) fail(scope, `${what} must be a finite duration, got ${ms} ms`);
  if (ms % 1000 !== 0) fail(scope, `${what} must be a whole number of seconds, got ${ms / 1000} seconds (${value.toHumanString()})`);
  return ms / 1000;
}

/** A duration in milliseconds, for comparisons: undefined when not given or a token; NaN and Infinity refused. */
export function literalMillis(scope: RuleScope, what: string, value: Duration | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Duration)) fail(scope, `${what} must be a Duration, got ${describe(value)}`);
  if (value.isUnresolved()) return undefined;
  const ms = value.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms)) fail(scope, `${what} must be a finite duration, got ${ms} ms`);
  return ms;
}

/** A size in bytes: undefined when not given or a token; fractions of a byte, NaN and Infinity refused. */
export function literalBytes(scope: RuleScope, what: string, value: Size | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Size)) fail(scope, `${what} must be a Size, got ${describe(value)}`);
  if (value.isUnresolved()) return undefined;
  const bytes = value.toBytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isFinite(bytes)) fail(scope, `${what} must be a finite size, got ${bytes} bytes`);
  if (!Number.isInteger(bytes)) fail(scope, `${what} must be a whole number of bytes, got ${bytes} bytes`);
  return bytes;
}

/**
 * A number for a string in a template (an environment variable, a math expression): a token stays a token
 * (`${Token[...]}` resolves to its reference) instead of being printed as its encoded double.
 */
export function numberText(value: number): string {
  return Token.isUnresolved(value) ? Tokenization.stringifyNumber(value) : String(value);
}

/**
 * `checkRequiredProps` for a construct that is about to be created at `id` under `scope`, before its `super` call
 * reads the props; returns them.
 */
export function requiredPropsAt<T>(scope: IConstruct, id: string, props: T, required: readonly string[]): T {
  checkRequiredProps([scope.node.path, id].filter((p) => p).join('/'), props, required);
  return props;
}
