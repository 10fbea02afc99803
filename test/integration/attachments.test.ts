import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { apiClient } from '../support/api.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;

let call: ReturnType<typeof apiClient>['call'];

async function visitorWithConversation() {
  const token = (await call('POST', '/widget/session', { body: { shopId: 'demo' } })).json.token as string;
  const started = await call('POST', '/widget/conversations', {
    token,
    body: { clientMessageId: `att-${Math.random().toString(36).slice(2, 10)}`, text: 'photo of the damaged box' },
  });
  return { token, conversationId: started.json.conversation.conversationId as string };
}

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(120, 7)]);

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true });
  ({ call } = apiClient(stack.urls.api));
});
afterAll(async () => stack?.stop());

describe('attachments through pre-signed URLs', () => {
  it('upload → send → both sides download; the owner check covers the file', async () => {
    const v = await visitorWithConversation();
    const upload = await call('POST', `/widget/conversations/${v.conversationId}/uploads`, {
      token: v.token,
      body: { fileName: 'box.png', contentType: 'image/png', size: png.length },
    });
    expect(upload.status).toBe(201);
    const put = await fetch(upload.json.uploadUrl, { method: 'PUT', headers: upload.json.headers, body: png });
    expect(put.status).toBe(200);
    const sent = await call('POST', `/widget/conversations/${v.conversationId}/messages`, { token: v.token, body: { attachments: [upload.json.attachment] } });
    expect(sent.status).toBe(201);
    expect(sent.json.message.attachments[0].fileName).toBe('box.png');

    const link = await call('GET', `/widget/conversations/${v.conversationId}/attachments/${upload.json.attachment.attachmentId}`, { token: v.token });
    const file = await fetch(link.json.url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
    expect(file.headers.get('content-disposition')).toBe('attachment');

    const agent = (await call('POST', '/auth/login', { body: { email: 'agent@demo.kefu', password: 'kefu-demo' } })).json.idToken;
    const staffLink = await call('GET', `/conversations/${v.conversationId}/attachments/${upload.json.attachment.attachmentId}`, { token: agent });
    expect((await fetch(staffLink.json.url)).status).toBe(200);

    const other = await visitorWithConversation();
    expect(
      (await call('GET', `/widget/conversations/${v.conversationId}/attachments/${upload.json.attachment.attachmentId}`, { token: other.token })).status,
    ).toBe(404);
    expect(
      (
        await call('POST', `/widget/conversations/${v.conversationId}/uploads`, {
          token: other.token,
          body: { fileName: 'x.png', contentType: 'image/png', size: 10 },
        })
      ).status,
    ).toBe(404);
  });

  it('type and size limits hold at signing and at upload time', async () => {
    const v = await visitorWithConversation();
    const tooBig = await call('POST', `/widget/conversations/${v.conversationId}/uploads`, {
      token: v.token,
      body: { fileName: 'a.png', contentType: 'image/png', size: 11 * 1024 * 1024 },
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.message).toMatch(/size must be at most/);
    const html = await call('POST', `/widget/conversations/${v.conversationId}/uploads`, {
      token: v.token,
      body: { fileName: 'a.html', contentType: 'text/html', size: 10 },
    });
    expect(html.status).toBe(400);
    const upload = await call('POST', `/widget/conversations/${v.conversationId}/uploads`, {
      token: v.token,
      body: { fileName: 'a.png', contentType: 'image/png', size: 16 },
    });
    const larger = await fetch(upload.json.uploadUrl, { method: 'PUT', headers: upload.json.headers, body: Buffer.alloc(64, 1) });
    expect(larger.status).toBe(403);
    const otherType = await fetch(upload.json.uploadUrl, { method: 'PUT', headers: { 'content-type': 'text/html' }, body: Buffer.alloc(16, 1) });
    expect(otherType.status).toBe(403);
    const tampered = await fetch(upload.json.uploadUrl.replace(/attachments%2F|attachments\//, 'attachments/x'), {
      method: 'PUT',
      headers: upload.json.headers,
      body: Buffer.alloc(16, 1),
    });
    expect(tampered.status).toBe(403);
    const neverUploaded = await call('POST', `/widget/conversations/${v.conversationId}/messages`, {
      token: v.token,
      body: { attachments: [upload.json.attachment] },
    });
    expect(neverUploaded.status).toBe(400);
    expect(neverUploaded.json.message).toMatch(/was not uploaded/);
    const empty = await call('POST', `/widget/conversations/${v.conversationId}/messages`, { token: v.token, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.json.message).toMatch(/send text, attachments or both/);
  });
});
