/**
 * The batch path of `kefu import orders` (issue 15). A customer the store has never seen is folded
 * in memory with the same pure functions as the live path (decideOrder → planOrder → ledger, tier,
 * care items) and its final items — profile included — are written with BatchWriteItem (25 a call,
 * bounded parallelism). Deterministic ids (contact, ledger entries, lots, tier events) make every
 * item the same on a re-run, and the order item (counted, with its earned points) is what keeps
 * points exactly-once, so the live path's per-order source guard is not written. Last, the
 * shop-user link claims the customer on a per-customer watermark condition (`importWatermark`:
 * newest row and a digest of the customer's event ids): absent, or this very import (a re-run after
 * a crash). A re-run finds the watermark on the link and skips the customer without another read;
 * if a live event created the customer meanwhile, the lane's items are deleted again and its rows
 * go through the live path. Customers with live data take the live path (`applyShopEvent`).
 */
import { createHash } from 'node:crypto';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ShopEventMessage } from '#shared/api/shop-events.ts';
import { keys } from '#shared/store/keys.ts';
import { batchGetItems, db, tableName } from '#shared/store/table.ts';
import type { Lot } from './ledger.ts';
import { careItems, type OrderEvent, orderPut, planOrder } from './order-event.ts';
import { decideOrder, EMPTY_RFM, type OrderRecord } from './orders.ts';
import { backoff, type LoyaltyConfig, ledgerItems, loyaltyConfig, type MemberRecord, profileChanges, type TransactItem, tierChangeItems } from './store.ts';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** An id shaped like `newId` (time + 16 base32 chars) whose random part is a digest of `seed`. */
export function derivedId(prefix: string, atIso: string, seed: string): string {
  let time = '';
  let t = Math.max(0, Date.parse(atIso) || 0);
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = createHash('sha256').update(seed).digest();
  let rest = '';
  for (let i = 0; i < 16; i++) rest += ALPHABET[bytes[i]! % 32];
  return `${prefix}_${time}${rest}`;
}

export type Row = { line: number; message: ShopEventMessage };
export type RowOutcome = 'applied' | 'stale' | { error: Error };

/** The watermark of a customer's rows: newest event time and a digest of every event id. */
export function watermarkOf(rows: readonly Row[]): string {
  const newest = rows.reduce((m, r) => (r.message.event.occurredAt > m ? r.message.event.occurredAt : m), '');
  const ids = rows.map((r) => r.message.event.eventId).sort();
  return `${newest}#${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 24)}`;
}

/** A new customer's rows folded in memory: every item to write, the profile, and each row's outcome. */
export interface Fold {
  contactId: string;
  items: Record<string, unknown>[];
  profile: Record<string, unknown>;
  outcomes: ('applied' | 'stale')[];
}

const keyOf = (item: Record<string, unknown>) => `${item.pk}|${item.sk}`;

/** Folds a new customer's order events (file order) with the live path's pure functions (no I/O). */
export function foldNewCustomer(shopId: string, customerId: string, rows: readonly Row[], config: LoyaltyConfig, watermark: string): Fold {
  const first = rows[0]!.message.event.occurredAt;
  const contactId = derivedId('con', first, `${shopId}\u001f${customerId}`);
  let member: MemberRecord = { contactId, version: 0, rfm: EMPTY_RFM, balance: 0, earned: 0, item: {} };
  const items = new Map<string, Record<string, unknown>>();
  const orders = new Map<string, OrderRecord>();
  const orderItems = new Map<string, Record<string, unknown>>();
  const entries: Record<string, unknown>[] = [];
  let lots: Lot[] = [];
  const outcomes: ('applied' | 'stale')[] = [];
  for (const { message } of rows) {
    const event = message.event as OrderEvent;
    const at = event.occurredAt;
    const orderId = event.data.orderId;
    const previous = orders.get(orderId);
    const decision = decideOrder(previous, event, contactId, member.rfm);
    if (decision.noop) {
      outcomes.push('stale');
      continue;
    }
    const others = [...orderItems.values()].filter((o) => o.orderId !== orderId);
    const plan = planOrder(decision, member, config, at, entries, others, lots, (kind) => derivedId('pt', at, `${orderId}#${kind}`));
    const writes: TransactItem[] = [
      ...(plan.change ? ledgerItems(contactId, plan.change, { guard: false }) : []),
      orderPut(plan.order, previous),
      ...careItems(decision, member, event, plan.order),
      ...(plan.tierChange
        ? tierChangeItems(contactId, shopId, plan.tierChange, at, `order#${orderId}`, derivedId('evt', at, `${orderId}#${event.eventId}#tier`))
        : []),
    ];
    for (const w of writes) {
      if (w.Put?.Item) {
        items.set(keyOf(w.Put.Item), w.Put.Item);
        if (String(w.Put.Item.sk).startsWith(keys.pointsEntryPrefix())) entries.push(w.Put.Item);
        if (w.Put.Item.sk === keys.order(orderId).sk) orderItems.set(orderId, w.Put.Item);
      } else if (w.Delete?.Key) items.delete(keyOf(w.Delete.Key));
      else if (w.Update?.Key) {
        const lot = items.get(keyOf(w.Update.Key));
        if (lot) lot.remaining = w.Update.ExpressionAttributeValues?.[':after'];
      }
    }
    const change = plan.change;
    if (change) {
      lots = lots.map((l) => {
        const take = change.takes.find((t) => t.lotId === l.lotId);
        return take ? { ...l, remaining: l.remaining - take.take } : l;
      });
      lots = lots.filter((l) => l.remaining > 0);
      if (change.newLot) lots.push(change.newLot);
    }
    member = {
      ...member,
      rfm: decision.counting !== 'none' ? decision.rfm : member.rfm,
      ...(change ? { balance: change.entry.balanceAfter, earned: member.earned + (change.entry.kind === 'earn' ? change.entry.points : 0) } : {}),
      tier: plan.tierState,
    };
    orders.set(orderId, { ...plan.order, version: plan.order.version + 1 });
    outcomes.push('applied');
  }
  const last = rows.reduce((m, r) => (r.message.event.occurredAt > m ? r.message.event.occurredAt : m), first);
  const { set } = profileChanges(member, {
    rfm: member.rfm,
    ledger: { balance: member.balance, earned: member.earned },
    ...(member.tier ? { tier: member.tier } : {}),
  });
  const profile = {
    ...keys.contact(contactId),
    contactId,
    shopId,
    verified: true,
    shopUserId: customerId,
    createdAt: first,
    updatedAt: last,
    ...set,
    importWatermark: watermark,
  };
  return { contactId, items: [...items.values()], profile, outcomes };
}

/** Runs `fn` over `list` with at most `size` in flight. */
export async function pool<T>(list: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(size, list.length)) }, async () => {
      for (let i = next++; i < list.length; i = next++) await fn(list[i] as T);
    }),
  );
}

/** Puts (or deletes) items 25 a call, `parallel` calls in flight, unprocessed items asked again. */
export async function batchWrite(list: readonly Record<string, unknown>[], parallel: number, kind: 'put' | 'delete' = 'put'): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < list.length; i += 25) chunks.push(list.slice(i, i + 25) as Record<string, unknown>[]);
  await pool(chunks, parallel, async (chunk) => {
    let requests: Record<string, unknown>[] = chunk.map((item) =>
      kind === 'put' ? { PutRequest: { Item: item } } : { DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } },
    );
    for (let round = 0; requests.length > 0; round++) {
      if (round > 0) await backoff(round);
      const res = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests as never } }));
      requests = (res.UnprocessedItems?.[tableName()] ?? []) as Record<string, unknown>[];
    }
  });
}

function conditionFailed(error: unknown): boolean {
  return (error as Error).name === 'ConditionalCheckFailedException';
}

/**
 * Imports rows grouped by customer (each lane in file order). `live` applies one row through the
 * live path; `tick` is called once per row. Returns each row's outcome, by line.
 */
export async function importOrderLanes(
  shopId: string,
  lanes: readonly Row[][],
  live: (message: ShopEventMessage) => Promise<'applied' | 'stale'>,
  opts: { parallel: number; tick: () => void },
): Promise<Map<number, RowOutcome>> {
  const outcomes = new Map<number, RowOutcome>();
  const done = (row: Row, outcome: RowOutcome) => {
    outcomes.set(row.line, outcome);
    opts.tick();
  };
  const config = await loyaltyConfig();
  const customerOf = (lane: Row[]) => lane[0]!.message.event.data.customerId;

  // 1. Who is known: the shop-user links (100 keys a BatchGet); an import's link carries its watermark.
  const linkKeys = lanes.map((lane) => keys.contactByShopUser(shopId, customerOf(lane)));
  const links = await getMany(linkKeys, opts.parallel);
  const liveLanes: Row[][] = [];
  const fresh: { lane: Row[]; fold: Fold }[] = [];
  lanes.forEach((lane, i) => {
    const link = links.get(`${linkKeys[i]!.pk}|${linkKeys[i]!.sk}`);
    const watermark = watermarkOf(lane);
    if (link?.importWatermark === watermark) for (const row of lane) done(row, 'stale');
    else if (link) liveLanes.push(lane);
    else fresh.push({ lane, fold: foldNewCustomer(shopId, customerOf(lane), lane, config, watermark) });
  });

  // 2. New customers: every item and the profile by BatchWriteItem, then the link on the watermark.
  await batchWrite(
    fresh.flatMap((f) => [...f.fold.items, f.fold.profile]),
    opts.parallel,
  );
  await pool(fresh, opts.parallel * 2, async ({ lane, fold }) => {
    const watermark = fold.profile.importWatermark;
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.contactByShopUser(shopId, customerOf(lane)), contactId: fold.contactId, importWatermark: watermark },
          ConditionExpression: 'attribute_not_exists(pk) OR (contactId = :me AND importWatermark = :w)',
          ExpressionAttributeValues: { ':me': fold.contactId, ':w': watermark },
        }),
      );
      for (const [i, row] of lane.entries()) done(row, fold.outcomes[i]!);
    } catch (error) {
      if (!conditionFailed(error)) {
        for (const row of lane) done(row, { error: error as Error });
        return;
      }
      // A live event created this customer meanwhile: take the batch back, apply the rows live.
      await batchWrite([...fold.items, fold.profile], opts.parallel, 'delete');
      liveLanes.push(lane);
    }
  });

  // 3. Customers with live data: the live path, one row at a time per customer.
  await pool(liveLanes, opts.parallel, async (lane) => {
    for (const row of lane) {
      try {
        done(row, await live(row.message));
      } catch (error) {
        done(row, { error: error as Error });
      }
    }
  });
  return outcomes;
}

async function getMany(list: readonly { pk: string; sk: string }[], parallel: number): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  const chunks: { pk: string; sk: string }[][] = [];
  for (let i = 0; i < list.length; i += 100) chunks.push(list.slice(i, i + 100));
  await pool(chunks, parallel, async (chunk) => {
    for (const [k, v] of await batchGetItems(chunk)) out.set(k, v);
  });
  return out;
}
