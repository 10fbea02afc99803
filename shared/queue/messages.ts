/**
 * The one contract of every queue: the message schema its consumer validates, the business key that
 * makes a redelivery a no-op, and how long that key is remembered. Producers (`enqueue`,
 * `enqueueBatch`) are typed from the same schemas, so a body the consumer would refuse does not
 * compile; consumers (`withSqs('function-name', …)`) find theirs through the manifest's queue of that
 * function. Plain zod schemas only: every function that sends or consumes imports this module.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { QueueName } from '#infra/manifest.ts';
import { SnsEnvelope } from '#shared/api/ses-events.ts';
import { ShopEventMessage, ShopQueueMessage } from '#shared/api/shop-events.ts';
import { SLA_METRICS } from '#shared/sla/policy.ts';

const Id = z.string().check(z.minLength(1), z.maxLength(128));
const Day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** A shopper message the bot should answer. */
export const BotJob = z.strictObject({ conversationId: z.string(), messageId: z.string() });

/** One hop of an SLA timer chain (see shared/tickets/timers.ts). */
export const TimerMessage = z.strictObject({
  ticketId: z.string().check(z.regex(/^tkt_[0-9a-z]{26}$/)),
  metric: z.enum(SLA_METRICS),
  kind: z.enum(['warn', 'breach']),
  dueAt: z.iso.datetime(),
  policyVersion: z.int().check(z.gte(1)),
  timerVersion: z.int().check(z.gte(1)),
  chain: z.string().check(z.regex(/^tmr_[0-9a-z]{26}$/)),
  hop: z.int().check(z.gte(0), z.lte(100_000)),
});

/** A survey to deliver after its trigger's delay. */
export const SurveyRequest = z.strictObject({
  surveyId: z.string().check(z.regex(/^svy_[0-9a-z]{26}$/)),
  requestId: z.string().check(z.maxLength(64)),
  trigger: z.enum(['conversation_resolved', 'ticket_solved', 'bot_resolved', 'manual']),
  definitionId: z.string().check(z.maxLength(40)),
  contactId: z.string().check(z.maxLength(64)),
  conversationId: z.optional(z.string().check(z.maxLength(64))),
  ticketId: z.optional(z.string().check(z.maxLength(64))),
  agent: z.optional(z.string().check(z.maxLength(128))),
  channel: z.optional(z.string().check(z.maxLength(32))),
  category: z.optional(z.string().check(z.maxLength(64))),
});

/** Contacts whose churn score the daily run refreshes. */
export const ChurnRescoreMessage = z.strictObject({
  day: Day,
  contactIds: z.array(Id).check(z.minLength(1), z.maxLength(100)),
});

/** One hop of a campaign's audience fan-out. */
export const CampaignFanoutMessage = z.strictObject({ campaignId: Id, hop: z.int().check(z.minimum(0)) });

/**
 * A batch of a campaign's members to send to (`holds`: how often it was re-queued for quiet hours;
 * `batch`: its open row in the table; `redrive`: how often the tick re-queued it from that row).
 */
export const CampaignSendsMessage = z.strictObject({
  campaignId: Id,
  contactIds: z.array(Id).check(z.minLength(1), z.maxLength(100)),
  holds: z.int().check(z.minimum(0)),
  batch: z.optional(z.string().check(z.regex(/^\d{7}#\d{3}$/))),
  redrive: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
});

/** A data export or erasure task step. */
export const PrivacyMessage = z.strictObject({ taskId: z.string().check(z.regex(/^prv_[0-9a-z]{26}$/)), attempt: z.int().check(z.minimum(0)) });

/** One attempt to deliver a webhook event to the shop. */
export const WebhookMessage = z.strictObject({ eventId: Id, attempt: z.int().check(z.minimum(0), z.maximum(20)) });

export { ShopEventMessage };

interface Contract<S extends z.ZodMiniType> {
  schema: S;
  /** The business key that makes a redelivery a no-op. */
  key: (message: z.infer<S>) => string;
  /** How long a processed key is remembered (default 7 days, longer than any SQS retention). */
  rememberSeconds?: number;
}

const contract = <S extends z.ZodMiniType>(c: Contract<S>): Contract<S> => c;

/** Every manifest queue's contract (a queue without one does not compile). */
export const QUEUE_MESSAGES = {
  'shop-events': contract({ schema: ShopQueueMessage, key: (m) => `${m.shopId}#${m.event.eventId}` }),
  bot: contract({ schema: BotJob, key: (m) => m.messageId, rememberSeconds: 24 * 3600 }),
  'sla-timers': contract({ schema: TimerMessage, key: (m) => `${m.chain}#${m.hop}`, rememberSeconds: 24 * 3600 }),
  surveys: contract({ schema: SurveyRequest, key: (m) => `${m.surveyId}#${m.requestId}` }),
  'churn-rescore': contract({ schema: ChurnRescoreMessage, key: (m) => `${m.day}#${sha1(m.contactIds.join(','))}`, rememberSeconds: 2 * 24 * 3600 }),
  'campaign-fanout': contract({ schema: CampaignFanoutMessage, key: (m) => `${m.campaignId}#${m.hop}` }),
  'campaign-sends': contract({
    schema: CampaignSendsMessage,
    key: (m) => `${m.campaignId}#${m.holds}${m.redrive ? `#r${m.redrive}` : ''}#${sha1(m.contactIds.join(','))}`,
  }),
  'privacy-tasks': contract({ schema: PrivacyMessage, key: (m) => `${m.taskId}#${m.attempt}`, rememberSeconds: 2 * 24 * 3600 }),
  webhooks: contract({ schema: WebhookMessage, key: (m) => `${m.eventId}#${m.attempt}`, rememberSeconds: 2 * 24 * 3600 }),
  // SES events through SNS: the SNS message id (a redelivery repeats it); the store also skips a feedback id seen before.
  'ses-events': contract({ schema: SnsEnvelope, key: (m) => m.MessageId }),
} satisfies { [Q in QueueName]: Contract<z.ZodMiniType> };

/** The message a queue carries (what its consumer validates), as producers must build it. */
export type QueueMessage<Q extends QueueName> = z.infer<(typeof QUEUE_MESSAGES)[Q]['schema']>;
