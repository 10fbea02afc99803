/**
 * The access log of personal data: every time staff read a contact's personal data (the customer
 * 360, a conversation, a reveal of full values, an export) an entry says who, when, which contact,
 * which fields and — for a reveal — why. Entries are only ever added (a conditional put; no route
 * changes or deletes one) and carry a TTL of the retention an admin sets; reads skip expired ones
 * (TTL deletion lags). Repeated views of the same kind by the same person in one five-minute
 * window are one entry (a panel refresh is not a new look); reveals and exports are always their own.
 */
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StaffCaller } from '#shared/auth/caller.ts';
import { conflict } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import { ACCESS_RETENTION_DAYS } from '#shared/privacy/api.ts';
import { decodeCursor, encodeCursor } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export const ACCESS_ACTIONS = ['view_360', 'conversation', 'reveal', 'export'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** What each action is, as admins and shoppers read it. */
export const ACCESS_ACTION_TEXT: Record<AccessAction, { 'zh-CN': string; en: string }> = {
  view_360: { 'zh-CN': '查看客户 360', en: 'Viewed the customer 360' },
  conversation: { 'zh-CN': '打开会话', en: 'Opened a conversation' },
  reveal: { 'zh-CN': '显示完整信息', en: 'Revealed full details' },
  export: { 'zh-CN': '导出数据', en: 'Exported the data' },
};

/** Views in one window of this length by the same person, of the same contact and kind, are one entry. */
export const COALESCE_MS = 5 * 60_000;
const COALESCED: ReadonlySet<AccessAction> = new Set(['view_360', 'conversation']);

export interface AccessEntry {
  entryId: string;
  /** When the read happened (the first read of a coalesced view). */
  at: string;
  contactId: string;
  staff: { sub: string; name: string };
  action: AccessAction;
  /** The fields read (profile fields, or parts such as `orders`, `messages`). */
  fields: string[];
  /** True when the personal fields were shown masked. */
  masked: boolean;
  /** Why (required for a reveal). */
  reason?: string;
  conversationId?: string;
}

export type AccessInput = Omit<AccessEntry, 'entryId' | 'at' | 'staff'>;

/** The stored item of an entry: its keys (by contact, by staff member, by day) and its TTL. */
export function accessItem(
  staff: AccessEntry['staff'],
  input: AccessInput,
  now: Date,
  retentionDays: number,
): { item: Record<string, unknown>; entry: AccessEntry } {
  const at = now.toISOString();
  const entry: AccessEntry = { entryId: newId('acc', now.getTime()), at, staff, ...input };
  const item = {
    ...keys.accessEntry(input.contactId, at, entry.entryId),
    ...keys.accessEntryByStaff(staff.sub, at, entry.entryId),
    ...keys.accessEntryByDay(at.slice(0, 10), at, entry.entryId),
    ...entry,
    ttl: Math.floor(now.getTime() / 1000) + retentionDays * 86_400,
  };
  return { item, entry };
}

/** Settings are read at most once a minute per container (every staff read writes an entry). */
const SETTINGS_TTL_MS = 60_000;
let cached: { at: number; settings: AccessLogSettings } | undefined;

export interface AccessLogSettings {
  retentionDays: number;
  version: number;
}

/** The retention setting (the default until an admin saves one). */
export async function accessLogSettings(fresh = false): Promise<AccessLogSettings> {
  if (!fresh && cached && Date.now() - cached.at < SETTINGS_TTL_MS) return cached.settings;
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.accessLogSettings(), ConsistentRead: fresh }));
  const settings = {
    retentionDays: typeof res.Item?.retentionDays === 'number' ? res.Item.retentionDays : ACCESS_RETENTION_DAYS.default,
    version: typeof res.Item?.version === 'number' ? res.Item.version : 0,
  };
  cached = { at: Date.now(), settings };
  return settings;
}

/** Saves the retention (versioned: 409 when someone saved in between). New entries get it; existing ones keep theirs. */
export async function saveAccessLogSettings(retentionDays: number, version: number, by: string, now: Date): Promise<AccessLogSettings> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.accessLogSettings(), retentionDays, version: version + 1, updatedAt: now.toISOString(), updatedBy: by },
        ConditionExpression: version === 0 ? 'attribute_not_exists(pk) OR version = :v' : 'version = :v',
        ExpressionAttributeValues: { ':v': version },
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException')
      throw conflict({
        en: 'someone changed the access-log settings meanwhile; reload them and save again',
        zh: '访问日志设置已被他人修改，请重新加载后再保存',
      });
    throw error;
  }
  const settings = { retentionDays, version: version + 1 };
  cached = { at: Date.now(), settings };
  return settings;
}

const STRIP = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'ttl']);
const live = (item: Record<string, unknown>, now: Date) => !(typeof item.ttl === 'number' && item.ttl * 1000 <= now.getTime());
const entryOf = (item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as unknown as AccessEntry;

/** The guard key of a view: person, contact, kind, conversation, masking and the 5-minute window. */
export function viewKey(staffSub: string, input: AccessInput, now: Date): string {
  const window = Math.floor(now.getTime() / COALESCE_MS);
  return createHash('sha256')
    .update([input.action, staffSub, input.contactId, input.conversationId ?? '', input.masked ? 'masked' : 'full', window].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

/**
 * A staff member opened a conversation (its header or its thread; the console reads both at once
 * and the window's guard logs them once): what they saw of the shopper, masked or not.
 */
export function recordConversationRead(
  caller: StaffCaller,
  conversation: { conversationId: string; contactId: string },
  unmasked: boolean,
  now: Date,
): Promise<AccessEntry> {
  return recordAccess(
    caller,
    {
      contactId: conversation.contactId,
      action: 'conversation',
      conversationId: conversation.conversationId,
      fields: ['name', 'email', 'messages'],
      masked: !unmasked,
    },
    now,
  );
}

/**
 * Appends an entry for a staff read (a put that never overwrites). A view is written together with
 * its window's guard in one transaction, so the same view again within five minutes — even at the
 * same moment, as a conversation and its thread are read — finds the guard and is not logged twice.
 */
export async function recordAccess(caller: StaffCaller, input: AccessInput, now: Date): Promise<AccessEntry> {
  const { retentionDays } = await accessLogSettings();
  const { item, entry } = accessItem({ sub: caller.sub, name: caller.name || caller.email }, input, now, retentionDays);
  const put = { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' };
  if (!COALESCED.has(input.action)) {
    await db().send(new PutCommand(put));
    return entry;
  }
  const guard = { ...keys.accessViewGuard(viewKey(caller.sub, input, now)), entryId: entry.entryId, ttl: Math.floor(now.getTime() / 1000) + 86_400 };
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: tableName(), Item: guard, ConditionExpression: 'attribute_not_exists(pk)' } }, { Put: put }],
      }),
    );
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if ((error as Error).name !== 'TransactionCanceledException' || reasons?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
  }
  return entry;
}

export interface AccessSearch {
  staff?: string;
  contactId?: string;
  day?: string;
  limit: number;
  cursor?: string;
}

/**
 * One page of entries, newest first: a contact's (its partition, optionally only one staff member's),
 * a staff member's (gsi1), or one UTC day's (gsi2). Pages fill up past expired or filtered entries.
 */
export async function searchAccessLog(search: AccessSearch, now: Date): Promise<{ items: AccessEntry[]; cursor?: string }> {
  const base = search.contactId
    ? {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.accessLogPartition(search.contactId), ...(search.staff ? { ':s': search.staff } : {}) },
        ...(search.staff ? { FilterExpression: '#staff.#sub = :s', ExpressionAttributeNames: { '#staff': 'staff', '#sub': 'sub' } } : {}),
      }
    : search.staff
      ? { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.accessByStaffPartition(search.staff).gsi1pk } }
      : {
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p',
          ExpressionAttributeValues: { ':p': keys.accessDayPartition(search.day ?? now.toISOString().slice(0, 10)).gsi2pk },
        };
  const items: AccessEntry[] = [];
  let start: Record<string, unknown> | undefined = decodeCursor(search.cursor);
  do {
    const res = await db().send(
      new QueryCommand({ TableName: tableName(), ...base, ScanIndexForward: false, Limit: search.limit - items.length, ExclusiveStartKey: start }),
    );
    for (const item of res.Items ?? []) if (live(item, now)) items.push(entryOf(item));
    start = res.LastEvaluatedKey;
  } while (start && items.length < search.limit);
  return { items, ...(start ? { cursor: encodeCursor(start) } : {}) };
}

/** Every live entry of a contact, oldest first (the shopper's own export). */
export async function accessLogOfContact(contactId: string, now: Date): Promise<AccessEntry[]> {
  const items: AccessEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.accessLogPartition(contactId) },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) if (live(item, now)) items.push(entryOf(item));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}
