/** Request schemas of the reveal and access-log routes (strict: unknown fields are refused). */
import * as z from 'zod/mini';
import { cleanLine } from '#shared/text/hygiene.ts';
import { PERSONAL_FIELDS } from '#shared/text/masking.ts';

/** Bounds of the access log's retention (days): at least a month, at most ten years. */
export const ACCESS_RETENTION_DAYS = { min: 30, max: 3650, default: 365 } as const;

/**
 * `POST /contacts/{contactId}/reveal`: why the full values are needed (recorded in the access log
 * and shown to admins and in the shopper's own export), and which fields (default: all it has).
 */
export const RevealBody = z.strictObject({
  reason: z.string().check(cleanLine(), z.trim(), z.minLength(2, 'give a reason of at least 2 characters'), z.maxLength(500)),
  fields: z.optional(
    z.array(z.enum(PERSONAL_FIELDS)).check(
      z.minLength(1),
      z.maxLength(PERSONAL_FIELDS.length),
      z.refine((list) => new Set(list).size === list.length, 'list each field once'),
    ),
  ),
});
export type RevealBody = z.infer<typeof RevealBody>;

const Day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD'));

/**
 * `GET /access-log`: one staff member's reads (`staff` = their subject), one contact's (`contactId`),
 * both, or — with neither — one day's (`day`, UTC; default today), newest first.
 */
export const AccessLogQuery = z.strictObject({
  staff: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  contactId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  day: z.optional(Day),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9]\d|100)$/, 'a limit from 1 to 100'))),
});
export type AccessLogQuery = z.infer<typeof AccessLogQuery>;

/** `PUT /access-log/settings`: the version read and the new retention in days. */
export const AccessLogSettingsBody = z.strictObject({
  version: z.int().check(z.minimum(0)),
  retentionDays: z.int().check(z.minimum(ACCESS_RETENTION_DAYS.min), z.maximum(ACCESS_RETENTION_DAYS.max)),
});
export type AccessLogSettingsBody = z.infer<typeof AccessLogSettingsBody>;
