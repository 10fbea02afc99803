import { surveyForVisitor } from '#shared/feedback/service.ts';
import { listContactSurveys } from '#shared/feedback/store.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/** The visitor's surveys still waiting for an answer (not expired), newest first. */
export const handler = withHttp('widget-surveys', {}, async ({ caller, now }) => {
  const surveys = await listContactSurveys(caller.contactId);
  const pending = surveys.filter((s) => s.status === 'sent' && Date.parse(s.expiresAt) > now.getTime());
  return ok({ items: pending.map(surveyForVisitor) });
});
