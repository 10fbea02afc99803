import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

/** Typing frames forwarded per sender: at most one per this many ms (the indicator shows for seconds anyway). */
export const TYPING_INTERVAL_MS = 1000;

/** Who a typing frame is from, across all their sockets and conversations. */
export const typingSender = (owner: { kind: 'visitor'; contactId: string } | { kind: 'staff'; sub: string }) =>
  owner.kind === 'visitor' ? `v#${owner.contactId}` : `s#${owner.sub}`;

/**
 * Whether a typing frame may be forwarded now: one conditional write on the sender's slot (the time
 * the last one went out), shared by every container. Two forwarded frames are always at least
 * TYPING_INTERVAL_MS apart; the rest are dropped.
 */
export async function admitTyping(sender: string, now: Date): Promise<boolean> {
  const at = now.getTime();
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        // The sender's single slot: a rate item with a fixed window start.
        Key: keys.rateWindow(`typing#${sender}`, 0),
        UpdateExpression: 'SET lastAt = :at, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(lastAt) OR lastAt <= :cut',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':at': at, ':cut': at - TYPING_INTERVAL_MS, ':ttl': Math.floor(at / 1000) + 3600 },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
