import * as glue from 'aws-cdk-lib/aws-glue';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';

/** Options of record format conversion. */
export interface RecordFormatConversionOptions {
  /**
   * How Firehose reads the JSON records.
   *
   * @default new firehose.OpenXJsonInputFormat()
   */
  readonly inputFormat?: firehose.IInputFormat;

  /**
   * Version of the Glue table's schema; `LATEST` follows the table as it changes.
   *
   * @default 'LATEST'
   */
  readonly versionId?: string;
}

/**
 * Conversion of JSON records to Apache Parquet or ORC with the schema of an AWS Glue table, before delivery to S3.
 * Requires a buffer of at least 64 MiB; the columnar format compresses (Snappy by default), so the S3 compression
 * option must be left unset. Records that do not match the schema go to the error prefix.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html
 */
export abstract class RecordFormatConversion {
  /**
   * Convert to Apache Parquet.
   *
   * @param table the Glue table whose columns are the schema of the records
   * @param options how JSON input is read and where the schema is looked up
   * @param parquet Parquet output settings (compression, block size and the like)
   */
  public static toParquet(
    table: glue.CfnTable,
    options: RecordFormatConversionOptions = {},
    parquet: firehose.ParquetOutputFormatProps = {},
  ): RecordFormatConversion {
    return new Conversion(table, options, new firehose.ParquetOutputFormat(parquet), 'PARQUET');
  }

  /**
   * Convert to Apache ORC.
   *
   * @param table the Glue table whose columns are the schema of the records
   * @param options how JSON input is read and where the schema is looked up
   * @param orc ORC output settings (compression, stripe size and the like)
   */
  public static toOrc(table: glue.CfnTable, options: RecordFormatConversionOptions = {}, orc: firehose.OrcOutputFormatProps = {}): RecordFormatConversion {
    return new Conversion(table, options, new firehose.OrcOutputFormat(orc), 'ORC');
  }

  /** PARQUET or ORC. */
  public abstract readonly format: string;

  /** The configuration for aws-cdk-lib's S3 destination. */
  public abstract render(): firehose.DataFormatConversionProps;
}

class Conversion extends RecordFormatConversion {
  constructor(
    private readonly table: glue.CfnTable,
    private readonly options: RecordFormatConversionOptions,
    private readonly output: firehose.IOutputFormat,
    public readonly format: string,
  ) {
    super();
  }

  public render(): firehose.DataFormatConversionProps {
    return {
      schemaConfiguration: firehose.SchemaConfiguration.fromCfnTable(this.table, { versionId: this.options.versionId }),
      inputFormat: this.options.inputFormat ?? new firehose.OpenXJsonInputFormat(),
      outputFormat: this.output,
    };
  }
}
