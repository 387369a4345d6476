/**
 * What a block writes to `console.error`, for tests of code paths that report there on purpose: aws-cdk-lib's
 * CloudFormation validation of a value its schema does not know yet (an `of()` escape hatch), a policy validation
 * plugin's report, a handler's failure log. The test asserts the report instead of printing it.
 */
function capture(): { text: () => string; restore: () => void } {
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  return { text: () => spy.mock.calls.map((args) => args.map(String).join(' ')).join('\n'), restore: () => spy.mockRestore() };
}

export function consoleErrorOf<T>(fn: () => T): { result: T; output: string } {
  const captured = capture();
  try {
    return { result: fn(), output: captured.text() };
  } finally {
    captured.restore();
  }
}

/** The same for an async block: the capture lasts until its promise settles. */
export async function consoleErrorOfAsync<T>(fn: () => Promise<T>): Promise<{ result: T; output: string }> {
  const captured = capture();
  try {
    return { result: await fn(), output: captured.text() };
  } finally {
    captured.restore();
  }
}
