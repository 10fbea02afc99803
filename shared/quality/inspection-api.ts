/** Request schemas of the quality inspection (质检) routes (strict: unknown fields are refused). */
import * as z from 'zod/mini';
import { ConversationParams } from '#shared/api/chat.ts';
import { msg } from '#shared/http/messages.ts';
import { TeamId } from '#shared/tickets/model.ts';
import { ITEM_SCORES } from './inspection-model.ts';

export { InspectionSettingsBody, RubricBody } from './inspection-model.ts';
export { ConversationParams };

const Day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, msg('a day is YYYY-MM-DD', '日期格式为 YYYY-MM-DD')));

/** Longest period the sample list covers in one request. */
export const MAX_SAMPLE_DAYS = 31;

export const SampleQuery = z.strictObject({ from: Day, to: Day });

export const TeamParams = z.strictObject({ teamId: TeamId });

export const MineQuery = z.strictObject({});

const ItemId = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,39}$/, msg('not a scorecard item id', '不是评分项编号')));

/** A supervisor's review: a score per scorecard item (met 100, partly 50, not met 0) and a comment. */
export const ReviewBody = z.strictObject({
  scores: z.record(ItemId, z.literal(ITEM_SCORES)),
  comment: z.optional(z.string().check(z.trim(), z.maxLength(2000, msg('a comment is at most 2000 characters', '评语最多 2000 个字符')))),
  /** The sample entry's version read. */
  version: z.int().check(z.gte(1)),
});
export type ReviewBody = z.infer<typeof ReviewBody>;

/** The reviewed agent acknowledges the result or appeals it (an appeal says why). */
export const AnswerBody = z.strictObject({
  kind: z.enum(['acknowledge', 'appeal']),
  note: z.optional(z.string().check(z.trim(), z.maxLength(1000, msg('a note is at most 1000 characters', '说明最多 1000 个字符')))),
  version: z.int().check(z.gte(1)),
});
export type AnswerBody = z.infer<typeof AnswerBody>;

const Text = (max: number, what: { en: string; zh: string }) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, msg(`${what.en} must not be empty`, `${what.zh}不能为空`)),
      z.maxLength(max, msg(`${what.en} is at most ${max} characters`, `${what.zh}最多 ${max} 个字符`)),
    );

/** A supervisor turns a past conversation into a training scenario (情景模拟). */
export const ScenarioBody = z.strictObject({
  conversationId: ConversationParams.shape.conversationId,
  title: Text(80, { en: 'the title', zh: '标题' }),
  goal: Text(300, { en: 'the goal', zh: '目标' }),
});

/** An agent starts practising a scenario. */
export const SessionBody = z.strictObject({ scenarioId: z.string().check(z.regex(/^scn_[0-9a-z]{26}$/, msg('not a scenario id', '不是情景编号'))) });

export const SessionParams = z.strictObject({ sessionId: z.string().check(z.regex(/^trn_[0-9a-z]{26}$/, msg('not a practice session id', '不是练习编号'))) });

/** The agent's reply in a practice (the session version seen). */
export const PracticeReplyBody = z.strictObject({ text: Text(2000, { en: 'the reply', zh: '回复' }), version: z.int().check(z.gte(1)) });

export const TrainingListQuery = z.strictObject({});
