import { describe, expect, it } from 'vitest';
import { byCustomer, memberEvents, orderEvents, parseCsv, timestampOf } from '#shared/members/import.ts';
import { progress } from '../../../bin/commands/import-kit.ts';

describe('import: CSV rows → shop events', () => {
  it('parses quoted fields, doubled quotes, CRLF and blank lines', () => {
    const t = parseCsv('Customer_ID,name\r\n"c1","Wang, ""Fang"""\r\n\r\nc2,李雷\n');
    expect(t.header).toEqual(['customer_id', 'name']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['c1', 'Wang, "Fang"'] },
      { line: 4, cells: ['c2', '李雷'] },
    ]);
  });

  it('derives the same ids on every run; identical rows stay separate orders', () => {
    const csv = 'customer_id,date,quantity,amount\nc1,1997-01-01,2,29.33\nc1,1997-01-01,2,29.33\nc2,1997-02-03,1,10\n';
    const a = orderEvents(parseCsv(csv), 'demo');
    const b = orderEvents(parseCsv(csv), 'demo');
    expect(a).toEqual(b);
    const ids = a.map((r) => (r.ok ? r.message.event.data.customerId + ':' + (r.message.event.data as { orderId: string }).orderId : ''));
    expect(new Set(ids).size).toBe(3);
    expect(a[0]).toMatchObject({
      ok: true,
      message: { shopId: 'demo', event: { type: 'order.paid', occurredAt: '1997-01-01T00:00:00Z', data: { amount: 29.33, quantity: 2, currency: 'CNY' } } },
    });
    expect(orderEvents(parseCsv(csv), 'other')[0]).not.toEqual(a[0]);
  });

  it('uses order_id and status when given; a refund row of the same order is another event of that order', () => {
    const rows = orderEvents(
      parseCsv('customer_id,date,quantity,amount,order_id,status\nc1,1997-01-01,1,10,o-1,paid\nc1,1997-01-05,1,10,o-1,REFUNDED\n'),
      'demo',
    );
    expect(rows.map((r) => r.ok && [r.message.event.type, (r.message.event.data as { orderId: string }).orderId])).toEqual([
      ['order.paid', 'o-1'],
      ['order.refunded', 'o-1'],
    ]);
  });

  it('skips bad rows with a reason and the line number', () => {
    const rows = orderEvents(
      parseCsv(
        'customer_id,date,quantity,amount,status\n,1997-01-01,1,1,\nc1,1997-13-01,1,1,\nc1,1997-01-01,x,1,\nc1,1997-01-01,1,abc,\nc1,1997-01-01,1,-5,\nc1,1997-01-01,1,5,lost\n',
      ),
      'demo',
    );
    expect(rows.map((r) => (r.ok ? 'ok' : `${r.line}: ${r.reason}`))).toEqual([
      '2: customer_id is empty',
      '3: date "1997-13-01" is not YYYY-MM-DD or an ISO timestamp',
      '4: quantity "x" is not a whole number',
      '5: amount "abc" is not a number',
      expect.stringMatching(/^6: event\.data\.amount: /),
      '7: status "lost" is not one of created, paid, shipped, delivered, refunded',
    ]);
    expect(() => orderEvents(parseCsv('customer,when\n'), 'demo')).toThrow(/needs the columns customer_id, date, amount/);
  });

  it('member rows become member.upserted stamped with updated_at or the file time', () => {
    const rows = memberEvents(
      parseCsv('customer_id,name,email,locale,updated_at\nc1,王芳,wf@example.com,zh-CN,2026-01-02\nc2,Bob,,en,\nc3,Eve,not-an-email,en,\n'),
      'demo',
      '2026-05-01T00:00:00.000Z',
    );
    expect(rows[0]).toMatchObject({
      ok: true,
      message: {
        event: {
          type: 'member.upserted',
          occurredAt: '2026-01-02T00:00:00Z',
          data: { customerId: 'c1', name: '王芳', email: 'wf@example.com', locale: 'zh-CN' },
        },
      },
    });
    expect(rows[1]).toMatchObject({ ok: true, message: { event: { occurredAt: '2026-05-01T00:00:00.000Z', data: { customerId: 'c2', name: 'Bob' } } } });
    expect(rows[2]).toMatchObject({ ok: false, reason: expect.stringMatching(/email/) });
  });

  it('groups events per customer in file order (one lane per customer)', () => {
    const rows = orderEvents(parseCsv('customer_id,date,amount\nc1,1997-01-01,1\nc2,1997-01-01,2\nc1,1997-01-02,3\n'), 'demo');
    const lanes = byCustomer(rows.flatMap((r) => (r.ok ? [{ line: r.line, message: r.message }] : [])));
    expect(lanes.map((l) => l.map((m) => m.line))).toEqual([[2, 4], [3]]);
  });

  it('accepts dates as YYYY-MM-DD, YYYYMMDD or ISO timestamps only', () => {
    expect(timestampOf('19970101')).toBe('1997-01-01T00:00:00Z');
    expect(timestampOf('2026-03-01T10:00:00+08:00')).toBe('2026-03-01T02:00:00.000Z');
    expect(timestampOf('March 1')).toBeUndefined();
  });
});

describe('import progress on stderr', () => {
  it('a terminal gets one redrawn bar; a pipe gets a plain line per 10 %', () => {
    const plain: string[] = [];
    const bar = progress('import orders', 20, { tty: false, write: (t) => plain.push(t) });
    for (let i = 0; i < 20; i++) bar.tick();
    bar.finish();
    expect(plain).toHaveLength(11);
    expect(plain.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(plain.at(-1)).toBe('import orders: 100% (20/20)\n');

    const tty: string[] = [];
    const live = progress('import orders', 3, { tty: true, write: (t) => tty.push(t) });
    for (let i = 0; i < 3; i++) live.tick();
    live.finish();
    expect(tty.every((l) => l.startsWith('\r'))).toBe(true);
    expect(tty.at(-1)).toMatch(/\[#+\] 100% 3\/3 \d+\/s\n$/);
  });
});
