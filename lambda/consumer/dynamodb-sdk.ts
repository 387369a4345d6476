/**
 * The DynamoDB SDK modules, loaded on first use: importing `cdk-kinesis-patterns/consumer` needs no DynamoDB package,
 * only creating a `DynamoDbCheckpointStore` (`@aws-sdk/client-dynamodb`) or a `DynamoDbSink` (that and
 * `@aws-sdk/lib-dynamodb`) does. The Lambda Node.js runtime provides both; elsewhere, install them to use these.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

export type DynamoDbClientModule = typeof import('@aws-sdk/client-dynamodb');
export type DynamoDbDocumentModule = typeof import('@aws-sdk/lib-dynamodb');

export function dynamoDbClientModule(): DynamoDbClientModule {
  return load('@aws-sdk/client-dynamodb', () => require('@aws-sdk/client-dynamodb'));
}

export function dynamoDbDocumentModule(): DynamoDbDocumentModule {
  return load('@aws-sdk/lib-dynamodb', () => require('@aws-sdk/lib-dynamodb'));
}

function load<T>(name: string, requireIt: () => T): T {
  try {
    return requireIt();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(`${name} is not installed: the DynamoDB checkpoints and sink of cdk-kinesis-patterns/consumer need it ` +
      `(the Lambda Node.js runtime provides it; elsewhere run \`npm install ${name}\`)`, { cause: error });
  }
}
