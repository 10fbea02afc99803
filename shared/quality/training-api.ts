/**
 * Request schemas of the scenario-training (情景模拟) routes added after the first ones (those are
 * in inspection-api.ts): a scenario a supervisor writes by hand, and the progress queries. Strict:
 * unknown fields are refused; every message is in both languages.
 */
import * as z from 'zod/mini';
import { msg } from '#shared/http/messages.ts';

/** Most shopper lines in a written scenario. */
export const MAX_WRITTEN_LINES = 30;
/** Most key points per line. */
export const MAX_KEY_POINTS = 8;

const Text = (max: number, what: { en: string; zh: string }) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, msg(`${what.en} must not be empty`, `${what.zh}不能为空`)),
      z.maxLength(max, msg(`${what.en} is at most ${max} characters`, `${what.zh}最多 ${max} 个字符`)),
    );

/** A team id (the same form as the tickets' team ids, with a message in both languages). */
const TeamId = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, msg('not a team id', '不是团队编号')));

/** One line of the shopper, with what a good reply covers (optional). */
export const WrittenLine = z.strictObject({
  customer: Text(500, { en: 'the shopper’s line', zh: '顾客的话' }),
  keyPoints: z.optional(
    z
      .array(Text(80, { en: 'a key point', zh: '要点' }))
      .check(z.maxLength(MAX_KEY_POINTS, msg(`a line has at most ${MAX_KEY_POINTS} key points`, `每句话最多 ${MAX_KEY_POINTS} 个要点`))),
  ),
});

/** A supervisor writes a scenario: title, goal, the shopper's lines in order; the team's scorecard scores it. */
export const WrittenScenarioBody = z.strictObject({
  title: Text(80, { en: 'the title', zh: '标题' }),
  goal: Text(300, { en: 'the goal', zh: '目标' }),
  /** The team whose scorecard scores the practice (the writer's team when absent). */
  teamId: z.optional(TeamId),
  lines: z
    .array(WrittenLine)
    .check(
      z.minLength(1, msg('write at least one line of the shopper', '请至少写一句顾客的话')),
      z.maxLength(MAX_WRITTEN_LINES, msg(`a scenario has at most ${MAX_WRITTEN_LINES} lines of the shopper`, `一个情景最多 ${MAX_WRITTEN_LINES} 句顾客的话`)),
    ),
});
export type WrittenScenarioBody = z.infer<typeof WrittenScenarioBody>;

/** The supervisor's progress list: the whole shop, or one team. */
export const ProgressQuery = z.strictObject({ teamId: z.optional(TeamId) });

/** The calling agent's own progress. */
export const MyProgressQuery = z.strictObject({});
