import * as z from 'zod/mini';
import { AttachmentRef } from '#shared/attachments.ts';
import { cleanLine, cleanMessageText } from '#shared/text/hygiene.ts';

/** Plain text; stored and rendered as text only. Invisible-only text is empty (shared/text/hygiene.ts). */
export const Text = z.string().check(cleanMessageText(), z.minLength(1, 'text must not be empty'), z.maxLength(4000));
export const ClientMessageId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientMessageId: 8–64 letters, digits, _ or -'));
export const PageInfo = z.strictObject({
  url: z.string().check(z.maxLength(2048), z.regex(/^https?:\/\//, 'page.url must be an http(s) URL')),
  title: z.optional(z.string().check(cleanLine(), z.maxLength(300))),
});
export const ConversationParams = z.strictObject({
  conversationId: z.string().check(z.regex(/^cnv_[0-9a-z]{26}$/, 'not a conversation id')),
});
export const MessagesQuery = z.strictObject({
  before: z.optional(z.string().check(z.regex(/^msg_[0-9a-z]{26}$/, 'not a message id'))),
  limit: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/)),
      z.transform((v) => Math.min(100, Math.max(1, Number(v)))),
    ),
  ),
});
export const ReadBody = z.strictObject({
  messageId: z.string().check(z.regex(/^msg_[0-9a-z]{26}$/, 'not a message id')),
});
/** A message: text, attachments (uploaded first), or both. */
export const SendBody = z
  .strictObject({
    clientMessageId: z.optional(ClientMessageId),
    text: z.optional(Text),
    attachments: z.optional(z.array(AttachmentRef).check(z.minLength(1), z.maxLength(5))),
  })
  .check(z.refine((b) => b.text !== undefined || b.attachments !== undefined, { message: 'send text, attachments or both', path: ['text'] }));
export const AttachmentParams = z.strictObject({
  conversationId: ConversationParams.shape.conversationId,
  attachmentId: AttachmentRef.shape.attachmentId,
});
