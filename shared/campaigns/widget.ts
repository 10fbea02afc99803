/** What the widget shows of campaigns: the shopper's own campaign messages and consent state. */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { CHANNELS, type Channel } from './model.ts';
import { consentAttribute } from './segments.ts';

/** The contact's unexpired campaign messages, newest first (one Query on their own partition). */
export async function widgetMessages(contactId: string, now: Date, limit = 20): Promise<Record<string, unknown>[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.contact(contactId).pk, ':p': keys.campaignMessagePrefix() },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  const at = now.toISOString();
  return (res.Items ?? [])
    .filter((item) => typeof item.expiresAt !== 'string' || item.expiresAt > at)
    .map(({ pk: _pk, sk: _sk, ttl: _ttl, contactId: _c, ...message }) => message);
}

/** The contact's marketing consent per channel (`granted`, `revoked` or `unknown`). */
export async function consentState(contactId: string): Promise<Record<Channel, { state: 'granted' | 'revoked' | 'unknown'; at?: string }>> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId) }));
  const item = res.Item ?? {};
  const out = {} as Record<Channel, { state: 'granted' | 'revoked' | 'unknown'; at?: string }>;
  for (const channel of CHANNELS) {
    const v = item[consentAttribute(channel)];
    const at = item[`${consentAttribute(channel)}At`];
    out[channel] = { state: v === 'granted' || v === 'revoked' ? v : 'unknown', ...(typeof at === 'string' ? { at } : {}) };
  }
  return out;
}
