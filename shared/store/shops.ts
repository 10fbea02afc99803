import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

/** The shop this installation serves (one shop per deployment today). */
export const DEFAULT_SHOP_ID = 'demo';

export interface BusinessHours {
  timeZone: string;
  /** ISO weekday (1 = Monday … 7 = Sunday) → [open "HH:MM", close "HH:MM"] */
  days: Record<string, [string, string]>;
  holidays?: string[];
}

export interface Shop {
  shopId: string;
  name: string;
  identitySecret: string;
  webhookSecret: string;
  locales: string[];
  businessHours: BusinessHours;
  /** The bot answers first unless the shop turned it off. */
  botEnabled?: boolean;
  /** Where outbound webhooks go (https, public address); none = events stay in the log as `no_target`. */
  webhookUrl?: string;
  /** An agent's public reply to an unassigned conversation assigns it to them (default true). */
  assignOnReply?: boolean;
  /** Days chat transcripts are kept; new conversations stamp it and their messages carry a TTL. */
  transcriptRetentionDays?: number;
}

const cache = new Map<string, { shop: Shop | undefined; at: number }>();
const CACHE_MS = 60_000;

/** A shop's settings, cached for a minute per container (read on every widget and shop call). */
export async function getShop(shopId: string, now = Date.now()): Promise<Shop | undefined> {
  const hit = cache.get(shopId);
  if (hit && now - hit.at < CACHE_MS) return hit.shop;
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.shop(shopId) }));
  const shop = res.Item as Shop | undefined;
  cache.set(shopId, { shop, at: now });
  return shop;
}

/** Drops this container's cached shop settings (a settings change applies at once, not within a minute). */
export function forgetShops(): void {
  cache.clear();
}
