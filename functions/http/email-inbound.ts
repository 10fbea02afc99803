import * as z from 'zod/mini';
import { badRequest } from '#shared/http/errors.ts';
import { created, ok, withHttp } from '#shared/http/with-http.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { receiveEmail } from '#shared/tickets/email-channel.ts';

const ports = ticketPorts();

const Body = z.strictObject({
  /** The raw MIME message, base64 (the 256 KB body limit leaves ≈ 190 KB of MIME). */
  raw: z.string().check(z.minLength(1), z.regex(/^[A-Za-z0-9+/=\r\n]+$/, 'raw must be base64 of the MIME message')),
});

export const handler = withHttp('email-inbound', { body: Body }, async ({ body, caller }) => {
  const raw = Buffer.from(body.raw, 'base64');
  if (raw.byteLength === 0) throw badRequest({ en: 'raw decodes to an empty message', zh: 'raw 解码后是一封空邮件' });
  const result = await receiveEmail(ports, raw, caller.shopId);
  return result.outcome === 'created' ? created(result) : ok(result);
});
