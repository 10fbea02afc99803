import * as z from 'zod/mini';
import { notFound } from '#shared/http/errors.ts';
import { accepted, ok, withHttp } from '#shared/http/with-http.ts';
import { recordAccess } from '#shared/privacy/access-log.ts';
import { ERASE_STEPS } from '#shared/privacy/erase.ts';
import { getTask, requestTask, TaskParams, taskView } from '#shared/privacy/service.ts';
import { NoInput } from '#shared/shop/api.ts';
import { getContact } from '#shared/store/contacts.ts';

const Id = z.string().check(z.minLength(1), z.maxLength(128));
const Params = z.union([TaskParams, z.strictObject({ contactId: Id })]);
/** Admin exports leave internal notes out unless asked (`?internalNotes=true`, e.g. a legal access request). */
const Query = z.strictObject({ internalNotes: z.optional(z.enum(['true', 'false'])) });

export const handler = withHttp('privacy-admin', { body: NoInput, params: Params, query: Query }, async ({ caller, params, query, event, now }) => {
  if ('taskId' in params) {
    const task = await getTask(params.taskId);
    if (!task) throw notFound('privacy task');
    return ok(adminView(await taskView(task, now)));
  }
  if (!(await getContact(params.contactId))) throw notFound('contact');
  const kind = event.routeKey.endsWith('/erase') ? 'erase' : 'export';
  const task = await requestTask(kind, params.contactId, { kind: 'staff', sub: caller.sub }, kind === 'export' && query.internalNotes === 'true', now);
  if (kind === 'export') {
    const fields = [...EXPORT_PARTS, ...(task.includeInternal ? ['internalNotes'] : [])];
    await recordAccess(caller, { contactId: params.contactId, action: 'export', fields, masked: false }, now);
  }
  return accepted(adminView(await taskView(task, now)));
});

/** What an export holds (named in the access log). */
const EXPORT_PARTS = ['profile', 'consentLog', 'orders', 'conversations', 'tickets', 'surveys', 'pointsLedger'];

/** An erasure's progress as the console draws it: finished steps out of all of them. */
function adminView<T extends { kind: string }>(view: T): T & { totalSteps?: number } {
  return view.kind === 'erase' ? { ...view, totalSteps: ERASE_STEPS.length } : view;
}
