/**
 * Ticket search over the write-time term index (see search-terms.ts): one Query per term on gsi1
 * `TOKEN#{term}`, groups intersected, headers read with one BatchGetItem. Never a Scan.
 */
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import type { Ticket } from './model.ts';
import { planSearch } from './search-terms.ts';
import { getTicketState } from './store.ts';

/** Ticket ids per term read at most (a term this common is not a useful filter on its own). */
const PER_TERM = 500;

async function idsFor(term: string): Promise<Set<string>> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.termPartition(term).gsi1pk },
      ProjectionExpression: 'gsi1sk',
      ScanIndexForward: false,
      Limit: PER_TERM,
    }),
  );
  return new Set((res.Items ?? []).map((i) => String(i.gsi1sk)));
}

const STRIP = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'ttl', 'entity']);

/** Tickets matching a search box query (ticket id, requester email, tag, subject words), newest activity first. */
export async function searchTickets(q: string, limit = 50): Promise<Ticket[]> {
  const plan = planSearch(q);
  if (plan.kind === 'id') {
    const state = await getTicketState(plan.ticketId);
    return state ? [state.ticket] : [];
  }
  if (plan.groups.length === 0) return [];
  const groups = await Promise.all(plan.groups.map(async (terms) => new Set((await Promise.all(terms.map(idsFor))).flatMap((s) => [...s]))));
  const [first, ...rest] = groups;
  const either = plan.or ? await idsFor(plan.or) : new Set<string>();
  const ids = [...new Set([...[...(first ?? [])].filter((id) => rest.every((g) => g.has(id))), ...either])].sort().reverse().slice(0, Math.min(100, limit));
  if (ids.length === 0) return [];
  const out: Ticket[] = [];
  let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [tableName()]: { Keys: ids.map((id) => ({ ...keys.ticket(id) })) } };
  while (request && Object.keys(request).length > 0) {
    const res = await db().send(new BatchGetCommand({ RequestItems: request }));
    for (const item of res.Responses?.[tableName()] ?? []) out.push(Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as Ticket);
    request = res.UnprocessedKeys as typeof request;
  }
  return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
