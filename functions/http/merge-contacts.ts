import * as z from 'zod/mini';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { ContactParams } from '#shared/members/api.ts';
import { dynamoMergePorts, mergeContacts } from '#shared/members/merge.ts';

const Body = z.strictObject({ intoContactId: z.string().check(z.minLength(1), z.maxLength(128)) });

export const handler = withHttp('merge-contacts', { body: Body, params: ContactParams }, async ({ body, params, now }) => {
  const moved = await mergeContacts(params.contactId, body.intoContactId, dynamoMergePorts, now);
  return ok({ contactId: params.contactId, mergedInto: body.intoContactId, moved });
});
