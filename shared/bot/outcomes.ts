import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { countBotEvent } from '#shared/bot/service.ts';
import { type BotConversationState, type Conversation, listMessages, updateConversation } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

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
 * Closes out bot conversations that went quiet: reads the bot partition of gsi2 up to the cut-off
 * (a Query ordered by last activity, never a Scan) and records each outcome once. The open
 * partition is read too, with a filter, for items written before bot conversations had their own.
 */
export async function closeQuietBotConversations(now: Date, quietDays = BOT_QUIET_DAYS): Promise<Record<string, number>> {
  const cutoff = new Date(now.getTime() - quietDays * 86_400_000).toISOString();
  const counts: Record<string, number> = { resolved_by_bot: 0, abandoned: 0 };
  for (const partition of ['bot', 'open'] as const) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :cut',
          FilterExpression: 'bot.active = :t',
          ExpressionAttributeValues: { ':p': keys.statusPartition(partition).gsi2pk, ':cut': cutoff, ':t': true },
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
  }
  return counts;
}

/** Bot answers judged per conversation, newest last: bounded by the bot's turn limit, capped here all the same. */
const MAX_JUDGED = 20;
/** How far back the thread is read for the answer a verdict is about. */
const VERDICT_LOOKBACK = 20;

/** The bot state with the answers the shopper already judged (kept on the conversation item). */
type JudgedBot = BotConversationState & { judged?: string[] };

/** Thrown inside the conversation update to leave the item untouched (no write, no version bump). */
class Unchanged extends Error {
  readonly conversation: Conversation;
  constructor(conversation: Conversation) {
    super('verdict changes nothing');
    this.conversation = conversation;
  }
}

/** The answer a verdict is about: the newest bot message of the thread (only it offers the buttons). */
export async function newestBotAnswer(conversationId: string): Promise<string | undefined> {
  const { items } = await listMessages(conversationId, { limit: VERDICT_LOOKBACK, includeInternal: false });
  for (let i = items.length - 1; i >= 0; i--) if (items[i]!.author.kind === 'bot') return items[i]!.messageId;
  return undefined;
}

/**
 * The shopper's verdict on one bot answer, counted once per answer: "helpful" closes the bot
 * conversation as `resolved_by_bot`, "not helpful" counts one fallback. A second verdict on the
 * same answer, or any once the bot has stopped, changes nothing and is not counted again.
 */
export async function recordBotVerdict(
  conversationId: string,
  answerId: string,
  helpful: boolean,
  now: Date,
): Promise<{ conversation: Conversation | undefined; recorded: boolean }> {
  let next: Conversation | undefined;
  try {
    next = await updateConversation(conversationId, (c) => {
      const bot = c.bot as JudgedBot | undefined;
      if (!bot?.active || bot.judged?.includes(answerId)) throw new Unchanged(c);
      const judged: JudgedBot = { ...bot, judged: [...(bot.judged ?? []), answerId].slice(-MAX_JUDGED) };
      return helpful
        ? { status: 'resolved' as const, bot: { ...judged, active: false, outcome: 'resolved_by_bot' as const } }
        : { bot: { ...judged, fallbacks: bot.fallbacks + 1 } };
    });
  } catch (error) {
    if (error instanceof Unchanged) return { conversation: error.conversation, recorded: false };
    throw error;
  }
  if (!next) return { conversation: undefined, recorded: false };
  await countBotEvent(helpful ? 'resolved_by_bot' : 'not_helpful', now);
  return { conversation: next, recorded: true };
}
