import { conflict, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { ContactParams } from '#shared/members/api.ts';
import { LabelsBody, saveLabels } from '#shared/members/labels.ts';

/** An agent replaces a contact's labels with the list they edited, at the version they read. */
export const handler = withHttp('contact-labels', { body: LabelsBody, params: ContactParams }, async ({ body, params, caller, now }) => {
  const outcome = await saveLabels(params.contactId, () => body.labels, { kind: 'staff', sub: caller.sub }, now, body.version);
  if (outcome.status === 'no_contact') throw notFound('contact');
  if (outcome.status === 'conflict')
    throw conflict(
      {
        en: 'the labels were changed by someone else since you read them; reload the customer and try again',
        zh: '标签在您读取后已被他人修改，请重新加载该顾客后再试',
      },
      { code: 'labels_changed' },
    );
  return ok({ labels: outcome.labels, version: outcome.version, changed: outcome.status === 'saved' });
});
