/**
 * Saving ticket configuration: SLA policies as immutable versions (a save writes version n+1,
 * conditional on it not existing, so two admins saving at once cannot both win), calendars,
 * teams, and the ordered routing rules replaced in one transaction.
 */

import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { badRequest, conflict } from '#shared/http/errors.ts';
import { msg } from '#shared/http/messages.ts';
import type { Calendar } from '#shared/sla/calendar.ts';
import { CALENDAR_24X7, SHOP_CALENDAR, type SlaPolicy, type SlaPolicyInput } from '#shared/sla/policy.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import type { Team, TeamInput } from './assignment.ts';
import { DEFAULT_SHOP_ID } from './intake.ts';
import type { RoutingRule } from './routing.ts';
import { invalidateTicketConfig, loadTicketConfig } from './store.ts';

const HHMM = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, msg('times are HH:MM (00:00–24:00)', '时间格式为 HH:MM（00:00–24:00）')));
export const CalendarSchema = z
  .strictObject({
    timeZone: z.string().check(z.minLength(1), z.maxLength(64)),
    days: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.tuple([HHMM, HHMM])),
    holidays: z._default(
      z.array(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, msg('holidays are YYYY-MM-DD', '节假日格式为 YYYY-MM-DD')))).check(z.maxLength(400)),
      [],
    ),
  })
  .check(
    z.refine(
      (c) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: c.timeZone });
          return true;
        } catch {
          return false;
        }
      },
      msg('timeZone must be an IANA zone such as Asia/Shanghai', '时区须为 IANA 时区名，例如 Asia/Shanghai'),
    ),
    z.refine((c) => Object.values(c.days).every((d) => !d || d[0] < d[1]), msg('each day must open before it closes', '每天的开始时间须早于结束时间')),
    // A calendar never open has no business time: every SLA deadline on it would be unreachable.
    z.refine(
      (c) => Object.values(c.days).some(Boolean),
      msg(
        'a calendar needs at least one open day (use the 24x7 calendar for round-the-clock service; close single dates as holidays)',
        '日历至少需要一个营业日（全天候服务请使用 24x7 日历；个别日期可设为节假日）',
      ),
    ),
  );

const ConfigId = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, msg('ids are 1–40 lowercase letters, digits, _ or -', '编号为 1–40 个小写字母、数字、_ 或 -')));
export const PolicyParams = z.strictObject({ policyId: ConfigId });
export const CalendarParams = z.strictObject({ calendarId: ConfigId });
export const TeamParams = z.strictObject({ teamId: ConfigId });

/** Saves a policy as the next version; running tickets keep the version they started under. */
export async function savePolicy(policyId: string, input: SlaPolicyInput, now: Date): Promise<SlaPolicy> {
  const latest = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.configPartition(), ':s': keys.slaPolicyPrefix(policyId) },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const current = Number(latest.Items?.[0]?.version ?? (policyId === 'default' ? 1 : 0));
  await assertCalendar(input.calendarId);
  const policy: SlaPolicy = { ...input, policyId, version: current + 1, createdAt: now.toISOString() };
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.slaPolicy(policyId, policy.version), entity: 'sla-policy', ...policy },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException')
      throw conflict({
        en: 'another version of this policy was saved at the same time; reload and retry',
        zh: '他人同时保存了该策略的另一个版本，请重新加载后重试',
      });
    throw error;
  }
  invalidateTicketConfig();
  return policy;
}

async function assertCalendar(calendarId: string): Promise<void> {
  if (calendarId === SHOP_CALENDAR || calendarId === CALENDAR_24X7) return;
  const { config } = await loadTicketConfig(DEFAULT_SHOP_ID, 0);
  if (!config.calendars.has(calendarId))
    throw badRequest({
      en: `unknown calendar ${calendarId}; save it first or use "shop" or "24x7"`,
      zh: `日历 ${calendarId} 不存在，请先保存它，或使用 "shop" 或 "24x7"`,
    });
}

/** Saves a calendar (a policy naming it measures on it from its next re-evaluation). */
export async function saveCalendar(calendarId: string, calendar: Calendar): Promise<Calendar & { calendarId: string }> {
  if (calendarId === CALENDAR_24X7) throw badRequest({ en: '24x7 is built in', zh: '24x7 是内置日历，不能修改' });
  const item = { calendarId, ...calendar };
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.calendar(calendarId), entity: 'calendar', ...item } }));
  invalidateTicketConfig();
  return item;
}

/** Saves a team (members, mode, capacity, supervisor). */
export async function saveTeam(teamId: string, input: TeamInput): Promise<Team> {
  const team: Team = { ...input, teamId };
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.team(teamId), entity: 'team', ...team } }));
  invalidateTicketConfig();
  return team;
}

/** Replaces the routing rules in one transaction; teams and policies they name must exist. */
export async function saveRules(rules: RoutingRule[]): Promise<RoutingRule[]> {
  if (new Set(rules.map((r) => r.ruleId)).size !== rules.length) throw badRequest({ en: 'rule ids must be unique', zh: '规则编号（ruleId）不能重复' });
  if (rules.length > 90) throw badRequest({ en: 'at most 90 routing rules', zh: '路由规则最多 90 条' });
  invalidateTicketConfig();
  const { config } = await loadTicketConfig(DEFAULT_SHOP_ID, 0);
  for (const rule of rules) {
    if (rule.then.team && !config.teams.has(rule.then.team))
      throw badRequest({ en: `rule ${rule.ruleId}: unknown team ${rule.then.team}`, zh: `规则 ${rule.ruleId}：团队 ${rule.then.team} 不存在` });
    if (rule.then.slaPolicyId && !config.policies.has(rule.then.slaPolicyId))
      throw badRequest({
        en: `rule ${rule.ruleId}: unknown SLA policy ${rule.then.slaPolicyId}`,
        zh: `规则 ${rule.ruleId}：SLA 策略 ${rule.then.slaPolicyId} 不存在`,
      });
  }
  const existing = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.configPartition(), ':s': keys.routingRulePrefix() },
      ConsistentRead: true,
    }),
  );
  const puts = rules.map((rule, i) => ({ ...keys.routingRule(i + 1, rule.ruleId), entity: 'routing-rule', order: i + 1, ...rule }));
  const keep = new Set(puts.map((p) => p.sk));
  const deletes = (existing.Items ?? []).filter((i) => !keep.has(String(i.sk)));
  const items = [
    ...deletes.map((i) => ({ Delete: { TableName: tableName(), Key: { pk: i.pk, sk: i.sk } } })),
    ...puts.map((Item) => ({ Put: { TableName: tableName(), Item } })),
  ];
  if (items.length > 0) await db().send(new TransactWriteCommand({ TransactItems: items }));
  invalidateTicketConfig();
  return rules;
}
