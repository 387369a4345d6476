import { App, Duration, Lazy, Size, Stack, Token } from 'aws-cdk-lib';
import {
  checkAtMost, checkLiteral, checkRequired, checkRequiredProps, describe as describeValue, literalBytes, literalMillis, numberText, requiredPropsAt,
  wholeSeconds,
} from '../../src/validation/rules';

describe('input rules', () => {
  const stack = new Stack(new App(), 'S');
  const token = Token.asNumber({ Ref: 'P' });

  test('checkRequired and checkRequiredProps name what a JavaScript caller left out', () => {
    expect(() => checkRequired(stack, 'stream', undefined)).toThrow('S: stream is required, got undefined');
    expect(() => checkRequired(stack, 'stream', null)).toThrow('S: stream is required, got null');
    expect(checkRequired(stack, 'n', 0)).toBe(0);
    expect(() => checkRequiredProps(stack, undefined, ['stream'])).toThrow('S: props are required (with stream), got undefined');
    expect(() => checkRequiredProps(stack, {}, ['stream'])).toThrow('S: stream is required, got undefined');
    expect(() => checkRequiredProps(stack, 'x', [])).toThrow("S: props are required, got 'x'");
    expect(() => requiredPropsAt(stack, 'Child', null, ['a'])).toThrow('S/Child: props are required (with a), got null');
  });

  test('checkLiteral refuses tokens of numbers, strings, durations and sizes, with the reason', () => {
    expect(() => checkLiteral(stack, 'n', token, 'it is planned')).toThrow('S: n must be a literal value, got a token that resolves at deploy time: it is planned');
    expect(() => checkLiteral(stack, 'd', Duration.seconds(token), 'why')).toThrow('d must be a literal value');
    expect(() => checkLiteral(stack, 's', Size.mebibytes(Lazy.number({ produce: () => 1 })), 'why')).toThrow('s must be a literal value');
    expect(() => checkLiteral(stack, 'n', 3, 'why')).not.toThrow();
    expect(() => checkLiteral(stack, 'n', undefined, 'why')).not.toThrow();
  });

  test('wholeSeconds: our message for fractions, NaN, other-unit tokens; a token in seconds passes', () => {
    expect(wholeSeconds(stack, 'p', Duration.minutes(2))).toBe(120);
    expect(wholeSeconds(stack, 'p', undefined)).toBeUndefined();
    expect(() => wholeSeconds(stack, 'p', Duration.millis(1500))).toThrow('S: p must be a whole number of seconds, got 1.5 seconds');
    expect(() => wholeSeconds(stack, 'p', Duration.seconds(NaN))).toThrow('S: p must be a finite duration, got NaN ms');
    expect(() => wholeSeconds(stack, 'p', Duration.minutes(token))).toThrow('S: p comes from a token in another unit than seconds');
    expect(Token.isUnresolved(wholeSeconds(stack, 'p', Duration.seconds(token)))).toBe(true);
    expect(() => wholeSeconds(stack, 'p', 60 as unknown as Duration)).toThrow('S: p must be a Duration, got 60');
  });

  test('literalMillis and literalBytes skip tokens and refuse what is not finite or whole', () => {
    expect(literalMillis(stack, 'd', Duration.seconds(1.5))).toBe(1500);
    expect(literalMillis(stack, 'd', Duration.seconds(token))).toBeUndefined();
    expect(() => literalMillis(stack, 'd', Duration.seconds(Infinity))).toThrow('S: d must be a finite duration, got Infinity ms');
    expect(literalBytes(stack, 's', Size.kibibytes(2))).toBe(2048);
    expect(literalBytes(stack, 's', Size.kibibytes(token))).toBeUndefined();
    expect(() => literalBytes(stack, 's', Size.bytes(1.5))).toThrow('S: s must be a whole number of bytes, got 1.5 bytes');
  });

  test('numberText keeps a token a token in a string; checkAtMost refuses NaN', () => {
    expect(numberText(3)).toBe('3');
    expect(numberText(token)).toMatch(/^\$\{Token\[/);
    expect(stack.resolve(`x ${numberText(token)}`)).toEqual({ 'Fn::Join': ['', ['x ', { Ref: 'P' }]] });
    expect(() => checkAtMost(stack, 'n', NaN, 10)).toThrow('S: n must be at most 10, got NaN');
  });

  test('describe never prints [object Object]', () => {
    expect(describeValue('a')).toBe("'a'");
    expect(describeValue([])).toBe('an empty list');
    expect(describeValue([1, 2])).toBe('a list of 2');
    expect(describeValue(stack)).toBe('a Stack');
    expect(describeValue(undefined)).toBe('undefined');
  });
});
