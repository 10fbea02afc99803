/**
 * Read state per reader, beside the conversation header (`CONV#{id}` / `CONV#READ#{side}`): a read
 * receipt writes one small item and never rewrites the header or its index copies.
 *
 * The header counts messages with commuting ADDs: `visitorSeq` (the shopper's public messages) and
 * `replySeq` (everyone else's public messages). A read mark records the count the reader had seen;
 * what a side has not read is then the fewer of the header's "since the other side last wrote"
 * counter and "since this side last read" (both count the same messages from different points).
 * Readers of a conversation get the marks applied (`readByAgent`, `unreadByAgent`, …); the counts
 * themselves never leave the store.
 */
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Conversation } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export type ReadSide = 'agent' | 'visitor';
export interface ReadMark {
  messageId: string;
  /** The other side's message count the reader had seen. */
  seq: number;
  at: string;
}
export type ReadMarks = Partial<Record<ReadSide, ReadMark>>;

/** Header attributes that only the store reads (stripped from every conversation it returns). */
export const HIDDEN_COUNTERS = ['visitorSeq', 'replySeq'] as const;

interface Hidden {
  visitorSeq: number;
  replySeq: number;
  reads: ReadMarks;
}
/** The counts and marks behind a conversation object the store returned (for its next write). */
const hidden = new WeakMap<object, Hidden>();

/** The read marks a returned conversation was built with, if the store built it. */
export function readMarksOf(conversation: Conversation): ReadMarks | undefined {
  return hidden.get(conversation)?.reads;
}

/** A conversation with the read marks applied, remembering the header's counts for later writes. */
export function applyReads(conversation: Conversation, item: Record<string, unknown>, reads: ReadMarks): Conversation {
  const visitorSeq = Number(item.visitorSeq ?? 0);
  const replySeq = Number(item.replySeq ?? 0);
  const out: Conversation = { ...conversation };
  if (reads.agent) {
    out.readByAgent = reads.agent.messageId;
    out.unreadByAgent = Math.min(out.unreadByAgent, Math.max(0, visitorSeq - reads.agent.seq));
  }
  if (reads.visitor) {
    out.readByVisitor = reads.visitor.messageId;
    out.unreadByVisitor = Math.min(out.unreadByVisitor, Math.max(0, replySeq - reads.visitor.seq));
  }
  hidden.set(out, { visitorSeq, replySeq, reads });
  return out;
}

/** The read marks among the items of a header Query (`sk` begins with `CONV`). */
export function marksFromItems(items: Record<string, unknown>[]): ReadMarks {
  const marks: ReadMarks = {};
  for (const item of items) {
    if (item.sk === keys.conversationRead(String(item.conversationId), 'agent').sk) marks.agent = item as unknown as ReadMark;
    if (item.sk === keys.conversationRead(String(item.conversationId), 'visitor').sk) marks.visitor = item as unknown as ReadMark;
  }
  return marks;
}

/** Both sides' read marks of many conversations (a list page), in BatchGetItem calls of ≤ 100 keys. */
export async function readMarksOfMany(conversationIds: string[]): Promise<Map<string, ReadMarks>> {
  const out = new Map<string, ReadMarks>();
  const wanted = conversationIds.flatMap((id) => [keys.conversationRead(id, 'agent'), keys.conversationRead(id, 'visitor')]);
  for (let i = 0; i < wanted.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = wanted.slice(i, i + 100).map((k) => ({ ...k }));
    for (let round = 0; pending?.length && round < 8; round++) {
      const res: BatchGetCommandOutput = await db().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending } } }));
      for (const item of res.Responses?.[tableName()] ?? []) {
        const side: ReadSide = String(item.sk).endsWith('#agent') ? 'agent' : 'visitor';
        const id = String(item.conversationId);
        out.set(id, { ...out.get(id), [side]: item as unknown as ReadMark });
      }
      pending = res.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return out;
}

/**
 * Records how far one side has read: one small item, never the header. `seen` is the conversation
 * the reader was shown (its counts say what they saw); without it the header's counts are read.
 * A mark never moves back (an older receipt arriving late changes nothing).
 */
export async function markRead(conversationId: string, side: ReadSide, messageId: string, seen?: Conversation): Promise<void> {
  const known = seen && hidden.get(seen);
  let counts = known && { visitorSeq: known.visitorSeq, replySeq: known.replySeq };
  if (!counts) {
    const res = await db().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.conversation(conversationId),
        ConsistentRead: true,
        ProjectionExpression: 'pk, visitorSeq, replySeq',
      }),
    );
    if (!res.Item) return;
    counts = { visitorSeq: Number(res.Item.visitorSeq ?? 0), replySeq: Number(res.Item.replySeq ?? 0) };
  }
  const seq = side === 'agent' ? counts.visitorSeq : counts.replySeq;
  await db()
    .send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.conversationRead(conversationId, side), conversationId, side, messageId, seq, at: new Date().toISOString() },
        ConditionExpression: 'attribute_not_exists(pk) OR seq <= :seq',
        ExpressionAttributeValues: { ':seq': seq },
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
}
