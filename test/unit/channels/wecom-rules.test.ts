/**
 * The rules of WeChat conversations: the 48-hour reply window (and the refusal the console shows),
 * which contact a WeChat identity stands for through merges and erasures, which conversation a
 * message goes to, the thread text of platform messages, and how a reply is cut for send_msg.
 */
import { describe, expect, it } from 'vitest';
import type { KfMessage } from '#shared/channels/wecom-api.ts';
import {
  type ContactState,
  currentContact,
  isCustomerMessage,
  messageText,
  REPLY_WINDOW_MS,
  replyWindow,
  routeMessage,
  SEND_MAX_BYTES,
  SEND_MAX_PARTS,
  sendMsgId,
  sendParts,
  sentAt,
  wechatText,
  windowClosedText,
} from '#shared/channels/wecom-rules.ts';

const last = '2026-03-01T08:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(last) + ms);

describe('the 48-hour reply window', () => {
  it('is open until 48 hours after the customer’s last message, closed from then on', () => {
    expect(replyWindow(last, at(0))).toMatchObject({ open: true });
    const justBefore = replyWindow(last, at(REPLY_WINDOW_MS - 1));
    expect(justBefore).toEqual({ open: true, closesAt: at(REPLY_WINDOW_MS) });
    expect(replyWindow(last, at(REPLY_WINDOW_MS))).toEqual({ open: false, lastInboundAt: new Date(last) });
    expect(replyWindow(last, at(3 * REPLY_WINDOW_MS)).open).toBe(false);
    expect(REPLY_WINDOW_MS).toBe(172_800_000);
  });

  it('is closed for a customer who never wrote, or a time that is not one', () => {
    expect(replyWindow(undefined, at(0))).toEqual({ open: false });
    expect(replyWindow('not a time', at(0))).toEqual({ open: false });
  });

  it('says why in both languages, with the last message time in Beijing time', () => {
    const text = windowClosedText(new Date(last));
    expect(text.zh).toContain('48 小时');
    expect(text.zh).toContain('2026-03-01 16:00');
    expect(text.zh).not.toMatch(/[A-Za-z]{3,}/);
    expect(text.en).toContain('48 hours');
    expect(text.en).toContain('2026-03-01 16:00');
    expect(windowClosedText(undefined).zh).toContain('还没有发过消息');
  });
});

describe('the contact of a WeChat identity', () => {
  const contacts = (map: Record<string, ContactState>) => async (id: string) => map[id];

  it('is the linked contact while it stands (its name too)', async () => {
    expect(await currentContact('con_a', contacts({ con_a: { name: '张三' } }))).toEqual({ contactId: 'con_a', name: '张三' });
  });

  it('follows merges, as every identity does, through a chain', async () => {
    const lookup = contacts({ con_a: { mergedInto: 'con_b' }, con_b: { mergedInto: 'con_c' }, con_c: {} });
    expect(await currentContact('con_a', lookup)).toEqual({ contactId: 'con_c' });
  });

  it('is none when the contact was erased or is gone, or the merges loop', async () => {
    expect(await currentContact('con_a', contacts({ con_a: { erased: true } }))).toBeUndefined();
    expect(await currentContact('con_a', contacts({}))).toBeUndefined();
    expect(await currentContact('con_a', contacts({ con_a: { mergedInto: 'con_b' }, con_b: { erased: true } }))).toBeUndefined();
    expect(await currentContact('con_a', contacts({ con_a: { mergedInto: 'con_b' }, con_b: { mergedInto: 'con_a' } }))).toBeUndefined();
  });
});

describe('which conversation a message goes to', () => {
  const fresh = () => 'cnv_new';
  it('continues the current conversation while it is not resolved and still the contact’s', () => {
    for (const status of ['open', 'pending']) {
      expect(routeMessage({ conversationId: 'cnv_1', status, contactId: 'con_a' }, 'con_a', fresh)).toEqual({ role: 'reply', conversationId: 'cnv_1' });
    }
  });
  it('opens a new one for a first message, after a resolved conversation, or when the identity moved to another contact', () => {
    expect(routeMessage(undefined, 'con_a', fresh)).toEqual({ role: 'opened', conversationId: 'cnv_new' });
    expect(routeMessage({ conversationId: 'cnv_1', status: 'resolved', contactId: 'con_a' }, 'con_a', fresh).role).toBe('opened');
    expect(routeMessage({ conversationId: 'cnv_1', status: 'open', contactId: 'con_old' }, 'con_a', fresh).role).toBe('opened');
  });
});

describe('platform messages', () => {
  const msg = (extra: Partial<KfMessage>): KfMessage => ({
    msgid: 'M1',
    open_kfid: 'wk1',
    external_userid: 'wm1',
    send_time: 1_772_352_000,
    origin: 3,
    msgtype: 'text',
    text: { content: ' 你好 ' },
    ...extra,
  });
  it('takes in customer messages only', () => {
    expect(isCustomerMessage(msg({}))).toBe(true);
    expect(isCustomerMessage(msg({ origin: 4 }))).toBe(false);
    expect(isCustomerMessage(msg({ origin: 5 }))).toBe(false);
    expect(isCustomerMessage(msg({ external_userid: undefined }))).toBe(false);
  });
  it('keeps text, names other kinds in both languages', () => {
    expect(messageText(msg({}))).toBe('你好');
    expect(messageText(msg({ msgtype: 'image', text: undefined }))).toBe('[微信图片，未导入 / WeChat image, not imported]');
    expect(messageText(msg({ msgtype: 'sticker', text: undefined }))).toBe('[微信消息，未导入 / WeChat sticker message, not imported]');
  });
  it('dates a message by the platform’s send_time unless it is missing or in the future', () => {
    const now = new Date('2026-03-01T09:00:00.000Z');
    expect(sentAt(msg({}), now).toISOString()).toBe('2026-03-01T08:00:00.000Z');
    expect(sentAt(msg({ send_time: 0 }), now)).toBe(now);
    expect(sentAt(msg({ send_time: 1_900_000_000 }), now)).toBe(now);
  });
});

describe('a reply cut for send_msg', () => {
  it('asks WeChat customers to reply “转人工” where the widget has a button', () => {
    expect(wechatText('如果都不是，可以点击“转人工”。')).toBe('如果都不是，可以回复“转人工”。');
    expect(wechatText('If none of these fit, tap “Talk to a human”.')).toBe('If none of these fit, reply “human”.');
    expect(wechatText('您好')).toBe('您好');
  });
  it('is one part when it fits, whole characters per part otherwise, at most three parts', () => {
    expect(sendParts('您好')).toEqual(['您好']);
    const long = '退'.repeat(1000);
    const parts = sendParts(long);
    expect(parts.every((p) => Buffer.byteLength(p) <= SEND_MAX_BYTES)).toBe(true);
    expect(parts.join('')).toBe(long);
    expect(parts).toHaveLength(2);
    expect(sendParts('x'.repeat(SEND_MAX_BYTES * 5))).toHaveLength(SEND_MAX_PARTS);
  });
  it('has platform msgids of the allowed characters, at most 32, distinct per part', () => {
    const id = 'msg_01jabcdefghjkmnpqrstvwxyz0';
    expect(sendMsgId(id, 0)).toBe(id);
    expect(sendMsgId(id, 2)).toBe(`${id}_2`);
    for (const m of [sendMsgId(`${id}xyzxyz`, 0), sendMsgId(`${id}xyzxyz`, 2), sendMsgId('a.b#c', 0)]) expect(m).toMatch(/^[0-9A-Za-z_-]{1,32}$/);
  });
});
