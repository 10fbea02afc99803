import { describe, expect, it } from 'vitest';
import { ACCESS_ACTION_TEXT, ACCESS_ACTIONS, accessItem, COALESCE_MS, viewKey } from '#shared/privacy/access-log.ts';

const staff = { sub: 'sub-1', name: 'Chen Wei' };
const view = { contactId: 'c1', action: 'view_360' as const, fields: ['phone'], masked: true };

describe('access-log entries', () => {
  it('are kept under the contact, the staff member and the UTC day, with the retention as TTL', () => {
    const now = new Date('2026-05-01T23:59:00.000Z');
    const { item, entry } = accessItem(staff, { ...view, action: 'reveal', masked: false, reason: '核对' }, now, 90);
    expect(item).toMatchObject({
      pk: 'ACCESSLOG#c1',
      sk: `2026-05-01T23:59:00.000Z#${entry.entryId}`,
      gsi1pk: 'ACCESSBY#sub-1',
      gsi2pk: 'ACCESSDAY#2026-05-01',
      staff,
      reason: '核对',
      ttl: Math.floor(now.getTime() / 1000) + 90 * 86_400,
    });
    expect(entry.entryId).toMatch(/^acc_/);
    expect(accessItem(staff, view, now, 90).entry.entryId).not.toBe(entry.entryId);
  });

  it('a view has one guard per person, contact, kind, masking and five-minute window', () => {
    const start = new Date(Math.floor(Date.parse('2026-05-01T10:00:00Z') / COALESCE_MS) * COALESCE_MS);
    const later = new Date(start.getTime() + COALESCE_MS - 1);
    const next = new Date(start.getTime() + COALESCE_MS);
    expect(viewKey('sub-1', view, start)).toBe(viewKey('sub-1', view, later));
    expect(viewKey('sub-1', view, start)).not.toBe(viewKey('sub-1', view, next));
    expect(viewKey('sub-1', view, start)).not.toBe(viewKey('sub-2', view, start));
    expect(viewKey('sub-1', view, start)).not.toBe(viewKey('sub-1', { ...view, masked: false }, start));
    expect(viewKey('sub-1', view, start)).not.toBe(viewKey('sub-1', { ...view, action: 'conversation', conversationId: 'cnv1' }, start));
  });

  it('every action reads in both languages', () => {
    for (const action of ACCESS_ACTIONS) expect(ACCESS_ACTION_TEXT[action]['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  });
});
