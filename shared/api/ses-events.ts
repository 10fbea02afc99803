/**
 * SES email sending events as they reach the `ses-events` queue: the configuration set publishes
 * Bounce and Complaint events to an SNS topic, which delivers each to the queue in its envelope
 * (`{Type: 'Notification', MessageId, Message: '<the SES event as JSON>', …}`). A permanent bounce
 * or a complaint names the addresses to suppress; a transient bounce is only logged. Identity
 * feedback notifications (`notificationType` instead of `eventType`) read the same way.
 * Plain zod only: shared/queue/messages.ts imports the envelope schema.
 */
import * as z from 'zod/mini';

/** The SNS envelope (AWS adds fields over time: unknown ones are kept, not refused). */
export const SnsEnvelope = z.looseObject({
  Type: z.literal('Notification'),
  MessageId: z.string().check(z.minLength(1), z.maxLength(128)),
  Message: z.string().check(z.maxLength(256 * 1024)),
  TopicArn: z.optional(z.string()),
  Timestamp: z.optional(z.string()),
});
export type SnsEnvelope = z.infer<typeof SnsEnvelope>;

const Recipient = z.looseObject({ emailAddress: z.string() });
const SesEvent = z.looseObject({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  bounce: z.optional(
    z.looseObject({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: z.array(Recipient),
      timestamp: z.string(),
      feedbackId: z.string().check(z.minLength(1), z.maxLength(200)),
    }),
  ),
  complaint: z.optional(
    z.looseObject({
      complainedRecipients: z.array(Recipient),
      timestamp: z.string(),
      feedbackId: z.string().check(z.minLength(1), z.maxLength(200)),
      complaintFeedbackType: z.optional(z.string()),
    }),
  ),
});

/** What one notification asks of Kefu. */
export type SesFeedback =
  | { kind: 'suppress'; reason: 'bounce' | 'complaint'; feedbackId: string; at: string; addresses: string[]; detail?: string }
  | { kind: 'transient'; feedbackId: string; bounceType: string; recipients: number }
  | { kind: 'ignored'; eventType: string };

/** The bare address of a recipient (`"Name" <a@b.example>` or `a@b.example`), lower-cased; undefined when it is none. */
export function bareAddress(value: string): string | undefined {
  const inner = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;
  const address = inner.trim().toLowerCase();
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address) && address.length <= 254 ? address : undefined;
}

const iso = (value: string, fallback: string) => (Number.isNaN(Date.parse(value)) ? fallback : new Date(value).toISOString());

/** Reads an SES event out of its SNS envelope; throws when the message is not an SES event (the queue's DLQ keeps it). */
export function readSesNotification(envelope: SnsEnvelope): SesFeedback {
  let raw: unknown;
  try {
    raw = JSON.parse(envelope.Message);
  } catch {
    throw new Error(`SNS message ${envelope.MessageId}: Message is not JSON`);
  }
  const parsed = SesEvent.safeParse(raw);
  if (!parsed.success) throw new Error(`SNS message ${envelope.MessageId}: not an SES event (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`);
  const event = parsed.data;
  const type = event.eventType ?? event.notificationType ?? 'unknown';
  const received = envelope.Timestamp && !Number.isNaN(Date.parse(envelope.Timestamp)) ? new Date(envelope.Timestamp).toISOString() : new Date().toISOString();
  const addresses = (recipients: { emailAddress: string }[]) => [
    ...new Set(recipients.map((r) => bareAddress(r.emailAddress)).filter((a): a is string => !!a)),
  ];

  if (type === 'Bounce' && event.bounce) {
    const { bounce } = event;
    if (bounce.bounceType !== 'Permanent') {
      return { kind: 'transient', feedbackId: bounce.feedbackId, bounceType: bounce.bounceType, recipients: bounce.bouncedRecipients.length };
    }
    return {
      kind: 'suppress',
      reason: 'bounce',
      feedbackId: bounce.feedbackId,
      at: iso(bounce.timestamp, received),
      addresses: addresses(bounce.bouncedRecipients),
      ...(bounce.bounceSubType ? { detail: bounce.bounceSubType } : {}),
    };
  }
  if (type === 'Complaint' && event.complaint) {
    const { complaint } = event;
    return {
      kind: 'suppress',
      reason: 'complaint',
      feedbackId: complaint.feedbackId,
      at: iso(complaint.timestamp, received),
      addresses: addresses(complaint.complainedRecipients),
      ...(complaint.complaintFeedbackType ? { detail: complaint.complaintFeedbackType } : {}),
    };
  }
  return { kind: 'ignored', eventType: type };
}
