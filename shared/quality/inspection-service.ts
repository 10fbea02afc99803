/**
 * Quality inspection (质检) use cases behind the routes: the configuration screen, the review
 * sample, one conversation's inspection, a supervisor's review with the agent's team scorecard,
 * and the agent's acknowledgement or appeal. Who may see what: supervisors see every entry; an
 * agent sees only entries credited to them (others are not found).
 */

import { SUPERVISORS } from '#infra/manifest.ts';
import { hasRole, type StaffCaller } from '#shared/auth/caller.ts';
import { badRequest, forbidden, HttpError, notFound } from '#shared/http/errors.ts';
import { DEFAULT_SHOP_ID } from '#shared/store/shops.ts';
import { loadTicketConfig } from '#shared/tickets/store.ts';
import type { AnswerBody, ReviewBody } from './inspection-api.ts';
import { defaultRubric, type InspectionSettings, type Rubric, rubricTotal } from './inspection-model.ts';
import {
  readInspection,
  readRubric,
  readRubrics,
  readRubricVersion,
  readSampleEntry,
  readSettings,
  type SampleEntry,
  type StoredInspection,
  writeAnswer,
  writeReview,
} from './inspection-store.ts';

export interface TeamRef {
  teamId: string;
  name: { 'zh-CN': string; en: string };
  members: string[];
}

/** `GET /quality/inspection/config`: settings and every team's scorecard (built-in until saved). */
export interface InspectionConfigResponse {
  settings: InspectionSettings;
  teams: (TeamRef & { rubric: Rubric })[];
}

/** `GET /quality/inspection/conversations/{id}`. */
export interface InspectionDetailResponse {
  conversationId: string;
  inspection: StoredInspection | null;
  entry: SampleEntry | null;
  /** The scorecard to score with (the agent's team's current one) or the one the review used. */
  rubric: Rubric;
  /** Whether the caller may score it (a supervisor, not reviewing their own conversation). */
  canReview: boolean;
  /** Whether the caller is the agent it is credited to (may acknowledge or appeal a review). */
  canAnswer: boolean;
}

/** The shop's teams (the ticket configuration's, with its default team). */
export async function teams(): Promise<TeamRef[]> {
  const { config } = await loadTicketConfig(DEFAULT_SHOP_ID);
  return [...config.teams.values()].map((t) => ({ teamId: t.teamId, name: t.name, members: [...t.members] }));
}

/** The team whose scorecard applies to an agent: the first team listing them, else the default team. */
export async function teamOf(sub: string | undefined): Promise<string> {
  const { config } = await loadTicketConfig(DEFAULT_SHOP_ID);
  const found = sub ? [...config.teams.values()].find((t) => t.members.includes(sub)) : undefined;
  return found?.teamId ?? config.defaultTeam;
}

export async function inspectionConfig(): Promise<InspectionConfigResponse> {
  const [settings, rubrics, list] = await Promise.all([readSettings(), readRubrics(), teams()]);
  return { settings, teams: list.map((t) => ({ ...t, rubric: rubrics.get(t.teamId) ?? defaultRubric(t.teamId) })) };
}

/** Whether a team exists (a scorecard is saved for a known team only). */
export async function requireTeam(teamId: string): Promise<void> {
  if (!(await teams()).some((t) => t.teamId === teamId)) throw new HttpError(404, 'not_found', { en: `team ${teamId} not found`, zh: `团队 ${teamId} 不存在` });
}

async function entryOf(conversationId: string): Promise<{ inspection: StoredInspection | undefined; entry: SampleEntry | undefined }> {
  const inspection = await readInspection(conversationId);
  const entry = inspection?.sampleDay ? await readSampleEntry(inspection.sampleDay, conversationId) : undefined;
  return { inspection, entry };
}

/** One conversation's inspection for its agent or a supervisor. */
export async function inspectionDetail(caller: StaffCaller, conversationId: string): Promise<InspectionDetailResponse> {
  const { inspection, entry } = await entryOf(conversationId);
  const supervisor = hasRole(caller, SUPERVISORS.roles);
  const agent = entry?.agent ?? inspection?.agent;
  if (!inspection || (!supervisor && agent !== caller.sub)) throw notFound('inspection');
  const rubric = entry?.review ? await readRubricVersion(entry.review.teamId, entry.review.rubricVersion) : await readRubric(await teamOf(agent));
  return {
    conversationId,
    inspection,
    entry: entry ?? null,
    rubric,
    canReview: supervisor && !!entry && agent !== caller.sub,
    canAnswer: !!entry?.review && agent === caller.sub,
  };
}

/** A supervisor scores a sampled conversation with its agent's team scorecard. */
export async function reviewConversation(caller: StaffCaller, conversationId: string, body: ReviewBody, now: Date): Promise<SampleEntry> {
  const { entry } = await entryOf(conversationId);
  if (!entry)
    throw new HttpError(404, 'not_found', { en: 'this conversation is not in the review sample; sampled conversation not found', zh: '该会话不在抽检样本中' });
  if (entry.agent === caller.sub)
    throw forbidden({ en: 'you cannot review your own conversation; ask another supervisor', zh: '不能评审自己接待的会话，请另一位主管来评审' });
  const teamId = await teamOf(entry.agent);
  const rubric = await readRubric(teamId);
  const unknown = Object.keys(body.scores).filter((id) => !rubric.items.some((i) => i.id === id));
  if (unknown.length)
    throw badRequest({
      en: `unknown scorecard items: ${unknown.join(', ')}; reload the scorecard`,
      zh: `评分表中没有这些评分项：${unknown.join('、')}，请重新加载评分表`,
    });
  const missing = rubric.items.filter((i) => body.scores[i.id] === undefined).map((i) => i.id);
  if (missing.length)
    throw badRequest({
      en: `score every item of the scorecard; missing: ${missing.join(', ')}`,
      zh: `请为评分表的每一项打分，尚未打分：${missing.join('、')}`,
    });
  const total = rubricTotal(rubric, body.scores);
  const review = {
    teamId,
    rubricVersion: rubric.version,
    scores: body.scores,
    total,
    passed: total >= rubric.passMark,
    ...(body.comment ? { comment: body.comment } : {}),
    by: caller.sub,
    byName: caller.name || caller.email || caller.sub,
    at: now.toISOString(),
  };
  await writeReview(entry, body.version, review);
  return { ...entry, review, status: 'reviewed', version: body.version + 1 };
}

/** The reviewed agent acknowledges or appeals (an appeal needs a note). */
export async function answerReview(caller: StaffCaller, conversationId: string, body: AnswerBody, now: Date): Promise<SampleEntry> {
  const { entry } = await entryOf(conversationId);
  if (!entry || entry.agent !== caller.sub) throw notFound('inspection');
  if (!entry.review) throw badRequest({ en: 'this conversation has not been reviewed yet', zh: '该会话尚未评审' });
  if (body.kind === 'appeal' && !body.note) throw badRequest({ en: 'say why you appeal (note)', zh: '申诉时请在备注（note）中说明理由' });
  const answer = { kind: body.kind, ...(body.note ? { note: body.note } : {}), at: now.toISOString() };
  await writeAnswer(entry, body.version, answer);
  return { ...entry, answer, version: body.version + 1 };
}

/** `GET /quality/inspection/sample`: the review sample of a period, newest day first. */
export interface InspectionSampleResponse {
  from: string;
  to: string;
  timeZone: string;
  items: SampleEntry[];
}

/** The agent's own reviewed conversations (`GET /quality/inspection/mine`). */
export interface InspectionMineResponse {
  items: SampleEntry[];
}
