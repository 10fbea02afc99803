/**
 * The email outbox as supervisors read it: filtered by delivery state, and one ticket's emails
 * found through the ticket's thread (no index of the outbox by ticket, and no Scan): the thread
 * item lists every Message-ID Kefu sent on the ticket, and each names the thread message whose
 * outbox row it is (`shared/tickets/email-reply.ts`: Message-ID `{messageId}.{ticketId}@…`,
 * outbox id `tkr-{messageId}`).
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { getMailThread } from '#shared/tickets/email-store.ts';

/** Most emails one ticket's section lists (the newest). */
export const TICKET_EMAILS_MAX = 100;

/** The outbox ids of the replies Kefu sent on a ticket, oldest first, from its thread's Message-IDs. */
export function outboxIdsOf(ticketId: string, refs: readonly string[]): string[] {
  const suffix = `.${ticketId}@`;
  const ids = refs.flatMap((ref) => {
    const at = ref.indexOf(suffix);
    const messageId = at > 0 ? ref.slice(0, at) : '';
    return /^msg_[0-9a-z]+$/.test(messageId) ? [`tkr-${messageId}`] : [];
  });
  return [...new Set(ids)].slice(-TICKET_EMAILS_MAX);
}

const HIDDEN = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'claimToken', 'entity', 'html']);

/** An outbox row as the API shows it (keys and the HTML copy left out). */
export function outboxRow(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !HIDDEN.has(k)));
}

/** A ticket's outbound emails, newest first (one Get of the thread, then BatchGets by key). */
export async function ticketEmails(ticketId: string): Promise<Record<string, unknown>[]> {
  const ids = outboxIdsOf(ticketId, (await getMailThread(ticketId)).refs);
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
      [tableName()]: { Keys: ids.slice(i, i + 100).map((id) => ({ ...keys.emailOutbox(id) })) },
    };
    while (request && Object.keys(request).length > 0) {
      const res = await db().send(new BatchGetCommand({ RequestItems: request }));
      found.push(...(res.Responses?.[tableName()] ?? []));
      request = res.UnprocessedKeys as typeof request;
    }
  }
  return found
    .filter((item) => item.ticketId === ticketId)
    .map(outboxRow)
    .sort((a, b) => String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? '')));
}

/** Keeps the rows of a kind and a delivery state (`status`; rows without one are pending). */
export function filterOutbox<T extends Record<string, unknown>>(items: readonly T[], filter: { kind?: string; status?: string }): T[] {
  return items.filter((item) => (!filter.kind || item.kind === filter.kind) && (!filter.status || (item.status ?? 'pending') === filter.status));
}
