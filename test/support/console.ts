/**
 * What a block writes to `console.error`, for tests of code paths that report there on purpose: aws-cdk-lib's
 * CloudFormation validation of a value its schema does not know yet (an `of()` escape hatch), a policy validation
 * plugin's report, a handler's failure log. The test asserts the report instead of printing it.
 */
export function consoleErrorOf<T>(fn: () => T): { result: T; output: string } {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const result = fn();
    return { result, output: spy.mock.calls.map((args) => args.map(String).join(' ')).join('\n') };
  } finally {
    spy.mockRestore();
  }
}

/** The same for an async block. */
export async function consoleErrorOfAsync<T>(fn: () => Promise<T>): Promise<{ result: T; output: string }> {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const result = await fn();
    return { result, output: spy.mock.calls.map((args) => args.map(String).join(' ')).join('\n') };
  } finally {
    spy.mockRestore();
  }
}
