import type { FilterConfig, FilterOperator } from '../contracts/transform-config';

/**
 * A condition the bundled transform checks on each JSON record: a record is delivered only when every filter holds,
 * and is otherwise answered `Dropped` (Firehose counts it as processed and writes nothing).
 *
 * Fields are dotted paths (`detail.level`); values are compared with strict equality, so `'1'` does not match `1`.
 * Values must be strings, numbers, booleans or null.
 */
export class RecordFilter {
  /** Keep records whose `field` equals `value`. */
  public static fieldEquals(field: string, value: any): RecordFilter {
    return new RecordFilter(field, 'equals', [value]);
  }

  /** Keep records whose `field` differs from `value` (a missing field differs from every value). */
  public static fieldNotEquals(field: string, value: any): RecordFilter {
    return new RecordFilter(field, 'notEquals', [value]);
  }

  /** Keep records whose `field` equals one of `values`. */
  public static fieldIn(field: string, values: any[]): RecordFilter {
    return new RecordFilter(field, 'in', values);
  }

  /** Keep records whose `field` equals none of `values`. */
  public static fieldNotIn(field: string, values: any[]): RecordFilter {
    return new RecordFilter(field, 'notIn', values);
  }

  /** Keep records that have `field` (null counts as present). */
  public static fieldExists(field: string): RecordFilter {
    return new RecordFilter(field, 'exists', []);
  }

  /** Keep records that do not have `field`. */
  public static fieldNotExists(field: string): RecordFilter {
    return new RecordFilter(field, 'notExists', []);
  }

  /** Dotted path of the field the filter reads. */
  public readonly field: string;
  /** How the field is compared: equals, notEquals, in, notIn, exists or notExists. */
  public readonly operator: string;
  /** The values the field is compared with. */
  public readonly values: any[];

  private constructor(field: string, operator: FilterOperator, values: any[]) {
    this.field = field;
    this.operator = operator;
    this.values = values;
  }

  /** @internal */
  public _render(): FilterConfig {
    return { field: this.field, operator: this.operator as FilterOperator, values: this.values };
  }
}
