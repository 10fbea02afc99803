/**
 * The calls other modules make when something quality-relevant happens to a conversation
 * (created, first agent reply, status change, bot resolution confirmed). Each folds the event
 * into the conversation's quality state and counters exactly once; a resolution also requests
 * the after-service survey. Failures are logged, never thrown: metrics must not break chat.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SurveyRequest } from '#shared/feedback/ports.ts';
import { dynamoFeedbackStore } from '#shared/feedback/store.ts';
import { requestSurvey, type TriggerInput } from '#shared/feedback/trigger.ts';
import { newId } from '#shared/ids.ts';
import { logger } from '#shared/log.ts';
import { enqueue } from '#shared/queue/send.ts';
import type { Conversation, Message } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { markForInspection } from './inspection-store.ts';
import { type ConversationFacts, dayOf, type QualityEvent, unansweredSince } from './metrics.ts';
import { addCounters, applyQualityEvent, counterUpdates, factPut } from './store.ts';
import { shopTimeZone } from './zone.ts';

/** How far back a reply looks for the customer message it answers. */
const ANSWERS_LOOKBACK = 30;
/** The first page of that look back: most replies follow one to three customer messages. */
const FIRST_PAGE = 4;

/** What requesting a survey needs (kept small: chat functions bundle this module). */
const triggerPorts = { store: dynamoFeedbackStore, enqueue: (request: SurveyRequest, delaySeconds: number) => enqueue('surveys', request, delaySeconds) };

/** The category of the conversation's ticket, when it has one. */
export async function categoryOf(conversation: Conversation): Promise<string | undefined> {
  if (!conversation.ticketId) return undefined;
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.ticket(conversation.ticketId), ProjectionExpression: 'category' }));
  return typeof res.Item?.category === 'string' ? res.Item.category : undefined;
}

/** The facts of a conversation the metrics need. */
export function factsOf(conversation: Conversation, category?: string, timeZone?: string): ConversationFacts {
  return {
    ...(timeZone ? { timeZone } : {}),
    conversationId: conversation.conversationId,
    createdAt: conversation.createdAt,
    channel: conversation.channel,
    ...(conversation.assignee ? { agent: conversation.assignee.sub } : {}),
    ...(category ? { category } : {}),
    ...(conversation.bot?.handoff?.at ? { handoffAt: conversation.bot.handoff.at } : {}),
  };
}

async function safely(what: string, conversationId: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    logger.error('quality hook failed', { what, conversationId, errorName: (error as Error).name });
  }
}

/** Folds an event with the conversation's facts, days cut in the shop's time zone. */
async function apply(conversation: Conversation, event: QualityEvent, category?: string): Promise<void> {
  await applyQualityEvent(factsOf(conversation, category, await shopTimeZone()), event);
}

/** A conversation was started (counts it and raises the backlog). */
export async function qualityOnCreated(conversation: Conversation): Promise<void> {
  await safely('created', conversation.conversationId, () => apply(conversation, { kind: 'created', at: conversation.createdAt }));
}

/**
 * When the customer started waiting for the reply `beforeMessageId`: the thread is read backwards
 * from the reply only until the previous public agent message (small pages: usually one item or
 * a few, never more than ANSWERS_LOOKBACK), not a fixed 30-message page per reply.
 */
export async function waitingSinceBefore(conversationId: string, beforeMessageId: string): Promise<string | undefined> {
  const earlier: { author: { kind: string }; createdAt: string; internal?: boolean }[] = [];
  let startKey: Record<string, unknown> | undefined;
  let limit = FIRST_PAGE;
  while (earlier.length < ANSWERS_LOOKBACK) {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: {
          ':pk': keys.message(conversationId, beforeMessageId).pk,
          ':lo': keys.messagePrefix(),
          ':hi': keys.message(conversationId, beforeMessageId).sk,
        },
        ProjectionExpression: '#id, #au, #at, #in',
        ExpressionAttributeNames: { '#id': 'messageId', '#au': 'author', '#at': 'createdAt', '#in': 'internal' },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    let answered = false;
    for (const item of res.Items ?? []) {
      if (item.messageId === beforeMessageId) continue;
      const m = {
        author: { kind: String((item.author as { kind?: unknown } | undefined)?.kind ?? '') },
        createdAt: String(item.createdAt),
        internal: item.internal === true,
      };
      earlier.unshift(m);
      if (m.author.kind === 'agent' && !m.internal) {
        answered = true;
        break;
      }
      if (earlier.length >= ANSWERS_LOOKBACK) break;
    }
    startKey = res.LastEvaluatedKey;
    if (answered || !startKey) break;
    limit = Math.min(ANSWERS_LOOKBACK, limit * 2);
  }
  return unansweredSince(earlier);
}

/**
 * A message was added: the first public agent reply stops the first-response clock; every public
 * agent reply that answers the customer is a response time (from the oldest customer message since
 * the previous public agent reply) and counts in the replier's workload.
 */
export async function qualityOnMessage(conversation: Conversation, message: Message): Promise<void> {
  if (message.internal || message.author.kind !== 'agent') return;
  await safely('agent_reply', conversation.conversationId, async () => {
    const waitingSince = await waitingSinceBefore(conversation.conversationId, message.messageId);
    await apply(conversation, {
      kind: 'agent_reply',
      at: message.createdAt,
      id: message.messageId,
      ...(message.author.sub ? { by: message.author.sub } : {}),
      ...(waitingSince ? { waitingSince } : {}),
    });
  });
  // The automatic inspection (质检) runs in the sweep: the reply path only marks the conversation.
  await safely('inspection_mark', conversation.conversationId, () => markForInspection(conversation.conversationId, message.createdAt));
}

/** The survey of a conversation; its scores are credited to `agent` (who resolved it), else the assignee. */
function surveyTrigger(conversation: Conversation, trigger: TriggerInput['trigger'], category?: string, agent?: string): TriggerInput {
  const credited = agent ?? conversation.assignee?.sub;
  return {
    trigger,
    sourceId: conversation.conversationId,
    contactId: conversation.contactId,
    conversationId: conversation.conversationId,
    channel: conversation.channel,
    ...(credited ? { agent: credited } : {}),
    ...(category ? { category } : {}),
    ...(conversation.ticketId ? { ticketId: conversation.ticketId } : {}),
  };
}

/**
 * The conversation's status is now `conversation.status` (set by an agent, or reopened by the
 * shopper): counts resolution / reopen / pause, and a resolution by an agent requests the survey
 * (once per conversation, even when this is called twice).
 */
export async function qualityOnStatus(conversation: Conversation, now: Date, by?: string, surveyOnResolve = true): Promise<void> {
  const resolved = conversation.status === 'resolved';
  await safely('status', conversation.conversationId, async () => {
    const category = resolved ? await categoryOf(conversation) : undefined;
    await apply(conversation, { kind: 'status', status: conversation.status, at: now.toISOString(), ...(by ? { by } : {}) }, category);
    if (resolved && surveyOnResolve) await requestSurvey(triggerPorts, surveyTrigger(conversation, 'conversation_resolved', category, by), newId('req'));
  });
  if (resolved) await safely('inspection_mark', conversation.conversationId, () => markForInspection(conversation.conversationId, now.toISOString()));
}

/**
 * The shopper confirmed the bot solved their question (verified resolution): counts it, folds the
 * resolution and requests the after-bot survey.
 */
export async function qualityOnBotResolved(conversation: Conversation, now: Date): Promise<void> {
  await safely('bot_resolved', conversation.conversationId, async () => {
    await addCounters(['all', `channel#${conversation.channel}`], dayOf(now.toISOString(), await shopTimeZone()), { bot_verified: 1 });
    await apply(conversation, { kind: 'status', status: 'resolved', at: now.toISOString(), byBot: true });
    await requestSurvey(triggerPorts, surveyTrigger(conversation, 'bot_resolved'), newId('req'));
  });
}

/** A ticket was solved (for the tickets module to call): requests the after-solve survey. */
export async function surveyOnTicketSolved(ticket: {
  ticketId: string;
  requester: { contactId: string };
  conversationId: string;
  channel: string;
  category?: string;
  assignee?: { sub: string };
}): Promise<void> {
  await safely('ticket_solved', ticket.conversationId, () =>
    requestSurvey(
      triggerPorts,
      {
        trigger: 'ticket_solved',
        sourceId: ticket.ticketId,
        contactId: ticket.requester.contactId,
        ticketId: ticket.ticketId,
        conversationId: ticket.conversationId,
        channel: ticket.channel,
        ...(ticket.assignee ? { agent: ticket.assignee.sub } : {}),
        ...(ticket.category ? { category: ticket.category } : {}),
      },
      newId('req'),
    ),
  );
}

export type SlaOutcome = { ticketId: string; metric: string; at: string; team?: string; assignee?: string; priority?: string };

/**
 * Counts an SLA outcome once per ticket and metric: the conditional fact put (`sla_breach` /
 * `sla_met` drill-down entry) guards the counters in the same transaction, so a repeat (redelivery,
 * a later next-response cycle, a resolution met again after a reopen) counts nothing.
 */
async function recordSlaOutcome(what: 'sla_breach' | 'sla_met', outcome: SlaOutcome, counters: Record<string, number>): Promise<void> {
  await safely(what, outcome.ticketId, async () => {
    const day = dayOf(outcome.at, await shopTimeZone());
    const fact = factPut({ metric: what, day, at: outcome.at, id: `${outcome.ticketId}#${outcome.metric}`, data: outcome });
    const guarded = { Put: { ...fact.Put!, ConditionExpression: 'attribute_not_exists(pk)' } };
    try {
      await db().send(
        new TransactWriteCommand({
          TransactItems: [guarded, ...counterUpdates(['all', ...(outcome.assignee ? [`agent#${outcome.assignee}`] : [])], day, counters)],
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
    }
  });
}

/**
 * An SLA target was breached (for the SLA module to call when it fires a breach): listed in the
 * digest and counted, once per ticket and metric (the fact put is conditional).
 */
export async function recordSlaBreach(breach: SlaOutcome): Promise<void> {
  await recordSlaOutcome('sla_breach', breach, { sla_breaches: 1, [`sla_breach_${breach.metric}`]: 1 });
}

/**
 * An SLA clock stopped before its deadline (answered / solved in time; for the tickets module to
 * call): counted as met on the stop's day, once per ticket and metric.
 */
export async function recordSlaMet(met: SlaOutcome): Promise<void> {
  await recordSlaOutcome('sla_met', met, { [`sla_met_${met.metric}`]: 1 });
}
