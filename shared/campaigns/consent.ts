/**
 * Marketing consent per channel. The profile carries the current state (`consentEmail`,
 * `consentWidget`, `consentWebhook` = granted | revoked, with the time it was stated) for segment
 * and send checks; every statement is also appended to the consent log (`CONTACT#{id}` /
 * `CONSENT#{at}#{channel}`) in the same transaction. An older statement never overwrites a newer
 * one (shops may deliver them out of order).
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { CHANNELS, type Channel } from './model.ts';
import { consentAttribute } from './segments.ts';

export type ConsentSource = 'widget' | 'shop' | 'unsubscribe_link' | 'staff';

/** Records granted/withdrawn consent for channels; 'stale' when a newer statement is already stored, 'no_contact' when there is no profile. */
export async function recordConsent(
  contactId: string,
  channels: readonly Channel[],
  granted: boolean,
  source: ConsentSource,
  at: string,
  ref?: string,
): Promise<'recorded' | 'stale' | 'no_contact'> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':state': granted ? 'granted' : 'revoked', ':at': at };
  const sets: string[] = [];
  const conds: string[] = ['attribute_exists(pk)'];
  channels.forEach((channel, i) => {
    names[`#c${i}`] = consentAttribute(channel);
    names[`#t${i}`] = `${consentAttribute(channel)}At`;
    sets.push(`#c${i} = :state`, `#t${i} = :at`);
    conds.push(`(attribute_not_exists(#t${i}) OR #t${i} <= :at)`);
  });
  const log = channels.map((channel) => ({
    Put: {
      TableName: tableName(),
      Item: { ...keys.consentLog(contactId, at, channel), contactId, channel, granted, source, at, ...(ref ? { ref } : {}) },
    },
  }));
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.contact(contactId),
              UpdateExpression: `SET ${sets.join(', ')}`,
              ConditionExpression: conds.join(' AND '),
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          ...log,
        ],
      }),
    );
    return 'recorded';
  } catch (error) {
    const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
    if (e.name !== 'TransactionCanceledException' || e.CancellationReasons?.[0]?.Code !== 'ConditionalCheckFailed') throw error;
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId), ProjectionExpression: 'pk' }));
    return res.Item ? 'stale' : 'no_contact';
  }
}

/** Withdraws marketing consent on every channel (the unsubscribe link). */
export function unsubscribeEverywhere(contactId: string, at: string, campaignId: string) {
  return recordConsent(contactId, CHANNELS, false, 'unsubscribe_link', at, campaignId);
}

/** A contact's consent log, newest first. */
export async function consentHistory(contactId: string, limit = 50): Promise<Record<string, unknown>[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.contact(contactId).pk, ':p': keys.consentLogPrefix() },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map(({ pk: _pk, sk: _sk, ...rest }) => rest);
}
