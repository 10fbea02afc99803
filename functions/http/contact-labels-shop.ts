import { conflict, notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { changeLabels, MAX_LABELS, ShopLabelsBody, saveLabels } from '#shared/members/labels.ts';
import { findContactByShopUser } from '#shared/store/contacts.ts';

/** The shop's backend adds and removes labels of one of its customers (signed; adding a label twice changes nothing). */
export const handler = withHttp('contact-labels-shop', { body: ShopLabelsBody }, async ({ body, caller, now }) => {
  const contactId = await findContactByShopUser(caller.shopId, body.customerId);
  if (!contactId) throw notFound('customer');
  const change = { ...(body.add ? { add: body.add } : {}), ...(body.remove ? { remove: body.remove } : {}) };
  const outcome = await saveLabels(contactId, (current) => changeLabels(current, change), { kind: 'shop', shopId: caller.shopId }, now);
  if (outcome.status === 'no_contact') throw notFound('customer');
  if (outcome.status === 'too_many')
    throw conflict(
      { en: `a customer holds at most ${MAX_LABELS} labels; remove some in the same request`, zh: `每位顾客最多 ${MAX_LABELS} 个标签，请在同一请求中移除一些` },
      { code: 'too_many_labels', labels: outcome.labels },
    );
  if (outcome.status === 'conflict')
    throw conflict(
      { en: 'the customer’s labels kept changing; send the request again', zh: '该顾客的标签一直在变化，请重新发送请求' },
      { code: 'labels_busy' },
    );
  return ok({ customerId: body.customerId, labels: outcome.labels, changed: outcome.status === 'saved' });
});
