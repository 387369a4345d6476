import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IDependable } from 'constructs';
import { RedshiftLimits } from '../validation/limits';
import { checkInteger, checkRange, fail, RuleScope } from '../validation/rules';

/**
 * How the COPY command reads the staged files: the layout of the records Firehose (or the transform) wrote.
 *
 * @see https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-format.html
 */
export abstract class RedshiftDataFormat {
  /**
   * JSON records whose keys match the column names (`JSON 'auto'`), case-sensitively unless `ignoreCase`.
   *
   * @param ignoreCase match keys to column names regardless of case (`JSON 'auto ignorecase'`)
   */
  public static jsonAuto(ignoreCase: boolean = false): RedshiftDataFormat {
    return new FixedFormat(ignoreCase ? 'JSON \'auto ignorecase\'' : 'JSON \'auto\'');
  }

  /**
   * JSON records mapped to the columns by a JSONPaths file; the delivery role is granted read access to the object.
   *
   * @see https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-json.html
   *
   * @param bucket the bucket that holds the JSONPaths file
   * @param key the object key of the JSONPaths file
   */
  public static jsonPaths(bucket: s3.IBucket, key: string): RedshiftDataFormat {
    return new JsonPathsFormat(bucket, key);
  }

  /**
   * CSV records (RFC 4180 quoting).
   *
   * @param delimiter one character between fields (default ',')
   * @param quote one character that quotes fields (default '"')
   */
  public static csv(delimiter?: string, quote?: string): RedshiftDataFormat {
    return new CsvFormat(delimiter, quote);
  }

  /**
   * Text records whose fields are separated by one character, e.g. '|'.
   *
   * @param delimiter the one character between fields
   */
  public static delimited(delimiter: string): RedshiftDataFormat {
    return new DelimitedFormat(delimiter);
  }

  /**
   * The options as they appear in the COPY command, after checking them.
   * @internal
   */
  public abstract _render(scope: string): string;

  /**
   * Grants the delivery role what the COPY command reads besides the staged files.
   * @internal
   */
  public _bind(_role: iam.IRole): IDependable | undefined {
    return undefined;
  }
}

function checkChar(scope: RuleScope, what: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (value.length !== 1 || value === '\'' || value === '\\') {
    fail(scope, `${what} must be one character other than a single quote or a backslash, got '${value}'`);
  }
}

class FixedFormat extends RedshiftDataFormat {
  constructor(private readonly text: string) {
    super();
  }

  public _render(): string {
    return this.text;
  }
}

class JsonPathsFormat extends RedshiftDataFormat {
  constructor(private readonly bucket: s3.IBucket, private readonly key: string) {
    super();
  }

  public _render(scope: string): string {
    if (!Token.isUnresolved(this.key) && (this.key.length === 0 || this.key.includes('\''))) {
      fail(scope, `RedshiftDataFormat.jsonPaths key must be a non-empty object key without single quotes, got '${this.key}'`);
    }
    return `JSON 's3://${this.bucket.bucketName}/${this.key}'`;
  }

  public _bind(role: iam.IRole): IDependable {
    return this.bucket.grantRead(role, this.key);
  }
}

class CsvFormat extends RedshiftDataFormat {
  constructor(private readonly delimiter?: string, private readonly quote?: string) {
    super();
  }

  public _render(scope: string): string {
    checkChar(scope, 'RedshiftDataFormat.csv delimiter', this.delimiter);
    checkChar(scope, 'RedshiftDataFormat.csv quote', this.quote);
    return ['CSV', this.delimiter !== undefined ? `DELIMITER AS '${this.delimiter}'` : '', this.quote !== undefined ? `QUOTE AS '${this.quote}'` : '']
      .filter((p) => p.length > 0).join(' ');
  }
}

class DelimitedFormat extends RedshiftDataFormat {
  constructor(private readonly delimiter: string) {
    super();
  }

  public _render(scope: string): string {
    checkChar(scope, 'RedshiftDataFormat.delimited delimiter', this.delimiter);
    return `DELIMITER '${this.delimiter}'`;
  }
}

/**
 * How COPY reads date or timestamp values: `'auto'` recognises the common layouts; a format string such as
 * `'YYYY-MM-DD'` names one.
 *
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_DATEFORMAT_and_TIMEFORMAT_strings.html
 */
export class RedshiftTimeFormat {
  /** Recognise the common layouts. */
  public static readonly AUTO = new RedshiftTimeFormat('auto');
  /** Seconds since the epoch (TIMEFORMAT only). */
  public static readonly EPOCH_SECONDS = new RedshiftTimeFormat('epochsecs');
  /** Milliseconds since the epoch (TIMEFORMAT only). */
  public static readonly EPOCH_MILLISECONDS = new RedshiftTimeFormat('epochmillisecs');

  /**
   * A format string, e.g. `'YYYY-MM-DD HH:MI:SS'`.
   *
   * @param format a Redshift time format string
   */
  public static of(format: string): RedshiftTimeFormat {
    return new RedshiftTimeFormat(format);
  }

  /** The format as the COPY command's TIMEFORMAT and DATEFORMAT parameters take it. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/** Typed options of the COPY command. */
export interface RedshiftCopyOptionsProps {
  /**
   * Layout of the staged records.
   *
   * @default RedshiftDataFormat.jsonAuto()
   */
  readonly dataFormat?: RedshiftDataFormat;

  /**
   * How DATE values are read (`DATEFORMAT`). Epoch formats apply to TIMEFORMAT only.
   *
   * @default - Redshift's default, 'YYYY-MM-DD'
   */
  readonly dateFormat?: RedshiftTimeFormat;

  /**
   * How TIMESTAMP values are read (`TIMEFORMAT`).
   *
   * @default - Redshift's default, 'YYYY-MM-DD HH:MI:SS'
   */
  readonly timeFormat?: RedshiftTimeFormat;

  /** Truncate strings longer than their column instead of failing the load (`TRUNCATECOLUMNS`). @default false */
  readonly truncateColumns?: boolean;

  /** Load fields of only white space as NULL (`BLANKSASNULL`). @default false */
  readonly blanksAsNull?: boolean;

  /** Load empty CHAR and VARCHAR fields as NULL (`EMPTYASNULL`). @default false */
  readonly emptyAsNull?: boolean;

  /**
   * Replace invalid UTF-8 characters with this character instead of failing the load (`ACCEPTINVCHARS AS`).
   *
   * @default - invalid characters fail the load
   */
  readonly invalidCharReplacement?: string;

  /**
   * Errors the load tolerates before it fails (`MAXERROR`); rejected rows are in `STL_LOAD_ERRORS`.
   *
   * Minimum: 0. Maximum: 100000.
   *
   * @default - Redshift's default, 0
   */
  readonly maxErrors?: number;

  /**
   * Further COPY parameters, as written in the COPY command (e.g. `'ROUNDEC'`, `'TIMEFORMAT AS ...'`). Checked only
   * for the parameters Firehose supplies itself and the compression, which this construct derives.
   *
   * @default - none
   */
  readonly extraOptions?: string[];
}

/** Parameters Firehose writes into the COPY command itself; a second copy breaks the statement. */
const FIREHOSE_PARAMETERS = ['MANIFEST', 'CREDENTIALS', 'IAM_ROLE', 'ACCESS_KEY_ID', 'SECRET_ACCESS_KEY', 'SESSION_TOKEN'];
/** Compression parameters of COPY; this construct renders the one that matches the staged files. */
const COMPRESSION_PARAMETERS = ['GZIP', 'BZIP2', 'LZOP', 'ZSTD'];

/**
 * The options of the COPY command Firehose runs on each batch of staged files: typed (`RedshiftCopyOptions.of`) or,
 * as an escape hatch, raw text (`RedshiftCopyOptions.raw`). The compression parameter (`GZIP`) is added to match the
 * staged files; the parameters Firehose supplies (MANIFEST, CREDENTIALS) are refused.
 *
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_COPY.html
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_CopyCommand.html
 */
export abstract class RedshiftCopyOptions {
  /**
   * Typed options.
   *
   * @param props the data format, time format, compression and other COPY options
   */
  public static of(props: RedshiftCopyOptionsProps = {}): RedshiftCopyOptions {
    return new TypedCopyOptions(props);
  }

  /**
   * Raw COPY parameters, e.g. `"JSON 'auto' TRUNCATECOLUMNS"`, for what the typed options do not cover.
   *
   * @param options COPY parameters as Redshift reads them, after `FROM ... CREDENTIALS ...`
   */
  public static raw(options: string): RedshiftCopyOptions {
    return new RawCopyOptions(options);
  }

  /**
   * The parameters, without compression, after checking them.
   * @internal
   */
  public abstract _renderParameters(scope: string): string[];

  /**
   * Grants the delivery role what the options make COPY read.
   * @internal
   */
  public abstract _bind(role: iam.IRole): IDependable | undefined;

  /**
   * The complete `CopyOptions` text for staged files compressed with `gzip` or not at all.
   * @internal
   */
  public _render(scope: string, gzip: boolean): string {
    const parameters = this._renderParameters(scope);
    const text = parameters.join(' ');
    // A parameter with a token (the bucket of a JSONPaths file created in the app) is checked without its token part.
    const shown = parameters.map((p) => (Token.isUnresolved(p) ? p.replace(/\$\{Token\[[^\]]*\]\}/g, '<deploy-time value>') : p)).join(' ');
    const words = new Set(shown.toUpperCase().replace(/'[^']*'/g, ' ').replace(/<DEPLOY-TIME VALUE>/g, ' ').split(/[\s,()]+/));
    const supplied = FIREHOSE_PARAMETERS.find((p) => words.has(p));
    if (supplied) fail(scope, `copy options may not contain ${supplied}: Firehose adds it to the COPY command itself, got '${shown}'`);
    const compression = COMPRESSION_PARAMETERS.find((p) => words.has(p));
    if (compression) {
      fail(scope, `copy options may not contain ${compression}: the COPY compression is derived from the staged files' compression ` +
        `(${gzip ? 'GZIP' : 'UNCOMPRESSED'}); set compression instead, got '${shown}'`);
    }
    return gzip ? [...parameters, 'GZIP'].join(' ') : text;
  }
}

class TypedCopyOptions extends RedshiftCopyOptions {
  private readonly format: RedshiftDataFormat;

  constructor(private readonly props: RedshiftCopyOptionsProps) {
    super();
    this.format = props.dataFormat ?? RedshiftDataFormat.jsonAuto();
  }

  public _renderParameters(scope: string): string[] {
    const p = this.props;
    const parameters = [this.format._render(scope)];
    if (p.dateFormat) {
      if (p.dateFormat === RedshiftTimeFormat.EPOCH_SECONDS || p.dateFormat === RedshiftTimeFormat.EPOCH_MILLISECONDS) {
        fail(scope, `dateFormat '${p.dateFormat.value}' is a TIMEFORMAT; DATEFORMAT accepts 'auto' or a format string`);
      }
      parameters.push(`DATEFORMAT AS '${quoted(scope, 'dateFormat', p.dateFormat.value)}'`);
    }
    if (p.timeFormat) parameters.push(`TIMEFORMAT AS '${quoted(scope, 'timeFormat', p.timeFormat.value)}'`);
    if (p.truncateColumns) parameters.push('TRUNCATECOLUMNS');
    if (p.blanksAsNull) parameters.push('BLANKSASNULL');
    if (p.emptyAsNull) parameters.push('EMPTYASNULL');
    if (p.invalidCharReplacement !== undefined) {
      checkChar(scope, 'invalidCharReplacement', p.invalidCharReplacement);
      parameters.push(`ACCEPTINVCHARS AS '${p.invalidCharReplacement}'`);
    }
    if (p.maxErrors !== undefined) {
      checkInteger(scope, 'maxErrors', p.maxErrors);
      checkRange(scope, 'maxErrors', p.maxErrors, 0, RedshiftLimits.MAX_COPY_MAX_ERROR);
      parameters.push(`MAXERROR AS ${p.maxErrors}`);
    }
    for (const extra of p.extraOptions ?? []) {
      if (!Token.isUnresolved(extra) && extra.trim().length === 0) fail(scope, 'extraOptions entries may not be empty');
      parameters.push(extra.trim());
    }
    return parameters;
  }

  public _bind(role: iam.IRole): IDependable | undefined {
    return this.format._bind(role);
  }
}

class RawCopyOptions extends RedshiftCopyOptions {
  constructor(private readonly options: string) {
    super();
  }

  public _renderParameters(): string[] {
    const trimmed = Token.isUnresolved(this.options) ? this.options : this.options.trim();
    return trimmed.length > 0 ? [trimmed] : [];
  }

  public _bind(): IDependable | undefined {
    return undefined;
  }
}

function quoted(scope: RuleScope, what: string, value: string): string {
  if (!Token.isUnresolved(value) && (value.length === 0 || value.includes('\''))) {
    fail(scope, `${what} must be a non-empty format without single quotes, got '${value}'`);
  }
  return value;
}
