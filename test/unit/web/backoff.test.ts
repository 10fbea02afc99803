import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { BACKOFF, backoffDelay } from '../../../web/lib/backoff.ts';
import { ReconnectingSocket } from '../../../web/lib/socket.ts';
import type { ServerFrame } from '../../../web/lib/types.ts';

describe('backoffDelay', () => {
  test('doubles from 500 ms and caps at 30 s, with half of each step random', () => {
    const low = (n: number) => backoffDelay(n, () => 0);
    const high = (n: number) => backoffDelay(n, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 10, 50].map(high)).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
    expect([0, 1, 2, 3, 6, 50].map(low)).toEqual([250, 500, 1000, 2000, 15000, 15000]);
  });

  test('every delay lies within [ceiling / 2, ceiling]', () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const ceiling = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** attempt);
      for (const r of [0, 0.25, 0.5, 0.99]) {
        const d = backoffDelay(attempt, () => r);
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  test('negative or huge attempt numbers stay sane', () => {
    expect(backoffDelay(-3, () => 1)).toBe(500);
    expect(backoffDelay(1e9, () => 1)).toBe(30000);
  });
});

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
}

describe('ReconnectingSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  function make(onOpen: (reconnected: boolean) => void, frames: ServerFrame[] = []) {
    let n = 0;
    return new ReconnectingSocket({
      url: () => `ws://test/ws?token=t${++n}`,
      onFrame: (f) => frames.push(f),
      onOpen: onOpen,
      random: () => 1,
      pingMs: 1000,
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    });
  }

  test('reconnects on the backoff schedule, asks for a fresh URL each time and reports reconnections', async () => {
    const opens: boolean[] = [];
    const socket = make((r) => opens.push(r));
    socket.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeSocket.all).toHaveLength(1);
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.drop();
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.drop();
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);
    expect(FakeSocket.all[2]!.url).toBe('ws://test/ws?token=t3');
    FakeSocket.all[2]!.open();
    expect(opens).toEqual([false, true]);
    FakeSocket.all[2]!.drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeSocket.all).toHaveLength(4);
    socket.stop();
  });

  test('parses frames, ignores junk, pings while open and stops for good', async () => {
    const frames: ServerFrame[] = [];
    const socket = make(() => undefined, frames);
    socket.start();
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeSocket.all[0]!;
    ws.open();
    ws.onmessage?.({ data: '{"type":"pong"}' });
    ws.onmessage?.({ data: 'not json' });
    expect(frames).toEqual([{ type: 'pong' }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ws.sent).toContain('{"type":"ping"}');
    expect(socket.send({ type: 'typing', conversationId: 'cnv_1' })).toBe(true);
    socket.stop();
    expect(socket.send({ type: 'ping' })).toBe(false);
    ws.drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
