import { randomBytes } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '#shared/http/errors.ts';
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
  /** Bumped by every settings save (absent = 0): a save with an older version is refused. */
  settingsVersion?: number;
  settingsUpdatedAt?: string;
  /** Staff subject of the admin who saved last. */
  settingsUpdatedBy?: string;
  webhookSecretRotatedAt?: string;
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

/** A shop read fresh (strongly consistent, no cache): the settings screen and the webhook sender. */
export async function readShop(shopId: string): Promise<Shop | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.shop(shopId), ConsistentRead: true }));
  return res.Item as Shop | undefined;
}

/**
 * Applies a settings change if the shop is still at `expectedVersion` (one conditional write:
 * two admins saving from the same version cannot both win; the second gets a 409). `set` and
 * `remove` are attribute names of the editable settings only. Returns the saved shop.
 */
export async function saveShopSettings(
  shopId: string,
  change: { set: Record<string, string | number | boolean>; remove: string[] },
  expectedVersion: number,
  actor: string,
  now: Date,
): Promise<Shop> {
  const names: Record<string, string> = { '#v': 'settingsVersion', '#at': 'settingsUpdatedAt', '#by': 'settingsUpdatedBy' };
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':next': expectedVersion + 1, ':at': now.toISOString(), ':by': actor };
  const sets = ['#v = :next', '#at = :at', '#by = :by'];
  Object.entries(change.set).forEach(([field, value], i) => {
    names[`#s${i}`] = field;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  const removes = change.remove.map((field, i) => {
    names[`#r${i}`] = field;
    return `#r${i}`;
  });
  try {
    const res = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.shop(shopId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression:
          expectedVersion === 0 ? 'attribute_exists(pk) AND (attribute_not_exists(#v) OR #v = :expected)' : 'attribute_exists(pk) AND #v = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return res.Attributes as Shop;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    const current = await readShop(shopId);
    if (!current) throw notFound('shop');
    throw conflict(
      {
        en: `the shop settings are at version ${current.settingsVersion ?? 0}, not ${expectedVersion}: another admin saved meanwhile; reload and make your change again`,
        zh: `店铺设置当前是第 ${current.settingsVersion ?? 0} 版，不是第 ${expectedVersion} 版：另一位管理员刚刚保存过，请重新加载后再修改`,
      },
      {
        version: current.settingsVersion ?? 0,
      },
    );
  } finally {
    forgetShops();
  }
}

/**
 * Replaces the webhook signing secret with a new random one (32 bytes, hex like the seeded one)
 * and returns it: the only time it is shown. The settings version is left alone (no form edits it).
 */
export async function rotateWebhookSecret(shopId: string, now: Date): Promise<{ secret: string; rotatedAt: string }> {
  const secret = randomBytes(32).toString('hex');
  const rotatedAt = now.toISOString();
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.shop(shopId),
        UpdateExpression: 'SET webhookSecret = :s, webhookSecretRotatedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':s': secret, ':at': rotatedAt },
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') throw notFound('shop');
    throw error;
  } finally {
    forgetShops();
  }
  return { secret, rotatedAt };
}
