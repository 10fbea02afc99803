import { describe, expect, it } from 'vitest';
import { bareAddress, readSesNotification, SnsEnvelope } from '#shared/api/ses-events.ts';
import { complaint, delivery, permanentBounce, snsEnvelope, transientBounce } from '../../support/ses-events.ts';

const read = (event: unknown) => readSesNotification(SnsEnvelope.parse(snsEnvelope(event)));

describe('SES events from SNS', () => {
  it('a permanent bounce suppresses each bounced recipient (bare, lower-cased, once)', () => {
    expect(read(permanentBounce('fb-1', ['Jane@Example.com', '"Li Lei" <li.lei@example.cn>', 'jane@example.com']))).toEqual({
      kind: 'suppress',
      reason: 'bounce',
      feedbackId: 'fb-1',
      at: '2026-12-01T08:00:02.669Z',
      addresses: ['jane@example.com', 'li.lei@example.cn'],
      detail: 'General',
    });
  });

  it('a transient bounce suppresses nobody', () => {
    expect(read(transientBounce('fb-2', ['full@example.com']))).toEqual({ kind: 'transient', feedbackId: 'fb-2', bounceType: 'Transient', recipients: 1 });
  });

  it('a complaint suppresses the complaining recipients', () => {
    expect(read(complaint('fb-3', ['angry@example.com']))).toMatchObject({
      kind: 'suppress',
      reason: 'complaint',
      feedbackId: 'fb-3',
      addresses: ['angry@example.com'],
      detail: 'abuse',
    });
  });

  it('identity notifications (notificationType) read the same way; other events are ignored', () => {
    const { eventType: _, ...rest } = permanentBounce('fb-4', ['x@example.com']);
    expect(read({ notificationType: 'Bounce', ...rest })).toMatchObject({ kind: 'suppress', addresses: ['x@example.com'] });
    expect(read(delivery(['x@example.com']))).toEqual({ kind: 'ignored', eventType: 'Delivery' });
  });

  it('refuses what is not an SES event (the message goes to the DLQ), and an envelope that is not a notification', () => {
    expect(() => readSesNotification(SnsEnvelope.parse({ ...snsEnvelope({}), Message: 'not json' }))).toThrow(/not JSON/);
    expect(() => read({ eventType: 'Bounce', bounce: { bounceType: 'Permanent' } })).toThrow(/not an SES event/);
    expect(SnsEnvelope.safeParse({ ...snsEnvelope({}), Type: 'SubscriptionConfirmation' }).success).toBe(false);
  });

  it('bare addresses', () => {
    expect(bareAddress('  A@B.example ')).toBe('a@b.example');
    expect(bareAddress('Name <a@b.example>')).toBe('a@b.example');
    expect(bareAddress('not an address')).toBeUndefined();
  });
});
