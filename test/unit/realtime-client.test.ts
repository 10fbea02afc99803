/** The web socket client's side of subscriptions: sent on every connection, re-sent on change, batches unwrapped in order. */
import { describe, expect, test } from 'vitest';
import { ReconnectingSocket } from '../../web/lib/socket.ts';
import type { ServerFrame, Subscribe } from '../../web/lib/types.ts';

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
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
}

describe('ReconnectingSocket subscriptions', () => {
  test('subscribes on open before onOpen runs, again on resubscribe, and hands a batch on frame by frame', async () => {
    FakeSocket.all = [];
    let open: string[] = [];
    const frames: ServerFrame[] = [];
    const conversations: string[] = [];
    const socket = new ReconnectingSocket({
      url: () => 'ws://test/ws?staffToken=t',
      onFrame: (f) => frames.push(f),
      subscription: (): Subscribe => ({ type: 'subscribe', views: ['conversations'], conversations: [...conversations] }),
      onOpen: () => {
        open = [...(FakeSocket.all[0]?.sent ?? [])];
      },
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    });
    socket.start();
    await Promise.resolve();
    await Promise.resolve();
    const fake = FakeSocket.all[0] as FakeSocket;
    fake.open();
    expect(open.map((s) => JSON.parse(s))).toEqual([{ type: 'subscribe', views: ['conversations'], conversations: [] }]);
    conversations.push('cnv_1');
    socket.resubscribe();
    expect(JSON.parse(fake.sent.at(-1) as string)).toEqual({ type: 'subscribe', views: ['conversations'], conversations: ['cnv_1'] });

    const message = { type: 'message', conversationId: 'cnv_1', message: { messageId: 'm1' } };
    const header = { type: 'conversation', conversation: { conversationId: 'cnv_1' } };
    fake.receive({ type: 'batch', frames: [message, header] });
    fake.receive({ type: 'pong' });
    expect(frames).toEqual([message, header, { type: 'pong' }]);
    socket.stop();
  });
});
