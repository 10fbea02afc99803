/**
 * Quality inspection (质检) settings and scorecards (pure): the configurable lists and targets of
 * the automatic checks, the sampling share, and a rubric per team (items with weights and a pass
 * mark, versioned). Schemas are strict; the defaults below apply until a supervisor saves settings.
 */
import * as z from 'zod/mini';
import { msg } from '#shared/http/messages.ts';

/** What the automatic checks flag. */
export const FLAG_KINDS = [
  'slow_response',
  'forbidden_word',
  'forbidden_promise',
  'missing_greeting',
  'missing_closing',
  'negative_tone',
  'curt_reply',
  'sentiment_worsened',
] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** Why a conversation is in the review sample. */
export const SAMPLE_REASONS = ['share', 'flag', 'low_csat', 'sla_breach'] as const;
export type SampleReason = (typeof SAMPLE_REASONS)[number];

const Term = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, msg('a term must not be empty', '词条不能为空')),
    z.maxLength(60, msg('a term is at most 60 characters', '词条最多 60 个字符')),
  );
const Terms = z.array(Term).check(z.maxLength(300, msg('a list holds at most 300 terms', '每个列表最多 300 个词条')));

/** The body of `PUT /quality/inspection/settings` (the version read, for a conflict check). */
export const InspectionSettingsBody = z.strictObject({
  /** A reply answering the customer later than this is flagged (seconds). */
  responseTargetSeconds: z
    .int()
    .check(
      z.gte(5, msg('the response target is at least 5 seconds', '响应时效目标至少 5 秒')),
      z.lte(86_400, msg('the response target is at most one day', '响应时效目标最多一天')),
    ),
  forbiddenWords: Terms,
  forbiddenPromises: Terms,
  greetings: Terms,
  closings: Terms,
  /** Share of each agent's closed conversations drawn for review (percent). */
  samplePercent: z.number().check(z.gte(0, msg('the share is 0–100 %', '抽检比例为 0–100%')), z.lte(100, msg('the share is 0–100 %', '抽检比例为 0–100%'))),
  /** A survey CSAT at or below this puts the conversation in the sample (1–5). */
  lowCsatAtMost: z.int().check(z.gte(1, msg('low CSAT is 1–5', '低满意度为 1–5 分')), z.lte(5, msg('low CSAT is 1–5', '低满意度为 1–5 分'))),
  /** 询单转化率: an order within this many hours of a pre-sales conversation counts as converted. */
  conversionHours: z
    .int()
    .check(
      z.gte(1, msg('the conversion window is 1–720 hours', '转化时间窗为 1–720 小时')),
      z.lte(720, msg('the conversion window is 1–720 hours', '转化时间窗为 1–720 小时')),
    ),
  version: z.optional(z.int().check(z.gte(0))),
});
export type InspectionSettingsBody = z.infer<typeof InspectionSettingsBody>;

export type InspectionSettings = Omit<InspectionSettingsBody, 'version'> & { version: number; updatedAt?: string; updatedBy?: string };

export const DEFAULT_SETTINGS: InspectionSettings = {
  version: 0,
  responseTargetSeconds: 60,
  forbiddenWords: ['滚开', '傻逼', '白痴', '神经病', '爱买不买', '关我什么事', '你烦不烦', 'stupid', 'idiot', 'shut up', 'not my problem'],
  forbiddenPromises: [
    '保证退款',
    '百分百退款',
    '一定赔偿',
    '肯定赔',
    '绝对没问题',
    '包退包换',
    '保证明天到',
    'guaranteed refund',
    'guarantee a refund',
    '100% refund',
    'we promise compensation',
  ],
  greetings: [
    '您好',
    '你好',
    '亲',
    '欢迎',
    '很高兴为您服务',
    'hello',
    'hi',
    'hey',
    'good morning',
    'good afternoon',
    'good evening',
    'welcome',
    'thanks for contacting',
  ],
  closings: [
    '还有其他',
    '还有什么',
    '祝您',
    '感谢',
    '谢谢',
    '再见',
    '随时联系',
    '欢迎再来',
    'anything else',
    'have a nice',
    'have a great',
    'thank',
    'thanks',
    'bye',
    'goodbye',
    'feel free',
  ],
  samplePercent: 10,
  lowCsatAtMost: 2,
  conversionHours: 24,
};

const Label = z.string().check(z.trim(), z.minLength(1, msg('a label must not be empty', '名称不能为空')), z.maxLength(80));
const Bilingual = z.strictObject({ 'zh-CN': Label, en: Label });

export const RubricItemSchema = z.strictObject({
  id: z
    .string()
    .check(
      z.regex(
        /^[a-z][a-z0-9_]{0,39}$/,
        msg('an item id is lower-case letters, digits and _ (at most 40)', '评分项编号由小写字母、数字和 _ 组成（最多 40 个）'),
      ),
    ),
  label: Bilingual,
  weight: z.int().check(z.gte(1, msg('a weight is 1–100', '权重为 1–100')), z.lte(100, msg('a weight is 1–100', '权重为 1–100'))),
  /** Automatic flags that suggest this item failed (shown next to it when scoring). */
  checks: z._default(z.array(z.enum(FLAG_KINDS)).check(z.maxLength(FLAG_KINDS.length)), []),
});
export type RubricItem = z.infer<typeof RubricItemSchema>;

/** The body of `PUT /quality/inspection/rubrics/{teamId}` (saving makes a new version). */
export const RubricBody = z.strictObject({
  items: z.array(RubricItemSchema).check(
    z.minLength(1, msg('a scorecard has at least one item', '评分表至少要有一项')),
    z.maxLength(20, msg('a scorecard has at most 20 items', '评分表最多 20 项')),
    z.refine((items) => new Set(items.map((i) => i.id)).size === items.length, { message: msg('item ids must be different', '评分项编号不能重复') }),
  ),
  /** The total (0–100) a review needs to pass. */
  passMark: z.int().check(z.gte(0, msg('the pass mark is 0–100', '合格线为 0–100')), z.lte(100, msg('the pass mark is 0–100', '合格线为 0–100'))),
  /** The version read (0 or absent when the team has no saved scorecard). */
  version: z.optional(z.int().check(z.gte(0))),
});
export type RubricBody = z.infer<typeof RubricBody>;

export interface Rubric {
  teamId: string;
  items: RubricItem[];
  passMark: number;
  /** 0: the built-in scorecard (never saved). */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

/** The scorecard a team uses until a supervisor saves one. */
export function defaultRubric(teamId: string): Rubric {
  return {
    teamId,
    version: 0,
    passMark: 80,
    items: [
      { id: 'greeting', label: { 'zh-CN': '问候', en: 'Greeting' }, weight: 10, checks: ['missing_greeting'] },
      { id: 'response_time', label: { 'zh-CN': '响应时效', en: 'Response time' }, weight: 15, checks: ['slow_response'] },
      { id: 'understanding', label: { 'zh-CN': '理解问题', en: 'Understood the problem' }, weight: 20, checks: [] },
      { id: 'solution', label: { 'zh-CN': '解决方案正确', en: 'Correct solution' }, weight: 25, checks: ['forbidden_promise'] },
      { id: 'tone', label: { 'zh-CN': '服务态度', en: 'Tone' }, weight: 15, checks: ['negative_tone', 'curt_reply', 'sentiment_worsened'] },
      { id: 'closing', label: { 'zh-CN': '结束语', en: 'Closing' }, weight: 5, checks: ['missing_closing'] },
      { id: 'language', label: { 'zh-CN': '违禁词/敏感词', en: 'Forbidden words' }, weight: 10, checks: ['forbidden_word'] },
    ],
  };
}

/** Scores a reviewer gives an item: met, partly met, not met. */
export const ITEM_SCORES = [100, 50, 0] as const;

/** The weighted total (0–100, one decimal) of item scores; items without a score count 0. */
export function rubricTotal(rubric: Pick<Rubric, 'items'>, scores: Readonly<Record<string, number>>): number {
  const weights = rubric.items.reduce((s, i) => s + i.weight, 0);
  if (weights === 0) return 0;
  const sum = rubric.items.reduce((s, i) => s + i.weight * (scores[i.id] ?? 0), 0);
  return Math.round((sum / weights) * 10) / 10;
}
