/**
 * 询单转化率 (pre-sales conversion) per agent: of the pre-sales conversations (询单) an agent
 * handled, the share whose shopper placed an order within N hours of the conversation's start
 * (orders come from the shop's signed order events), with the revenue of those orders. The sweep
 * records each pre-sales conversation as a `presales` fact on its start day (inspection-jobs.ts);
 * the figures are computed when read, so a new N applies to every period at once.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, tableName } from '#shared/store/table.ts';
import { daysBetween } from './store.ts';

export interface Enquiry {
  conversationId: string;
  contactId: string;
  agent?: string;
  /** When the conversation started. */
  at: string;
}

export interface PlacedOrder {
  orderId: string;
  placedAt: string;
  amount: number;
  currency: string;
  refunded?: boolean;
}

/** One agent's conversion figures. */
export interface AgentConversion {
  sub: string;
  enquiries: number;
  converted: number;
  /** converted ÷ enquiries; null without enquiries. */
  rate: number | null;
  /** Amount of the orders that converted (refunded orders excluded), per currency. */
  revenue: Record<string, number>;
}

/** `GET /quality/conversion`: per-agent 询单转化率 of a period. */
export interface QualityConversionResponse {
  from: string;
  to: string;
  hours: number;
  items: AgentConversion[];
  /** More enquiries than one request reads: the figures cover the first `MAX_ENQUIRIES`. */
  truncated: boolean;
  cost: { requests: number };
}

/** Enquiries one request evaluates (one order Query each). */
export const MAX_ENQUIRIES = 2000;
const PARALLEL = 16;

const cents = (v: number) => Math.round(v * 100) / 100;

/** The orders that convert an enquiry: placed in [start, start + hours], not refunded. */
export function convertingOrders(enquiry: Pick<Enquiry, 'at'>, orders: readonly PlacedOrder[], hours: number): PlacedOrder[] {
  const start = Date.parse(enquiry.at);
  const end = start + hours * 3_600_000;
  return orders.filter((o) => !o.refunded && Date.parse(o.placedAt) >= start && Date.parse(o.placedAt) <= end);
}

/** Per-agent conversion from the enquiries and each shopper's orders (enquiries without an agent are left out). */
export function conversionByAgent(enquiries: readonly Enquiry[], ordersOf: ReadonlyMap<string, readonly PlacedOrder[]>, hours: number): AgentConversion[] {
  const rows = new Map<string, AgentConversion>();
  for (const e of enquiries) {
    if (!e.agent) continue;
    const row = rows.get(e.agent) ?? { sub: e.agent, enquiries: 0, converted: 0, rate: null, revenue: {} };
    row.enquiries++;
    const orders = convertingOrders(e, ordersOf.get(e.contactId) ?? [], hours);
    if (orders.length > 0) {
      row.converted++;
      for (const o of orders) row.revenue[o.currency] = cents((row.revenue[o.currency] ?? 0) + o.amount);
    }
    row.rate = row.converted / row.enquiries;
    rows.set(e.agent, row);
  }
  return [...rows.values()];
}

/** The pre-sales conversations started in [from, to] (one Query per day). */
export async function readEnquiries(from: string, to: string, max = MAX_ENQUIRIES): Promise<{ items: Enquiry[]; truncated: boolean; requests: number }> {
  const items: Enquiry[] = [];
  let requests = 0;
  for (const day of daysBetween(from, to)) {
    const facts = await queryAll({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.qualityFactPartition(day, 'presales') },
    });
    requests++;
    for (const f of facts) {
      if (typeof f.conversationId !== 'string' || typeof f.contactId !== 'string') continue;
      items.push({ conversationId: f.conversationId, contactId: f.contactId, at: String(f.at), ...(typeof f.agent === 'string' ? { agent: f.agent } : {}) });
    }
  }
  return { items: items.slice(0, max), truncated: items.length > max, requests };
}

/** The orders of each shopper placed within the enquiries' windows (one gsi1 Query per enquiry). */
export async function readOrdersFor(enquiries: readonly Enquiry[], hours: number): Promise<{ ordersOf: Map<string, PlacedOrder[]>; requests: number }> {
  const ordersOf = new Map<string, PlacedOrder[]>();
  const seen = new Set<string>();
  for (let i = 0; i < enquiries.length; i += PARALLEL) {
    const batch = enquiries.slice(i, i + PARALLEL);
    const pages = await Promise.all(
      batch.map(async (e) => {
        const end = new Date(Date.parse(e.at) + hours * 3_600_000).toISOString();
        const res = await db().send(
          new QueryCommand({
            TableName: tableName(),
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :a AND :b',
            ExpressionAttributeValues: { ':p': keys.contactOrdersPartition(e.contactId).gsi1pk, ':a': e.at, ':b': `${end}~` },
          }),
        );
        return { contactId: e.contactId, items: res.Items ?? [] };
      }),
    );
    for (const page of pages) {
      const list = ordersOf.get(page.contactId) ?? [];
      for (const o of page.items) {
        const id = String(o.orderId);
        if (seen.has(id)) continue;
        seen.add(id);
        list.push({
          orderId: id,
          placedAt: String(o.placedAt),
          amount: Number(o.amount ?? 0),
          currency: String(o.currency ?? 'CNY'),
          ...(o.refunded ? { refunded: true } : {}),
        });
      }
      ordersOf.set(page.contactId, list);
    }
  }
  return { ordersOf, requests: enquiries.length };
}
