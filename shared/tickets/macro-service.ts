/**
 * Macro use cases: save (versioned; shared ones need a supervisor or admin, personal ones live in
 * their owner's partition so nobody else can address them), list, delete, and apply — post the
 * rendered reply in the requester's language through the normal staff send path (so SLA clocks and
 * email replies follow), then apply status/tags/assignment through updateTicket.
 */
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { StaffCaller } from '#shared/auth/caller.ts';
import { hasRole } from '#shared/auth/caller.ts';
import { staffSend } from '#shared/chat/service.ts';
import { badRequest, conflict, forbidden, notFound } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import { latestShipmentLine } from '#shared/logistics/store.ts';
import { getContact } from '#shared/store/contacts.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { staffPerson } from './api.ts';
import { type Macro, type MacroBody, macroChange, type Placeholder, readerLang, renderMacro } from './macros.ts';
import type { TicketPorts } from './ports.ts';
import { updateTicket } from './service.ts';

const STRIP = new Set(['pk', 'sk', 'entity']);
const clean = (item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).filter(([k]) => !STRIP.has(k))) as unknown as Macro;
const SUPERVISORS = ['supervisor', 'admin'] as const;

/** A macro the caller may use: a shared one, or one of their own. */
export async function findMacro(caller: StaffCaller, macroId: string): Promise<Macro | undefined> {
  const res = await db().send(
    new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: [keys.macro('shared', macroId), keys.macro(caller.sub, macroId)] } } }),
  );
  const item = (res.Responses?.[tableName()] ?? [])[0];
  return item ? clean(item) : undefined;
}

/** Shared macros and the caller's own, by name. */
export async function listMacros(caller: StaffCaller): Promise<Macro[]> {
  const read = async (owner: string) =>
    (
      await db().send(
        new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': keys.macroPartition(owner) } }),
      )
    ).Items ?? [];
  const [shared, mine] = await Promise.all([read('shared'), read(caller.sub)]);
  return [...shared, ...mine].map(clean).sort((a, b) => a.name.en.localeCompare(b.name.en));
}

function mayEdit(caller: StaffCaller, scope: Macro['scope']): void {
  if (scope === 'shared' && !hasRole(caller, SUPERVISORS))
    throw forbidden({
      en: 'shared macros are kept by supervisors and admins; save it as a personal macro',
      zh: '共享快捷回复由主管和管理员维护，请保存为个人快捷回复',
    });
}

/** Creates (no id) or replaces (id + version) a macro. */
export async function saveMacro(caller: StaffCaller, body: MacroBody, macroId: string | undefined, now: Date): Promise<Macro> {
  mayEdit(caller, body.scope);
  const owner = body.scope === 'shared' ? 'shared' : caller.sub;
  const id = macroId ?? newId('mac');
  if (macroId && body.version === undefined)
    throw badRequest({ en: 'version is required when replacing a macro', zh: '替换快捷回复时必须附上版本号（version）' });
  const version = macroId ? (body.version as number) + 1 : 1;
  const macro: Macro = {
    macroId: id,
    scope: body.scope,
    owner,
    name: body.name,
    text: body.text,
    actions: body.actions,
    updatedBy: caller.sub,
    updatedAt: now.toISOString(),
    version,
  };
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.macro(owner, id), entity: 'macro', ...macro },
        ConditionExpression: macroId ? 'version = :v' : 'attribute_not_exists(pk)',
        ...(macroId ? { ExpressionAttributeValues: { ':v': body.version } } : {}),
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    const exists = await db().send(new GetCommand({ TableName: tableName(), Key: keys.macro(owner, id) }));
    if (!exists.Item) throw notFound('macro');
    throw conflict(
      { en: 'the macro changed since you read it; reload and retry', zh: '快捷回复在您读取后已被修改，请重新加载后重试' },
      { version: exists.Item.version },
    );
  }
  return macro;
}

/** Deletes a macro the caller may edit. */
export async function deleteMacro(caller: StaffCaller, macroId: string): Promise<void> {
  const macro = await findMacro(caller, macroId);
  if (!macro) throw notFound('macro');
  mayEdit(caller, macro.scope);
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.macro(macro.owner, macroId) }));
}

/** The requester's most recent order id (gsi1, newest first). */
async function latestOrderId(contactId: string): Promise<string | undefined> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.contactOrdersPartition(contactId).gsi1pk },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const item = res.Items?.[0];
  return item ? String(item.orderId ?? String(item.gsi1sk).split('#').pop()) : undefined;
}

/**
 * Applies a macro to a ticket the caller read at `version`: the rendered reply goes out first
 * (de-duplicated per macro and ticket version, so a retried request posts it once), then the
 * status/tag/assignment change through updateTicket on the version the reply left.
 */
export async function applyMacro(ports: TicketPorts, caller: StaffCaller, ticketId: string, macroId: string, version: number, now: Date) {
  const [state, macro] = await Promise.all([ports.store.get(ticketId), findMacro(caller, macroId)]);
  if (!state) throw notFound('ticket');
  if (!macro) throw notFound('macro');
  const ticket = state.ticket;
  if (ticket.version !== version)
    throw conflict(
      { en: 'the ticket changed since you read it; reload and retry', zh: '工单在您读取后已被修改，请重新加载后重试' },
      { version: ticket.version },
    );
  if (ticket.status === 'closed')
    throw badRequest({ en: 'a closed ticket cannot be changed; open a follow-up ticket', zh: '已关闭的工单不能修改，请新建一张跟进工单' });
  const [contact, orderId] = await Promise.all([getContact(ticket.requester.contactId), latestOrderId(ticket.requester.contactId)]);
  const lang = readerLang(contact?.locale, ticket.language);
  const shipment = macro.text[lang].includes('shipment.latest') ? await latestShipmentLine(ticket.requester.contactId, lang === 'en' ? 'en' : 'zh') : undefined;
  const name = contact?.name ?? ticket.requester.name;
  const values: Partial<Record<Placeholder, string>> = {
    'ticket.id': ticket.ticketId,
    ...(name ? { 'customer.name': name } : {}),
    ...(orderId ? { 'order.id': orderId } : {}),
    ...(shipment ? { 'shipment.latest': shipment } : {}),
  };
  const rendered = renderMacro(macro.text[lang], values, lang);
  const sent = await staffSend(caller, ticket.conversationId, { text: rendered.text, clientMessageId: `macro-${macroId}-${ticketId}-v${version}` }, now);
  let after = state;
  for (let attempt = 0; attempt < 3; attempt++) {
    const fresh = await ports.store.get(ticketId);
    if (!fresh) throw notFound('ticket');
    const change = macroChange(macro, fresh.ticket, caller.sub);
    if (Object.keys(change).length === 0) {
      after = fresh;
      break;
    }
    try {
      after = await updateTicket(ports, ticketId, { version: fresh.ticket.version, ...change }, staffPerson(caller));
      break;
    } catch (error) {
      if ((error as { status?: number }).status !== 409 || attempt === 2) throw error;
    }
  }
  return { ticket: after.ticket, message: sent.message, lang, missing: rendered.missing };
}
