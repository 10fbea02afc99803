/** Request schemas of the shop settings, webhook and email outbox routes (strict: unknown fields are refused). */
import * as z from 'zod/mini';
import { RETENTION_DAYS } from './settings.ts';

/**
 * `PUT /shop-settings`: the version read and the fields to change (omitted = unchanged). A null
 * retention keeps transcripts until erasure; a null webhook URL stops deliveries (`no_target`).
 */
export const ShopSettingsBody = z.strictObject({
  version: z.int().check(z.minimum(0)),
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  botEnabled: z.optional(z.boolean()),
  assignOnReply: z.optional(z.boolean()),
  transcriptRetentionDays: z.optional(z.nullable(z.int().check(z.minimum(RETENTION_DAYS.min), z.maximum(RETENTION_DAYS.max)))),
  webhookUrl: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(2048)))),
});
export type ShopSettingsBody = z.infer<typeof ShopSettingsBody>;

/** `POST /webhooks/deliveries/{deliveryId}/retry`. */
export const DeliveryParams = z.strictObject({ deliveryId: z.string().check(z.regex(/^[\w.:-]{1,128}$/)) });
export type DeliveryParams = z.infer<typeof DeliveryParams>;

/** Delivery states of the email outbox an admin may filter by (the sender sets the last two). */
export const EMAIL_STATES = ['pending', 'sent', 'failed'] as const;

/** `GET /email/outbox`: by kind, by delivery state, or one ticket's emails (then no paging). */
export const OutboxQuery = z.strictObject({
  kind: z.optional(z.enum(['ticket_reply', 'marketing'])),
  status: z.optional(z.enum(EMAIL_STATES)),
  ticketId: z.optional(z.string().check(z.regex(/^tkt_[0-9a-z]{26}$/))),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});
export type OutboxQuery = z.infer<typeof OutboxQuery>;

/** The body of an action that takes no input (`POST` with `{}` or nothing; any field is refused). */
export const NoInput = z.optional(z.strictObject({}));
export type NoInput = z.infer<typeof NoInput>;
