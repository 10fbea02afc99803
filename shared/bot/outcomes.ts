import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { updateConversation, type Conversation } from '#shared/store/conversations.ts';
import { countBotEvent } from '#shared/bot/service.ts';

/** A bot conversation with no re-contact for this long is closed out. */
export const BOT_QUIET_DAYS = 2;

/**
 * How a quiet bot conversation ends: the bot's last turn answered (no fallback pending) and the
 * shopper never came back → `resolved_by_bot`; the bot was still unsure → `abandoned`.
 */
export function quietOutcome(c: Pick<Conversation, 'bot'>): 'resolved_by_bot' | 'abandoned' {
  return c.bot && c.bot.turns > 0 && c.bot.fallbacks === 0 ? 'resolved_by_bot' : 'abandoned';
}

/**
 * Closes out bot conversations that went quiet: reads the open-status partition of gsi2 up to
 * the cut-off (a Query ordered by last activity, never a Scan) and records each outcome once.
 */
export async function closeQuietBotConversations(now: Date, quietDays = BOT_QUIET_DAYS): Promise<Record<string, number>> {
  const cutoff = new Date(now.getTime() - quietDays * 86_400_000).toISOString();
  const counts: Record<string, number> = { resolved_by_bot: 0, abandoned: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :cut',
        FilterExpression: 'bot.active = :t',
        ExpressionAttributeValues: { ':p': keys.statusPartition('open').gsi2pk, ':cut': cutoff, ':t': true },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of res.Items ?? []) {
      const outcome = quietOutcome(item as Conversation);
      let changed = false;
      await updateConversation(item.conversationId as string, (c) => {
        changed = c.bot?.active === true && c.lastMessageAt < cutoff;
        return changed ? { status: 'resolved', bot: { ...c.bot!, active: false, outcome } } : {};
      });
      if (changed) {
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        await countBotEvent(outcome, now);
      }
    }
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return counts;
}
