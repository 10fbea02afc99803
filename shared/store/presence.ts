import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { connectionsOf, STAFF_TOPIC, servesConversations } from '#shared/realtime.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export type PresenceStatus = 'online' | 'away';

/** Records an agent's chosen status (the console sets it; a socket proves they are there). */
export async function setPresence(sub: string, status: PresenceStatus, now: Date): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.presence(sub), sub, status, at: now.toISOString() } }));
}

/**
 * Presence of the staff who serve shoppers (the roles of the reply route): `online` needs a live
 * console socket and not having chosen `away`; no socket means `offline` whatever was chosen.
 * Other roles (marketing) are never online agents, whatever they set.
 */
export async function presenceBySub(now = new Date()): Promise<Map<string, 'online' | 'away' | 'offline'>> {
  const [connections, chosen] = await Promise.all([
    connectionsOf(STAFF_TOPIC, now),
    db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.presencePartition() },
      }),
    ),
  ]);
  const choice = new Map((chosen.Items ?? []).map((i) => [i.sub as string, i.status as PresenceStatus]));
  const result = new Map<string, 'online' | 'away' | 'offline'>();
  for (const c of connections) {
    if (c.owner.kind !== 'staff' || !servesConversations(c.owner.roles)) continue;
    result.set(c.owner.sub, choice.get(c.owner.sub) === 'away' ? 'away' : 'online');
  }
  return result;
}

/** How many agents are online now (the widget shows chat or the offline form from this). */
export async function agentsOnline(now = new Date()): Promise<number> {
  return [...(await presenceBySub(now)).values()].filter((s) => s === 'online').length;
}
