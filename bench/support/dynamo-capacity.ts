/**
 * DynamoDB capacity arithmetic on wire-format items (AttributeValue JSON), the rules AWS documents
 * for on-demand tables. `npm run bench -- cost` applies them to every request its counting proxy
 * sees (bench/support/dynamo-counter.ts); test/unit/bench/cost-capacity.test.ts pins them.
 *
 * Item size (docs "Item sizes and formats"):
 *   attribute name: its UTF-8 bytes; S: UTF-8 bytes; B: bytes; N: ceil(significant digits / 2) + 1
 *   (+1 if negative); BOOL and NULL: 1; SS/NS/BS: the sum of their elements; L and M: 3 bytes plus
 *   1 byte per element plus the elements (and, in a map, the element names).
 * Writes (1 WRU = one write of up to 1 KB; a transactional write costs 2):
 *   Put/Update: ceil(max(size before, size after) / 1 KB), at least 1; Delete: the deleted item's size;
 *   a write whose condition fails still costs the existing item's size (at least 1) and touches no index.
 * Index writes, per GSI (docs "GSI write capacity"), the entry being the table keys, the index keys
 * and the projected attributes plus 100 bytes:
 *   in the index neither before nor after → 0; added or removed → 1 write of the entry;
 *   an index key value changed → 2 (delete old entry, put new one);
 *   keys unchanged but a projected attribute changed → 1 write of the larger entry; nothing projected
 *   changed → 0. Each of those writes costs ceil(entry size / 1 KB) WRU, never doubled by a transaction.
 * Reads (1 RRU = a strongly consistent read of up to 4 KB): ceil(size / 4 KB), at least 1 (an absent
 * item too), × 0.5 eventually consistent, × 2 transactional. Query/Scan: the summed size of every
 * item evaluated (before any filter), rounded up to 4 KB once per request.
 */

export type AttributeValue = Record<string, unknown>;
export type WireItem = Record<string, AttributeValue>;

/** A GSI as the capacity rules need it: its keys and what it projects. */
export interface IndexShape {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** ALL, KEYS_ONLY or INCLUDE with these non-key attributes. */
  projection: 'ALL' | 'KEYS_ONLY' | { include: readonly string[] };
}

export interface TableShape {
  partitionKey: string;
  sortKey: string;
  indexes: readonly IndexShape[];
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Size of a DynamoDB number: about one byte per two significant digits, plus one. */
export function numberSize(n: string): number {
  const negative = n.trim().startsWith('-');
  const [mantissa = '0'] = n.trim().replace(/^[-+]/, '').toLowerCase().split('e');
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  if (digits.length === 0) return 1;
  return Math.ceil(digits.length / 2) + 1 + (negative ? 1 : 0);
}

/** Size in bytes of one attribute value (without its name). */
export function valueSize(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return utf8(String(v));
    case 'N':
      return numberSize(String(v));
    case 'B':
      return Buffer.from(String(v), 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (v as string[]).reduce((s, x) => s + utf8(x), 0);
    case 'NS':
      return (v as string[]).reduce((s, x) => s + numberSize(x), 0);
    case 'BS':
      return (v as string[]).reduce((s, x) => s + Buffer.from(x, 'base64').length, 0);
    case 'L':
      return 3 + (v as AttributeValue[]).reduce((s, x) => s + 1 + valueSize(x), 0);
    case 'M': {
      const entries = Object.entries(v as WireItem);
      return 3 + entries.reduce((s, [name, x]) => s + 1 + utf8(name) + valueSize(x), 0);
    }
    default:
      throw new Error(`unknown DynamoDB attribute type ${type}`);
  }
}

/** Size in bytes of an item: every attribute's name plus its value. */
export function itemSize(item: WireItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

const KB = 1024;

/** WRU of a plain write of an item that was `before` and is `after` (either absent). */
export function tableWriteUnits(before: WireItem | undefined, after: WireItem | undefined): number {
  const size = Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0);
  return Math.max(1, Math.ceil(size / KB));
}

/** RRU of reading `bytes` (one item, or the summed items a Query evaluated). */
export function readUnits(bytes: number, consistency: 'strong' | 'eventual' | 'transactional'): number {
  const units = Math.max(1, Math.ceil(bytes / (4 * KB)));
  return consistency === 'eventual' ? units / 2 : consistency === 'transactional' ? units * 2 : units;
}

/** The entry an index holds for an item (undefined when the item lacks either index key). */
export function indexEntry(table: TableShape, index: IndexShape, item: WireItem | undefined): WireItem | undefined {
  if (!item || item[index.partitionKey] === undefined || item[index.sortKey] === undefined) return undefined;
  if (index.projection === 'ALL') return item;
  const names = new Set([table.partitionKey, table.sortKey, index.partitionKey, index.sortKey]);
  if (index.projection !== 'KEYS_ONLY') for (const n of index.projection.include) names.add(n);
  return Object.fromEntries(Object.entries(item).filter(([n]) => names.has(n)));
}

/** Size of an index entry as AWS counts it: its attributes plus 100 bytes of overhead. */
export function indexEntrySize(entry: WireItem): number {
  return itemSize(entry) + 100;
}

/** A stable text of a wire value (map keys sorted) to tell whether anything changed. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface IndexWrite {
  index: string;
  /** The index partition written (old and new one when the key moved). */
  partitions: string[];
  writes: number;
  units: number;
}

/** What one table write costs in one GSI (see the rules at the top). */
export function indexWrite(table: TableShape, index: IndexShape, before: WireItem | undefined, after: WireItem | undefined): IndexWrite {
  const old = indexEntry(table, index, before);
  const next = indexEntry(table, index, after);
  const units = (e: WireItem) => Math.max(1, Math.ceil(indexEntrySize(e) / KB));
  const pk = (e: WireItem) => String(Object.values(e[index.partitionKey] ?? {})[0]);
  const none = { index: index.name, partitions: [], writes: 0, units: 0 };
  if (!old && !next) return none;
  if (!old && next) return { index: index.name, partitions: [pk(next)], writes: 1, units: units(next) };
  if (old && !next) return { index: index.name, partitions: [pk(old)], writes: 1, units: units(old) };
  const o = old as WireItem;
  const n = next as WireItem;
  const keyMoved = canonical(o[index.partitionKey]) !== canonical(n[index.partitionKey]) || canonical(o[index.sortKey]) !== canonical(n[index.sortKey]);
  if (keyMoved) return { index: index.name, partitions: [pk(o), pk(n)], writes: 2, units: units(o) + units(n) };
  if (canonical(o) === canonical(n)) return none;
  return { index: index.name, partitions: [pk(n)], writes: 1, units: Math.max(units(o), units(n)) };
}

export interface WriteCost {
  /** WRU charged on the table (doubled for a transactional write). */
  table: number;
  /** WRU charged on the indexes. */
  indexes: IndexWrite[];
  total: number;
}

/** The whole cost of one item write: table plus every GSI. */
export function writeCost(table: TableShape, before: WireItem | undefined, after: WireItem | undefined, opts: { transactional?: boolean } = {}): WriteCost {
  const tableUnits = tableWriteUnits(before, after) * (opts.transactional ? 2 : 1);
  const indexes = table.indexes.map((index) => indexWrite(table, index, before, after)).filter((w) => w.writes > 0);
  return { table: tableUnits, indexes, total: tableUnits + indexes.reduce((s, w) => s + w.units, 0) };
}

/** A write that was refused (condition failed, transaction cancelled): the existing item's size, no index. */
export function refusedWriteCost(existing: WireItem | undefined, opts: { transactional?: boolean } = {}): WriteCost {
  const units = tableWriteUnits(existing, undefined) * (opts.transactional ? 2 : 1);
  return { table: units, indexes: [], total: units };
}
