import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request body the fake received (Chat Completions parameters). */
export type FakeRequest = Record<string, unknown>;

/**
 * One scripted reply of the fake provider. `usage: false` leaves out the usage chunk (some
 * providers never send one); `textFrom` builds the reply from the request (e.g. to echo the system
 * prompt); `hang` never finishes: nothing at all, or response headers and some pieces first.
 */
export type FakeReply =
  | { text: string[]; usage?: boolean }
  | { textFrom: (request: FakeRequest) => string[]; usage?: boolean }
  | { tool: { name: string; arguments: string }; usage?: boolean }
  | { status: number }
  | { delayMs: number; text: string[] }
  | { hang: true; text?: string[] };

export interface FakeOpenAi {
  baseURL: string;
  /** Request bodies received, in order. */
  requests: FakeRequest[];
  script: FakeReply[];
  close(): Promise<void>;
}

/**
 * A local OpenAI-compatible server speaking the real Chat Completions HTTP API, including SSE
 * streaming, tool calls and usage chunks, answering from a script (one reply per request).
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const fake: FakeOpenAi = { requests: [], script: [], baseURL: '', close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const request = JSON.parse(raw) as FakeRequest;
      fake.requests.push(request);
      const reply = fake.script.shift() ?? { text: ['(no script)'] };
      if ('status' in reply) {
        res.writeHead(reply.status, { 'content-type': 'application/json', 'retry-after-ms': '10' });
        res.end(JSON.stringify({ error: { message: 'rate limited', type: 'rate_limit' } }));
        return;
      }
      if ('delayMs' in reply) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'fake' };
      const send = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
      const sendText = (pieces: string[]) => {
        for (const piece of pieces) send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
      };
      if ('hang' in reply) {
        // Never answers: the connection stays open until the client gives up (or the fake closes).
        if (reply.text) {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          sendText(reply.text);
        }
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if ('tool' in reply) {
        send({
          ...base,
          choices: [
            {
              index: 0,
              delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: reply.tool.name, arguments: '' } }] },
              finish_reason: null,
            },
          ],
        });
        send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: reply.tool.arguments } }] }, finish_reason: null }] });
        send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
      } else {
        sendText('textFrom' in reply ? reply.textFrom(request) : reply.text);
        send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      }
      if (!('usage' in reply) || reply.usage !== false) send({ ...base, choices: [], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } });
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  fake.baseURL = `http://127.0.0.1:${port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
