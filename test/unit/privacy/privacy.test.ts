import { describe, expect, it } from 'vitest';
import { ERASE_STEPS, EraseStepError, type EraseStore, erasureStub, runErasure } from '#shared/privacy/erase.ts';
import { buildExport, type ExportReads, publicRow } from '#shared/privacy/export.ts';
import { pastRetention, retentionTtl } from '#shared/privacy/retention.ts';

const reads: ExportReads = {
  profile: async () => ({ pk: 'CONTACT#c1', sk: 'PROFILE', contactId: 'c1', name: 'Lin', email: 'lin@example.com', version: 3, gsi3pk: 'TIER#gold' }),
  consentLog: async () => [{ channel: 'email', granted: true, at: '2026-01-01T00:00:00Z' }],
  orders: async () => [{ orderId: 'o1', amount: 120, gsi1pk: 'x' }],
  conversations: async () => [{ conversationId: 'cnv1', status: 'open' }],
  messages: async () => [
    { messageId: 'm1', text: 'where is my parcel', internal: false },
    { messageId: 'm2', text: 'VIP, handle gently', internal: true },
  ],
  tickets: async () => [{ ticketId: 't1', subject: 'late parcel' }],
  surveys: async () => [{ survey: { surveyId: 's1' }, response: { comment: 'fast', answers: { csat: 5 } } }],
  ledger: async () => [{ entryId: 'p1', points: 120, kind: 'earn' }],
};

describe('data export bundle', () => {
  it('a shopper’s own export has every section but no internal notes', async () => {
    const bundle = await buildExport('c1', { includeInternal: false, now: new Date('2026-02-01T00:00:00Z') }, reads);
    expect(bundle.profile).toEqual({ contactId: 'c1', name: 'Lin', email: 'lin@example.com' });
    expect(bundle.conversations[0]?.messages.map((m) => m.messageId)).toEqual(['m1']);
    expect(bundle.orders).toEqual([{ orderId: 'o1', amount: 120 }]);
    expect(bundle.consentLog).toHaveLength(1);
    expect(bundle.tickets).toHaveLength(1);
    expect(bundle.surveys[0]?.response).toEqual({ comment: 'fast', answers: { csat: 5 } });
    expect(bundle.pointsLedger).toHaveLength(1);
    expect(bundle.includesInternalNotes).toBe(false);
    expect(bundle.notice['zh-CN']).toMatch(/数据/);
  });

  it('an admin export may include internal notes', async () => {
    const bundle = await buildExport('c1', { includeInternal: true, now: new Date() }, reads);
    expect(bundle.conversations[0]?.messages.map((m) => m.messageId)).toEqual(['m1', 'm2']);
  });

  it('publicRow drops keys, index keys, TTL and versions', () => {
    expect(publicRow({ pk: 'a', sk: 'b', gsi2pk: 'c', ttl: 1, version: 2, emailIndexed: 'x', keep: true })).toEqual({ keep: true });
  });
});

describe('erasure steps', () => {
  function fakeStore(fail?: string) {
    const calls: string[] = [];
    const store = Object.fromEntries(
      ERASE_STEPS.map((step) => [
        step,
        async (_contactId: string, stub: string) => {
          calls.push(step);
          expect(stub).toMatch(/^erased contact #[0-9a-f]{12}$/);
          if (step === fail) throw Object.assign(new Error('boom'), { name: 'ProvisionedThroughputExceededException' });
          return 1;
        },
      ]),
    ) as EraseStore;
    return { store, calls };
  }

  it('runs every step in order, profile last, recording progress after each', async () => {
    const { store, calls } = fakeStore();
    const progress: string[][] = [];
    const result = await runErasure('c1', [], store, async (steps) => void progress.push([...steps]));
    expect(calls).toEqual([...ERASE_STEPS]);
    expect(calls.at(-1)).toBe('profile');
    expect(progress).toHaveLength(ERASE_STEPS.length);
    expect(result.steps).toEqual([...ERASE_STEPS]);
  });

  it('a failure names its step and keeps the finished ones; a re-run resumes after them', async () => {
    const failing = fakeStore('tickets');
    let saved: string[] = [];
    const error = await runErasure('c1', [], failing.store, async (steps) => void (saved = [...steps])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EraseStepError);
    expect((error as EraseStepError).message).toBe('step tickets failed: ProvisionedThroughputExceededException');
    expect(saved).toEqual(['exports', 'conversations', 'orders']);
    const retry = fakeStore();
    await runErasure('c1', saved, retry.store, async () => {});
    expect(retry.calls).toEqual(['tickets', 'surveys', 'campaigns', 'contact-records', 'profile']);
  });

  it('the stub is stable per contact, differs between contacts and does not contain the id', () => {
    expect(erasureStub('c1')).toBe(erasureStub('c1'));
    expect(erasureStub('c1')).not.toBe(erasureStub('c2'));
    expect(erasureStub('ctc_secret')).not.toContain('ctc_secret');
  });
});

describe('transcript retention', () => {
  it('a TTL is createdAt + the retention period, none without one', () => {
    expect(retentionTtl('2026-01-01T00:00:00Z', 30)).toBe(Date.parse('2026-01-31T00:00:00Z') / 1000);
    expect(retentionTtl('2026-01-01T00:00:00Z', undefined)).toBeUndefined();
    expect(retentionTtl('2026-01-01T00:00:00Z', 0)).toBeUndefined();
  });

  it('reads treat a passed TTL as removed even before DynamoDB deletes the item', () => {
    const now = new Date('2026-02-01T00:00:00Z');
    expect(pastRetention(Date.parse('2026-01-31T00:00:00Z') / 1000, now)).toBe(true);
    expect(pastRetention(Date.parse('2026-02-02T00:00:00Z') / 1000, now)).toBe(false);
    expect(pastRetention(undefined, now)).toBe(false);
  });
});
