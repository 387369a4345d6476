/**
 * Dotted field paths (`detail.user.id`), split once when the transform is compiled rather than on every record.
 */

/** A compiled dotted path. */
export type FieldPath = readonly string[];

/** Splits `a.b.c` into its segments; an empty segment is a configuration error. */
export function compilePath(path: string): FieldPath {
  const segments = path.split('.');
  if (segments.some((s) => s.length === 0)) throw new Error(`invalid field path '${path}': empty segment`);
  return segments;
}

/** The value at `path` in `value`, or undefined when any step is missing or not an object. */
export function resolvePath(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (let i = 0; i < path.length; i++) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[path[i]];
  }
  return current;
}

/** Whether `value` is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
