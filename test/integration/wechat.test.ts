/**
 * WeChat customer service on the local stack, through the local WeChat platform it runs
 * (infra/local/wechat-sim.ts: encrypted, signed callbacks in; gettoken, kf/sync_msg, kf/send_msg
 * out): a shopper's message becomes a `wechat` conversation, the bot answers on the phone, "转人工"
 * hands off to the inbox, the agent's reply from the console API reaches the phone; the same msgid
 * pulled twice is one message; a reply after the 48-hour window is refused in both languages and
 * nothing leaves; a failed pull is retried by the platform; URL verification and forged callbacks.
 */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import type { WechatSim } from '#infra/local/wechat-sim.ts';
import { encrypt, wecomSignature } from '#shared/channels/wecom-crypto.ts';
import { wechatText } from '#shared/channels/wecom-rules.ts';
import { type Key, keys } from '#shared/store/keys.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

let stack: LocalStack;
let sim: WechatSim;
let client: ReturnType<typeof apiClient>;
let agent: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0, smtp: false });
  expect(stack.failedToLoad.filter((n) => n.startsWith('wecom'))).toEqual([]);
  sim = stack.wechat!;
  expect(sim).toBeDefined();
  client = apiClient(stack.urls.api);
  agent = await client.staff();
});
afterAll(async () => {
  await stack?.stop();
});

const get = async (key: Key) => (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: key, ConsistentRead: true }))).Item;

async function conversationOf(user: string): Promise<string> {
  return until(async () => (await get(keys.wecomCustomer(sim.settings.openKfId, user)))?.conversationId as string | undefined, {
    what: 'the customer’s conversation',
  });
}

async function thread(conversationId: string) {
  const res = await client.call('GET', `/conversations/${conversationId}/messages?limit=50`, { token: agent });
  expect(res.status).toBe(200);
  return (res.json.items as { messageId: string; text: string; author: { kind: string }; internal: boolean }[]).map((m) => ({
    id: m.messageId,
    line: `${m.author.kind}${m.internal ? ' (internal)' : ''}: ${m.text}`,
  }));
}

const phone = (user: string) => sim.thread(user).map((m) => `${m.from}: ${m.text}`);

describe('WeChat conversations through the local platform', () => {
  const user = 'wmKefuShopper000001';

  it('a shopper’s message opens a wechat conversation; the bot answers on the phone; 转人工 hands off; the agent’s reply reaches the phone, once', async () => {
    const first = await sim.customerSays(user, '你好，请问什么时候发货？');
    expect(first.callback).toBe(200);
    const conversationId = await conversationOf(user);
    await stack.quiesce();
    const conv = await client.call('GET', `/conversations/${conversationId}`, { token: agent });
    expect(conv.json.conversation).toMatchObject({ channel: 'wechat', contactName: '微信客户 000001', verified: false });
    const afterBot = await thread(conversationId);
    const botLines = afterBot.filter((m) => m.line.startsWith('bot: '));
    expect(afterBot[0]?.line).toBe('visitor: 你好，请问什么时候发货？');
    expect(botLines.length).toBeGreaterThan(0);
    // what the bot said is what the phone shows ("回复“转人工”" where the widget has a button), each once, after the shopper's
    expect(phone(user)).toEqual(['customer: 你好，请问什么时候发货？', ...botLines.map((m) => `kf: ${wechatText(m.line.slice('bot: '.length))}`)]);
    expect(await get(keys.wecomReply(`wx-${botLines[0]!.id}`))).toMatchObject({ status: 'sent', externalUserId: user, conversationId });

    expect((await sim.customerSays(user, '转人工')).callback).toBe(200);
    await stack.quiesce();
    const handedOff = (await client.call('GET', `/conversations/${conversationId}`, { token: agent })).json.conversation;
    expect(handedOff.bot).toMatchObject({ active: false, outcome: 'handed_off' });
    expect(handedOff.ticketId).toMatch(/^tkt_/);
    expect(phone(user).at(-1)).toMatch(/^kf: .*人工/);

    const reply = '您好，我是客服小李，您的订单今天下午发出。';
    const sent = await client.call('POST', `/conversations/${conversationId}/messages`, {
      token: agent,
      body: { text: reply, clientMessageId: 'agent-reply-1' },
    });
    expect(sent.status).toBe(201);
    const note = await client.call('POST', `/conversations/${conversationId}/messages`, { token: agent, body: { text: '内部备注 NOTE-7f3a', internal: true } });
    expect(note.status).toBe(201);
    // the same request again (a retried click) adds and sends nothing
    await client.call('POST', `/conversations/${conversationId}/messages`, { token: agent, body: { text: reply, clientMessageId: 'agent-reply-1' } });
    await stack.quiesce();
    expect(phone(user).filter((l) => l === `kf: ${reply}`)).toHaveLength(1);
    expect(phone(user).some((l) => l.includes('NOTE-7f3a'))).toBe(false);
    expect(await get(keys.wecomReply(`wx-${sent.json.message.messageId}`))).toMatchObject({ status: 'sent' });
    expect(sim.sent().filter((m) => m.text === reply)[0]?.msgid).toBe(sent.json.message.messageId);
  });

  it('the same msgid pulled twice (a repeated message, a pull that starts over) is one message', async () => {
    const conversationId = await conversationOf(user);
    const { msgid } = await sim.customerSays(user, '还有，能开发票吗？');
    await stack.quiesce();
    const before = await thread(conversationId);
    expect(before.filter((m) => m.line === 'visitor: 还有，能开发票吗？')).toHaveLength(1);
    expect(await sim.redeliver(msgid)).toBe(200);
    await stack.db.send(new DeleteCommand({ TableName: 'Kefu', Key: keys.wecomCursor(sim.settings.openKfId) }));
    expect(await sim.redeliver(msgid)).toBe(200);
    await stack.quiesce();
    expect(await thread(conversationId)).toEqual(before);
  });

  it('past 48 hours after the shopper’s last message an agent reply is refused in both languages and nothing is sent; their next message opens the window again', async () => {
    const conversationId = await conversationOf(user);
    const old = new Date(Date.now() - 49 * 3600 * 1000).toISOString();
    await stack.db.send(
      new UpdateCommand({
        TableName: 'Kefu',
        Key: keys.wecomConversation(conversationId),
        UpdateExpression: 'SET lastInboundAt = :t',
        ExpressionAttributeValues: { ':t': old },
      }),
    );
    const onPhone = phone(user).length;
    const before = await thread(conversationId);
    const zh = await client.call('POST', `/conversations/${conversationId}/messages`, {
      token: agent,
      body: { text: '还在吗？' },
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(zh.status).toBe(409);
    expect(zh.json.message).toMatch(/48 小时/);
    const en = await client.call('POST', `/conversations/${conversationId}/messages`, {
      token: agent,
      body: { text: '还在吗？' },
      headers: { 'accept-language': 'en' },
    });
    expect(en.status).toBe(409);
    expect(en.json.message).toMatch(/within 48 hours/);
    // an internal note is still fine; nothing reached the phone or the thread
    expect((await client.call('POST', `/conversations/${conversationId}/messages`, { token: agent, body: { text: 'note', internal: true } })).status).toBe(201);
    expect(phone(user)).toHaveLength(onPhone);
    expect((await thread(conversationId)).filter((m) => !m.line.includes('(internal)'))).toEqual(before.filter((m) => !m.line.includes('(internal)')));

    await sim.customerSays(user, '我回来了');
    await stack.quiesce();
    const again = await client.call('POST', `/conversations/${conversationId}/messages`, { token: agent, body: { text: '欢迎回来！' } });
    expect(again.status).toBe(201);
    expect(phone(user).at(-1)).toBe('kf: 欢迎回来！');
  });

  it('erasing the contact drops its WeChat identity link: the same WeChat user’s next message starts a new contact', async () => {
    const other = 'wmKefuShopper000009';
    await sim.customerSays(other, '请删除我的资料');
    const conversationId = await conversationOf(other);
    await stack.quiesce();
    const contactId = (await get(keys.conversation(conversationId)))?.contactId as string;
    const admin = await client.staff('admin@demo.kefu');
    const erase = await client.call('POST', `/contacts/${contactId}/erase`, { token: admin });
    expect(erase.status).toBe(202);
    await until(async () => {
      const res = await client.call('GET', `/privacy-tasks/${erase.json.taskId}`, { token: admin });
      return res.json?.state === 'done' ? true : undefined;
    });
    expect(await get(keys.wecomCustomer(sim.settings.openKfId, other))).toBeUndefined();
    expect(await get(keys.wecomConversation(conversationId))).toBeUndefined();
    await sim.customerSays(other, '你好');
    const next = await conversationOf(other);
    expect(next).not.toBe(conversationId);
    expect((await get(keys.conversation(next)))?.contactId).not.toBe(contactId);
  });

  it('a failed pull answers 502; the platform calls again and the message comes in', async () => {
    const conversationId = await conversationOf(user);
    sim.failNext('sync_msg');
    const res = await sim.customerSays(user, '在吗？');
    expect(res.callback).toBe(502);
    await until(async () => (await thread(conversationId)).some((m) => m.line === 'visitor: 在吗？'), { what: 'the platform’s second callback' });
  });
});

describe('the callback endpoint', () => {
  const keysOf = () => ({ token: sim.settings.token, encodingAesKey: sim.settings.encodingAesKey, receiveId: sim.settings.corpId });
  const ts = () => String(Math.floor(Date.now() / 1000));

  it('URL verification answers the decrypted echostr; a wrong signature is refused', async () => {
    const echostr = encrypt(keysOf(), '7388562034919827061');
    const [timestamp, nonce] = [ts(), '4815162342'];
    const qs = (s: string) => `/wecom/callback?msg_signature=${s}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`;
    const ok = await fetch(`${stack.urls.api}${qs(wecomSignature(sim.settings.token, timestamp, nonce, echostr))}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
    expect(await ok.text()).toBe('7388562034919827061');
    expect((await client.call('GET', qs(wecomSignature('Other', timestamp, nonce, echostr)))).status).toBe(401);
    expect((await client.call('GET', '/wecom/callback?timestamp=1&nonce=2')).status).toBe(400);
  });

  it('refuses forged signatures, non-XML bodies and stale timestamps', async () => {
    const enc = encrypt(keysOf(), '<xml><MsgType><![CDATA[event]]></MsgType></xml>');
    const post = (signature: string, timestamp: string) =>
      client.call('POST', `/wecom/callback?msg_signature=${signature}&timestamp=${timestamp}&nonce=1`, {
        body: `<xml><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`,
        headers: { 'content-type': 'text/xml' },
      });
    const now = ts();
    expect((await post(wecomSignature('WrongToken', now, '1', enc), now)).status).toBe(401);
    expect((await post(wecomSignature(sim.settings.token, now, '1', enc), now)).status).toBe(200);
    const old = '1409659813';
    expect((await post(wecomSignature(sim.settings.token, old, '1', enc), old)).status).toBe(401);
    const wrongType = await client.call('POST', `/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=${now}&nonce=1`, { body: { encrypt: 'x' } });
    expect(wrongType.status).toBe(415);
  });
});
