/**
 * Scenario training (情景模拟) behind the routes: a supervisor turns a past conversation into a
 * scenario (anonymised script, model answers, the agent's team scorecard); an agent starts an
 * offline practice and replies turn by turn; the last reply scores it. Scenarios live in one small
 * library partition (`QATRAIN`), sessions in the agent's own (`TRAINING#{sub}`): another agent's
 * session is simply not found. Supervisors can also write a scenario by hand. The reply that
 * finishes a practice also writes its result record (same transaction) in the agent's partition,
 * indexed shop-wide (gsi1) and per team (gsi2) for the supervisor's progress list — read newest
 * first and bounded, never scanned. Practice never writes to conversations, shoppers or metrics.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StaffCaller } from '#shared/auth/caller.ts';
import { badRequest, conflict, notFound } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import { kbPassage } from '#shared/kb/passages.ts';
import { getConversation, listMessages } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { requireTeam, teamOf } from './inspection-service.ts';
import { readRubric, readRubricVersion, readSettings } from './inspection-store.ts';
import { type PracticeSession, replyPractice, type Scenario, scriptOf, startPractice, writtenScript } from './training.ts';
import type { WrittenScenarioBody } from './training-api.ts';
import { type PracticeRecord, progressOf, recordOf, type TrainingProgressResponse } from './training-progress.ts';

/** Most finished practices a progress list reads (newest first). */
export const PROGRESS_LIMIT = 300;

/** What an agent sees of a scenario before practising (not the model answers). */
export interface ScenarioSummary {
  scenarioId: string;
  title: string;
  goal: string;
  turns: number;
  teamId: string;
  createdAt: string;
}

/** `GET /quality/training/scenarios`. */
export interface TrainingScenariosResponse {
  items: ScenarioSummary[];
}

/** A practice session as the agent sees it (with the scenario's title and goal). */
export interface PracticeView {
  session: PracticeSession;
  scenario: ScenarioSummary;
}

const STRIP = new Set(['pk', 'sk']);
const clean = <T>(item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as T;
const summary = (s: Scenario): ScenarioSummary => ({
  scenarioId: s.scenarioId,
  title: s.title,
  goal: s.goal,
  turns: s.turns.length,
  teamId: s.teamId,
  createdAt: s.createdAt,
});

async function readScenario(scenarioId: string): Promise<Scenario> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.trainingScenario(scenarioId) }));
  if (!res.Item) throw notFound('scenario');
  return clean<Scenario>(res.Item);
}

/** The scenario library, newest first. */
export async function listScenarios(): Promise<ScenarioSummary[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.trainingScenarioPartition(), ':s': 'SCENARIO#' },
    }),
  );
  return (res.Items ?? []).map((i) => summary(clean<Scenario>(i))).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A supervisor turns a past conversation into a scenario (anonymised; the agent's team scorecard). */
export async function createScenario(caller: StaffCaller, input: { conversationId: string; title: string; goal: string }, now: Date): Promise<ScenarioSummary> {
  const conversation = await getConversation(input.conversationId);
  if (!conversation) throw notFound('conversation');
  const thread = await listMessages(input.conversationId, { limit: 300, includeInternal: false });
  const names = [conversation.contactName, conversation.assignee?.name, ...thread.items.map((m) => m.author.name)].filter((n): n is string => !!n);
  const turns = scriptOf(thread.items, [...new Set(names)]);
  if (turns.length === 0)
    throw badRequest({
      en: 'this conversation has no shopper message answered by an agent: pick another one',
      zh: '该会话中没有客服回复过的顾客消息，请换一个会话',
    });
  const scenario: Scenario = {
    scenarioId: newId('scn'),
    title: input.title,
    goal: input.goal,
    sourceConversationId: input.conversationId,
    teamId: await teamOf(conversation.assignee?.sub),
    turns,
    createdBy: caller.sub,
    createdAt: now.toISOString(),
  };
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.trainingScenario(scenario.scenarioId), ...scenario } }));
  return summary(scenario);
}

/** A supervisor writes a scenario by hand (the given team's scorecard, else the writer's team). */
export async function createWrittenScenario(caller: StaffCaller, input: WrittenScenarioBody, now: Date): Promise<ScenarioSummary> {
  if (input.teamId) await requireTeam(input.teamId);
  const scenario: Scenario = {
    scenarioId: newId('scn'),
    title: input.title,
    goal: input.goal,
    source: 'written',
    teamId: input.teamId ?? (await teamOf(caller.sub)),
    turns: writtenScript(input.lines),
    createdBy: caller.sub,
    createdAt: now.toISOString(),
  };
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.trainingScenario(scenario.scenarioId), ...scenario } }));
  return summary(scenario);
}

/** An agent starts an offline practice of a scenario. */
export async function startSession(caller: StaffCaller, scenarioId: string, now: Date): Promise<PracticeView> {
  const scenario = await readScenario(scenarioId);
  const rubric = await readRubric(scenario.teamId);
  const session = startPractice(scenario, caller.sub, newId('trn'), rubric.version, now);
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.trainingSession(caller.sub, session.sessionId), ...session },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { session, scenario: summary(scenario) };
}

/** The agent replies in their practice (conditional on the version they saw: 409 otherwise). */
export async function replySession(caller: StaffCaller, sessionId: string, body: { text: string; version: number }, now: Date): Promise<PracticeView> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.trainingSession(caller.sub, sessionId), ConsistentRead: true }));
  if (!res.Item) throw notFound('practice session');
  const session = clean<PracticeSession>(res.Item);
  if (session.status === 'done')
    throw badRequest({ en: 'this practice is finished: start it again to practise once more', zh: '本次练习已结束，如需再练请重新开始' });
  if (session.version !== body.version)
    throw conflict({ en: 'this practice changed in another window; reload it', zh: '本次练习已在其他窗口中更新，请重新加载' });
  const scenario = await readScenario(session.scenarioId);
  const [rubric, settings] = await Promise.all([readRubricVersion(scenario.teamId, session.rubricVersion), readSettings()]);
  const next = await withKnowledge(replyPractice(session, scenario, body.text, { rubric, settings, now }), now);
  const put = {
    TableName: tableName(),
    Item: { ...keys.trainingSession(caller.sub, sessionId), ...next },
    ConditionExpression: 'version = :v',
    ExpressionAttributeValues: { ':v': session.version },
  };
  const record = recordOf(next, scenario, caller.name || caller.email, now.toISOString());
  try {
    if (!record) await db().send(new PutCommand(put));
    else
      await db().send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            {
              Put: {
                TableName: tableName(),
                Item: {
                  ...keys.trainingResult(caller.sub, record.finishedAt, sessionId),
                  ...keys.trainingResultLog(record.teamId, record.finishedAt, sessionId),
                  ...record,
                },
              },
            },
          ],
        }),
      );
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException')
      throw conflict({ en: 'this practice changed in another window; reload it', zh: '本次练习已在其他窗口中更新，请重新加载' });
    throw error;
  }
  return { session: next, scenario: summary(scenario) };
}

/**
 * A finished practice's debrief with what the help centre says about each of the shopper's
 * questions (the model answer from the KB beside the original agent's); a KB miss or error leaves
 * that line without it.
 */
async function withKnowledge(session: PracticeSession, now: Date): Promise<PracticeSession> {
  if (!session.result) return session;
  const debrief = await Promise.all(
    session.result.debrief.map(async (line) => {
      const lang = /[\u3400-\u9fff]/u.test(line.customer) ? 'zh' : 'en';
      // the question with the original agent's answer: the article behind a good answer, not one that shares a product word
      const knowledge = await kbPassage(`${line.customer}\n${line.modelAnswer}`, lang, now.getTime()).catch(() => undefined);
      return knowledge ? { ...line, knowledge } : line;
    }),
  );
  return { ...session, result: { ...session.result, debrief } };
}

const RECORD_STRIP = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']);
const recordFrom = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !RECORD_STRIP.has(k))) as unknown as PracticeRecord;

/** The supervisor's list: the shop's (or a team's) finished practices, newest first, and progress per agent. */
export async function listProgress(teamId: string | undefined): Promise<TrainingProgressResponse> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      ...(teamId
        ? { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': keys.trainingResultTeamPartition(teamId) } }
        : { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': keys.trainingResultLogPartition() } }),
      ScanIndexForward: false,
      Limit: PROGRESS_LIMIT,
    }),
  );
  const items = (res.Items ?? []).map(recordFrom);
  return { items, agents: progressOf(items), limit: PROGRESS_LIMIT };
}

/** The calling agent's own finished practices, newest first, and their progress. */
export async function myProgress(caller: StaffCaller): Promise<TrainingProgressResponse> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.trainingAgentPartition(caller.sub), ':s': keys.trainingResultPrefix() },
      ScanIndexForward: false,
      Limit: PROGRESS_LIMIT,
    }),
  );
  const items = (res.Items ?? []).map(recordFrom);
  return { items, agents: progressOf(items), limit: PROGRESS_LIMIT };
}
