/**
 * Surveys: definitions (built-in CSAT, CES, NPS and admin-defined multi-question surveys with zh/en
 * texts), settings (delay, fatigue cap, link lifetime, edit window, points), survey instances and
 * responses, with the strict request schemas that accept them.
 */
import * as z from 'zod/mini';
import { TOPICS } from '#shared/ai/categories.ts';
import type { SentimentLabel, Topic } from '#shared/ai/sentiment.ts';

export interface Bilingual {
  'zh-CN': string;
  en: string;
}

export type QuestionKind = 'csat' | 'ces' | 'nps' | 'choice' | 'text';

export interface Question {
  id: string;
  kind: QuestionKind;
  text: Bilingual;
  required: boolean;
  /** `choice` only: the options (ids are what answers carry). */
  options?: { id: string; text: Bilingual }[];
  /** `choice` only: several options may be picked. */
  multiple?: boolean;
  /** Shown (and required) only when the named score question was answered with at most this score. */
  showIf?: { question: string; atMost: number };
}

export interface SurveyDefinition {
  definitionId: string;
  name: Bilingual;
  questions: Question[];
  version: number;
  updatedAt: string;
}

export type TriggerKind = 'conversation_resolved' | 'ticket_solved' | 'bot_resolved' | 'manual';

export interface SurveySettings {
  enabled: boolean;
  /** Wait after the trigger before the survey is sent (SQS DelaySeconds, at most 900). */
  delaySeconds: number;
  /** At most one survey per contact in this many days (0 = no cap; ≤ 60, the cap item's history). */
  fatigueDays: number;
  /** Lifetime of a signed survey link and of a pending survey in the widget. */
  linkTtlHours: number;
  /** A submitted response may be changed for this long. */
  editWindowMinutes: number;
  /** Points credited for answering (never dependent on the score; 0 = none). */
  pointsPerResponse: number;
  /** At most this many rewarded responses per contact and calendar month. */
  pointsMaxPerMonth: number;
  /** Which definition each automatic trigger sends (null = the trigger is off). */
  triggers: { conversation_resolved: string | null; ticket_solved: string | null; bot_resolved: string | null };
  version: number;
}

export type SurveyStatus = 'sent' | 'answered' | 'suppressed';
export type SuppressReason = 'fatigue' | 'opt_out' | 'complaint' | 'disabled';

/** One survey sent (or deliberately not sent) to one contact for one trigger. */
export interface SurveyInstance {
  surveyId: string;
  definitionId: string;
  definitionVersion: number;
  name: Bilingual;
  questions: Question[];
  contactId: string;
  trigger: TriggerKind;
  conversationId?: string;
  ticketId?: string;
  /** Scopes the response counts in (agent subject, channel, category) as at the trigger. */
  agent?: string;
  channel?: string;
  category?: string;
  status: SurveyStatus;
  suppressedReason?: SuppressReason;
  createdAt: string;
  sentAt?: string;
  expiresAt: string;
  answeredAt?: string;
  version: number;
}

export type AnswerValue = number | string | string[];

export interface TagCorrection {
  at: string;
  by: string;
  from: { sentiment?: SentimentLabel; topics: Topic[] };
  to: { sentiment?: SentimentLabel; topics: Topic[] };
}

export interface SurveyResponse {
  surveyId: string;
  contactId: string;
  answers: Record<string, AnswerValue>;
  scores: { csat?: number; ces?: number; nps?: number };
  comment?: string;
  sentiment?: SentimentLabel;
  topics: Topic[];
  detractor: boolean;
  /** Day whose counters hold this response (edits adjust the same day). */
  metricDay: string;
  submittedAt: string;
  updatedAt: string;
  editableUntil: string;
  corrections: TagCorrection[];
  /** Set once the response (or an edit of it) opened the survey's one follow-up. */
  followUpOpened?: boolean;
  version: number;
}

export interface FollowUp {
  surveyId: string;
  contactId: string;
  conversationId?: string;
  ticketId?: string;
  status: 'open' | 'closed';
  reasons: ('low_csat' | 'low_nps' | 'negative_comment')[];
  scores: SurveyResponse['scores'];
  topics: Topic[];
  createdAt: string;
  /** The ticket opened for the follow-up through the tickets module (set once created). */
  followUpTicketId?: string;
  closedAt?: string;
  closedBy?: string;
  note?: string;
  version: number;
}

const t = (zh: string, en: string): Bilingual => ({ 'zh-CN': zh, en });

const CSAT_REASONS = [
  { id: 'slow', text: t('回复太慢', 'Replies were slow') },
  { id: 'unresolved', text: t('问题没有解决', 'My problem was not solved') },
  { id: 'attitude', text: t('服务态度不好', 'The agent was unfriendly') },
  { id: 'knowledge', text: t('客服不够专业', 'The agent did not know the answer') },
  { id: 'policy', text: t('不认可处理方案', 'I disagree with the outcome') },
  { id: 'other', text: t('其他', 'Something else') },
];

const COMMENT = (id = 'comment'): Question => ({
  id,
  kind: 'text',
  text: t('还有什么想告诉我们的吗？（选填）', 'Anything else you would like to tell us? (optional)'),
  required: false,
});

/** The built-in surveys: CSAT with reasons on low scores, CES and NPS, each with a comment. */
export const BUILTIN_DEFINITIONS: readonly SurveyDefinition[] = [
  {
    definitionId: 'csat',
    name: t('服务满意度', 'Service satisfaction'),
    questions: [
      { id: 'csat', kind: 'csat', text: t('您对本次服务满意吗？', 'How satisfied are you with the help you received?'), required: true },
      {
        id: 'reasons',
        kind: 'choice',
        multiple: true,
        text: t('哪里让您不满意？', 'What went wrong?'),
        required: false,
        options: CSAT_REASONS,
        showIf: { question: 'csat', atMost: 2 },
      },
      COMMENT(),
    ],
    version: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
  {
    definitionId: 'ces',
    name: t('办理便捷度', 'Customer effort'),
    questions: [
      {
        id: 'ces',
        kind: 'ces',
        text: t('解决这次问题有多容易？（1 非常困难 – 7 非常容易）', 'How easy was it to get your issue handled? (1 very hard – 7 very easy)'),
        required: true,
      },
      COMMENT(),
    ],
    version: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
  {
    definitionId: 'nps',
    name: t('推荐意愿', 'Likelihood to recommend'),
    questions: [
      { id: 'nps', kind: 'nps', text: t('您有多大可能把我们推荐给朋友？（0–10）', 'How likely are you to recommend us to a friend? (0–10)'), required: true },
      COMMENT(),
    ],
    version: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
];

export const DEFAULT_SETTINGS: SurveySettings = {
  enabled: true,
  delaySeconds: 300,
  fatigueDays: 14,
  linkTtlHours: 168,
  editWindowMinutes: 30,
  pointsPerResponse: 10,
  pointsMaxPerMonth: 3,
  triggers: { conversation_resolved: 'csat', ticket_solved: 'csat', bot_resolved: 'csat' },
  version: 0,
};

/** Score ranges of the score question kinds. */
export const SCORE_RANGE: Record<'csat' | 'ces' | 'nps', [number, number]> = { csat: [1, 5], ces: [1, 7], nps: [0, 10] };

// ---------- request schemas ----------

const Id = z.string().check(z.regex(/^[a-z][a-z0-9_-]{0,39}$/, 'ids are lowercase letters, digits, _ or -, ≤ 40'));
const BilingualSchema = z.strictObject({
  'zh-CN': z.string().check(z.trim(), z.minLength(1), z.maxLength(300)),
  en: z.string().check(z.trim(), z.minLength(1), z.maxLength(300)),
});

export const SurveyIdSchema = z.string().check(z.regex(/^svy_[0-9a-z]{26}$/, 'not a survey id'));
export const SurveyParams = z.strictObject({ surveyId: SurveyIdSchema });
export const DefinitionParams = z.strictObject({ definitionId: Id });

export const QuestionSchema = z.strictObject({
  id: Id,
  kind: z.enum(['csat', 'ces', 'nps', 'choice', 'text']),
  text: BilingualSchema,
  required: z.boolean(),
  options: z.optional(z.array(z.strictObject({ id: Id, text: BilingualSchema })).check(z.minLength(2), z.maxLength(12))),
  multiple: z.optional(z.boolean()),
  showIf: z.optional(z.strictObject({ question: Id, atMost: z.number().check(z.int(), z.gte(0), z.lte(10)) })),
});

export const DefinitionBody = z.strictObject({
  name: BilingualSchema,
  questions: z.array(QuestionSchema).check(z.minLength(1), z.maxLength(10)),
  /** The version being replaced (absent when creating). */
  version: z.optional(z.number().check(z.int(), z.gte(0))),
});

export const SettingsBody = z.strictObject({
  enabled: z.optional(z.boolean()),
  delaySeconds: z.optional(z.number().check(z.int(), z.gte(0), z.lte(900))),
  fatigueDays: z.optional(z.number().check(z.int(), z.gte(0), z.lte(60))),
  linkTtlHours: z.optional(z.number().check(z.int(), z.gte(1), z.lte(720))),
  editWindowMinutes: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1440))),
  pointsPerResponse: z.optional(z.number().check(z.int(), z.gte(0), z.lte(10_000))),
  pointsMaxPerMonth: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100))),
  triggers: z.optional(
    z.strictObject({
      conversation_resolved: z.optional(z.nullable(Id)),
      ticket_solved: z.optional(z.nullable(Id)),
      bot_resolved: z.optional(z.nullable(Id)),
    }),
  ),
  version: z.number().check(z.int(), z.gte(0)),
});

const Answer = z.union([z.number().check(z.int(), z.gte(0), z.lte(10)), z.string().check(z.trim(), z.maxLength(2000)), z.array(Id).check(z.maxLength(12))]);

export const ResponseBody = z.strictObject({
  answers: z.record(Id, Answer),
  /** Language the shopper answered in (stored for reporting; defaults to the page language). */
  lang: z.optional(z.enum(['zh-CN', 'en'])),
});

export const TagsBody = z.strictObject({
  sentiment: z.optional(z.enum(['positive', 'neutral', 'negative'])),
  topics: z.array(z.enum(TOPICS)).check(z.minLength(1), z.maxLength(8)),
  version: z.number().check(z.int(), z.gte(1)),
});

export const ManualSendBody = z.strictObject({
  conversationId: z.string().check(z.regex(/^cnv_[0-9a-z]{26}$/, 'not a conversation id')),
  definitionId: z.optional(Id),
});

export const LinkQuery = z.strictObject({
  t: z.string().check(z.regex(/^\d{10}\.[A-Za-z0-9_-]{43}$/, 'not a survey link token')),
  lang: z.optional(z.enum(['zh-CN', 'en'])),
});

export const LinkBody = z.union([ResponseBody, z.strictObject({ optOut: z.literal(true) })]);
