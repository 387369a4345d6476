import { Stack, Token } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BufferingConstraints } from './helpers';
import { FirehoseLimits, SnowflakeLimits } from '../../validation/limits';
import { fail, warn } from '../../validation/rules';
import { SnowflakeDataLoading } from '../snowflake-data-loading';
import type { SnowflakeDeliveryStreamProps } from '../snowflake-delivery-stream';

/** What the Snowflake rules read of the props (a type-only import: no cycle at run time). */
export type SnowflakeRuleProps = Pick<SnowflakeDeliveryStreamProps,
'accountUrl' | 'secret' | 'database' | 'schema' | 'table' | 'snowflakeRole' | 'privateLinkVpceId'>;

/** Snowflake's buffering range and defaults (1 MiB and zero buffering), not S3's. */
export function snowflakeBufferingConstraints(): BufferingConstraints {
  return {
    minSizeMiB: FirehoseLimits.MIN_BUFFER_SIZE_MIB,
    maxSizeMiB: SnowflakeLimits.MAX_BUFFER_SIZE_MIB,
    defaultSizeMiB: SnowflakeLimits.DEFAULT_BUFFER_SIZE_MIB,
    minIntervalSeconds: FirehoseLimits.MIN_BUFFER_INTERVAL_SECONDS,
    maxIntervalSeconds: SnowflakeLimits.MAX_BUFFER_INTERVAL_SECONDS,
    defaultIntervalSeconds: SnowflakeLimits.DEFAULT_BUFFER_INTERVAL_SECONDS,
  };
}

// `AccountUrl` must match `.+?\.snowflakecomputing\.com` (the protocol and port are optional); only TLS is accepted.
const ACCOUNT_URL = /^(https:\/\/)?[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?(\.[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)*\.snowflakecomputing\.com(:\d{1,5})?\/?$/;
const PRIVATE_LINK_URL = /\.privatelink\.snowflakecomputing\.com(:\d{1,5})?\/?$/i;
// The API's pattern of `PrivateLinkVpceId`.
const VPCE_ID = /^([a-zA-Z0-9\-_]+\.){2,3}vpce\.[a-zA-Z0-9-]*\.vpce-svc-[a-zA-Z0-9-]{17}$/;
// Snowflake identifiers: unquoted (case-insensitive, stored in upper case), or any characters in double quotes.
const UNQUOTED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const QUOTED_IDENTIFIER = /^"(?:[^"]|"")+"$/;

/** Every synth-time rule of `SnowflakeDeliveryStream`; tokens are passed through. */
export function checkSnowflakeProps(scope: Construct, props: SnowflakeRuleProps, dataLoading: SnowflakeDataLoading): void {
  const path = scope.node.path;
  checkAccountUrl(path, props.accountUrl);
  checkIdentifier(path, 'database', props.database);
  checkIdentifier(path, 'schema', props.schema);
  checkIdentifier(path, 'table', props.table);
  if (props.snowflakeRole !== undefined) checkIdentifier(path, 'snowflakeRole', props.snowflakeRole);
  checkDataLoading(path, dataLoading);
  checkPrivateLink(scope, props.privateLinkVpceId, props.accountUrl);
  checkNoKeyInTemplate(scope, props.secret);
}

function checkAccountUrl(path: string, url: string): void {
  if (Token.isUnresolved(url)) return;
  const { MIN_ACCOUNT_URL_LENGTH: min, MAX_ACCOUNT_URL_LENGTH: max } = SnowflakeLimits;
  if (typeof url !== 'string' || url.length < min || url.length > max || !ACCOUNT_URL.test(url)) {
    fail(path, 'accountUrl must be https://<account>.snowflakecomputing.com, or https://<account>.privatelink.snowflakecomputing.com ' +
      `with PrivateLink (${min} to ${max} characters; Firehose connects over TLS only), got '${url}'`);
  }
}

/** A database, schema, table, role or column name, as Snowflake's identifier rules and Firehose's length allow. */
export function checkIdentifier(path: string, what: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  const max = SnowflakeLimits.MAX_IDENTIFIER_LENGTH;
  if (typeof value !== 'string' || value.length < 1 || value.length > max || !(UNQUOTED_IDENTIFIER.test(value) || QUOTED_IDENTIFIER.test(value))) {
    fail(path, `${what} must be a Snowflake identifier of 1 to ${max} characters: a letter or _ followed by letters, digits, _ or $, ` +
      `or any text in double quotes (with "" for a quote), got '${value}'`);
  }
}

function checkDataLoading(path: string, loading: SnowflakeDataLoading): void {
  const { option, contentColumnName: content, metadataColumnName: metadata } = loading;
  if (content !== undefined) checkIdentifier(path, 'dataLoading.contentColumnName', content);
  if (metadata !== undefined) checkIdentifier(path, 'dataLoading.metadataColumnName', metadata);
  if (Token.isUnresolved(option)) return;
  if (option === SnowflakeDataLoading.JSON_MAPPING && (content !== undefined || metadata !== undefined)) {
    fail(path, `dataLoading ${option} maps the records' keys onto the columns and takes no content or metadata column, got ` +
      `${[content && `contentColumnName '${content}'`, metadata && `metadataColumnName '${metadata}'`].filter(Boolean).join(' and ')}: ` +
      'use SnowflakeDataLoading.variantContent() or variantContentAndMetadata() to load records into a VARIANT column');
  }
  const variant = option === SnowflakeDataLoading.VARIANT_CONTENT_MAPPING || option === SnowflakeDataLoading.VARIANT_CONTENT_AND_METADATA_MAPPING;
  if (variant && (content === undefined || content === '')) {
    fail(path, `dataLoading ${option} needs contentColumnName, the VARIANT column that takes each record, got none`);
  }
  if (option === SnowflakeDataLoading.VARIANT_CONTENT_MAPPING && metadata !== undefined) {
    fail(path, `dataLoading.metadataColumnName '${metadata}' is loaded only with ${SnowflakeDataLoading.VARIANT_CONTENT_AND_METADATA_MAPPING}, ` +
      `got ${option}: use SnowflakeDataLoading.variantContentAndMetadata(), or leave the metadata column out`);
  }
  if (option === SnowflakeDataLoading.VARIANT_CONTENT_AND_METADATA_MAPPING) {
    if (metadata === undefined || metadata === '') {
      fail(path, `dataLoading ${option} needs metadataColumnName, the VARIANT column that takes Firehose's metadata of each record, got none`);
    }
    if (!Token.isUnresolved(metadata) && !Token.isUnresolved(content) && normalizeIdentifier(metadata) === normalizeIdentifier(content!)) {
      fail(path, `dataLoading.metadataColumnName and contentColumnName must be two columns, got '${content}' for both`);
    }
  }
}

/** Unquoted identifiers resolve in upper case; quoted ones as written. */
function normalizeIdentifier(name: string): string {
  return QUOTED_IDENTIFIER.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name.toUpperCase();
}

function checkPrivateLink(scope: Construct, vpceId: string | undefined, accountUrl: string): void {
  const path = scope.node.path;
  const urlKnown = !Token.isUnresolved(accountUrl);
  if (vpceId === undefined) {
    if (urlKnown && PRIVATE_LINK_URL.test(accountUrl)) {
      warn(scope, 'SnowflakePrivateLinkWithoutEndpoint', `accountUrl '${accountUrl}' is the account's PrivateLink URL, but privateLinkVpceId is not ` +
        'set: Firehose then resolves it over the internet and cannot connect. Give privateLinkVpceId (SYSTEM$GET_PRIVATELINK_CONFIG() returns it), ' +
        'or use the public account URL');
    }
    return;
  }
  if (Token.isUnresolved(vpceId)) return;
  const { MIN_PRIVATE_LINK_VPCE_ID_LENGTH: min, MAX_PRIVATE_LINK_VPCE_ID_LENGTH: max } = SnowflakeLimits;
  if (vpceId.length < min || vpceId.length > max || !VPCE_ID.test(vpceId)) {
    fail(path, 'privateLinkVpceId must be the endpoint service of the account\'s PrivateLink, com.amazonaws.vpce.<region>.vpce-svc-<17 characters> ' +
      `(${min} to ${max} characters; SYSTEM$GET_PRIVATELINK_CONFIG() returns it as privatelink-vpce-id), got '${vpceId}'`);
  }
  const vpceRegion = /vpce\.([a-zA-Z0-9-]+)\.vpce-svc-/.exec(vpceId)?.[1];
  const region = Stack.of(scope).region;
  if (vpceRegion && !Token.isUnresolved(region) && vpceRegion !== region) {
    fail(path, `privateLinkVpceId '${vpceId}' is an endpoint service in ${vpceRegion}, but the delivery stream is in ${region}: PrivateLink ` +
      'connects within one Region, so deliver from the Snowflake account\'s Region or use its public URL');
  }
  if (urlKnown && !PRIVATE_LINK_URL.test(accountUrl)) {
    warn(scope, 'SnowflakePrivateLinkUrl', `privateLinkVpceId is set but accountUrl '${accountUrl}' is not the account's PrivateLink URL ` +
      '(<account>.privatelink.snowflakecomputing.com): Firehose reaches the account through the endpoint only with that URL');
  }
}

/**
 * The private key must stay out of the template: a secret created in the stack with a literal `private_key` as long
 * as a real key (a placeholder the user replaces is fine) is refused.
 */
function checkNoKeyInTemplate(scope: Construct, secret: secretsmanager.ISecret): void {
  const cfn = secret.node.defaultChild;
  if (!(cfn instanceof secretsmanager.CfnSecret)) return;
  const stack = Stack.of(cfn);
  const template = cfn.generateSecretString && !Token.isUnresolved(cfn.generateSecretString)
    ? stack.resolve((cfn.generateSecretString as secretsmanager.CfnSecret.GenerateSecretStringProperty).secretStringTemplate) : undefined;
  for (const text of [flatten(stack.resolve(cfn.secretString)), flatten(template)]) {
    const key = /"private_key"\s*:\s*"([^"]*)"/.exec(text)?.[1];
    if (key !== undefined && key.length >= SnowflakeLimits.MIN_PRIVATE_KEY_LENGTH) {
      fail(scope.node.path, `secret ${secret.node.path} holds a literal private_key of ${key.length} characters, which would be written into the ` +
        'template: create the secret with a placeholder and put the key into it with the Secrets Manager API or console, or import an existing secret ' +
        '(Secret.fromSecretCompleteArn)');
    }
  }
}

/** The literal text of a resolved template value; references become `<ref>`, so that only literals can match. */
function flatten(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flatten).join('');
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(flatten).join(join[0]);
  return '<ref>';
}
