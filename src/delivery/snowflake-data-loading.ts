/** The record content column of the VARIANT loading options. */
export interface SnowflakeContentColumnOptions {
  /** The table's column, of type VARIANT, that takes each record's JSON whole. */
  readonly contentColumnName: string;
}

/** The record content and metadata columns of `SnowflakeDataLoading.variantContentAndMetadata`. */
export interface SnowflakeContentAndMetadataColumnOptions extends SnowflakeContentColumnOptions {
  /**
   * The table's column, of type VARIANT, that takes Firehose's metadata of each record: the delivery stream's name
   * and the ingestion time with direct PUT; the stream name, shard id, partition key, sequence and subsequence
   * numbers and the ingestion time with a Kinesis data stream source.
   */
  readonly metadataColumnName: string;
}

/** The columns of `SnowflakeDataLoading.of`, for a loading option the library does not know yet. */
export interface SnowflakeDataLoadingColumns {
  /**
   * The record content column, for the VARIANT options.
   *
   * @default - none
   */
  readonly contentColumnName?: string;

  /**
   * The record metadata column, for the VARIANT content and metadata option only.
   *
   * @default - none
   */
  readonly metadataColumnName?: string;
}

/**
 * How Firehose maps each record (a JSON object) onto the table's columns.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/create-destination.html#create-destination-snowflake
 */
export class SnowflakeDataLoading {
  /** `DataLoadingOption` of `jsonMapping()`. */
  public static readonly JSON_MAPPING = 'JSON_MAPPING';
  /** `DataLoadingOption` of `variantContent()`. */
  public static readonly VARIANT_CONTENT_MAPPING = 'VARIANT_CONTENT_MAPPING';
  /** `DataLoadingOption` of `variantContentAndMetadata()`. */
  public static readonly VARIANT_CONTENT_AND_METADATA_MAPPING = 'VARIANT_CONTENT_AND_METADATA_MAPPING';

  /**
   * Each top-level key of a record goes to the column of the same name (Snowflake resolves the names as it does
   * unquoted identifiers); keys without a column are dropped, and a record that is not a JSON object fails.
   */
  public static jsonMapping(): SnowflakeDataLoading {
    return new SnowflakeDataLoading(SnowflakeDataLoading.JSON_MAPPING);
  }

  /**
   * The whole record goes into one VARIANT column: the table's shape does not follow the records' fields.
   *
   * @param options the content column
   */
  public static variantContent(options: SnowflakeContentColumnOptions): SnowflakeDataLoading {
    return new SnowflakeDataLoading(SnowflakeDataLoading.VARIANT_CONTENT_MAPPING, options?.contentColumnName);
  }

  /**
   * The whole record into one VARIANT column and Firehose's metadata of it (source, shard, sequence number,
   * ingestion time) into another.
   *
   * @param options the content and metadata columns
   */
  public static variantContentAndMetadata(options: SnowflakeContentAndMetadataColumnOptions): SnowflakeDataLoading {
    return new SnowflakeDataLoading(SnowflakeDataLoading.VARIANT_CONTENT_AND_METADATA_MAPPING, options?.contentColumnName, options?.metadataColumnName);
  }

  /**
   * An option by its `DataLoadingOption` name, as an escape hatch for options the library does not know yet. The
   * columns are checked against the known options: a content column only with the VARIANT options, a metadata
   * column only with the content and metadata option.
   *
   * @param option the `DataLoadingOption` value, e.g. `VARIANT_CONTENT_MAPPING`
   * @param columns the content and metadata columns the option needs
   */
  public static of(option: string, columns: SnowflakeDataLoadingColumns = {}): SnowflakeDataLoading {
    return new SnowflakeDataLoading(option, columns.contentColumnName, columns.metadataColumnName);
  }

  /** The `DataLoadingOption`. */
  public readonly option: string;
  /** The record content column, for the VARIANT options. */
  public readonly contentColumnName?: string;
  /** The record metadata column, for the content and metadata option. */
  public readonly metadataColumnName?: string;

  private constructor(option: string, contentColumnName?: string, metadataColumnName?: string) {
    this.option = option;
    this.contentColumnName = contentColumnName;
    this.metadataColumnName = metadataColumnName;
  }
}
