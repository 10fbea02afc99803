import * as z from 'zod/mini';
import { forbidden, notFound } from '#shared/http/errors.ts';
import { accepted, ok, withHttp } from '#shared/http/with-http.ts';
import { getTask, requestTask, TaskParams, taskView } from '#shared/privacy/service.ts';

const Params = z.union([TaskParams, z.strictObject({})]);

export const handler = withHttp('widget-privacy-export', { params: Params }, async ({ caller, params, event, now }) => {
  if (!caller.verified)
    throw forbidden({
      en: 'only a shopper signed in to the shop can export their data; sign in on the shop first',
      zh: '只有在店铺登录的顾客才能导出自己的数据，请先在店铺登录',
    });
  if (event.requestContext.http.method === 'POST') {
    const task = await requestTask('export', caller.contactId, { kind: 'visitor' }, false, now);
    return accepted(await taskView(task, now));
  }
  const task = 'taskId' in params ? await getTask(params.taskId) : undefined;
  if (task?.kind !== 'export' || task.contactId !== caller.contactId) throw notFound('export');
  return ok(await taskView(task, now));
});
