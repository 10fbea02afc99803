/** Request schemas of the channel routes (strict: unknown fields are refused). */
import * as z from 'zod/mini';

const Signature = z.string().check(z.regex(/^[0-9a-fA-F]{40}$/, 'msg_signature is 40 hex digits'));
const Timestamp = z.string().check(z.regex(/^\d{1,12}$/, 'timestamp is a number of seconds'));
const Nonce = z.string().check(z.minLength(1), z.maxLength(64));

/** `GET /wecom/callback`: the platform's URL verification. */
export const WecomVerifyQuery = z.strictObject({
  msg_signature: Signature,
  timestamp: Timestamp,
  nonce: Nonce,
  echostr: z.string().check(z.minLength(1), z.maxLength(1024), z.regex(/^[A-Za-z0-9+/=]+$/, 'echostr is base64')),
});
export type WecomVerifyQuery = z.infer<typeof WecomVerifyQuery>;

/** `POST /wecom/callback`: the signature of the posted `Encrypt`. */
export const WecomCallbackQuery = z.strictObject({ msg_signature: Signature, timestamp: Timestamp, nonce: Nonce });
export type WecomCallbackQuery = z.infer<typeof WecomCallbackQuery>;
