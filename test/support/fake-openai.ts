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
  /** `POST /v1/embeddings` bodies received, in order (kept apart from the chat requests). */
  embeddingRequests: FakeRequest[];
  /**
   * Paraphrases the fake embedder "understands": a text containing the first string is embedded as
   * if it were the second (a stand-in for what a real model knows; the vectors stay deterministic).
   */
  embeddingAliases: Array<[string, string]>;
  close(): Promise<void>;
}

/** Dimensions of the fake embedder's vectors. */
const EMBEDDING_DIMS = 1024;

/**
 * The fake embedder: a hashed bag of character bigrams (letters, digits and CJK only), L2-normalised,
 * so texts sharing wording get similar vectors, deterministically.
 */
export function fakeEmbedding(text: string, aliases: ReadonlyArray<[string, string]> = []): number[] {
  let t = text.normalize('NFKC').toLowerCase();
  for (const [from, to] of aliases) if (t.includes(from)) t = t.split(from).join(to);
  const chars = Array.from(t.replace(/[^\p{L}\p{N}]+/gu, ' '));
  const v = new Array<number>(EMBEDDING_DIMS).fill(0);
  for (let i = 0; i + 1 < chars.length; i++) {
    const gram = `${chars[i]}${chars[i + 1]}`;
    if (gram.includes(' ')) continue;
    let h = 2166136261;
    for (const c of gram) h = Math.imul(h ^ (c.codePointAt(0) as number), 16777619) >>> 0;
    v[h % EMBEDDING_DIMS] = (v[h % EMBEDDING_DIMS] as number) + 1;
  }
  const norm = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

/**
 * A local OpenAI-compatible server speaking the real Chat Completions HTTP API, including SSE
 * streaming, tool calls and usage chunks, answering from a script (one reply per request); and the
 * Embeddings API (`POST /v1/embeddings`, float or base64) with the deterministic `fakeEmbedding`.
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const fake: FakeOpenAi = { requests: [], script: [], embeddingRequests: [], embeddingAliases: [], baseURL: '', close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      if (req.method === 'POST' && req.url?.endsWith('/embeddings')) {
        const request = JSON.parse(raw) as { model: string; input: string | string[]; encoding_format?: string };
        fake.embeddingRequests.push(request);
        const inputs = typeof request.input === 'string' ? [request.input] : request.input;
        const data = inputs.map((text, index) => {
          const vector = fakeEmbedding(text, fake.embeddingAliases);
          const embedding = request.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
          return { object: 'embedding', index, embedding };
        });
        const tokens = inputs.reduce((sum, text) => sum + text.length, 0);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }));
        return;
      }
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
