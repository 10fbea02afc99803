/**
 * Sending one campaign to one member, exactly once. Every member of a send batch goes through the
 * same checks whatever their arm — consent on at least one of the campaign's channels (and an
 * address for email), no open conversation or ticket, the shared frequency cap — so the holdout
 * is drawn from the same eligible population as the treated members. Then one transaction
 * records the outcome:
 *
 *  - holdout or suppressed: the send item (arm, reason) and its counter;
 *  - treated: the send item (`sent`, not yet `delivered`), the cap touch (conditional on the cap
 *    item's version, so a concurrent care message cannot slip past the cap) and the counters.
 *    The deliveries follow — points via the members ledger, widget message + push, email outbox
 *    item with RFC 8058 headers, webhook outbox event — each idempotent by key, and the send item
 *    is marked `delivered`. A crash in between re-runs into the same keys and finishes the job.
 *
 * `CAMPAIGN#{id}` / `SEND#{contactId}` is the guard: a member never gets a campaign twice, however
 * often a batch is delivered or the fan-out re-queues them.
 */

import { createHash } from 'node:crypto';
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { logger } from '#shared/log.ts';
import type { TransactItem } from '#shared/members/store.ts';
import type { Key } from '#shared/store/keys.ts';
import { keys } from '#shared/store/keys.ts';
import { batchGetItems, db, tableName } from '#shared/store/table.ts';
import { addTouch, type CapRule, type CapState, capVerdict, capWriteItem, readCap } from './cap.ts';
import type { SendMessage } from './fanout.ts';
import { inHoldout, pickVariant } from './holdout.ts';
import type { Variant } from './model.ts';
import { quietUntil } from './quiet-hours.ts';
import { reachableChannels } from './reach.ts';
import { factsFromProfile, type MemberFacts } from './segments.ts';
import {
  BATCH_LEASE_MS,
  type Campaign,
  counterItem,
  counterShard,
  deferBatch,
  deleteBatch,
  getCampaign,
  getSend,
  type SendRecord,
  shardCounterItem,
  updateCampaign,
} from './store.ts';
import { couponLine, escapeHtml, type Lang, langOf, render, unsubscribeFooter, type Values } from './template.ts';
import { listUnsubscribeHeaders, signUnsubscribe, unsubscribeUrl } from './unsubscribe.ts';

export interface SendPorts {
  now: () => Date;
  /** Re-queues a batch after `delaySeconds` (pause, quiet hours). */
  hold: (message: SendMessage, delaySeconds: number) => Promise<void>;
  /** Longest hold of one hop. */
  maxHoldSeconds: () => number;
  /** Pushes a frame to the contact's widget sockets (best effort: the message is stored anyway). */
  push: (contactId: string, frame: unknown) => Promise<void>;
  /** Credits bonus points once per source id; returns the balance after it, if known. */
  awardPoints: (req: { contactId: string; points: number; sourceId: string; at: string; reason: string }) => Promise<number | undefined>;
  /**
   * Gives the member a code of the pool, once per claim key (a repeated claim returns the same code);
   * undefined when the pool is gone, expired or out of codes.
   */
  claimCoupon: (poolId: string, claimKey: string, now: Date) => Promise<CampaignCoupon | undefined>;
  unsubscribeKey: () => Promise<Uint8Array>;
  tierName: (tierId: string | undefined, lang: Lang) => Promise<string | undefined>;
}

/** A coupon code given with a campaign message. */
export interface CampaignCoupon {
  code: string;
  /** Yuan off. */
  value: number;
  /** Minimum order in yuan (0: none). */
  threshold: number;
  expiresAt: string;
  /** The terms as the shopper reads them, per language. */
  terms: Record<Lang, string>;
}

/** Why an eligible-looking member was not messaged. */
export type SuppressReason = 'no_contact' | 'no_consent' | 'no_address' | 'open_conversation' | 'open_ticket' | 'frequency_cap';

export type MemberOutcome = 'sent' | 'holdout' | 'duplicate' | `suppressed:${SuppressReason}`;

/** Kinds of messages the campaign cap counts. */
export const CAMPAIGN_CAP_KINDS = ['campaign', 'care'] as const;
/** Widget campaign messages stay visible this long. */
export const WIDGET_MESSAGE_DAYS = 30;

const PARALLEL = 8;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const out: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = { status: 'fulfilled', value: await fn(items[i] as T) };
      } catch (reason) {
        out[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function openConversationOrTicket(contactId: string): Promise<'open_conversation' | 'open_ticket' | undefined> {
  const [convs, tickets] = await Promise.all([
    db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        FilterExpression: '#s IN (:open, :pending)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':p': keys.contactConversationsPartition(contactId).gsi1pk, ':open': 'open', ':pending': 'pending' },
        Select: 'COUNT',
      }),
    ),
    db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        FilterExpression: '#s IN (:new, :open, :pending, :hold)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':p': keys.contactTicketsPartition(contactId).gsi1pk,
          ':new': 'new',
          ':open': 'open',
          ':pending': 'pending',
          ':hold': 'on_hold',
        },
        Select: 'COUNT',
      }),
    ),
  ]);
  if ((convs.Count ?? 0) > 0) return 'open_conversation';
  if ((tickets.Count ?? 0) > 0) return 'open_ticket';
  return undefined;
}

/** The cap rules of a campaign. */
export function capRules(c: Pick<Campaign, 'frequencyCap'>): CapRule[] {
  return [{ max: c.frequencyCap.max, windowHours: c.frequencyCap.windowHours, kinds: CAMPAIGN_CAP_KINDS }];
}

/** The cancellation code of one item of a failed transaction (`ConditionalCheckFailed`, `TransactionConflict`, …). */
function cancelCode(error: unknown, index: number): string | undefined {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  return e.name === 'TransactionCanceledException' ? e.CancellationReasons?.[index]?.Code : undefined;
}

/** True for a transaction that failed only on conditions or write conflicts (re-read and try again). */
function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e.name !== 'TransactionCanceledException') return false;
  return (e.CancellationReasons ?? []).every((r) => !r.Code || r.Code === 'None' || r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
}

/** Records a final outcome without a delivery (holdout, suppressed, failed) with its counter; false when a record already exists. */
async function recordOutcome(c: Campaign, contactId: string, record: Omit<SendRecord, 'campaignId' | 'contactId'>, counter: string): Promise<boolean> {
  const items = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.campaignSend(c.campaignId, contactId), campaignId: c.campaignId, contactId, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    counterItem(c.campaignId, contactId, { [counter]: 1 }),
  ];
  for (let attempt = 0; ; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (cancelCode(error, 0) === 'ConditionalCheckFailed') return false;
      if (!isRetryable(error) || attempt >= 5) throw error;
    }
  }
}

/** Profiles and cap items of a whole batch, read with BatchGetItem (two calls instead of two per member). */
export interface Prefetched {
  profiles: Map<string, Record<string, unknown>>;
  caps: Map<string, CapState>;
}

/** Items by key, in the order they came (BatchGetItem in hundreds). */
const batchGet = async (keysToRead: Key[], consistent: boolean) => [...(await batchGetItems(keysToRead, consistent)).values()];

const isUndelivered = (record: SendRecord | undefined) => record?.state === 'sent' && record.delivered !== true;

/** The send records a batch already has (one consistent BatchGetItem; read only for a batch delivered before). */
async function existingSends(campaignId: string, contactIds: readonly string[]): Promise<Map<string, SendRecord>> {
  const items = await batchGet(
    contactIds.map((id) => keys.campaignSend(campaignId, id)),
    true,
  );
  return new Map(items.map(({ pk: _pk, sk: _sk, ...rest }) => [String(rest.contactId), rest as unknown as SendRecord]));
}

/** Reads the profiles and cap items of a batch of members. */
export async function prefetch(contactIds: readonly string[]): Promise<Prefetched> {
  const [profiles, caps] = await Promise.all([
    batchGet(
      contactIds.map((id) => keys.contact(id)),
      false,
    ),
    batchGet(
      contactIds.map((id) => keys.contactCap(id)),
      true,
    ),
  ]);
  return {
    profiles: new Map(profiles.map((p) => [String(p.contactId), p])),
    caps: new Map(
      caps.map((c) => [String(c.contactId), { touches: Array.isArray(c.touches) ? (c.touches as CapState['touches']) : [], version: Number(c.version ?? 0) }]),
    ),
  };
}

/** A member whose send is recorded but not yet delivered is finished; any other record means done. */
async function resume(c: Campaign, contactId: string, facts: MemberFacts | undefined, ports: SendPorts): Promise<MemberOutcome> {
  const existing = await getSend(c.campaignId, contactId);
  if (existing?.state === 'sent' && existing.delivered !== true && facts) return deliver(c, existing, facts, ports);
  return 'duplicate';
}

/** What one member's send will record: the send item, its counters and (when treated) the cap touch. */
export interface Plan {
  contactId: string;
  facts?: MemberFacts;
  record: SendRecord;
  outcome: MemberOutcome;
  counter: Record<string, number>;
  capWrite?: TransactItem;
}

/** Decides a member's outcome from their profile, open conversations/tickets and cap item. */
export async function planMember(c: Campaign, contactId: string, now: Date, profile: Record<string, unknown> | undefined, cap: CapState): Promise<Plan> {
  const at = now.toISOString();
  const facts = profile ? factsFromProfile(profile) : undefined;
  const plan = (
    record: Omit<SendRecord, 'campaignId' | 'contactId'>,
    counter: Record<string, number>,
    outcome: MemberOutcome,
    capWrite?: TransactItem,
  ): Plan => ({
    contactId,
    ...(facts ? { facts } : {}),
    record: { campaignId: c.campaignId, contactId, ...record },
    outcome,
    counter,
    ...(capWrite ? { capWrite } : {}),
  });
  const suppress = (reason: SuppressReason) => plan({ state: 'suppressed', arm: 'none', reason, at }, { [`suppressed_${reason}`]: 1 }, `suppressed:${reason}`);
  if (!facts) return suppress('no_contact');
  const reach = reachableChannels(c, facts);
  if ('reason' in reach) return suppress(reach.reason);
  const open = await openConversationOrTicket(contactId);
  if (open) return suppress(open);
  if (!capVerdict(cap, capRules(c), now, c.campaignId).allowed) return suppress('frequency_cap');
  if (inHoldout(c.campaignId, contactId, c.holdoutRatio)) return plan({ state: 'holdout', arm: 'holdout', at }, { holdout: 1 }, 'holdout');
  const variant = pickVariant(c.campaignId, contactId, c.variants);
  return plan(
    { state: 'sent', arm: 'treatment', variantId: variant.variantId, channels: reach.channels, at, delivered: false },
    { sent: 1, [`variant_${variant.variantId}`]: 1 },
    'sent',
    capWriteItem(contactId, facts.shopId, cap, addTouch(cap, { at, kind: 'campaign', ref: c.campaignId }, now)),
  );
}

function sendPut(p: Plan): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.campaignSend(p.record.campaignId, p.contactId), ...p.record },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Commits one member's plan: 'ok', 'exists' (a send record is already there) or 'retry' (the cap changed, or a conflict). */
async function commitOne(c: Campaign, p: Plan): Promise<'ok' | 'exists' | 'retry'> {
  try {
    await db().send(
      new TransactWriteCommand({ TransactItems: [sendPut(p), ...(p.capWrite ? [p.capWrite] : []), counterItem(c.campaignId, p.contactId, p.counter)] }),
    );
    return 'ok';
  } catch (error) {
    if (cancelCode(error, 0) === 'ConditionalCheckFailed') return 'exists';
    if (isRetryable(error)) return 'retry';
    throw error;
  }
}

/**
 * Commits a group of plans in one transaction (send items, cap touches, counters summed per shard).
 * False when any condition failed — a member already recorded, a cap changed — and nothing was
 * written: the caller then goes member by member.
 */
async function commitGroup(c: Campaign, plans: readonly Plan[]): Promise<boolean> {
  const shards = new Map<number, Record<string, number>>();
  for (const p of plans) {
    const shard = counterShard(p.contactId);
    const deltas = shards.get(shard) ?? {};
    for (const [name, n] of Object.entries(p.counter)) deltas[name] = (deltas[name] ?? 0) + n;
    shards.set(shard, deltas);
  }
  const items = [
    ...plans.flatMap((p) => [sendPut(p), ...(p.capWrite ? [p.capWrite] : [])]),
    ...[...shards].map(([shard, deltas]) => shardCounterItem(c.campaignId, shard, deltas)),
  ];
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (isRetryable(error)) return false;
    throw error;
  }
}

/** Sends (or holds out, or suppresses) one member on their own; safe to repeat. */
export async function processMember(c: Campaign, contactId: string, ports: SendPorts): Promise<MemberOutcome> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const [profileRes, cap] = await Promise.all([db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId) })), readCap(contactId)]);
    const p = await planMember(c, contactId, ports.now(), profileRes.Item, cap);
    const committed = await commitOne(c, p);
    if (committed === 'exists') return resume(c, contactId, p.facts, ports);
    if (committed === 'retry') continue;
    return p.outcome === 'sent' && p.facts ? deliver(c, p.record, p.facts, ports) : p.outcome;
  }
  throw new Error('campaign send: too much contention on one member');
}

/** Members per group transaction: 2 items each (send + cap) plus ≤ 8 counter shards stays under the 100-item limit. */
export const GROUP_SIZE = 40;

/**
 * Processes a batch: with `recheck` (a batch seen before) first reads its send records — finished
 * members are skipped, half-applied sends completed — then reads profiles and caps with two
 * BatchGetItem calls, plans every new member, commits each group of plans in one transaction
 * (falling back to member by member when a group hits a condition), then delivers to the treated
 * members.
 */
async function processBatch(c: Campaign, contactIds: readonly string[], ports: SendPorts, recheck: boolean): Promise<PromiseSettledResult<MemberOutcome>[]> {
  const now = ports.now();
  const out: PromiseSettledResult<MemberOutcome>[] = new Array(contactIds.length);
  const recorded = recheck ? await existingSends(c.campaignId, contactIds) : new Map<string, SendRecord>();
  const pre = await prefetch(contactIds.filter((id) => !recorded.has(id) || isUndelivered(recorded.get(id))));
  const fresh: { index: number; id: string }[] = [];
  const unfinished: { index: number; record: SendRecord }[] = [];
  contactIds.forEach((id, index) => {
    const record = recorded.get(id);
    if (!record) fresh.push({ index, id });
    else if (isUndelivered(record)) unfinished.push({ index, record });
    else out[index] = { status: 'fulfilled', value: 'duplicate' };
  });
  const finished = await mapLimit(unfinished, PARALLEL, ({ record }) => {
    const profile = pre.profiles.get(record.contactId);
    return profile ? deliver(c, record, factsFromProfile(profile), ports) : Promise.resolve<MemberOutcome>('duplicate');
  });
  finished.forEach((r, n) => (out[(unfinished[n] as { index: number }).index] = r));
  const planned = await mapLimit(fresh, PARALLEL, ({ id }) => planMember(c, id, now, pre.profiles.get(id), pre.caps.get(id) ?? { touches: [], version: 0 }));
  const ready: { index: number; plan: Plan }[] = [];
  planned.forEach((r, n) => {
    const index = (fresh[n] as { index: number }).index;
    if (r.status === 'fulfilled') ready.push({ index, plan: r.value });
    else out[index] = r;
  });
  for (let g = 0; g < ready.length; g += GROUP_SIZE) {
    const group = ready.slice(g, g + GROUP_SIZE);
    if (
      await commitGroup(
        c,
        group.map((x) => x.plan),
      )
    ) {
      const delivered = await deliverGroup(
        c,
        group.map((x) => x.plan),
        ports,
      );
      delivered.forEach((r, n) => (out[(group[n] as { index: number }).index] = r));
    } else {
      const single = await mapLimit(group, PARALLEL, ({ plan }) => processMember(c, plan.contactId, ports));
      single.forEach((r, n) => (out[(group[n] as { index: number }).index] = r));
    }
  }
  return out;
}

function variantOf(c: Campaign, id: string | undefined): Variant {
  return c.variants.find((v) => v.variantId === id) ?? (c.variants[0] as Variant);
}

/** Deterministic id of a per-member campaign artefact (email message, webhook event), so repeats collide. */
export const stableId = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);

async function putOnce(item: Record<string, unknown>): Promise<void> {
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

/** What delivering one send writes: the channel items (keys derived from campaign and member) and the widget push. */
interface Delivery {
  items: Record<string, unknown>[];
  push?: unknown;
  at: string;
}

/** Credits the offer (idempotent by source id) and renders the send's channel items in the member's language. */
async function buildDelivery(c: Campaign, record: SendRecord, m: MemberFacts, ports: SendPorts): Promise<Delivery> {
  const now = ports.now();
  const at = now.toISOString();
  const lang = langOf(m.locale);
  const variant = variantOf(c, record.variantId);
  let balance = m.points;
  if (c.offer.kind === 'points') {
    const after = await ports.awardPoints({
      contactId: m.contactId,
      points: c.offer.points,
      sourceId: keys.campaignMember(c.campaignId, m.contactId),
      at,
      reason: `campaign: ${c.name}`,
    });
    balance = after ?? balance + c.offer.points;
  }
  // the same claim key on every re-run: a crash between claim and delivery gives the same code again
  const coupon = c.offer.kind === 'coupon' ? await ports.claimCoupon(c.offer.poolId, keys.campaignMember(c.campaignId, m.contactId), now) : undefined;
  const couponText = coupon && { code: coupon.code, terms: coupon.terms[lang], expires: coupon.expiresAt.slice(0, 10) };
  const url = unsubscribeUrl(c.linkBase ?? '', signUnsubscribe({ contactId: m.contactId, campaignId: c.campaignId }, await ports.unsubscribeKey()), lang);
  const values: Values = {
    name: m.name ?? (lang === 'zh' ? '会员' : 'there'),
    tier: (await ports.tierName(m.tierId, lang)) ?? '',
    points: balance,
    bonusPoints: c.offer.kind === 'points' ? c.offer.points : 0,
    couponCode: couponText?.code ?? '',
    couponTerms: couponText?.terms ?? '',
    couponExpires: couponText?.expires ?? '',
    unsubscribeUrl: url,
  };
  const offer =
    c.offer.kind === 'points'
      ? { kind: 'points', points: c.offer.points }
      : coupon
        ? {
            kind: 'coupon',
            poolId: (c.offer as { poolId: string }).poolId,
            code: coupon.code,
            value: coupon.value,
            threshold: coupon.threshold,
            expiresAt: coupon.expiresAt,
          }
        : { kind: 'none' };
  const delivery: Delivery = { items: [], at };
  for (const channel of record.channels ?? []) {
    if (channel === 'widget' && variant.content.widget) {
      const t = variant.content.widget[lang];
      const message = {
        campaignId: c.campaignId,
        variantId: variant.variantId,
        lang,
        title: render(t.title, values, lang),
        body: render(t.body, values, lang),
        offer,
        createdAt: at,
        expiresAt: new Date(now.getTime() + WIDGET_MESSAGE_DAYS * 86_400_000).toISOString(),
      };
      delivery.items.push({
        ...keys.campaignMessage(m.contactId, c.campaignId),
        contactId: m.contactId,
        ...message,
        ttl: Math.floor(Date.parse(message.expiresAt) / 1000),
      });
      delivery.push = { type: 'campaign_message', message };
    }
    if (channel === 'email' && variant.content.email && m.email) {
      const t = variant.content.email[lang];
      const placesLink = /\{\{\s*unsubscribeUrl\s*\}\}/.test(t.body);
      const placesCoupon = /\{\{\s*couponCode\s*\}\}/.test(t.body);
      const text =
        render(t.body, values, lang) + (couponText && !placesCoupon ? couponLine(lang, couponText) : '') + (placesLink ? '' : unsubscribeFooter(lang, url));
      const messageId = `cmp-${stableId(c.campaignId, m.contactId)}`;
      delivery.items.push({
        ...keys.emailOutbox(messageId),
        ...keys.emailOutboxPending(at, messageId),
        messageId,
        kind: 'marketing',
        campaignId: c.campaignId,
        contactId: m.contactId,
        to: m.email,
        lang,
        subject: render(t.subject, values, lang),
        text,
        html: `<div lang="${lang === 'zh' ? 'zh-CN' : 'en'}">${escapeHtml(text).replace(/\n/g, '<br>')}</div>`,
        headers: listUnsubscribeHeaders(url),
        status: 'pending',
        createdAt: at,
      });
    }
    if (channel === 'webhook' && variant.content.webhook) {
      const t = variant.content.webhook[lang];
      const eventId = `evt_cmp_${stableId(c.campaignId, m.contactId)}`;
      delivery.items.push({
        ...keys.outboxEvent(eventId),
        ...keys.outboxPending(at, eventId),
        eventId,
        type: 'campaign.message',
        campaignId: c.campaignId,
        contactId: m.contactId,
        shopId: m.shopId,
        variantId: variant.variantId,
        lang,
        title: render(t.title, values, lang),
        body: render(t.body, values, lang),
        offer,
        unsubscribeUrl: url,
        at,
      });
    }
  }
  return delivery;
}

/**
 * Finishes one send on its own (the retry path): each channel item is written only if absent — a
 * sender may already have taken the email — then the send is marked delivered.
 */
async function deliver(c: Campaign, record: SendRecord, m: MemberFacts, ports: SendPorts): Promise<MemberOutcome> {
  const delivery = await buildDelivery(c, record, m, ports);
  for (const item of delivery.items) await putOnce(item);
  if (delivery.push) await ports.push(m.contactId, delivery.push).catch(() => undefined);
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.campaignSend(c.campaignId, m.contactId),
        UpdateExpression: 'SET delivered = :t, deliveredAt = :at',
        ConditionExpression: '#st = :sent',
        ExpressionAttributeNames: { '#st': 'state' },
        ExpressionAttributeValues: { ':t': true, ':sent': 'sent', ':at': delivery.at },
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
  return 'sent';
}

async function batchWrite(items: readonly Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 5) throw new Error('BatchWriteItem kept returning unprocessed items');
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const res: BatchWriteCommandOutput = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = (res.UnprocessedItems?.[tableName()] ?? []) as typeof pending;
    }
  }
}

/**
 * Delivers the sends a group transaction has just created. None of their channel items can exist
 * yet (deliveries only ever follow a send record, and these records are new), so the items go out
 * with BatchWriteItem, 25 a call, and then the send records are rewritten with `delivered: true`.
 */
async function deliverGroup(c: Campaign, plans: readonly Plan[], ports: SendPorts): Promise<PromiseSettledResult<MemberOutcome>[]> {
  const built = await mapLimit(plans, PARALLEL, (p) =>
    p.outcome === 'sent' && p.facts ? buildDelivery(c, p.record, p.facts, ports) : Promise.resolve(undefined),
  );
  const ok = built.map((b, i) => ({ plan: plans[i] as Plan, delivery: b.status === 'fulfilled' ? b.value : undefined })).filter((x) => x.delivery);
  await batchWrite(ok.flatMap((x) => (x.delivery as Delivery).items));
  await mapLimit(ok, PARALLEL, (x) => (x.delivery?.push ? ports.push(x.plan.contactId, x.delivery.push).catch(() => undefined) : Promise.resolve()));
  await batchWrite(
    ok.map((x) => ({ ...keys.campaignSend(c.campaignId, x.plan.contactId), ...x.plan.record, delivered: true, deliveredAt: (x.delivery as Delivery).at })),
  );
  return built.map((b, i) => (b.status === 'rejected' ? b : { status: 'fulfilled', value: (plans[i] as Plan).outcome }));
}

/**
 * Marks a member whose send kept failing (last delivery attempt of the batch) as failed, once: a
 * member never recorded gets a `failed` record; a claimed but undelivered send moves from the
 * sent to the failed counter in the same transaction.
 */
export async function markFailed(c: Campaign, contactId: string, at: string): Promise<void> {
  const existing = await getSend(c.campaignId, contactId);
  if (!existing) {
    await recordOutcome(c, contactId, { state: 'failed', arm: 'none', at }, 'failed');
    return;
  }
  if (existing.state !== 'sent' || existing.delivered === true) return;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.campaignSend(c.campaignId, contactId),
              UpdateExpression: 'SET #st = :failed, failedAt = :at',
              ConditionExpression: '#st = :sent AND delivered = :f',
              ExpressionAttributeNames: { '#st': 'state' },
              ExpressionAttributeValues: { ':failed': 'failed', ':sent': 'sent', ':f': false, ':at': at },
            },
          },
          counterItem(c.campaignId, contactId, { failed: 1, sent: -1, [`variant_${existing.variantId ?? 'a'}`]: -1 }),
        ],
      }),
    );
  } catch (error) {
    if (cancelCode(error, 0) !== 'ConditionalCheckFailed') throw error;
  }
}

export interface BatchResult {
  outcome: 'processed' | 'held' | 'dropped';
  members: Partial<Record<MemberOutcome, number>>;
  failed: number;
}

/**
 * Processes one `campaign-sends` message. A cancelled campaign's batches are dropped; a paused one's,
 * and any during quiet hours, are held back and re-queued (chained SQS delays), their open row's
 * due time moved past the hold. Members that fail are retried with the batch; on its last delivery
 * (`finalAttempt`) they are recorded as failed. Once every member has an outcome the batch's row is
 * closed. A batch delivered before (`redelivered`, or re-queued by the tick) first reads the send
 * records it already has: finished members are skipped, half-applied ones are completed.
 */
export async function processSendMessage(message: SendMessage, finalAttempt: boolean, ports: SendPorts, redelivered = false): Promise<BatchResult> {
  const c = await getCampaign(message.campaignId);
  if (!c || c.status === 'cancelled' || c.status === 'draft') return { outcome: 'dropped', members: {}, failed: 0 };
  const now = ports.now();
  const quiet = quietUntil(now, c.quietHours);
  if (c.status === 'paused' || c.status === 'scheduled' || quiet) {
    const wait = Math.max(1, Math.min(ports.maxHoldSeconds(), quiet ? Math.ceil((quiet.getTime() - now.getTime()) / 1000) : 60));
    if (message.batch) await deferBatch(c.campaignId, message.batch, new Date(now.getTime() + wait * 1000 + BATCH_LEASE_MS).toISOString());
    await ports.hold({ ...message, holds: message.holds + 1 }, wait);
    await updateCampaign(c.campaignId, {}, { add: { deferred: message.contactIds.length } });
    return { outcome: 'held', members: {}, failed: 0 };
  }
  const results = await processBatch(c, message.contactIds, ports, redelivered || (message.redrive ?? 0) > 0);
  const members: BatchResult['members'] = {};
  const failedIds: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') members[r.value] = (members[r.value] ?? 0) + 1;
    else failedIds.push(message.contactIds[i] as string);
  });
  if (failedIds.length > 0) {
    const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    logger.warn('campaign sends failed', {
      campaignId: c.campaignId,
      failed: failedIds.length,
      finalAttempt,
      errorName: (first?.reason as Error | undefined)?.name,
    });
    if (!finalAttempt) throw new Error(`${failedIds.length} campaign sends failed; the batch is retried`);
    const at = ports.now().toISOString();
    for (const id of failedIds) await markFailed(c, id, at);
  }
  if (message.batch) await deleteBatch(c.campaignId, message.batch);
  return { outcome: 'processed', members, failed: failedIds.length };
}
