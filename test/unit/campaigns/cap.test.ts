import { describe, expect, it } from 'vitest';
import { addTouch, CAP_HISTORY_HOURS, type CapState, capVerdict, type Touch } from '#shared/campaigns/cap.ts';

const now = new Date('2026-03-10T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
const state = (touches: Touch[]): CapState => ({ touches, version: touches.length });
const rule = { max: 1, windowHours: 72, kinds: ['campaign', 'care'] as const };

describe('frequency cap', () => {
  it('allows the first message and refuses a second one inside the window', () => {
    expect(capVerdict(state([]), [rule], now, 'cmp_2')).toEqual({ allowed: true, already: false });
    const verdict = capVerdict(state([{ at: hoursAgo(10), kind: 'campaign', ref: 'cmp_1' }]), [rule], now, 'cmp_2');
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.until).toBe(new Date(Date.parse(hoursAgo(10)) + 72 * 3_600_000).toISOString());
  });

  it('shares the cap with care messages but not with surveys', () => {
    expect(capVerdict(state([{ at: hoursAgo(1), kind: 'care', ref: 'birthday' }]), [rule], now, 'cmp_2').allowed).toBe(false);
    expect(capVerdict(state([{ at: hoursAgo(1), kind: 'survey', ref: 'srv_1' }]), [rule], now, 'cmp_2').allowed).toBe(true);
  });

  it('lets touches age out of the window', () => {
    expect(capVerdict(state([{ at: hoursAgo(73), kind: 'campaign', ref: 'cmp_1' }]), [rule], now, 'cmp_2').allowed).toBe(true);
  });

  it('counts up to max within the window (2 per 7 days)', () => {
    const two = { max: 2, windowHours: 168, kinds: ['campaign'] as const };
    const one = state([{ at: hoursAgo(100), kind: 'campaign', ref: 'a' }]);
    expect(capVerdict(one, [two], now, 'b').allowed).toBe(true);
    const full = state([...one.touches, { at: hoursAgo(5), kind: 'campaign', ref: 'b' }]);
    const verdict = capVerdict(full, [two], now, 'c');
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.until).toBe(new Date(Date.parse(hoursAgo(100)) + 168 * 3_600_000).toISOString());
  });

  it('treats a retry of the same message as allowed (already recorded), never as a second touch', () => {
    const s = state([{ at: hoursAgo(1), kind: 'campaign', ref: 'cmp_1' }]);
    expect(capVerdict(s, [rule], now, 'cmp_1')).toEqual({ allowed: true, already: true });
    expect(addTouch(s, { at: now.toISOString(), kind: 'campaign', ref: 'cmp_1' }, now)).toHaveLength(1);
  });

  it('drops touches older than the history horizon when adding one', () => {
    const old = { at: hoursAgo(CAP_HISTORY_HOURS + 1), kind: 'campaign' as const, ref: 'old' };
    const recent = { at: hoursAgo(2), kind: 'care' as const, ref: 'recent' };
    const next = addTouch(state([old, recent]), { at: now.toISOString(), kind: 'campaign', ref: 'new' }, now);
    expect(next.map((t) => t.ref)).toEqual(['recent', 'new']);
  });
});
