/**
 * CSV rows → shop events for `kefu import` (pure). Event and order ids are derived from the row
 * (plus how many identical rows came before it), so importing the same file again produces the
 * same events and changes nothing.
 */
import { createHash } from 'node:crypto';
import { ShopEventMessage } from '#shared/api/shop-events.ts';

export interface CsvTable {
  header: string[];
  rows: { line: number; cells: string[] }[];
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF); blank lines skipped; header lower-cased. */
export function parseCsv(text: string): CsvTable {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0]!.trim() === '')) records.push({ line: startLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) endRecord();
  const [head, ...rows] = records;
  return { header: (head?.cells ?? []).map((h) => h.trim().toLowerCase()), rows: rows.map((r) => ({ line: r.line, cells: r.cells.map((c) => c.trim()) })) };
}

export type RowResult = { ok: true; line: number; message: ShopEventMessage } | { ok: false; line: number; reason: string };

function digest(parts: readonly (string | number)[], length: number): string {
  return createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, length);
}

/** Counts identical keys as they come: 0 for the first, 1 for its first repeat… */
function occurrences() {
  const seen = new Map<string, number>();
  return (key: string) => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n;
  };
}

function zodReason(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  return first ? `${first.path.map(String).join('.') || 'row'}: ${first.message}` : 'invalid row';
}

/** A date column as an ISO timestamp: `YYYY-MM-DD` is midnight UTC; full timestamps pass through. */
export function timestampOf(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? undefined : `${value}T00:00:00Z`;
  if (/^\d{8}$/.test(value)) return timestampOf(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`);
  const t = Date.parse(value);
  return Number.isNaN(t) || !/T/.test(value) ? undefined : new Date(t).toISOString();
}

const ORDER_STATUSES = ['created', 'paid', 'shipped', 'delivered', 'refunded'];

/**
 * Orders CSV (`customer_id,date,quantity,amount` + optional `order_id,status,currency`) → order
 * events; status defaults to paid. A row without order_id is one order of its own.
 */
export function orderEvents(table: CsvTable, shopId: string): RowResult[] {
  const col = (name: string) => table.header.indexOf(name);
  const ci = col('customer_id');
  const di = col('date');
  const qi = col('quantity');
  const ai = col('amount');
  const oi = col('order_id');
  const si = col('status');
  const cur = col('currency');
  const missing = [
    ['customer_id', ci],
    ['date', di],
    ['amount', ai],
  ]
    .filter(([, i]) => i === -1)
    .map(([n]) => n);
  if (missing.length > 0) throw new Error(`orders CSV needs the columns ${missing.join(', ')} (found: ${table.header.join(', ')})`);
  const nth = occurrences();
  return table.rows.map(({ line, cells }): RowResult => {
    const customerId = cells[ci] ?? '';
    const date = cells[di] ?? '';
    const amountText = cells[ai] ?? '';
    const quantityText = qi >= 0 ? (cells[qi] ?? '') : '';
    const status = si >= 0 && cells[si] ? cells[si]!.toLowerCase() : 'paid';
    if (!customerId) return { ok: false, line, reason: 'customer_id is empty' };
    const occurredAt = timestampOf(date);
    if (!occurredAt) return { ok: false, line, reason: `date "${date}" is not YYYY-MM-DD or an ISO timestamp` };
    if (!/^-?\d+(\.\d+)?$/.test(amountText)) return { ok: false, line, reason: `amount "${amountText}" is not a number` };
    if (quantityText !== '' && !/^\d+$/.test(quantityText)) return { ok: false, line, reason: `quantity "${quantityText}" is not a whole number` };
    if (!ORDER_STATUSES.includes(status)) return { ok: false, line, reason: `status "${status}" is not one of ${ORDER_STATUSES.join(', ')}` };
    const content = [shopId, customerId, occurredAt, quantityText, amountText];
    const orderId = (oi >= 0 && cells[oi]) || `imp-${digest([...content, nth(content.join('|'))], 20)}`;
    const eventId = `imp-${digest([shopId, orderId, status, occurredAt], 24)}`;
    const parsed = ShopEventMessage.safeParse({
      shopId,
      event: {
        eventId,
        type: `order.${status}`,
        occurredAt,
        data: {
          orderId,
          customerId,
          amount: Number(amountText),
          ...(cur >= 0 && cells[cur] ? { currency: cells[cur]!.toUpperCase() } : {}),
          ...(quantityText !== '' ? { quantity: Number(quantityText) } : {}),
        },
      },
    });
    return parsed.success ? { ok: true, line, message: parsed.data } : { ok: false, line, reason: zodReason(parsed.error.issues) };
  });
}

const MEMBER_FIELDS = ['name', 'email', 'phone', 'locale', 'birthday'] as const;

/**
 * Members CSV (`customer_id` + any of `name,email,phone,locale,birthday,updated_at`) → member
 * events. `asOf` stamps rows without updated_at (the CLI passes the file's modification time, so
 * re-running an unchanged file is a no-op and an edited file applies).
 */
export function memberEvents(table: CsvTable, shopId: string, asOf: string): RowResult[] {
  const ci = table.header.indexOf('customer_id');
  if (ci === -1) throw new Error(`members CSV needs a customer_id column (found: ${table.header.join(', ')})`);
  const ui = table.header.indexOf('updated_at');
  return table.rows.map(({ line, cells }): RowResult => {
    const customerId = cells[ci] ?? '';
    if (!customerId) return { ok: false, line, reason: 'customer_id is empty' };
    const updated = ui >= 0 && cells[ui] ? timestampOf(cells[ui]!) : asOf;
    if (!updated) return { ok: false, line, reason: `updated_at "${cells[ui]}" is not a date` };
    const data: Record<string, string> = { customerId };
    for (const field of MEMBER_FIELDS) {
      const i = table.header.indexOf(field);
      if (i >= 0 && cells[i]) data[field] = cells[i]!;
    }
    const eventId = `imp-${digest([shopId, 'member', updated, ...Object.entries(data).flat()], 24)}`;
    const parsed = ShopEventMessage.safeParse({ shopId, event: { eventId, type: 'member.upserted', occurredAt: updated, data } });
    return parsed.success ? { ok: true, line, message: parsed.data } : { ok: false, line, reason: zodReason(parsed.error.issues) };
  });
}

/**
 * Groups events into per-customer lanes in file order, so one customer's events apply in sequence
 * while different customers apply concurrently.
 */
export function byCustomer(messages: readonly { line: number; message: ShopEventMessage }[]): { line: number; message: ShopEventMessage }[][] {
  const lanes = new Map<string, { line: number; message: ShopEventMessage }[]>();
  for (const m of messages) {
    const key = m.message.event.data.customerId;
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = []));
    lane.push(m);
  }
  return [...lanes.values()];
}
