import { describe, expect, it } from 'vitest';
import { settingsProblems } from '#shared/logistics/api.ts';
import { DEFAULT_LOGISTICS_SETTINGS as D, dispatchDueAt, dispatchVerdict, shortestStallHours, stallVerdict, thresholdsFor } from '#shared/logistics/stall.ts';

const at = '2026-12-01T00:00:00.000Z';
const shipment = {
  orderId: 'O-1',
  trackingNumber: 'SF1',
  carrier: '顺丰速运',
  status: 'in_transit' as const,
  latest: { eventId: 'e', at, status: 'in_transit' as const },
};
const hoursLater = (h: number) => new Date(Date.parse(at) + h * 3_600_000);

describe('stall detection', () => {
  it('a care message after the quiet hours, a ticket after the second threshold, each once per stall', () => {
    expect(stallVerdict(shipment, D, hoursLater(47))).toMatchObject({ care: false, ticket: false, done: false });
    expect(stallVerdict(shipment, D, hoursLater(48))).toMatchObject({ care: true, ticket: false, done: false, hours: 48 });
    expect(stallVerdict({ ...shipment, nudgedFor: at }, D, hoursLater(50))).toMatchObject({ care: false, ticket: false });
    expect(stallVerdict({ ...shipment, nudgedFor: at }, D, hoursLater(72))).toMatchObject({ care: false, ticket: true, done: true });
    expect(stallVerdict({ ...shipment, nudgedFor: at, escalatedFor: at }, D, hoursLater(100))).toMatchObject({ care: false, ticket: false, done: true });
    // first seen past the ticket threshold: the ticket only
    expect(stallVerdict(shipment, D, hoursLater(80))).toMatchObject({ care: false, ticket: true });
  });

  it('a new trace step starts a new stall; a delivered parcel is never chased', () => {
    const newer = { ...shipment, nudgedFor: at, latest: { ...shipment.latest, at: '2026-12-03T00:00:00.000Z' } };
    expect(stallVerdict(newer, D, new Date('2026-12-05T00:00:00Z'))).toMatchObject({ care: true });
    expect(stallVerdict(newer, D, new Date('2026-12-05T00:00:00Z')).stallKey).not.toBe(stallVerdict(shipment, D, hoursLater(48)).stallKey);
    expect(stallVerdict({ ...shipment, status: 'delivered' }, D, hoursLater(500))).toMatchObject({ care: false, ticket: false, done: true });
  });

  it('per-carrier thresholds override the defaults (by name, any case); the job reads back to the shortest', () => {
    const settings = {
      ...D,
      carriers: [
        { carrier: 'EMS', stallHours: 96, ticketHours: 144 },
        { carrier: '顺丰速运', stallHours: 24, ticketHours: 36 },
      ],
    };
    expect(thresholdsFor(settings, 'ems')).toEqual({ stallHours: 96, ticketHours: 144 });
    expect(thresholdsFor(settings, undefined)).toEqual({ stallHours: 48, ticketHours: 72 });
    expect(stallVerdict(shipment, settings, hoursLater(24))).toMatchObject({ care: true });
    expect(stallVerdict({ ...shipment, carrier: 'EMS' }, settings, hoursLater(60))).toMatchObject({ care: false, ticket: false });
    expect(shortestStallHours(settings)).toBe(24);
  });

  it('a late dispatch: the promised time, else payment plus the configured hours', () => {
    expect(dispatchDueAt({ paidAt: at }, D)).toBe('2026-12-03T00:00:00.000Z');
    expect(dispatchDueAt({ paidAt: at, dispatchBy: '2026-12-01T12:00:00.000Z' }, D)).toBe('2026-12-01T12:00:00.000Z');
    const w = { orderId: 'O', contactId: 'c', paidAt: at };
    expect(dispatchVerdict(w, D, hoursLater(47))).toMatchObject({ care: false, ticket: false });
    expect(dispatchVerdict(w, D, hoursLater(49))).toMatchObject({ care: true, ticket: false, hoursLate: 1 });
    expect(dispatchVerdict({ ...w, nudged: true }, D, hoursLater(49))).toMatchObject({ care: false });
    expect(dispatchVerdict({ ...w, nudged: true }, D, hoursLater(72))).toMatchObject({ care: false, ticket: true, done: true });
  });

  it('settings: the ticket comes after the message, one row per carrier (both languages)', () => {
    const { version: _v, ...rest } = D;
    expect(settingsProblems(rest)).toEqual([]);
    const bad = settingsProblems({
      ...rest,
      ticketHours: 48,
      carriers: [
        { carrier: 'EMS', stallHours: 5, ticketHours: 6 },
        { carrier: 'ems', stallHours: 5, ticketHours: 4 },
      ],
    });
    expect(bad.map((p) => p.path)).toEqual(['ticketHours', 'carriers.1.ticketHours', 'carriers.1.carrier']);
    expect(bad[0]!['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  });
});
