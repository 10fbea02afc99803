/**
 * Chat load benchmark on the local runtime (127.0.0.1 only, bounded in count and time):
 * N visitors send messages over HTTP while agents' sockets receive them; then an agent replies to
 * each conversation and the visitors' sockets receive the replies. Prints sustained messages/s and
 * p50/p99 delivery latency (send → other side receives), next to a baseline measured in the same
 * run: a WebSocket ping → pong round trip through the same gateway, handler and @connections API.
 */
import WebSocket from 'ws';
import { startLocalStack } from '#infra/local/stack.ts';

const VISITORS = Number(process.env.BENCH_VISITORS ?? 20);
const MESSAGES_EACH = Number(process.env.BENCH_MESSAGES ?? 10);
const TIME_LIMIT_MS = 60_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function json(url: string, init: RequestInit & { token?: string; body?: string } = {}) {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  if (res.status >= 400) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

function open(url: string, onFrame: (frame: Record<string, unknown>) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('message', (data) => onFrame(JSON.parse(String(data))));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Runs the benchmark and returns its figures (also printed). */
export async function runChatLoadBench() {
  const stack = await startLocalStack({ port: 0, memory: true, quiet: true });
  const api = stack.urls.api.replace(/\/$/, '');
  const deadline = Date.now() + TIME_LIMIT_MS;
  try {
    const login = (await json(`${api}/auth/login`, { method: 'POST', body: JSON.stringify({ email: 'agent@demo.kefu', password: 'kefu-demo' }) })) as {
      idToken: string;
    };
    const pending = new Map<string, number>();
    const inbound: number[] = [];
    const outbound: number[] = [];
    const agentSocket = await open(`${stack.urls.ws}?staffToken=${login.idToken}`, (frame) => {
      if (frame.type !== 'message') return;
      const text = (frame.message as { text: string }).text;
      const sent = pending.get(text);
      if (sent !== undefined && !text.startsWith('reply')) {
        inbound.push(performance.now() - sent);
        pending.delete(text);
      }
    });

    const pongs: number[] = [];
    let pingAt = 0;
    let pongWaiter: (() => void) | undefined;
    const pingSocket = await open(`${stack.urls.ws}?staffToken=${login.idToken}`, (frame) => {
      if (frame.type === 'pong') {
        pongs.push(performance.now() - pingAt);
        pongWaiter?.();
      }
    });
    for (let i = 0; i < 50; i++) {
      const done = new Promise<void>((r) => (pongWaiter = r));
      pingAt = performance.now();
      pingSocket.send(JSON.stringify({ type: 'ping' }));
      await done;
    }

    const visitors = await Promise.all(
      Array.from({ length: VISITORS }, async () => {
        const session = (await json(`${api}/widget/session`, { method: 'POST', body: JSON.stringify({ shopId: 'demo' }) })) as { token: string };
        const socket = await open(`${stack.urls.ws}?token=${session.token}`, (frame) => {
          if (frame.type !== 'message') return;
          const text = (frame.message as { text: string }).text;
          const sent = pending.get(text);
          if (sent !== undefined && text.startsWith('reply')) {
            outbound.push(performance.now() - sent);
            pending.delete(text);
          }
        });
        return { token: session.token, socket, conversationId: '' };
      }),
    );

    const started = performance.now();
    await Promise.all(
      visitors.map(async (v, vi) => {
        for (let m = 0; m < MESSAGES_EACH && Date.now() < deadline; m++) {
          const text = `v${vi} m${m}`;
          pending.set(text, performance.now());
          if (!v.conversationId) {
            const out = (await json(`${api}/widget/conversations`, {
              method: 'POST',
              token: v.token,
              body: JSON.stringify({ clientMessageId: `bench-${vi}-${m}-start`, text }),
            })) as { conversation: { conversationId: string } };
            v.conversationId = out.conversation.conversationId;
          } else {
            await json(`${api}/widget/conversations/${v.conversationId}/messages`, {
              method: 'POST',
              token: v.token,
              body: JSON.stringify({ clientMessageId: `bench-${vi}-${m}-msg0`, text }),
            });
          }
        }
      }),
    );
    for (const v of visitors) {
      const text = `reply to ${v.conversationId}`;
      pending.set(text, performance.now());
      await json(`${api}/conversations/${v.conversationId}/messages`, { method: 'POST', token: login.idToken, body: JSON.stringify({ text }) });
    }
    while (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const seconds = (performance.now() - started) / 1000;
    const delivered = inbound.length + outbound.length;
    const figures = {
      visitors: VISITORS,
      messages: delivered,
      lost: pending.size,
      messagesPerSecond: delivered / seconds,
      inboundP50: percentile(inbound, 50),
      inboundP99: percentile(inbound, 99),
      outboundP50: percentile(outbound, 50),
      outboundP99: percentile(outbound, 99),
      baselinePingP50: percentile(pongs, 50),
      baselinePingP99: percentile(pongs, 99),
    };
    console.log('\nchat load (local runtime, 127.0.0.1)');
    console.log(`  ${VISITORS} visitors × ${MESSAGES_EACH} messages + ${VISITORS} agent replies in ${seconds.toFixed(1)} s, lost ${figures.lost}`);
    console.log(`  sustained           ${figures.messagesPerSecond.toFixed(1)} messages/s`);
    console.log(`  visitor → agent     p50 ${figures.inboundP50.toFixed(1)} ms   p99 ${figures.inboundP99.toFixed(1)} ms`);
    console.log(`  agent → visitor     p50 ${figures.outboundP50.toFixed(1)} ms   p99 ${figures.outboundP99.toFixed(1)} ms`);
    console.log(`  baseline ping→pong  p50 ${figures.baselinePingP50.toFixed(1)} ms   p99 ${figures.baselinePingP99.toFixed(1)} ms`);
    for (const v of visitors) v.socket.close();
    agentSocket.close();
    pingSocket.close();
    return figures;
  } finally {
    await stack.stop();
  }
}

if (import.meta.main) await runChatLoadBench();
