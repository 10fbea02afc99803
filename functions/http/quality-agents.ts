import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { agentRows, answersCustomers, type QualityAgentsResponse } from '#shared/quality/agents.ts';
import { AgentsQuery, periodDays } from '#shared/quality/api.ts';
import { readQualityDays, readStaff } from '#shared/quality/store.ts';
import type { DayCounters } from '#shared/quality/summary.ts';
import { shopTimeZone } from '#shared/quality/zone.ts';
import { dynamoTicketStore } from '#shared/tickets/store.ts';

/** Queries of agent scopes in flight at once. */
const PARALLEL = 8;

/**
 * Per-agent performance of a period for supervisors: the staff listing (one Query), then one Query
 * per agent on their own `QUALITY#agent#{sub}` day items and one BatchGet of their open-ticket
 * loads — bounded by the team's size, never a Scan. Figures come from the dashboard's `figures`.
 */
export const handler = withHttp('quality-agents', { query: AgentsQuery }, async ({ query }) => {
  const days = periodDays(query.from, query.to);
  if (typeof days === 'string') throw badRequest(days);
  const [staff, timeZone] = await Promise.all([readStaff(), shopTimeZone()]);
  const agents = staff.filter((s) => answersCustomers(s.roles));
  const daysBySub = new Map<string, DayCounters[]>();
  let requests = 1;
  let itemsRead = staff.length;
  for (let i = 0; i < agents.length; i += PARALLEL) {
    const batch = agents.slice(i, i + PARALLEL);
    const read = await Promise.all(batch.map((a) => readQualityDays(`agent#${a.sub}`, query.from, query.to)));
    read.forEach((r, j) => {
      daysBySub.set(batch[j]!.sub, r.days);
      requests += r.reads;
      itemsRead += r.days.length;
    });
  }
  const loads = agents.length ? await dynamoTicketStore().loads(agents.map((a) => a.sub)) : new Map<string, number>();
  if (agents.length) {
    requests += Math.ceil(agents.length / 100);
    itemsRead += loads.size;
  }
  const body: QualityAgentsResponse = {
    from: query.from,
    to: query.to,
    days,
    timeZone,
    items: agentRows(agents, daysBySub, loads),
    cost: { requests, itemsRead },
  };
  return ok(body);
});
