/**
 * DynamoDB side of tickets: the TicketStore port (one TransactWriteItems per commit: header with
 * its version condition, changed SLA clocks, audit entries, agent loads with their capacity
 * condition, the thread, the search-term index items) and the read paths behind the list views. Every key comes from
 * shared/store/keys.ts; every read is a GetItem, BatchGetItem or Query.
 */
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { tierBenefits } from '#shared/members/store.ts';
import type { Calendar } from '#shared/sla/calendar.ts';
import type { MetricClock } from '#shared/sla/clock.ts';
import { DEFAULT_POLICY, type SlaPolicy } from '#shared/sla/policy.ts';
import { conversationItem, decodeCursor, encodeCursor, type Page } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { getShop } from '#shared/store/shops.ts';
import { db, queryAll, tableName } from '#shared/store/table.ts';
import { queueRank, type Team } from './assignment.ts';
import type { AuditEntry, Ticket, TicketState, TicketStatus } from './model.ts';
import { CommitConflict, type ConflictReason, type TicketCommit, type TicketConfig, type TicketStore } from './ports.ts';
import type { RoutingRule } from './routing.ts';
import { termDiff } from './search-terms.ts';

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const KEY_ATTRS = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'ttl', 'entity']);
function clean<T>(item: Item): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_ATTRS.has(k))) as T;
}

/** The header item with the index keys its state implies (queue keys only while waiting). */
export function ticketItem(t: Ticket): Item {
  return {
    ...keys.ticket(t.ticketId),
    ...keys.ticketByAssignee(t.assignee?.sub, t.status, t.updatedAt, t.ticketId),
    ...(t.waiting && t.team ? keys.teamQueue(t.team, queueRank(t.priority), t.createdAt, t.ticketId) : {}),
    ...keys.ticketOfContact(t.requester.contactId, t.createdAt, t.ticketId),
    entity: 'ticket',
    ...t,
  };
}

/** A clock item; running clocks are indexed by due date for the at-risk view and the re-arm job. */
export function clockItem(ticketId: string, c: MetricClock): Item {
  return {
    ...keys.ticketSla(ticketId, c.metric),
    ...(c.state === 'running' && c.dueAt ? keys.slaDue(c.dueAt.slice(0, 10), c.dueAt, ticketId, c.metric) : {}),
    entity: 'sla-clock',
    ticketId,
    ...c,
  };
}

function put(item: Item, condition?: string, values?: Item): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: item,
      ...(condition ? { ConditionExpression: condition } : {}),
      ...(values ? { ExpressionAttributeValues: values } : {}),
    },
  };
}

/** Reads a ticket header and its clocks in one strongly consistent Query. */
export async function getTicketState(ticketId: string): Promise<TicketState | undefined> {
  const range = keys.ticketStateRange(ticketId);
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
      ConsistentRead: true,
    }),
  );
  const items = res.Items ?? [];
  const header = items.find((i) => i.sk === keys.ticket(ticketId).sk);
  if (!header) return undefined;
  const clocks = items
    .filter((i) => i.sk !== keys.ticket(ticketId).sk)
    .map((i) => {
      const { ticketId: _t, ...clock } = clean<MetricClock & { ticketId: string }>(i);
      return clock as MetricClock;
    });
  return { ticket: clean<Ticket>(header), clocks };
}

/** Executes a commit as one transaction and maps a cancelled condition to its reason. */
export async function commitTicket(commit: TicketCommit, opts: { persistedTeams?: ReadonlySet<string> } = {}): Promise<void> {
  const items: TransactItem[] = [];
  const reasons: { reason: ConflictReason; sub?: string }[] = [];
  const add = (item: TransactItem, reason: ConflictReason, sub?: string) => {
    items.push(item);
    reasons.push({ reason, ...(sub ? { sub } : {}) });
  };
  for (const { next, prev } of commit.tickets) {
    const id = next.ticket.ticketId;
    add(
      prev ? put(ticketItem(next.ticket), 'version = :v', { ':v': prev.ticket.version }) : put(ticketItem(next.ticket), 'attribute_not_exists(pk)'),
      prev ? 'version' : 'exists',
    );
    const before = new Map((prev?.clocks ?? []).map((c) => [c.metric, JSON.stringify(c)]));
    for (const clock of next.clocks) {
      if (before.get(clock.metric) !== JSON.stringify(clock)) add(put(clockItem(id, clock)), 'version');
    }
    const terms = termDiff(prev?.ticket, next.ticket);
    for (const term of terms.add) add(put({ ...keys.ticketTerm(id, term), entity: 'ticket-term', ticketId: id, term }), 'version');
    for (const term of terms.remove) {
      const { pk, sk } = keys.ticketTerm(id, term);
      add({ Delete: { TableName: tableName(), Key: { pk, sk } } }, 'version');
    }
  }
  for (const a of commit.audit)
    add(put({ ...keys.ticketAudit(a.ticketId, a.at, a.auditId), entity: 'ticket-audit', ...a }, 'attribute_not_exists(pk)'), 'exists');
  const merged = new Map<string, { delta: number; capacity?: number }>();
  for (const l of commit.loads) {
    const m = merged.get(l.sub) ?? { delta: 0 };
    merged.set(l.sub, {
      delta: m.delta + l.delta,
      ...(l.capacity !== undefined ? { capacity: l.capacity } : m.capacity !== undefined ? { capacity: m.capacity } : {}),
    });
  }
  for (const [sub, l] of merged) {
    if (l.delta === 0) continue;
    const capped = l.delta > 0 && l.capacity !== undefined;
    add(
      {
        Update: {
          TableName: tableName(),
          Key: keys.agentLoad(sub),
          UpdateExpression: 'SET #sub = :sub ADD #load :d',
          ...(capped ? { ConditionExpression: 'attribute_not_exists(#load) OR #load < :cap' } : {}),
          ExpressionAttributeNames: { '#load': 'load', '#sub': 'sub' },
          ExpressionAttributeValues: { ':d': l.delta, ':sub': sub, ...(capped ? { ':cap': (l.capacity as number) - l.delta + 1 } : {}) },
        },
      },
      'capacity',
      sub,
    );
  }
  if (commit.conversation && 'create' in commit.conversation) {
    const { create, message } = commit.conversation;
    add(put(conversationItem(create), 'attribute_not_exists(pk)'), 'exists');
    add(put({ ...keys.message(create.conversationId, message.messageId), ...message }), 'exists');
  } else if (commit.conversation) {
    const ticketId = commit.tickets[0]?.next.ticket.ticketId;
    add(
      {
        Update: {
          TableName: tableName(),
          Key: keys.conversation(commit.conversation.link),
          UpdateExpression: 'SET ticketId = :t ADD version :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(ticketId)',
          ExpressionAttributeValues: { ':t': ticketId, ':one': 1 },
        },
      },
      'link',
    );
  }
  if (commit.cursor && opts.persistedTeams?.has(commit.cursor.team)) {
    add(
      {
        Update: {
          TableName: tableName(),
          Key: keys.team(commit.cursor.team),
          UpdateExpression: 'SET lastAssigned = :s',
          ExpressionAttributeValues: { ':s': commit.cursor.sub },
        },
      },
      'version',
    );
  }
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if ((error as Error).name !== 'TransactionCanceledException') throw error;
    const codes = ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r?.Code);
    const index = codes.indexOf('ConditionalCheckFailed');
    const hit = index >= 0 ? reasons[index] : undefined;
    if (hit) throw new CommitConflict(hit.reason, hit.sub);
    throw error;
  }
}

const CONFIG_TTL_MS = 10_000;
const configCache = new Map<string, { at: number; config: TicketConfig; persistedTeams: Set<string> }>();

/** Forget cached ticket configuration (after an admin saved some). */
export function invalidateTicketConfig(): void {
  configCache.clear();
}

/** Staff with the agent role (the implicit `general` team when no team is configured). */
async function agentSubs(): Promise<string[]> {
  const staff = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': keys.staffListing('').gsi1pk },
  });
  return staff
    .filter((s) => Array.isArray(s.roles) && (s.roles as string[]).includes('agent'))
    .map((s) => String(s.sub))
    .sort();
}

/** Reads the ticket configuration partition (cached for 10 s per container). */
export async function loadTicketConfig(shopId: string, now = Date.now()): Promise<{ config: TicketConfig; persistedTeams: Set<string> }> {
  const hit = configCache.get(shopId);
  if (hit && now - hit.at < CONFIG_TTL_MS) return hit;
  const [items, shop] = await Promise.all([
    queryAll({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.configPartition() },
    }),
    getShop(shopId),
  ]);
  const rules: RoutingRule[] = [];
  const teams = new Map<string, Team>();
  const policies = new Map<string, SlaPolicy>([[DEFAULT_POLICY.policyId, DEFAULT_POLICY]]);
  const calendars = new Map<string, Calendar>();
  if (shop?.businessHours) calendars.set('shop', shop.businessHours);
  for (const item of items) {
    const sk = String(item.sk);
    if (sk.startsWith(keys.routingRulePrefix())) rules.push(clean<RoutingRule>(item));
    else if (sk.startsWith(keys.teamPrefix())) {
      const team = clean<Team>(item);
      teams.set(team.teamId, team);
    } else if (sk.startsWith(keys.slaPolicyPrefix())) {
      const policy = clean<SlaPolicy>(item);
      const known = policies.get(policy.policyId);
      if (!known || known.version < policy.version) policies.set(policy.policyId, policy);
    } else if (sk.startsWith(keys.calendarPrefix())) {
      const { calendarId, ...calendar } = clean<Calendar & { calendarId: string }>(item);
      calendars.set(calendarId, calendar);
    }
  }
  const persistedTeams = new Set(teams.keys());
  if (!teams.has('general')) {
    teams.set('general', {
      teamId: 'general',
      name: { 'zh-CN': '客服组', en: 'Support' },
      members: await agentSubs(),
      mode: 'least_loaded',
      capacity: 5,
    });
  }
  const entry = {
    at: now,
    persistedTeams,
    config: { rules, teams, policies, calendars, defaultTeam: 'general', defaultPolicy: DEFAULT_POLICY.policyId },
  };
  configCache.set(shopId, entry);
  return entry;
}

const staffNames = new Map<string, string | undefined>();

/** The TicketStore port on the single table. */
export function dynamoTicketStore(): TicketStore {
  let persistedTeams: ReadonlySet<string> = new Set();
  return {
    async config(shopId) {
      const loaded = await loadTicketConfig(shopId);
      persistedTeams = loaded.persistedTeams;
      return loaded.config;
    },
    async policyVersion(policyId, version) {
      if (policyId === DEFAULT_POLICY.policyId && version === DEFAULT_POLICY.version) return DEFAULT_POLICY;
      const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.slaPolicy(policyId, version) }));
      return res.Item ? clean<SlaPolicy>(res.Item) : undefined;
    },
    get: getTicketState,
    async loads(subs) {
      const out = new Map<string, number>();
      for (let i = 0; i < subs.length; i += 100) {
        const chunk = [...new Set(subs.slice(i, i + 100))];
        if (chunk.length === 0) continue;
        let request: Record<string, { Keys: Item[] }> | undefined = { [tableName()]: { Keys: chunk.map((s): Item => ({ ...keys.agentLoad(s) })) } };
        while (request && Object.keys(request).length > 0) {
          const res = await db().send(new BatchGetCommand({ RequestItems: request }));
          for (const item of res.Responses?.[tableName()] ?? []) out.set(String(item.sub), Math.max(0, Number(item.load ?? 0)));
          request = res.UnprocessedKeys as typeof request;
        }
      }
      return out;
    },
    async waiting(team, limit) {
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p',
          ExpressionAttributeValues: { ':p': keys.teamQueuePartition(team).gsi2pk },
          Limit: limit,
        }),
      );
      return (res.Items ?? []).map((i) => clean<Ticket>(i));
    },
    commit: (commit) => commitTicket(commit, { persistedTeams }),
    async staffName(sub) {
      if (staffNames.has(sub)) return staffNames.get(sub);
      const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.staff(sub) }));
      const name = res.Item ? String(res.Item.name ?? res.Item.email ?? sub) : undefined;
      if (name) staffNames.set(sub, name);
      return name;
    },
    async requester(contactId) {
      const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId) }));
      const item = res.Item;
      if (!item) return undefined;
      const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
      const name = str(item.name);
      const email = str(item.email);
      const tier = str(item.tierId);
      const shopId = str(item.shopId);
      const benefits = tier ? await tierBenefits(tier) : undefined;
      return {
        ...(name ? { name } : {}),
        ...(email ? { email } : {}),
        ...(tier ? { tier } : {}),
        ...(shopId ? { shopId } : {}),
        ...(benefits ? { benefits } : {}),
      };
    },
  };
}

/** A ticket's audit trail, oldest first. */
export async function listAudit(ticketId: string, limit = 200): Promise<AuditEntry[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':pk': keys.ticket(ticketId).pk, ':a': keys.ticketAuditPrefix() },
      Limit: limit,
    }),
  );
  return (res.Items ?? []).map((i) => clean<AuditEntry>(i));
}

/** Tickets of one assignee (undefined = unassigned) in one status, most recently updated first. */
export async function listByAssignee(assignee: string | undefined, status: TicketStatus, cursor: string | undefined, limit = 30): Promise<Page<Ticket>> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p AND begins_with(gsi3sk, :s)',
      ExpressionAttributeValues: { ':p': keys.ticketByAssignee(assignee, status, '', '').gsi3pk, ':s': keys.ticketAssigneePrefix(status) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  const cursorOut = encodeCursor(res.LastEvaluatedKey);
  return { items: (res.Items ?? []).map((i) => clean<Ticket>(i)), ...(cursorOut ? { cursor: cursorOut } : {}) };
}

/** A team's waiting tickets in queue order (most urgent, then oldest). */
export async function listTeamQueue(team: string, cursor: string | undefined, limit = 30): Promise<Page<Ticket>> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': keys.teamQueuePartition(team).gsi2pk },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  const cursorOut = encodeCursor(res.LastEvaluatedKey);
  return { items: (res.Items ?? []).map((i) => clean<Ticket>(i)), ...(cursorOut ? { cursor: cursorOut } : {}) };
}

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Running clocks due up to `until`, from the due-date partitions of the last `lookbackDays` days. */
async function runningClocksDue(until: Date, lookbackDays: number): Promise<(MetricClock & { ticketId: string })[]> {
  const days: string[] = [];
  for (let t = until.getTime() - lookbackDays * DAY; dayOf(t) <= dayOf(until.getTime()); t += DAY) days.push(dayOf(t));
  const pages = await Promise.all(
    days.map((d) =>
      queryAll({
        TableName: tableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p AND gsi2sk <= :hi',
        ExpressionAttributeValues: { ':p': keys.slaDuePartition(d).gsi2pk, ':hi': `${until.toISOString()}#~` },
      }),
    ),
  );
  return pages.flat().map((i) => clean<MetricClock & { ticketId: string }>(i));
}

/** SLA at risk: running clocks breached or due within `windowMinutes`, soonest first, with their tickets. */
export async function listSlaAtRisk(
  now: Date,
  windowMinutes: number,
): Promise<{ ticketId: string; metric: string; dueAt: string; breached: boolean; ticket?: Ticket }[]> {
  const clocks = (await runningClocksDue(new Date(now.getTime() + windowMinutes * 60_000), 3)).sort((a, b) => String(a.dueAt).localeCompare(String(b.dueAt)));
  const ids = [...new Set(clocks.map((c) => c.ticketId))].slice(0, 100);
  const tickets = new Map<string, Ticket>();
  if (ids.length > 0) {
    const res = await db().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: ids.map((id) => keys.ticket(id)) } } }));
    for (const item of res.Responses?.[tableName()] ?? []) tickets.set(String(item.ticketId), clean<Ticket>(item));
  }
  return clocks
    .filter((c) => tickets.has(c.ticketId))
    .map((c) => ({ ticketId: c.ticketId, metric: c.metric, dueAt: c.dueAt as string, breached: !!c.breachedAt, ticket: tickets.get(c.ticketId) }));
}

/** Running, unbreached clocks whose deadline passed before `before` (timers lost in a restart). */
export async function overdueClocks(before: Date): Promise<(MetricClock & { ticketId: string })[]> {
  return (await runningClocksDue(before, 2)).filter((c) => !c.breachedAt && c.dueAt && c.dueAt < before.toISOString());
}

/** Solved tickets last updated before `cutoff` (candidates for auto-close), across every assignee. */
export async function solvedBefore(cutoff: Date, limit = 200): Promise<Ticket[]> {
  const staff = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': keys.staffListing('').gsi1pk },
  });
  const assignees: (string | undefined)[] = [undefined, ...staff.map((s) => String(s.sub))];
  const out: Ticket[] = [];
  for (const assignee of assignees) {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :p AND gsi3sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: {
          ':p': keys.ticketByAssignee(assignee, 'solved', '', '').gsi3pk,
          ':lo': keys.ticketAssigneePrefix('solved'),
          ':hi': `${keys.ticketAssigneePrefix('solved')}${cutoff.toISOString()}`,
        },
        Limit: limit - out.length,
      }),
    );
    out.push(...(res.Items ?? []).map((i) => clean<Ticket>(i)));
    if (out.length >= limit) break;
  }
  return out;
}
