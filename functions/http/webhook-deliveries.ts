import * as z from 'zod/mini';
import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { decodeCursor, encodeCursor } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { listDeliveries } from '#shared/webhooks/store.ts';

const Query = z.strictObject({
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/))),
  cursor: z.optional(z.string().check(z.maxLength(1000))),
});

/** State names as an admin reads them. */
const STATES = {
  pending: { 'zh-CN': '待发送', en: 'Pending' },
  retrying: { 'zh-CN': '重试中', en: 'Retrying' },
  delivered: { 'zh-CN': '已送达', en: 'Delivered' },
  failed: { 'zh-CN': '失败', en: 'Failed' },
  no_target: { 'zh-CN': '未配置 Webhook 地址', en: 'No webhook URL configured' },
} as const;

export const handler = withHttp('webhook-deliveries', { query: Query }, async ({ query }) => {
  const cursor = decodeCursor(query.cursor);
  if (cursor && cursor.gsi1pk !== keys.webhookDeliveriesPartition().gsi1pk)
    throw badRequest({
      en: 'cursor is not valid; pass back the cursor of the previous page unchanged',
      zh: '分页游标（cursor）无效，请原样传回上一页返回的 cursor',
    });
  const page = await listDeliveries(Math.min(100, Math.max(1, Number(query.limit ?? 50))), cursor);
  return ok({ items: page.items.map((d) => ({ ...d, stateText: STATES[d.state] })), cursor: encodeCursor(page.next) });
});
