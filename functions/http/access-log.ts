import { ok, textBody, withHttp } from '#shared/http/with-http.ts';
import { ACCESS_ACTION_TEXT, searchAccessLog } from '#shared/privacy/access-log.ts';
import { AccessLogQuery } from '#shared/privacy/api.ts';
import { toCsv } from '#shared/quality/csv.ts';

/** Rows an export holds at most (one export is one request; narrow by staff member, contact or day for more). */
const EXPORT_ROWS = 10_000;

const HEADER = [
  '时间 / Time',
  '员工 / Staff',
  '员工编号 / Staff id',
  '客户 / Contact',
  '操作 / Action',
  '字段 / Fields',
  '已打码 / Masked',
  '原因 / Reason',
  '会话 / Conversation',
];

/**
 * Admins search the access log (by staff member, by contact, or one day) and export what they
 * found as CSV; every text cell is neutralised against formula injection (shared/quality/csv.ts).
 */
export const handler = withHttp('access-log', { query: AccessLogQuery }, async ({ query, event, now }) => {
  const search = {
    ...(query.staff ? { staff: query.staff } : {}),
    ...(query.contactId ? { contactId: query.contactId } : {}),
    ...(query.day ? { day: query.day } : {}),
  };
  if (!event.rawPath.endsWith('.csv')) {
    return ok(await searchAccessLog({ ...search, limit: Number(query.limit ?? 50), ...(query.cursor ? { cursor: query.cursor } : {}) }, now));
  }
  const rows: (string | boolean)[][] = [];
  let cursor = query.cursor;
  do {
    const page = await searchAccessLog({ ...search, limit: 100, ...(cursor ? { cursor } : {}) }, now);
    for (const e of page.items) {
      const action = ACCESS_ACTION_TEXT[e.action];
      rows.push([
        e.at,
        e.staff.name,
        e.staff.sub,
        e.contactId,
        action ? `${action['zh-CN']} / ${action.en}` : e.action,
        e.fields.join(' '),
        e.masked,
        e.reason ?? '',
        e.conversationId ?? '',
      ]);
    }
    cursor = page.cursor;
  } while (cursor && rows.length < EXPORT_ROWS);
  const filename = `kefu-access-log-${query.contactId ?? query.staff ?? query.day ?? now.toISOString().slice(0, 10)}.csv`.replace(/[^\w.-]/g, '_');
  return textBody(toCsv(HEADER, rows), 'text/csv; charset=utf-8', { 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' });
});
