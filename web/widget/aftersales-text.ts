/** Strings of the widget's after-sales (售后) entry and form, in both languages (reason and kind labels come from shared/aftersales/model.ts). */
import type { Locale } from '../lib/types.ts';

const en = {
  entryTitle: 'Returns and refunds',
  entryIntro: 'Return, exchange or refund an order.',
  entryButton: 'Request a return',
  sheetTitle: 'After-sales',
  close: 'Close after-sales',
  loading: 'Loading…',
  loadFailed: 'Could not load your orders: {message}',
  retry: 'Try again',
  signIn: 'Please sign in to your shop account first; then you can ask for a return, exchange or refund of your orders here.',
  myRequests: 'My requests',
  requestLine: 'Order {orderId} · {kind}',
  newRequest: 'New request',
  noOrders: 'There are no orders to ask about yet.',
  order: 'Order',
  orderOption: '{orderId} · ¥{amount} · {status}',
  orderBusy: '{orderId} (request in progress)',
  kind: 'What do you need?',
  reason: 'Reason',
  quantity: 'Quantity (at most {max})',
  note: 'Anything else we should know (optional)',
  photos: 'Photos (optional, up to 6)',
  addPhotos: 'Add photos',
  uploading: 'Uploading {name}…',
  uploaded: '{name} added',
  removePhoto: 'Remove {name}',
  photoType: '“{name}” cannot be added: only PNG, JPEG, GIF or WebP images up to the size limit.',
  photoFailed: '“{name}” could not be uploaded; please try again.',
  submit: 'Submit request',
  submitting: 'Submitting…',
  submitted: 'Your request is submitted. We will review it soon.',
  failed: 'Could not submit: {message}',
  status_paid: 'paid',
  status_shipped: 'shipped',
  status_delivered: 'delivered',
  status_created: 'not paid',
  status_refunded: 'refunded',
  ask: 'Request a return',
};

type Key = keyof typeof en;

const zh: Record<Key, string> = {
  entryTitle: '售后服务',
  entryIntro: '退货、换货、仅退款，在这里申请。',
  entryButton: '申请售后',
  sheetTitle: '申请售后',
  close: '关闭售后',
  loading: '加载中…',
  loadFailed: '订单加载失败：{message}',
  retry: '重试',
  signIn: '请先登录店铺账号，登录后即可在这里为您的订单申请退货、换货或退款。',
  myRequests: '我的售后',
  requestLine: '订单 {orderId} · {kind}',
  newRequest: '新的申请',
  noOrders: '暂时没有可以申请售后的订单。',
  order: '订单',
  orderOption: '{orderId} · ¥{amount} · {status}',
  orderBusy: '{orderId}（售后处理中）',
  kind: '售后类型',
  reason: '申请原因',
  quantity: '数量（最多 {max} 件）',
  note: '补充说明（选填）',
  photos: '照片（选填，最多 6 张）',
  addPhotos: '添加照片',
  uploading: '正在上传 {name}…',
  uploaded: '已添加 {name}',
  removePhoto: '移除 {name}',
  photoType: '无法添加“{name}”：仅支持 PNG、JPEG、GIF、WebP 图片，且不能超过大小上限。',
  photoFailed: '“{name}”上传失败，请重试。',
  submit: '提交申请',
  submitting: '提交中…',
  submitted: '申请已提交，客服会尽快审核。',
  failed: '提交失败：{message}',
  status_paid: '已付款',
  status_shipped: '已发货',
  status_delivered: '已签收',
  status_created: '未付款',
  status_refunded: '已退款',
  ask: '申请售后',
};

export type AfterSalesKey = Key;

/** The text of a key in the widget's language, with `{name}` placeholders filled. */
export function asText(locale: Locale, key: Key, values: Record<string, string | number> = {}): string {
  const table = locale === 'zh-CN' ? zh : en;
  return (table[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** Words that mark a bot message pointing to the entry (the bot's texts in shared/bot/responder.ts). */
export const ENTRY_MARKERS = ['「申请售后」', '“Request a return”'];
