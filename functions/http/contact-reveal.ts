import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { ContactParams } from '#shared/members/api.ts';
import { readMember } from '#shared/members/store.ts';
import { recordAccess } from '#shared/privacy/access-log.ts';
import { RevealBody } from '#shared/privacy/api.ts';
import { PERSONAL_FIELDS } from '#shared/text/masking.ts';

/**
 * A supervisor or admin reveals a contact's full personal values for a stated reason. The values
 * are in this response only (nothing is unmasked for later reads), and the reveal is in the access
 * log — written before the values are returned, so an unrecorded reveal cannot happen.
 */
export const handler = withHttp('contact-reveal', { params: ContactParams, body: RevealBody }, async ({ caller, params, body, now }) => {
  const member = await readMember(params.contactId);
  if (!member) throw notFound('contact');
  const wanted = body.fields ?? PERSONAL_FIELDS;
  const profile = Object.fromEntries(
    wanted.filter((f) => typeof member.item[f] === 'string' && member.item[f] !== '').map((f) => [f, member.item[f] as string]),
  );
  const fields = Object.keys(profile);
  const entry = await recordAccess(caller, { contactId: params.contactId, action: 'reveal', fields, masked: false, reason: body.reason }, now);
  return ok({ contactId: params.contactId, profile, fields, revealedAt: entry.at, entryId: entry.entryId });
});
