import type { FilterConfig, FilterOperator } from '../contracts/transform-config';

/**
 * A condition the bundled transform checks on each JSON record: a record is delivered only when every filter holds,
 * and is otherwise answered `Dropped` (Firehose counts it as processed and writes nothing).
 *
 * Fields are dotted paths (`detail.level`); values are compared with strict equality, so `'1'` does not match `1`.
 * Values must be strings, numbers, booleans or null.
 */
export class RecordFilter {
  /**
   * Keep records whose `field` equals `value`.
   *
   * @param field dotted path of the field, e.g. `detail.level`
   * @param value the value the field must equal (string, number, boolean or null)
   */
  public static fieldEquals(field: string, value: any): RecordFilter {
    return new RecordFilter(field, 'equals', [value]);
  }

  /**
   * Keep records whose `field` differs from `value` (a missing field differs from every value).
   *
   * @param field dotted path of the field, e.g. `detail.level`
   * @param value the value the field must differ from (string, number, boolean or null)
   */
  public static fieldNotEquals(field: string, value: any): RecordFilter {
    return new RecordFilter(field, 'notEquals', [value]);
  }

  /**
   * Keep records whose `field` equals one of `values`.
   *
   * @param field dotted path of the field, e.g. `detail.level`
   * @param values the values one of which the field must equal (at least one)
   */
  public static fieldIn(field: string, values: any[]): RecordFilter {
    return new RecordFilter(field, 'in', values);
  }

  /**
   * Keep records whose `field` equals none of `values`.
   *
   * @param field dotted path of the field, e.g. `detail.level`
   * @param values the values the field must equal none of (at least one)
   */
  public static fieldNotIn(field: string, values: any[]): RecordFilter {
    return new RecordFilter(field, 'notIn', values);
  }

  /**
   * Keep records that have `field` (null counts as present).
   *
   * @param field dotted path of the field, e.g. `detail.level`
   */
  public static fieldExists(field: string): RecordFilter {
    return new RecordFilter(field, 'exists', []);
  }

  /**
   * Keep records that do not have `field`.
   *
   * @param field dotted path of the field, e.g. `detail.level`
   */
  public static fieldNotExists(field: string): RecordFilter {
    return new RecordFilter(field, 'notExists', []);
  }

  /** Dotted path of the field the filter reads. */
  public readonly field: string;
  /**
   * How the field is compared: equals, notEquals, in, notIn, exists or notExists.
   *
   * Named `comparison` rather than `operator`, which is a reserved word in C#.
   */
  public readonly comparison: string;
  /** The values the field is compared with. */
  public readonly values: any[];

  private constructor(field: string, comparison: FilterOperator, values: any[]) {
    this.field = field;
    this.comparison = comparison;
    this.values = values;
  }

  /** @internal */
  public _render(): FilterConfig {
    return { field: this.field, operator: this.comparison as FilterOperator, values: this.values };
  }
}
