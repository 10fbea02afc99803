/** Request schemas of the after-sales routes (strict: unknown fields are refused) and the views they answer with. */
import * as z from 'zod/mini';
import { AttachmentRef } from '#shared/attachments.ts';
import { msg } from '#shared/http/messages.ts';
import { cleanLine, cleanMessageText } from '#shared/text/hygiene.ts';
import { maskText } from '#shared/text/masking.ts';
import { type AfterSalesRequest, availableActions, KIND_TEXT, KINDS, REASON_TEXT, REASONS, STATE_TEXT, stateSentence } from './model.ts';

const OrderId = z.string().check(z.trim(), z.minLength(1), z.maxLength(128));

/** `POST /widget/aftersales`: one order, what the shopper wants and why. */
export const CreateAfterSalesBody = z.strictObject({
  orderId: OrderId,
  kind: z.enum(KINDS),
  reason: z.enum(REASONS),
  quantity: z.int().check(z.minimum(1, msg('quantity must be at least 1', '数量至少为 1')), z.maximum(999)),
  note: z.optional(z.string().check(cleanMessageText(), z.maxLength(1000, msg('the note is at most 1000 characters', '补充说明最多 1000 字')))),
  /** Photos uploaded through `POST /widget/aftersales/uploads` first. */
  photos: z._default(z.array(AttachmentRef).check(z.maxLength(6, msg('at most 6 photos', '最多上传 6 张照片'))), []),
});
export type CreateAfterSalesBody = z.infer<typeof CreateAfterSalesBody>;

export const RequestIdParams = z.strictObject({
  requestId: z.string().check(z.regex(/^afs_[0-9a-z]{26}$/, msg('not an after-sales request id', '不是售后申请编号'))),
});

const Version = z.int().check(z.minimum(1));
const Amount = z.number().check(z.positive(msg('the amount must be more than 0', '金额须大于 0')), z.maximum(10_000_000));

/** `POST /aftersales/{requestId}/actions`: one action at the version read (a stale one is a 409). */
export const AfterSalesActionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('review'), version: Version }),
  z.strictObject({ action: z.literal('approve'), version: Version }),
  z.strictObject({
    action: z.literal('send_return_address'),
    version: Version,
    address: z.string().check(cleanLine(), z.minLength(1, msg('enter the return address', '请填写退货地址')), z.maxLength(300)),
  }),
  z.strictObject({ action: z.literal('mark_received'), version: Version }),
  z.strictObject({ action: z.literal('refund'), version: Version, amount: Amount }),
  z.strictObject({ action: z.literal('complete'), version: Version }),
  z.strictObject({
    action: z.literal('reject'),
    version: Version,
    reason: z.string().check(cleanLine(), z.minLength(1, msg('enter a reason; the shopper sees it', '请填写拒绝原因，顾客会看到它')), z.maxLength(300)),
  }),
]);
export type AfterSalesActionBody = z.infer<typeof AfterSalesActionBody>;

/** What a shopper sees of their own request (no staff-only fields). */
export function requestForShopper(r: AfterSalesRequest) {
  return {
    requestId: r.requestId,
    orderId: r.orderId,
    kind: r.kind,
    kindText: KIND_TEXT[r.kind],
    reason: r.reason,
    reasonText: REASON_TEXT[r.reason],
    quantity: r.quantity,
    state: r.state,
    stateText: STATE_TEXT[r.state],
    sentence: stateSentence(r),
    photos: r.photos.length,
    ...(r.returnAddress ? { returnAddress: r.returnAddress } : {}),
    ...(r.refundAmount !== undefined ? { refundAmount: r.refundAmount } : {}),
    ...(r.rejectReason ? { rejectReason: r.rejectReason } : {}),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/**
 * What staff see: the whole record, its words and the actions open now. The shopper's note is
 * masked (phone numbers, addresses…) unless the reader may read shoppers' text as written (`plain`).
 */
export function requestForStaff(r: AfterSalesRequest, photoUrls: Record<string, string>, plain: boolean) {
  const { photoScope: _scope, ...rest } = r;
  return {
    ...rest,
    ...(r.note && !plain ? { note: maskText(r.note) } : {}),
    kindText: KIND_TEXT[r.kind],
    reasonText: REASON_TEXT[r.reason],
    stateText: STATE_TEXT[r.state],
    photos: r.photos.map((p) => ({ ...p, ...(photoUrls[p.attachmentId] ? { url: photoUrls[p.attachmentId] } : {}) })),
    actions: availableActions(r.kind, r.state),
    refundCeiling: Math.round((r.paid - (r.refundedAmount ?? 0)) * 100) / 100,
  };
}
