/**
 * The 催单 run: reads the quiet shipments and late dispatches from their indexes (never a Scan),
 * sends the shopper one care message through the care machinery (consent, quiet hours, the shared
 * frequency cap; its touch ref makes it once-only) and, past the second threshold, opens one ticket
 * for the logistics team through the `openTicket` port (claimed first, so a re-run never opens two).
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type QuietHours, quietUntil } from '#shared/campaigns/quiet-hours.ts';
import { DEFAULT_QUIET_HOURS } from '#shared/campaigns/store.ts';
import { couponTerms } from '#shared/coupons/codes.ts';
import { claimCode, getPool } from '#shared/coupons/store.ts';
import { type CareOutcome, sendCare } from '#shared/members/care.ts';
import type { ProactiveCareRule } from '#shared/members/care-rules.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { type DispatchWatch, dispatchVerdict, type LogisticsSettings, shortestStallHours, stallVerdict } from './stall.ts';
import { hasShipment, readLogisticsSettings, WATCH_SHARDS } from './store.ts';
import { lineText, type ShipmentRecord, STATUS_TEXT } from './trace.ts';

/** What the logistics team's ticket says (both languages: the port picks the agents' one). */
export interface StallTicket {
  /** Identifies the stall: one ticket per key, ever. */
  key: string;
  contactId: string;
  subject: { zh: string; en: string };
  text: { zh: string; en: string };
}

export interface NudgePorts {
  /** Opens the logistics team's ticket; resolves to its id. */
  openTicket: (ticket: StallTicket) => Promise<string>;
  sendCare?: typeof sendCare;
}

/** A claim older than this is taken over (its holder stopped before the ticket existed). */
const CLAIM_STALE_MS = 10 * 60_000;
const HOUR = 3_600_000;

/** Opens the stall's ticket once: claim, create, write the id back. */
async function ticketOnce(ports: NudgePorts, ticket: StallTicket, now: Date): Promise<'opened' | 'already'> {
  const key = keys.stallTicket(ticket.key);
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key, contactId: ticket.contactId, claimAt: now.toISOString(), ttl: Math.floor(now.getTime() / 1000) + 400 * 86_400 },
        ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(ticketId) AND claimAt < :stale)',
        ExpressionAttributeValues: { ':stale': new Date(now.getTime() - CLAIM_STALE_MS).toISOString() },
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return 'already';
    throw error;
  }
  const ticketId = await ports.openTicket(ticket);
  await db().send(
    new UpdateCommand({ TableName: tableName(), Key: key, UpdateExpression: 'SET ticketId = :t', ExpressionAttributeValues: { ':t': ticketId } }),
  );
  return 'opened';
}

/** Records a stage on the shipment, only while the stall it was decided for is still the current one. */
async function markShipment(s: ShipmentRecord, stage: 'nudgedFor' | 'escalatedFor'): Promise<void> {
  const remove = stage === 'escalatedFor' ? ' REMOVE gsi2pk, gsi2sk' : '';
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.shipment(s.orderId, s.trackingNumber),
        UpdateExpression: `SET #stage = :at, version = version + :one${remove}`,
        ConditionExpression: '#latest.#at = :at',
        ExpressionAttributeNames: { '#stage': stage, '#latest': 'latest', '#at': 'at' },
        ExpressionAttributeValues: { ':at': s.latest.at, ':one': 1 },
      }),
    )
    .catch((error: Error) => {
      // a newer step arrived meanwhile: that is a new stall, decided on the next run
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
}

/** A care outcome after which this stall's message is settled (sent, or there is no one to send it to). */
const settledCare = (o: CareOutcome) => o !== 'capped';

function shipmentTicket(s: ShipmentRecord, hours: number, key: string): StallTicket {
  const carrier = s.carrier ?? '';
  return {
    key,
    contactId: s.contactId,
    subject: {
      zh: `催单：订单 ${s.orderId} 的物流 ${hours} 小时未更新`,
      en: `Chase: order ${s.orderId} has had no tracking update for ${hours} hours`,
    },
    text: {
      zh: `${carrier} ${s.trackingNumber}（${STATUS_TEXT[s.status].zh}）\n最后一条物流：${lineText(s.latest, 'zh')}\n请联系快递公司核实包裹状态，并回复顾客。`,
      en: `${carrier} ${s.trackingNumber} (${STATUS_TEXT[s.status].en})\nLast trace step: ${lineText(s.latest, 'en')}\nPlease check with the carrier and update the shopper.`,
    },
  };
}

function dispatchTicket(w: DispatchWatch & { dueAt: string }, hoursLate: number): StallTicket {
  return {
    key: `dispatch#${w.orderId}#${w.dueAt}`,
    contactId: w.contactId,
    subject: {
      zh: `催单：订单 ${w.orderId} 超过承诺发货时间 ${hoursLate} 小时未发货`,
      en: `Chase: order ${w.orderId} is ${hoursLate} hours past its promised dispatch`,
    },
    text: {
      zh: `付款时间：${w.paidAt}\n承诺发货时间：${w.dueAt}\n请与仓库确认发货进度，并回复顾客。`,
      en: `Paid: ${w.paidAt}\nPromised dispatch: ${w.dueAt}\nPlease check with the warehouse and update the shopper.`,
    },
  };
}

async function* indexPages(partition: string, before: string, timeLeft: () => number): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    if (timeLeft() < 5_000) return;
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :before',
        ExpressionAttributeValues: { ':p': partition, ':before': before },
        ExclusiveStartKey: start,
      }),
    );
    yield res.Items ?? [];
    start = res.LastEvaluatedKey;
  } while (start);
}

/** An instant as digits only (part of a care message id). */
const compact = (at: string) => at.replace(/\D/g, '').slice(0, 14);

type Counts = Record<string, number>;
const count = (counts: Counts, what: string) => {
  counts[what] = (counts[what] ?? 0) + 1;
};

async function careFor(
  ports: NudgePorts,
  rule: ProactiveCareRule,
  contactId: string,
  ref: string,
  occurrence: string,
  now: Date,
  vars: Record<string, string>,
  extra?: Parameters<typeof sendCare>[6],
) {
  return (ports.sendCare ?? sendCare)(contactId, rule, ref, occurrence, now, vars, extra);
}

/**
 * The apology coupon of one stall: a code of the configured pool claimed for this stall (the same
 * code again if the message is retried), in the message's words and as its offer; none when the
 * pool is gone, expired or empty (the message still goes).
 */
function apologyCoupon(poolId: string | undefined, claimKey: string, now: Date): Parameters<typeof sendCare>[6] {
  if (!poolId) return undefined;
  return async (lang) => {
    const [pool, claim] = await Promise.all([getPool(poolId), claimCode(poolId, claimKey, now)]);
    if (!pool || typeof claim === 'string') return undefined;
    return {
      vars: { coupon: couponTerms(pool, lang), code: claim.code, expires: pool.expiresAt.slice(0, 10) },
      offer: { kind: 'coupon', poolId, code: claim.code, value: pool.value, threshold: pool.threshold, expiresAt: pool.expiresAt },
    };
  };
}

/**
 * One run. Care messages wait outside quiet hours (a later run sends them); tickets go any time.
 * Every action is once per stall, so runs may overlap or repeat. Stops early when time runs out.
 */
export async function runLogisticsNudges(
  ports: NudgePorts,
  now: Date,
  timeLeft: () => number,
  quiet: QuietHours | null = DEFAULT_QUIET_HOURS,
  settings?: LogisticsSettings,
): Promise<Counts> {
  const config = settings ?? (await readLogisticsSettings());
  const counts: Counts = {};
  if (!config.enabled) return { disabled: 1 };
  const quietNow = quietUntil(now, quiet) !== undefined;
  const stallBefore = new Date(now.getTime() - shortestStallHours(config) * HOUR).toISOString();
  for (let shard = 0; shard < WATCH_SHARDS; shard++) {
    for await (const page of indexPages(keys.shipmentWatchPartition(shard).gsi2pk, stallBefore, timeLeft)) {
      for (const item of page) {
        const s = item as unknown as ShipmentRecord;
        const verdict = stallVerdict(s, config, now);
        if (verdict.ticket) {
          count(counts, `stall_ticket_${await ticketOnce(ports, shipmentTicket(s, verdict.hours, verdict.stallKey), now)}`);
          await markShipment(s, 'escalatedFor');
        } else if (verdict.care && !quietNow) {
          const vars = { order: s.orderId, carrier: s.carrier ?? '', tracking: s.trackingNumber };
          const apology = apologyCoupon(config.apologyPoolId, `stall#${verdict.stallKey}`, now);
          const outcome = await careFor(ports, 'shipment_stalled', s.contactId, `${s.orderId}-${s.trackingNumber}`, compact(s.latest.at), now, vars, apology);
          count(counts, `stall_care_${outcome}`);
          if (settledCare(outcome)) await markShipment(s, 'nudgedFor');
        } else if (verdict.done) {
          await markShipment(s, 'escalatedFor');
        }
      }
    }
  }
  const dispatchBefore = now.toISOString();
  for (let shard = 0; shard < WATCH_SHARDS; shard++) {
    for await (const page of indexPages(keys.dispatchWatchPartition(shard).gsi2pk, dispatchBefore, timeLeft)) {
      for (const item of page) {
        const w = item as unknown as DispatchWatch & { dueAt: string };
        const order = await db().send(new GetCommand({ TableName: tableName(), Key: keys.order(w.orderId), ConsistentRead: true }));
        const status = String(order.Item?.status ?? '');
        if (!['created', 'paid'].includes(status) || (await hasShipment(w.orderId))) {
          await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.dispatchWatch(w.orderId) }));
          count(counts, 'dispatch_shipped');
          continue;
        }
        const verdict = dispatchVerdict({ ...w, dispatchBy: w.dueAt }, config, now);
        if (verdict.ticket) {
          count(counts, `dispatch_ticket_${await ticketOnce(ports, dispatchTicket(w, verdict.hoursLate), now)}`);
          await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.dispatchWatch(w.orderId) }));
        } else if (verdict.care && !quietNow) {
          const outcome = await careFor(ports, 'dispatch_late', w.contactId, w.orderId, compact(w.dueAt), now, { order: w.orderId });
          count(counts, `dispatch_care_${outcome}`);
          if (settledCare(outcome)) {
            await db()
              .send(
                new UpdateCommand({
                  TableName: tableName(),
                  Key: keys.dispatchWatch(w.orderId),
                  UpdateExpression: 'SET nudged = :t',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeValues: { ':t': true },
                }),
              )
              .catch((error: Error) => {
                if (error.name !== 'ConditionalCheckFailedException') throw error;
              });
          }
        }
      }
    }
  }
  return counts;
}
