/**
 * The `metadata` member of an Ok response entry (dynamic partition keys, Iceberg routing), sized once.
 *
 * The response must stay within its byte budget, so every entry's JSON is sized as it is added. Records of a batch
 * usually share a handful of partition-key combinations: the bundled transform keeps one `EntryMetadata` per
 * combination (`EntryMetadataCache`), so that the response holds one shared, frozen object per combination instead of
 * two objects per record that live until the function returns (copying those out of the young generation was a large
 * part of the garbage collector's work on a large batch), and the sizing is done once per combination, not per record.
 */

/** `,"metadata":{` + members + `}`, without the members. */
const METADATA_BYTES = ',"metadata":{}'.length;
/** `"partitionKeys":` before the keys. */
const PARTITION_KEYS_BYTES = '"partitionKeys":'.length;
/** `"otfMetadata":` before the routing (after a comma when partition keys come first). */
const OTF_METADATA_BYTES = '"otfMetadata":'.length;

/** Characters JSON.stringify leaves as they are: printable ASCII except the quote and the backslash. */
const PLAIN_JSON = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * Bytes of `JSON.stringify(s)`. Record ids and partition keys are almost always plain ASCII, whose JSON is the text
 * in quotes, so the serialization is only done for the others.
 */
function jsonStringBytes(s: string): number {
  return PLAIN_JSON.test(s) ? s.length + 2 : Buffer.byteLength(JSON.stringify(s), 'utf8');
}

/** Bytes of `JSON.stringify(o)` for an object of strings: `{"k":"v","k2":"v2"}`. */
function jsonObjectBytes(o: Readonly<Record<string, string>>): number {
  let bytes = 2;
  let first = true;
  for (const key in o) {
    bytes += (first ? 0 : 1) + jsonStringBytes(key) + 1 + jsonStringBytes(o[key]);
    first = false;
  }
  return bytes;
}

/** What an entry's `metadata` holds. */
export interface EntryMetadataJson {
  readonly partitionKeys?: Readonly<Record<string, string>>;
  readonly otfMetadata?: Readonly<Record<string, string>>;
}

/** An entry's `metadata` and the bytes it adds to the entry's JSON. */
export class EntryMetadata {
  /** The object the response entry carries as `metadata`. */
  public readonly json: EntryMetadataJson;
  /** Bytes of `,"metadata":` and its JSON. */
  public readonly bytes: number;

  /**
   * @param partitionKeys partition keys, already checked (non-empty strings), or undefined
   * @param otfMetadata Iceberg routing, already checked, or undefined
   * @param shared whether the object is shared by entries, and therefore frozen
   */
  constructor(partitionKeys: Readonly<Record<string, string>> | undefined, otfMetadata: Readonly<Record<string, string>> | undefined, shared = false) {
    let bytes = METADATA_BYTES;
    const json: { partitionKeys?: Readonly<Record<string, string>>; otfMetadata?: Readonly<Record<string, string>> } = {};
    if (partitionKeys !== undefined) {
      json.partitionKeys = shared ? Object.freeze({ ...partitionKeys }) : partitionKeys;
      bytes += PARTITION_KEYS_BYTES + jsonObjectBytes(partitionKeys);
    }
    if (otfMetadata !== undefined) {
      json.otfMetadata = shared ? Object.freeze({ ...otfMetadata }) : otfMetadata;
      bytes += (partitionKeys !== undefined ? 1 : 0) + OTF_METADATA_BYTES + jsonObjectBytes(otfMetadata);
    }
    this.json = shared ? Object.freeze(json) : json;
    this.bytes = bytes;
  }
}

type Node = Map<string, Node | EntryMetadata>;

/**
 * Shared `EntryMetadata` by the values they hold (partition key values, then routing values, in a fixed order), in
 * a tree of maps keyed by one value each: no lookup key is built per record, and no two value lists can collide. At
 * most `maxEntries` combinations are kept; past that, records get their own metadata, which is only slower.
 */
export class EntryMetadataCache {
  private readonly root: Node = new Map();
  private size = 0;

  /**
   * @param depth how many values name a combination
   * @param maxEntries the most combinations kept
   */
  constructor(private readonly depth: number, private readonly maxEntries = 1024) {}

  /** The metadata of the combination `values[0..depth)`, if it is kept. */
  public get(values: readonly string[]): EntryMetadata | undefined {
    let node: Node = this.root;
    const last = this.depth - 1;
    for (let i = 0; i < last; i++) {
      const next = node.get(values[i]) as Node | undefined;
      if (next === undefined) return undefined;
      node = next;
    }
    return node.get(values[last]) as EntryMetadata | undefined;
  }

  /** Keeps `metadata` for `values[0..depth)` unless the cache is full; returns whether it was kept. */
  public set(values: readonly string[], metadata: EntryMetadata): boolean {
    if (this.size >= this.maxEntries) return false;
    let node: Node = this.root;
    const last = this.depth - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]) as Node | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(values[i], next);
      }
      node = next;
    }
    if (!node.has(values[last])) this.size++;
    node.set(values[last], metadata);
    return true;
  }
}
