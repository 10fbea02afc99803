/**
 * WeChat customer service on the local stack, against a small WeCom API simulator this test runs
 * (gettoken, kf/sync_msg with cursors, kf/send_msg, as the platform documents them): URL
 * verification; an encrypted `kf_msg_or_event` callback pulls the customer's messages into a
 * `wechat` ticket (once, however often the callback comes or the pull repeats); the agent's
 * reply goes out with send_msg; forged or malformed callbacks are refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import type { KfMessage } from '#shared/channels/wecom-api.ts';
import { encrypt, wecomSignature } from '#shared/channels/wecom-crypto.ts';
import { resetConfig } from '#shared/config.ts';
import { keys } from '#shared/store/keys.ts';
import { apiClient } from '../support/api.ts';

const CORP = 'wwkefu0000000test';
const TOKEN = 'KefuTestToken123';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const KF = 'wkKefuTestAccount01';
const SECRET = 'kf-secret-for-tests';

/** The platform's side: messages waiting to be pulled, what was sent, and a switch to fail the next pull. */
const platform = { messages: [] as KfMessage[], sent: [] as Record<string, any>[], failNextSync: false, tokens: 0 };

function simulator(): Server {
  return createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const reply = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/cgi-bin/gettoken') {
        if (url.searchParams.get('corpid') !== CORP || url.searchParams.get('corpsecret') !== SECRET)
          return reply({ errcode: 40001, errmsg: 'invalid credential' });
        platform.tokens++;
        return reply({ errcode: 0, errmsg: 'ok', access_token: `AT${platform.tokens}`, expires_in: 7200 });
      }
      if (url.searchParams.get('access_token') !== `AT${platform.tokens}`) return reply({ errcode: 40014, errmsg: 'invalid access_token' });
      const body = JSON.parse(raw || '{}');
      if (url.pathname === '/cgi-bin/kf/sync_msg') {
        if (platform.failNextSync) {
          platform.failNextSync = false;
          return reply({ errcode: -1, errmsg: 'system busy' });
        }
        const from = body.cursor ? Number(body.cursor) : 0;
        const page = platform.messages.filter((m) => m.open_kfid === body.open_kfid).slice(from, from + 2);
        const next = from + page.length;
        return reply({ errcode: 0, errmsg: 'ok', next_cursor: String(next), has_more: next < platform.messages.length ? 1 : 0, msg_list: page });
      }
      if (url.pathname === '/cgi-bin/kf/send_msg') {
        platform.sent.push(body);
        return reply({ errcode: 0, errmsg: 'ok', msgid: `PLATFORM_${platform.sent.length}` });
      }
      res.writeHead(404).end();
    });
  });
}

let server: Server;
let stack: Awaited<ReturnType<typeof startLocalStack>>;
let client: ReturnType<typeof apiClient>;
let agent: string;
const SETTINGS = ['KEFU_WECOM_CORP_ID', 'KEFU_WECOM_TOKEN', 'KEFU_WECOM_AES_KEY', 'KEFU_WECOM_SECRET', 'KEFU_WECOM_API_BASE'];

beforeAll(async () => {
  server = simulator();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  Object.assign(process.env, {
    KEFU_WECOM_CORP_ID: CORP,
    KEFU_WECOM_TOKEN: TOKEN,
    KEFU_WECOM_AES_KEY: AES_KEY,
    KEFU_WECOM_SECRET: SECRET,
    KEFU_WECOM_API_BASE: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  resetConfig();
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0, smtp: false });
  client = apiClient(stack.urls.api);
  expect(stack.failedToLoad.filter((n) => n.startsWith('wecom'))).toEqual([]);
  agent = await client.staff();
});
afterAll(async () => {
  await stack?.stop();
  for (const name of SETTINGS) delete process.env[name];
  resetConfig();
  await new Promise<void>((r) => server.close(() => r()));
});

const keysOf = { token: TOKEN, encodingAesKey: AES_KEY, receiveId: CORP };
let seq = 0;
const nonce = () => String(100000 + ++seq);
const ts = () => String(Math.floor(Date.now() / 1000));

/** The platform's callback for new messages on the account, encrypted and signed. */
function callback(opts: { forge?: boolean } = {}) {
  const inner = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><CreateTime>${ts()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENC${seq}]]></Token><OpenKfId><![CDATA[${KF}]]></OpenKfId></xml>`;
  const enc = encrypt(keysOf, inner);
  const [timestamp, n] = [ts(), nonce()];
  const signature = wecomSignature(opts.forge ? 'WrongToken' : TOKEN, timestamp, n, enc);
  return client.call('POST', `/wecom/callback?msg_signature=${signature}&timestamp=${timestamp}&nonce=${n}`, {
    body: `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`,
    headers: { 'content-type': 'text/xml' },
  });
}

const customer = 'wmKefuCustomer000001';
const msg = (id: string, content: string, extra: Partial<KfMessage> = {}): KfMessage => ({
  msgid: id,
  open_kfid: KF,
  external_userid: customer,
  send_time: Math.floor(Date.now() / 1000),
  origin: 3,
  msgtype: 'text',
  text: { content },
  ...extra,
});

async function ticketOfCustomer(): Promise<string> {
  const item = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.wecomCustomer(KF, customer) }))).Item;
  return String(item?.ticketId);
}

async function thread(ticketId: string) {
  const t = await client.call('GET', `/tickets/${ticketId}`, { token: agent });
  const msgs = await client.call('GET', `/conversations/${t.json.ticket.conversationId}/messages`, { token: agent });
  return { ticket: t.json.ticket, texts: (msgs.json.items as { text: string; author: { kind: string } }[]).map((m) => `${m.author.kind}: ${m.text}`) };
}

describe('WeChat customer service callback', () => {
  it('URL verification answers the decrypted echostr; a wrong signature is refused', async () => {
    const echostr = encrypt(keysOf, '7388562034919827061');
    const [timestamp, n] = [ts(), nonce()];
    const sig = wecomSignature(TOKEN, timestamp, n, echostr);
    const qs = (s: string) => `/wecom/callback?msg_signature=${s}&timestamp=${timestamp}&nonce=${n}&echostr=${encodeURIComponent(echostr)}`;
    const ok = await fetch(`${stack.urls.api}${qs(sig)}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
    expect(await ok.text()).toBe('7388562034919827061');
    expect((await client.call('GET', qs(wecomSignature('Other', timestamp, n, echostr)))).status).toBe(401);
    expect((await client.call('GET', '/wecom/callback?timestamp=1&nonce=2')).status).toBe(400);
  });

  it('a customer message opens a wechat ticket with a contact; the next one joins it; once only', async () => {
    platform.messages.push(msg('MSG_A1', '你好，我的快递到哪了？订单 SO-1001'));
    const res = await callback();
    expect(res.status).toBe(200);
    expect(res.json).toBe('success');
    const ticketId = await ticketOfCustomer();
    let view = await thread(ticketId);
    expect(view.ticket).toMatchObject({ channel: 'wechat', status: 'new' });
    expect(view.ticket.subject).toContain('你好，我的快递到哪了？');
    expect(view.texts).toEqual(['visitor: 你好，我的快递到哪了？订单 SO-1001']);

    platform.messages.push(
      msg('MSG_A2', '还有，能开发票吗？'),
      msg('MSG_A3', '', { msgtype: 'image', text: undefined }),
      msg('MSG_S1', 'servicer typed this in WeCom', { origin: 5 }),
    );
    expect((await callback()).status).toBe(200);
    view = await thread(ticketId);
    expect(view.texts).toEqual([
      'visitor: 你好，我的快递到哪了？订单 SO-1001',
      'visitor: 还有，能开发票吗？',
      'visitor: [微信图片，未导入 / WeChat image, not imported]',
    ]);

    // The same callback again, and a pull that starts over (cursor lost): nothing is added twice.
    expect((await callback()).status).toBe(200);
    await stack.db.send(new DeleteCommand({ TableName: 'Kefu', Key: keys.wecomCursor(KF) }));
    expect((await callback()).status).toBe(200);
    expect((await thread(ticketId)).texts).toHaveLength(3);
  });

  it('a failed pull answers 502 so the platform calls again, and the next call takes the message in', async () => {
    platform.messages.push(msg('MSG_A4', '在吗？'));
    platform.failNextSync = true;
    expect((await callback()).status).toBe(502);
    expect((await callback()).status).toBe(200);
    expect((await thread(await ticketOfCustomer())).texts.at(-1)).toBe('visitor: 在吗？');
  });

  it('the agent’s reply goes to the customer with kf/send_msg, once; internal notes do not', async () => {
    const { ticket } = await thread(await ticketOfCustomer());
    const sent = await client.call('POST', `/conversations/${ticket.conversationId}/messages`, {
      token: agent,
      body: { text: '您好，包裹已发出，单号 SF123。' },
    });
    expect(sent.status).toBeLessThan(300);
    await client.call('POST', `/conversations/${ticket.conversationId}/messages`, { token: agent, body: { text: 'check invoice', internal: true } });
    expect(platform.sent).toHaveLength(1);
    expect(platform.sent[0]).toMatchObject({ touser: customer, open_kfid: KF, msgtype: 'text', text: { content: '您好，包裹已发出，单号 SF123。' } });
    expect(platform.sent[0]!.msgid).toMatch(/^msg_[0-9a-z]{1,28}$/);
    const reply = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.wecomReply(`wxr-${sent.json.message.messageId}`) }))).Item;
    expect(reply).toMatchObject({ status: 'sent', platformMsgId: 'PLATFORM_1', externalUserId: customer });
  });

  it('without the Secret a reply is recorded as not_configured and nothing is sent', async () => {
    const { ticket } = await thread(await ticketOfCustomer());
    delete process.env.KEFU_WECOM_SECRET;
    resetConfig();
    try {
      const sent = await client.call('POST', `/conversations/${ticket.conversationId}/messages`, { token: agent, body: { text: 'Are you there?' } });
      const reply = (await stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.wecomReply(`wxr-${sent.json.message.messageId}`) }))).Item;
      expect(reply).toMatchObject({ status: 'not_configured' });
      expect(platform.sent).toHaveLength(1);
    } finally {
      process.env.KEFU_WECOM_SECRET = SECRET;
      resetConfig();
    }
  });

  it('refuses forged signatures, non-XML bodies and stale timestamps', async () => {
    expect((await callback({ forge: true })).status).toBe(401);
    const wrongType = await client.call('POST', `/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=${ts()}&nonce=1`, { body: { encrypt: 'x' } });
    expect(wrongType.status).toBe(415);
    const enc = encrypt(keysOf, '<xml></xml>');
    const old = '1409659813';
    const stale = await client.call('POST', `/wecom/callback?msg_signature=${wecomSignature(TOKEN, old, '1', enc)}&timestamp=${old}&nonce=1`, {
      body: `<xml><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`,
      headers: { 'content-type': 'text/xml' },
    });
    expect(stale.status).toBe(401);
  });
});
