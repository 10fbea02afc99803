/**
 * After-sales use cases: a verified shopper opens a request (eligibility, photos, then the ticket
 * through the tickets module so SLA, routing and the queue apply), and staff move it through its
 * states, one versioned transaction per action.
 */
import { verifyUploaded } from '#shared/attachments.ts';
import type { StaffCaller, VisitorCaller } from '#shared/auth/caller.ts';
import { badRequest, conflict, forbidden, HttpError } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import type { TicketPorts } from '#shared/tickets/ports.ts';
import { createTicket } from '#shared/tickets/service.ts';
import type { AfterSalesActionBody, CreateAfterSalesBody } from './api.ts';
import { checkEligibility } from './eligibility.ts';
import { type AfterSalesRequest, applyAction, isRefusal, KIND_TEXT, REASON_TEXT } from './model.ts';
import { dropNewRequest, openRequestOf, orderFacts, putNewRequest, readRequest, readRules, ticketExists, transitionItems, writeTransition } from './store.ts';

/** The ticket category of after-sales requests (routing rules and SLA policies can match it). */
export const AFTERSALES_CATEGORY = 'AFTER_SALES';

/** Where a shopper's after-sales photos are uploaded (their object keys derive from it). */
export function photoScope(contactId: string): string {
  return `aftersales-${contactId}`;
}

export const SIGN_IN_FIRST = {
  en: 'please sign in to the shop first; after-sales requests are for your own orders',
  zh: '请先登录店铺账号，再为自己的订单申请售后',
};

/** Only a shopper the shop vouches for may ask: an anonymous visitor is told to sign in. */
export function requireVerified(caller: VisitorCaller): void {
  if (!caller.verified) throw forbidden(SIGN_IN_FIRST);
}

export const requestNotFound = () => new HttpError(404, 'not_found', { en: 'after-sales request not found', zh: '售后申请不存在' });

function ticketText(r: AfterSalesRequest, lang: 'zh-CN' | 'en'): { subject: string; text: string } {
  const zh = lang === 'zh-CN';
  const kind = KIND_TEXT[r.kind][lang];
  const reason = REASON_TEXT[r.reason][lang];
  const lines = zh
    ? [`售后申请：${kind}`, `订单：${r.orderId}，数量 ${r.quantity}`, `原因：${reason}`, `照片：${r.photos.length} 张`]
    : [`After-sales request: ${kind}`, `Order: ${r.orderId}, quantity ${r.quantity}`, `Reason: ${reason}`, `Photos: ${r.photos.length}`];
  if (r.note) lines.push(zh ? `说明：${r.note}` : `Note: ${r.note}`);
  return { subject: zh ? `售后：${kind} · 订单 ${r.orderId}` : `After-sales: ${kind} · order ${r.orderId}`, text: lines.join('\n') };
}

/** Opens a request for one of the shopper's orders: checked, recorded, and worked as a ticket. */
export async function createRequest(ports: TicketPorts, caller: VisitorCaller, body: CreateAfterSalesBody, now: Date): Promise<AfterSalesRequest> {
  requireVerified(caller);
  const [order, rules] = await Promise.all([orderFacts(body.orderId), readRules()]);
  const verdict = checkEligibility(order, { contactId: caller.contactId, kind: body.kind, quantity: body.quantity }, rules, now);
  if (!verdict.ok || !order) {
    const text = verdict.ok ? { 'zh-CN': '找不到该订单', en: 'order not found' } : verdict.text;
    throw badRequest({ en: text.en, zh: text['zh-CN'] }, { reason: verdict.ok ? 'no_order' : verdict.code, text });
  }
  const scope = photoScope(caller.contactId);
  await verifyUploaded(scope, body.photos);
  const at = now.toISOString();
  const request: AfterSalesRequest = {
    requestId: newId('afs', now.getTime()),
    shopId: caller.shopId,
    contactId: caller.contactId,
    customerId: order.customerId,
    ticketId: ports.ids('tkt'),
    orderId: order.orderId,
    kind: body.kind,
    reason: body.reason,
    quantity: body.quantity,
    ...(body.note ? { note: body.note } : {}),
    photos: body.photos,
    photoScope: scope,
    state: 'requested',
    paid: order.amount,
    currency: order.currency,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await claimOrder(request, now);
  const lang = caller.locale ?? 'zh-CN';
  const { subject, text } = ticketText(request, lang);
  try {
    await createTicket(
      ports,
      {
        ticketId: request.ticketId,
        shopId: caller.shopId,
        channel: 'web_form',
        subject,
        text,
        requester: { contactId: caller.contactId },
        verified: true,
        category: AFTERSALES_CATEGORY,
        priority: body.reason === 'quality' || body.reason === 'wrong_item' || body.reason === 'missing' ? 'high' : 'normal',
        language: lang,
        tags: ['aftersales'],
        customFields: { aftersales_request: request.requestId, order_id: request.orderId },
      },
      { kind: 'visitor' },
    );
  } catch (error) {
    await dropNewRequest(request);
    throw error;
  }
  return request;
}

/** A claim left by a request whose ticket never came (a crash between the two writes) is taken over after this long. */
const ABANDONED_MS = 5 * 60_000;

/** Writes the request and claims its order; an abandoned claim on the order is cleared once, then claimed again. */
async function claimOrder(request: AfterSalesRequest, now: Date): Promise<void> {
  try {
    await putNewRequest(request);
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 409) throw error;
    const open = await openRequestOf(request.orderId);
    const abandoned = open && now.getTime() - Date.parse(open.createdAt) > ABANDONED_MS && !(await ticketExists(open.ticketId));
    if (!abandoned) throw error;
    await dropNewRequest(open);
    await putNewRequest(request);
  }
}

/** One staff action at the version read: 409 when stale or not allowed in the current state. */
export async function actOnRequest(requestId: string, body: AfterSalesActionBody, caller: StaffCaller, now: Date): Promise<AfterSalesRequest> {
  const before = await readRequest(requestId);
  if (!before) throw requestNotFound();
  const stale = () =>
    conflict({ en: 'the request changed since you read it; reload and try again', zh: '售后申请已被他人更新，请刷新后重试' }, { version: before.version });
  if (before.version !== body.version) throw stale();
  const { version: _v, ...action } = body;
  const at = now.toISOString();
  const after = applyAction(before, action, at);
  if (isRefusal(after)) {
    const message = { en: after.text.en, zh: after.text['zh-CN'] };
    throw after.code === 'not_allowed' ? conflict(message, { state: before.state }) : badRequest(message, { reason: after.code });
  }
  const { items, record } = transitionItems(before, after, action, { kind: 'staff', sub: caller.sub, name: caller.name }, at);
  if (!(await writeTransition(items))) throw stale();
  return record;
}
