/**
 * The conversation write path by design (issue 15): messages written once without transactions,
 * the header moved by one commuting UpdateItem (the bot and the shopper never conflict), read marks
 * beside the header. Runs the store against the local stack's DynamoDB and counts the calls.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { newId } from '#shared/ids.ts';
import type { Conversation, Message } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let store: typeof import('#shared/store/conversations.ts');
let table: typeof import('#shared/store/table.ts');
/** DynamoDB calls by command name, and the ones refused by a condition. */
const calls: string[] = [];
const refused: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true });
  store = await import('#shared/store/conversations.ts');
  table = await import('#shared/store/table.ts');
  table.db().middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      try {
        return await next(args);
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') refused.push(String(context.commandName));
        throw error;
      }
    },
    { step: 'initialize', name: 'writePathCounter' },
  );
});
afterAll(async () => {
  await stack?.stop();
});

function counting<T>(fn: () => Promise<T>): Promise<{ result: T; calls: string[]; refused: string[] }> {
  calls.length = 0;
  refused.length = 0;
  return fn().then((result) => ({ result, calls: [...calls], refused: [...refused] }));
}

async function started(bot = true): Promise<Conversation> {
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const conversationId = newId('cnv');
  const conversation: Conversation = {
    conversationId,
    contactId: newId('ct'),
    status: 'open',
    channel: 'chat',
    verified: false,
    lastMessageAt: at,
    lastMessagePreview: 'hi',
    unreadByAgent: 1,
    unreadByVisitor: 0,
    ...(bot ? { bot: { active: true, turns: 0, fallbacks: 0 } } : {}),
    createdAt: at,
    version: 1,
  };
  const first = message(conversation, 'visitor', 'hi', at);
  await store.createConversation(conversation, first);
  return (await store.getConversation(conversationId))!;
}

function message(c: Conversation, kind: Message['author']['kind'], text: string, createdAt = new Date().toISOString(), clientMessageId?: string): Message {
  return {
    messageId: newId('msg', Date.parse(createdAt)),
    conversationId: c.conversationId,
    ...(clientMessageId ? { clientMessageId } : {}),
    author: { kind },
    text,
    internal: false,
    createdAt,
  };
}

async function rawHeader(conversationId: string) {
  const res = await table.db().send(new GetCommand({ TableName: table.tableName(), Key: keys.conversation(conversationId), ConsistentRead: true }));
  return res.Item!;
}

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

describe('conversation write path', () => {
  it('a visitor message is two writes and no transaction; the bot and the visitor never conflict', async () => {
    const c = await started();
    const one = await counting(() => store.appendMessage(c, message(c, 'visitor', 'where is my parcel?', at(1), 'wp-cmid-0001')));
    expect(one.calls).toEqual(['PutItemCommand', 'PutItemCommand', 'UpdateItemCommand']);
    expect(one.refused).toEqual([]);

    // Ten shopper messages and ten bot replies (each bumping the bot's turn count) at once, all
    // from the same header as read: every one lands on its first header write (same second, so
    // none is "older" than one already written; late arrivals are the next test).
    const burst = await counting(() =>
      Promise.all(
        Array.from({ length: 10 }, (_, i) => [
          store.appendMessage(one.result.conversation, message(c, 'visitor', `v${i}`, at(10), `wp-burst-${i}`)),
          store.appendMessage(one.result.conversation, message(c, 'bot', `b${i}`, at(10)), (x) => ({
            bot: { ...x.bot!, turns: (x.bot?.turns ?? 0) + 1 },
          })),
        ]).flat(),
      ),
    );
    expect(burst.refused).toEqual([]);
    expect(burst.calls).not.toContain('TransactWriteItemsCommand');
    expect(burst.calls.filter((n) => n === 'UpdateItemCommand')).toHaveLength(20);
    const header = await rawHeader(c.conversationId);
    expect(header.bot.turns).toBe(10);
    expect(header.lastMessageAt).toBe(at(10));
    expect(header.version).toBe(c.version);
    expect(header.visitorSeq).toBe(11);
    expect(header.replySeq).toBe(10);
    expect(header.gsi2sk).toBe(`${at(10)}#${c.conversationId}`);
    expect(header.unreadByAgent + header.unreadByVisitor).toBeGreaterThan(0);
    const thread = await store.listMessages(c.conversationId, { limit: 50, includeInternal: true });
    expect(thread.items).toHaveLength(22);
  });

  it('a conversation starts without a transaction; a resent start yields the first one', async () => {
    const base = await started(false);
    const fresh: Conversation = { ...base, conversationId: newId('cnv'), version: 1 };
    const first = message(fresh, 'visitor', 'first words', at(1), 'wp-start-0001');
    const made = await counting(() => store.createConversation(fresh, first));
    expect(made.result.created).toBe(true);
    expect(made.calls).toEqual(['PutItemCommand', 'PutItemCommand', 'PutItemCommand', 'PutItemCommand']);
    const again = await store.createConversation({ ...fresh, conversationId: newId('cnv') }, { ...first, messageId: newId('msg') });
    expect(again).toMatchObject({ created: false, conversation: { conversationId: fresh.conversationId }, message: { messageId: first.messageId } });
    // The same client message id sent again into the conversation is the first message too.
    const resent = await store.appendMessage(made.result.conversation, { ...first, messageId: newId('msg') });
    expect(resent).toMatchObject({ created: false, message: { messageId: first.messageId } });
  });

  it('a resent client message id is stored once, even when the copies race', async () => {
    const c = await started(false);
    const copies = await Promise.all(Array.from({ length: 5 }, () => store.appendMessage(c, message(c, 'visitor', 'same', undefined, 'wp-dup-0001'))));
    expect(copies.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(copies.map((r) => r.message.messageId)).size).toBe(1);
    const thread = await store.listMessages(c.conversationId, { limit: 50, includeInternal: true });
    expect(thread.items.filter((m) => m.text === 'same')).toHaveLength(1);
    expect((await rawHeader(c.conversationId)).unreadByAgent).toBe(2);
  });

  it('a send that stored its message and crashed before the header moved is finished by its retry, once', async () => {
    const c = await started(false);
    const sent = message(c, 'visitor', 'are you there?', at(40), 'wp-crash-0001');
    // what a first attempt killed between its two writes leaves behind: the guard and the message, no header move
    await table.db().send(
      new PutCommand({
        TableName: table.tableName(),
        Item: { ...keys.clientMessage(c.conversationId, 'wp-crash-0001'), messageId: sent.messageId, createdAt: sent.createdAt },
      }),
    );
    await table.db().send(new PutCommand({ TableName: table.tableName(), Item: store.messageItem(c, sent) }));
    expect((await rawHeader(c.conversationId)).lastMessagePreview).toBe('hi');

    // the shopper's app resends it (same client message id): the inbox now shows it, and the caller runs the side effects
    const retry = await store.appendMessage(c, message(c, 'visitor', 'are you there?', at(41), 'wp-crash-0001'));
    expect(retry).toMatchObject({ created: true, message: { messageId: sent.messageId, createdAt: sent.createdAt } });
    const header = await rawHeader(c.conversationId);
    expect(header).toMatchObject({ lastMessagePreview: 'are you there?', lastMessageAt: sent.createdAt, lastMessageId: sent.messageId, unreadByAgent: 2 });

    // more resends, also racing, change nothing and report nothing new
    const again = await Promise.all(Array.from({ length: 3 }, () => store.appendMessage(c, message(c, 'visitor', 'are you there?', at(42), 'wp-crash-0001'))));
    expect(again.map((r) => r.created)).toEqual([false, false, false]);
    expect((await rawHeader(c.conversationId)).unreadByAgent).toBe(2);
    const thread = await store.listMessages(c.conversationId, { limit: 50, includeInternal: true });
    expect(thread.items.filter((m) => m.text === 'are you there?')).toHaveLength(1);
  });

  it('an older message arriving late counts but does not move the preview back', async () => {
    const c = await started(false);
    await store.appendMessage(c, message(c, 'visitor', 'newer', at(30)));
    const late = await counting(() => store.appendMessage(c, message(c, 'visitor', 'older', at(20))));
    expect(late.result.conversation.lastMessagePreview).toBe('newer');
    expect(late.result.conversation.lastMessageAt).toBe(at(30));
    expect(late.result.conversation.unreadByAgent).toBe(3);
  });

  it('a read receipt writes beside the header, never the header or its index copies', async () => {
    const c = await started(false);
    const sent = await store.appendMessage(c, message(c, 'visitor', 'anyone there?', at(5)));
    const before = await rawHeader(c.conversationId);
    const read = await counting(() => store.markRead(c.conversationId, 'agent', sent.message.messageId, sent.conversation));
    expect(read.calls).toEqual(['PutItemCommand']);
    expect(await rawHeader(c.conversationId)).toEqual(before);
    const seen = (await store.getConversation(c.conversationId))!;
    expect(seen).toMatchObject({ unreadByAgent: 0, readByAgent: sent.message.messageId });
    expect(seen).not.toHaveProperty('visitorSeq');
    const after = await store.appendMessage(seen, message(c, 'visitor', 'hello?', at(6)));
    expect(after.conversation.unreadByAgent).toBe(1);
    const listed = await store.listInbox({ status: 'open' }, undefined, 100);
    expect(listed.items.find((x) => x.conversationId === c.conversationId)).toMatchObject({ unreadByAgent: 1, readByAgent: sent.message.messageId });
    // A late receipt for an older message does not move the mark back.
    await store.markRead(c.conversationId, 'agent', 'msg_older', c);
    expect((await store.getConversation(c.conversationId))!.readByAgent).toBe(sent.message.messageId);
  });

  it('a listing change made meanwhile is applied first; the message re-reads and the index follows both', async () => {
    const c = await started();
    const assigned = await store.updateConversation(c.conversationId, (x) => store.assignPatch(x, { sub: 'agent-wp', name: 'WP' }));
    expect(assigned?.bot?.active).toBe(false);
    const reply = await counting(() => store.appendMessage(c, message(c, 'visitor', 'thanks', at(40))));
    expect(reply.refused).toEqual(['UpdateItemCommand']);
    const header = await rawHeader(c.conversationId);
    expect(header.assignee).toMatchObject({ sub: 'agent-wp' });
    expect(header.gsi3pk).toBe('ASSIGNEE#agent-wp');
    expect(header.gsi3sk).toBe(`open#${at(40)}#${c.conversationId}`);
    expect(header.gsi2pk).toBe('CONVS#open');
  });
});
