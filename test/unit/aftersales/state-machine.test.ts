import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  type Action,
  type ActionName,
  type AfterSalesRequest,
  applyAction,
  availableActions,
  isRefusal,
  isTerminal,
  KINDS,
  type Kind,
  nextState,
  STATES,
  stateSentence,
  webhookTypes,
} from '#shared/aftersales/model.ts';

const AT = '2026-12-01T08:00:00.000Z';

function request(kind: Kind, over: Partial<AfterSalesRequest> = {}): AfterSalesRequest {
  return {
    requestId: 'afs_1',
    shopId: 'demo',
    contactId: 'con_1',
    customerId: 'c1',
    ticketId: 'tkt_1',
    orderId: 'o1',
    kind,
    reason: 'quality',
    quantity: 1,
    photos: [],
    photoScope: 'aftersales-con_1',
    state: 'requested',
    paid: 100,
    currency: 'CNY',
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    ...over,
  };
}

function actionOf(name: ActionName, amount = 10): Action {
  switch (name) {
    case 'send_return_address':
      return { action: name, address: '上海市浦东新区 1 号 退货组' };
    case 'refund':
    case 'refund_completed':
      return { action: name, amount };
    case 'reject':
      return { action: name, reason: '照片看不出问题' };
    default:
      return { action: name };
  }
}

/** Runs actions from `requested`, keeping the request when an action is refused. */
function run(kind: Kind, names: ActionName[]): AfterSalesRequest {
  let r = request(kind);
  for (const name of names) {
    const next = applyAction(r, actionOf(name), AT);
    if (!isRefusal(next)) r = next;
  }
  return r;
}

describe('after-sales state machine', () => {
  it('a return goes requested → reviewing → awaiting_return → received → refunding → completed', () => {
    const r = run('return', ['review', 'approve', 'send_return_address', 'mark_received', 'refund', 'refund_completed']);
    expect(r.state).toBe('completed');
    expect(r.returnAddress).toContain('上海');
    expect(r.refundAmount).toBe(10);
    expect(r.refundedAmount).toBe(10);
    expect(r.version).toBe(7);
  });

  it('refund-only skips the return legs', () => {
    expect(nextState('refund_only', 'reviewing', 'approve')).toBeUndefined();
    expect(nextState('refund_only', 'reviewing', 'mark_received')).toBeUndefined();
    expect(nextState('refund_only', 'requested', 'refund')).toBe('refunding');
    expect(availableActions('refund_only', 'requested')).toEqual(['review', 'refund', 'reject']);
    const r = applyAction(request('refund_only'), { action: 'refund', amount: 30 }, AT);
    expect(isRefusal(r)).toBe(false);
    expect(webhookTypes(r as AfterSalesRequest, { action: 'refund', amount: 30 })).toEqual(['aftersales.approved', 'aftersales.refund_requested']);
  });

  it('an exchange completes after the return arrives, without a refund', () => {
    expect(nextState('exchange', 'received', 'refund')).toBeUndefined();
    expect(run('exchange', ['approve', 'mark_received', 'complete']).state).toBe('completed');
  });

  it('refuses what the state does not allow, in both languages', () => {
    const refused = applyAction(request('return'), { action: 'mark_received' }, AT);
    expect(isRefusal(refused) && refused.code).toBe('not_allowed');
    expect(isRefusal(refused) && refused.text['zh-CN']).toContain('不能执行「确认收到退货」');
    const refunding = request('return', { state: 'refunding' });
    expect(isRefusal(applyAction(refunding, { action: 'reject', reason: 'x' }, AT))).toBe(true);
  });

  it('a refund is above 0 and at most what was paid, minus what came back already', () => {
    const received = request('return', { state: 'received', paid: 100, refundedAmount: 40 });
    const over = applyAction(received, { action: 'refund', amount: 60.01 }, AT);
    expect(isRefusal(over) && over.code).toBe('amount');
    expect(isRefusal(over) && over.text['zh-CN']).toContain('¥60.00');
    expect(isRefusal(applyAction(received, { action: 'refund', amount: 0.001 }, AT))).toBe(true);
    expect(isRefusal(applyAction(received, { action: 'refund', amount: 60 }, AT))).toBe(false);
  });

  it('a rejection needs a reason the shopper reads', () => {
    const empty = applyAction(request('return'), { action: 'reject', reason: '  ' }, AT);
    expect(isRefusal(empty) && empty.code).toBe('reason');
    const rejected = applyAction(request('return'), { action: 'reject', reason: '超过七天' }, AT) as AfterSalesRequest;
    expect(stateSentence(rejected)['zh-CN']).toContain('超过七天');
  });

  it('property: no sequence of actions leaves the machine in an undefined state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.array(fc.tuple(fc.constantFrom(...ACTIONS), fc.integer({ min: -5, max: 150 })), { maxLength: 30 }),
        (kind, steps) => {
          let r = request(kind);
          for (const [name, amount] of steps) {
            const before = r;
            const next = applyAction(r, actionOf(name, amount), AT);
            if (isRefusal(next)) {
              expect(next.text['zh-CN'].length).toBeGreaterThan(0);
              expect(next.text.en.length).toBeGreaterThan(0);
              continue;
            }
            r = next;
            expect(STATES).toContain(r.state);
            expect(r.version).toBe(before.version + 1);
            // Terminal states are final, and refund-only requests never enter the return legs.
            expect(isTerminal(before.state)).toBe(false);
            if (kind === 'refund_only') expect(['awaiting_return', 'received']).not.toContain(r.state);
            if (kind === 'exchange') expect(r.state).not.toBe('refunding');
            if (r.refundAmount !== undefined) expect(r.refundAmount).toBeLessThanOrEqual(r.paid);
            expect(stateSentence(r)['zh-CN'].length).toBeGreaterThan(0);
          }
          // Every reachable non-terminal state still offers staff a way on (no dead end).
          if (!isTerminal(r.state)) expect(availableActions(kind, r.state).length + (r.state === 'refunding' ? 1 : 0)).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
