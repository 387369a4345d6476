import { CONSUMER_ENVIRONMENT, consumerOptionsFromEnvironment, DynamoDbCheckpointStore } from '../../../lambda/consumer';

test('reads strict mode, key concurrency and the checkpoint table', () => {
  const options = consumerOptionsFromEnvironment(undefined, {
    [CONSUMER_ENVIRONMENT.STRICT]: 'true',
    [CONSUMER_ENVIRONMENT.KEY_CONCURRENCY]: '4',
    [CONSUMER_ENVIRONMENT.CHECKPOINT_TABLE]: 'table',
  });
  expect(options.strict).toBe(true);
  expect(options.keyConcurrency).toBe(4);
  expect(options.checkpoints).toBeInstanceOf(DynamoDbCheckpointStore);
});

test('defaults: not strict, default concurrency, no idempotency', () => {
  expect(consumerOptionsFromEnvironment(undefined, {})).toEqual({ strict: false, keyConcurrency: undefined, checkpoints: undefined });
});

test.each([
  [CONSUMER_ENVIRONMENT.STRICT, 'yes', /CONSUMER_STRICT must be 'true' or 'false', got 'yes'/],
  [CONSUMER_ENVIRONMENT.KEY_CONCURRENCY, '0', /CONSUMER_KEY_CONCURRENCY must be a whole number of at least 1, got '0'/],
  [CONSUMER_ENVIRONMENT.KEY_CONCURRENCY, '2.5', /got '2.5'/],
])('rejects %s=%s', (name, value, message) => {
  expect(() => consumerOptionsFromEnvironment(undefined, { [name]: value })).toThrow(message);
});
