import * as z from 'zod/mini';
import { notFound } from '#shared/http/errors.ts';
import { accepted, ok, withHttp } from '#shared/http/with-http.ts';
import { getTask, requestTask, TaskParams, taskView } from '#shared/privacy/service.ts';
import { getContact } from '#shared/store/contacts.ts';

const Id = z.string().check(z.minLength(1), z.maxLength(128));
const Params = z.union([TaskParams, z.strictObject({ contactId: Id })]);
/** Admin exports leave internal notes out unless asked (`?internalNotes=true`, e.g. a legal access request). */
const Query = z.strictObject({ internalNotes: z.optional(z.enum(['true', 'false'])) });

export const handler = withHttp('privacy-admin', { params: Params, query: Query }, async ({ caller, params, query, event, now }) => {
  if ('taskId' in params) {
    const task = await getTask(params.taskId);
    if (!task) throw notFound('privacy task');
    return ok(await taskView(task, now));
  }
  if (!(await getContact(params.contactId))) throw notFound('contact');
  const kind = event.routeKey.endsWith('/erase') ? 'erase' : 'export';
  const task = await requestTask(kind, params.contactId, { kind: 'staff', sub: caller.sub }, kind === 'export' && query.internalNotes === 'true', now);
  return accepted(await taskView(task, now));
});
