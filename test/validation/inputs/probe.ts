/**
 * Table-driven input probes: each case builds constructs in a fresh stack and either expects a clear error (the
 * library's `ValidationError`, naming the construct path, and matching the expected pattern) or an accept, after
 * which the template is synthesized and checked: no token printed as its encoded double, and the case's own check.
 */
import { App, CfnParameter, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PatternValidationError } from '../../../src/validation/rules';

export interface ProbeCase {
  /** What is probed. */
  readonly name: string;
  /** Builds the constructs; throws for a refused input. */
  readonly build: (stack: Stack) => unknown;
  /** The error expected, or undefined for an accept. */
  readonly error?: RegExp;
  /** Checks on the template of an accepted input. */
  readonly check?: (template: Template, stack: Stack) => void;
  /** The case passes a token (counted apart in the report). */
  readonly token?: boolean;
}

/** A stack in a fixed environment, as the other tests use. */
export function probeStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
}

/** A number known at deploy time only: a CloudFormation parameter's value. */
export function numberParam(stack: Stack, name = 'N'): number {
  return new CfnParameter(stack, name, { type: 'Number' }).valueAsNumber;
}

/** A string known at deploy time only. */
export function stringParam(stack: Stack, name = 'S'): string {
  return new CfnParameter(stack, name, { type: 'String' }).valueAsString;
}

/** A lazily computed number. */
export function lazyNumber(value: number): number {
  return Lazy.number({ produce: () => value });
}

/** Encoded number tokens print as doubles around ±1.8e+289; such a value in a template is a mangled token. */
const MANGLED = /-?1\.\d+e\+2\d\d/;

/** Unclear errors the probe treats as failures even when they match the pattern. */
const UNCLEAR = /Cannot read propert|is not a function|undefined is not|\[object Object\]|NaN|cannot be converted into a whole number/;

/** Counts over every table, for the report printed at the end of a file. */
export const counts = { cases: 0, errors: 0, accepts: 0, tokens: 0 };

/** Runs one table as a `test.each`. */
export function probe(title: string, cases: ProbeCase[]): void {
  describe(title, () => {
    test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      counts.cases++;
      if (c.token) counts.tokens++;
      const stack = probeStack();
      if (c.error) {
        counts.errors++;
        let thrown: unknown;
        try {
          c.build(stack);
          Template.fromStack(stack);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(PatternValidationError);
        const error = thrown as Error;
        expect(error.message).toMatch(/^(Stack\/|[A-Z][A-Za-z]+(\.[a-zA-Z]+)?: )/);
        expect(error.message).toMatch(c.error);
        if (!/NaN/.test(c.error.source)) expect(error.message).not.toMatch(UNCLEAR);
        return;
      }
      counts.accepts++;
      c.build(stack);
      const template = Template.fromStack(stack);
      expect(JSON.stringify(template.toJSON())).not.toMatch(MANGLED);
      c.check?.(template, stack);
    });
  });
}

/** The properties of the only resource of `type`. */
export function onlyResource(template: Template, type: string): Record<string, any> {
  const all = Object.values(template.findResources(type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0].Properties;
}
