import { badRequest, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { ContactParams, LedgerQuery } from '#shared/members/api.ts';
import { listLedger, readMember } from '#shared/members/store.ts';
import { decodeCursor, encodeCursor } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { dynamoTicketStore } from '#shared/tickets/store.ts';

export const handler = withHttp('points-list', { query: LedgerQuery, params: ContactParams }, async ({ params, query }) => {
  const member = await readMember(params.contactId);
  if (!member) throw notFound('contact');
  const cursor = decodeCursor(query.cursor);
  if (cursor && (cursor.pk !== keys.contact(member.contactId).pk || !cursor.sk?.startsWith(keys.pointsEntryPrefix()))) {
    throw badRequest({
      en: 'cursor is not valid; pass back the cursor of the previous page unchanged',
      zh: '分页游标（cursor）无效，请原样传回上一页返回的 cursor',
    });
  }
  const page = await listLedger(member.contactId, Number(query.limit ?? 20), cursor);
  // Who made each staff adjustment, by name (the audit line of the ledger).
  const store = dynamoTicketStore();
  const actors = [...new Set(page.items.flatMap((e) => (e.actor ? [e.actor] : [])))];
  const names = new Map(await Promise.all(actors.map(async (sub) => [sub, await store.staffName(sub)] as const)));
  const items = page.items.map((e) => {
    const actorName = e.actor ? names.get(e.actor) : undefined;
    return actorName ? { ...e, actorName } : e;
  });
  return ok({ balance: member.balance, items, cursor: encodeCursor(page.next) });
});
