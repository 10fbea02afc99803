/**
 * WeChat identity → contact → conversation, with the intake's table side faked: one contact per
 * external_userid, stable across messages; the current conversation continues until resolved; a
 * merged contact is followed, an erased one replaced; a msgid taken twice is one message; a pull
 * pages with the cursor and takes only customer messages in.
 */
import { describe, expect, it } from 'vitest';
import type { KfMessage, SyncPage, WecomApi } from '#shared/channels/wecom-api.ts';
import { type IntakePorts, type IntakeStore, pullMessages, takeMessage } from '#shared/channels/wecom-intake.ts';
import type { ContactState } from '#shared/channels/wecom-rules.ts';
import type { ConversationLink, MsgClaim, WecomCustomer } from '#shared/channels/wecom-store.ts';
import type { Conversation, Message } from '#shared/store/conversations.ts';

function world() {
  const customers = new Map<string, WecomCustomer>();
  const claims = new Map<string, MsgClaim>();
  const contacts = new Map<string, ContactState & { shopId: string }>();
  const conversations = new Map<string, Conversation>();
  const threads = new Map<string, Message[]>();
  const links = new Map<string, ConversationLink>();
  const cursors = new Map<string, string>();
  const effects: string[] = [];
  let seq = 0;
  const key = (kf: string, user: string) => `${kf}#${user}`;
  const store: IntakeStore = {
    getCustomer: async (kf, user) => customers.get(key(kf, user)),
    addCustomer: async (c) => {
      if (customers.has(key(c.openKfId, c.externalUserId))) return false;
      customers.set(key(c.openKfId, c.externalUserId), { ...c });
      return true;
    },
    setCustomerContact: async (kf, user, contactId) => void Object.assign(customers.get(key(kf, user))!, { contactId }),
    setCustomerConversation: async (kf, user, conversationId) => void Object.assign(customers.get(key(kf, user))!, { conversationId }),
    getMsgClaim: async (msgid) => claims.get(msgid),
    claimMsg: async (claim) => {
      if (claims.has(claim.msgid)) return false;
      claims.set(claim.msgid, claim);
      return true;
    },
    getCursor: async (kf) => cursors.get(kf),
    saveCursor: async (kf, cursor) => void cursors.set(kf, cursor),
    touchConversationLink: async (link, at) => {
      const before = links.get(link.conversationId)?.lastInboundAt;
      links.set(link.conversationId, { ...link, lastInboundAt: before && before > at ? before : at });
    },
    contactState: async (id) => contacts.get(id),
    createContact: async ({ contactId, shopId, name }) => void contacts.set(contactId, { shopId, name }),
    getConversation: async (id) => conversations.get(id),
    createConversation: async (conversation, message) => {
      const known = conversations.get(conversation.conversationId);
      if (known) return { conversation: known, message: threads.get(known.conversationId)![0]!, created: false };
      conversations.set(conversation.conversationId, conversation);
      threads.set(conversation.conversationId, [message]);
      return { conversation, message, created: true };
    },
    appendMessage: async (before, build) => {
      const message = build(before);
      const thread = threads.get(before.conversationId)!;
      const prior = thread.find((m) => m.clientMessageId === message.clientMessageId);
      if (prior) return { conversation: before, message: prior, created: false };
      thread.push(message);
      const conversation: Conversation = { ...before, status: 'open', version: before.version + 1 };
      conversations.set(conversation.conversationId, conversation);
      return { conversation, message, created: true };
    },
    shop: async () => ({ botEnabled: true }),
  };
  const ports: IntakePorts = {
    store,
    now: () => new Date('2026-03-01T08:00:00.000Z'),
    ids: (prefix) => `${prefix}_${++seq}`,
    effects: {
      started: async (c, m) => void effects.push(`started ${c.conversationId} ${m.text}`),
      continued: async (_b, w) => void effects.push(`${w.created ? 'continued' : 'repeat'} ${w.conversation.conversationId} ${w.message.text}`),
    },
  };
  return { ports, customers, contacts, conversations, threads, links, cursors, effects, claims };
}

let n = 0;
const msg = (user: string, text: string, extra: Partial<KfMessage> = {}) =>
  ({
    msgid: `M${++n}`,
    open_kfid: 'wkShop',
    external_userid: user,
    send_time: 1_772_351_000,
    origin: 3,
    msgtype: 'text',
    text: { content: text },
    ...extra,
  }) as KfMessage & { external_userid: string };

describe('a WeChat identity’s contact and conversation', () => {
  it('the first message opens a wechat conversation, with the bot, on a new contact; the next continues it on the same contact', async () => {
    const w = world();
    expect(await takeMessage(w.ports, msg('wmAlice000001', '在吗？'), 'demo')).toBe('opened');
    const [conversation] = [...w.conversations.values()];
    expect(conversation).toMatchObject({ channel: 'wechat', status: 'open', contactName: '微信客户 000001', verified: false, bot: { active: true } });
    expect(w.contacts.get(conversation!.contactId)).toEqual({ shopId: 'demo', name: '微信客户 000001' });
    expect(w.links.get(conversation!.conversationId)).toEqual({
      conversationId: conversation!.conversationId,
      openKfId: 'wkShop',
      externalUserId: 'wmAlice000001',
      lastInboundAt: new Date(1_772_351_000_000).toISOString(),
    });

    expect(await takeMessage(w.ports, msg('wmAlice000001', '我的快递到哪了？'), 'demo')).toBe('threaded');
    expect(w.conversations.size).toBe(1);
    expect(w.contacts.size).toBe(1);
    expect(w.threads.get(conversation!.conversationId)!.map((m) => `${m.author.kind}: ${m.text}`)).toEqual(['visitor: 在吗？', 'visitor: 我的快递到哪了？']);
    expect(w.effects).toEqual([`started ${conversation!.conversationId} 在吗？`, `continued ${conversation!.conversationId} 我的快递到哪了？`]);
  });

  it('another WeChat customer is another contact', async () => {
    const w = world();
    await takeMessage(w.ports, msg('wmAlice000001', '你好'), 'demo');
    await takeMessage(w.ports, msg('wmBob00000002', '你好'), 'demo');
    expect(w.contacts.size).toBe(2);
    expect(new Set([...w.conversations.values()].map((c) => c.contactId)).size).toBe(2);
  });

  it('the same msgid taken twice is one message (and the bot is not asked again)', async () => {
    const w = world();
    const first = msg('wmAlice000001', '你好');
    const second = msg('wmAlice000001', '有优惠吗');
    expect(await takeMessage(w.ports, first, 'demo')).toBe('opened');
    expect(await takeMessage(w.ports, first, 'demo')).toBe('duplicate');
    expect(await takeMessage(w.ports, second, 'demo')).toBe('threaded');
    expect(await takeMessage(w.ports, second, 'demo')).toBe('duplicate');
    const [conversation] = [...w.conversations.values()];
    expect(w.threads.get(conversation!.conversationId)).toHaveLength(2);
    expect(w.effects.filter((e) => e.startsWith('started') || e.startsWith('continued'))).toHaveLength(2);
  });

  it('after the conversation is resolved, the next message opens a new one on the same contact', async () => {
    const w = world();
    await takeMessage(w.ports, msg('wmAlice000001', '你好'), 'demo');
    const [first] = [...w.conversations.values()];
    w.conversations.set(first!.conversationId, { ...first!, status: 'resolved' });
    expect(await takeMessage(w.ports, msg('wmAlice000001', '又有问题了'), 'demo')).toBe('opened');
    const again = [...w.conversations.values()].find((c) => c.conversationId !== first!.conversationId);
    expect(again?.contactId).toBe(first!.contactId);
    expect(w.customers.get('wkShop#wmAlice000001')?.conversationId).toBe(again?.conversationId);
  });

  it('a contact merged into another: the identity follows the merge and keeps its conversation', async () => {
    const w = world();
    await takeMessage(w.ports, msg('wmAlice000001', '你好'), 'demo');
    const [conversation] = [...w.conversations.values()];
    const old = conversation!.contactId;
    // what a merge does (shared/members/merge.ts): the redirect, and the conversations move
    w.contacts.set('con_kept', { shopId: 'demo', name: '王小姐' });
    w.contacts.set(old, { ...w.contacts.get(old)!, mergedInto: 'con_kept' });
    w.conversations.set(conversation!.conversationId, { ...conversation!, contactId: 'con_kept' });
    expect(await takeMessage(w.ports, msg('wmAlice000001', '还在吗'), 'demo')).toBe('threaded');
    expect(w.customers.get('wkShop#wmAlice000001')?.contactId).toBe('con_kept');
    expect(w.conversations.size).toBe(1);
  });

  it('an erased contact: the customer starts over on a new contact and conversation', async () => {
    const w = world();
    await takeMessage(w.ports, msg('wmAlice000001', '你好'), 'demo');
    const [conversation] = [...w.conversations.values()];
    w.contacts.set(conversation!.contactId, { shopId: 'demo', erased: true });
    expect(await takeMessage(w.ports, msg('wmAlice000001', '我又来了'), 'demo')).toBe('opened');
    const contactId = w.customers.get('wkShop#wmAlice000001')?.contactId;
    expect(contactId).not.toBe(conversation!.contactId);
    expect([...w.conversations.values()].find((c) => c.contactId === contactId)).toBeDefined();
  });

  it('the last-message time only moves forward (a late repeat of an old message leaves it)', async () => {
    const w = world();
    await takeMessage(w.ports, msg('wmAlice000001', '新消息', { send_time: 1_772_351_500 }), 'demo');
    await takeMessage(w.ports, msg('wmAlice000001', '旧消息', { send_time: 1_772_351_000 }), 'demo');
    const [link] = [...w.links.values()];
    expect(link?.lastInboundAt).toBe(new Date(1_772_351_500_000).toISOString());
  });
});

describe('a pull', () => {
  it('pages with the cursor, saves it after each page, and takes in only customer messages', async () => {
    const w = world();
    const stream: KfMessage[] = [
      msg('wmAlice000001', '', { origin: 4, msgtype: 'event', text: undefined }),
      msg('wmAlice000001', '第一条'),
      msg('wmAlice000001', 'typed in WeCom', { origin: 5 }),
      msg('wmAlice000001', '第二条'),
    ];
    const calls: (string | undefined)[] = [];
    const api: WecomApi = {
      async syncMsg(req): Promise<SyncPage> {
        calls.push(req.cursor);
        const from = Number(req.cursor ?? 0);
        const page = stream.slice(from, from + 2);
        return { next_cursor: String(from + page.length), has_more: from + page.length < stream.length, msg_list: page };
      },
      sendText: async () => ({}),
    };
    expect(await pullMessages(api, w.ports, { openKfId: 'wkShop', token: 'ENC1' }, 'demo')).toEqual({ pulled: 4, opened: 1, threaded: 1, duplicate: 0 });
    expect(calls).toEqual([undefined, '2']);
    expect(w.cursors.get('wkShop')).toBe('4');
    // a pull that starts over adds nothing
    w.cursors.delete('wkShop');
    expect(await pullMessages(api, w.ports, { openKfId: 'wkShop', token: 'ENC2' }, 'demo')).toMatchObject({ opened: 0, threaded: 0, duplicate: 2 });
  });
});
