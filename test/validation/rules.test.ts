import { App, Stack, Token } from 'aws-cdk-lib';
import { checkAtMost, checkExclusive, checkInteger, checkName, checkPositive, checkRange, fail, PatternValidationError } from '../../src/validation/rules';

describe('validation rules', () => {
  const stack = new Stack(new App(), 'S');

  test('fail names the construct path', () => {
    expect(() => fail(stack, 'bad')).toThrow('S: bad');
    expect(() => fail('S/Thing', 'bad')).toThrow(PatternValidationError);
  });

  test('checkRange names the value and the limit, and skips tokens', () => {
    expect(() => checkRange(stack, 'x', 0, 1, 10, 'MiB')).toThrow('S: x must be between 1 and 10 MiB, got 0 MiB');
    expect(() => checkRange(stack, 'x', 11, 1, 10)).toThrow('got 11');
    expect(() => checkRange(stack, 'x', NaN, 1, 10)).toThrow('got NaN');
    expect(() => checkRange(stack, 'x', Token.asNumber({ Ref: 'P' }), 1, 10)).not.toThrow();
    expect(() => checkRange(stack, 'x', undefined, 1, 10)).not.toThrow();
    expect(() => checkRange(stack, 'x', 5, 1, 10)).not.toThrow();
  });

  test('checkInteger, checkPositive and checkAtMost', () => {
    expect(() => checkInteger(stack, 'n', 1.5)).toThrow('S: n must be a whole number, got 1.5');
    expect(() => checkPositive(stack, 'n', 0)).toThrow('S: n must be greater than 0, got 0');
    expect(() => checkPositive(stack, 'n', -1, 'records/s')).toThrow('got -1 records/s');
    expect(() => checkAtMost(stack, 'n', 21, 20, undefined, 'Use fewer')).toThrow('S: n must be at most 20, got 21. Use fewer');
  });

  test('checkName checks length and characters', () => {
    expect(() => checkName(stack, 'name', '', 5, /^[a-z]+$/, 'a-z')).toThrow('must be 1 to 5 characters, got 0');
    expect(() => checkName(stack, 'name', 'abcdef', 5, /^[a-z]+$/, 'a-z')).toThrow('got 6');
    expect(() => checkName(stack, 'name', 'ab!', 5, /^[a-z]+$/, 'a-z')).toThrow("may only contain a-z, got 'ab!'");
  });

  test('checkExclusive', () => {
    expect(() => checkExclusive(stack, 'a', true, 'b', true, 'pick one')).toThrow('S: a and b cannot be given together: pick one');
    expect(() => checkExclusive(stack, 'a', true, 'b', false)).not.toThrow();
  });
});
