/**
 * The one UpdateItem that a new message makes to its conversation header (pure: builds the
 * expression). Its parts commute, so writers never race for the header:
 * - activity: `lastMessageAt`, the preview and the index sort keys move only forward (a condition
 *   `lastMessageAt <= :at`; an older message arriving late leaves them and still counts), and the
 *   header names the message it moved for (`lastMessageId`, required to differ), so two attempts of
 *   one message — a retry finishing a half-done one and the slow first — never both count it;
 * - counters: ADD for the side that wrote, SET 0 for the other side's "since the other wrote" counter
 *   (the rule in shared/store/read-state.ts), ADD for the message counts read marks compare with;
 * - the bot's own counters (turns, fallbacks, tokens) as server-side increments.
 * Only a change of the state the inbox lists by (status, assignee, the bot on or off, a hand-off,
 * a staff-only thread opening to the shopper) bumps `version`; every write checks `version`, so the
 * index partition keys always follow the state they were computed from. Two messages never conflict;
 * a message conflicts only with a listing change made since its writer read the header.
 */
import type { Conversation, Message } from '#shared/store/conversations.ts';
import { keys } from '#shared/store/keys.ts';
import { listingStatus } from '#shared/store/listing.ts';

/** Header attributes the message rules below own (never copied from the patch as listing changes). */
const OWNED = new Set(['lastMessageAt', 'lastMessageId', 'lastMessagePreview', 'unreadByAgent', 'unreadByVisitor', 'readByAgent', 'readByVisitor', 'version']);
/** Numeric bot counters written as increments. */
const BOT_COUNTERS = ['turns', 'fallbacks', 'tokens'] as const;

export interface HeaderUpdate {
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Whether two bot states differ only in their counters (or not at all). */
function countersOnly(a: Conversation['bot'], b: Conversation['bot']): boolean {
  if (!a || !b) return false;
  const strip = (bot: NonNullable<Conversation['bot']>) => {
    const { turns: _t, fallbacks: _f, tokens: _k, ...rest } = bot;
    return rest;
  };
  return same(strip(a), strip(b));
}

/**
 * The header update for `message`, given the header as read (`before`) and the state the message
 * and its patch lead to (`next`). `activity` false when a newer message already moved the header.
 * Undefined when the message changes nothing on the header (an internal note without a patch).
 */
export function headerUpdate(before: Conversation, next: Conversation, message: Message, activity: boolean): HeaderUpdate | undefined {
  const set: string[] = [];
  const add: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':v': before.version };
  const conditions = ['attribute_exists(pk)', '#version = :v'];
  names['#version'] = 'version';
  const name = (attr: string) => {
    const n = `#${attr}`;
    names[n] = attr;
    return n;
  };
  let i = 0;
  const value = (v: unknown) => {
    const k = `:p${i++}`;
    values[k] = v;
    return k;
  };

  let listingChanged = false;
  for (const attr of new Set([...Object.keys(before), ...Object.keys(next)])) {
    if (OWNED.has(attr)) continue;
    const a = (before as unknown as Record<string, unknown>)[attr];
    const b = (next as unknown as Record<string, unknown>)[attr];
    if (same(a, b)) continue;
    if (attr === 'bot' && countersOnly(before.bot, next.bot)) {
      for (const counter of BOT_COUNTERS) {
        const delta = (next.bot?.[counter] ?? 0) - (before.bot?.[counter] ?? 0);
        if (delta !== 0) set.push(`${name('bot')}.${name(counter)} = if_not_exists(${name('bot')}.${name(counter)}, ${value(0)}) + ${value(delta)}`);
      }
      continue;
    }
    listingChanged = true;
    if (b === undefined) remove.push(name(attr));
    else set.push(`${name(attr)} = ${value(b)}`);
  }

  if (!message.internal) {
    const visitor = message.author.kind === 'visitor';
    add.push(`${name(visitor ? 'unreadByAgent' : 'unreadByVisitor')} ${value(1)}`);
    add.push(`${name(visitor ? 'visitorSeq' : 'replySeq')} ${value(1)}`);
    set.push(`${name(visitor ? 'unreadByVisitor' : 'unreadByAgent')} = ${value(0)}`);
    if (activity) {
      const id = value(message.messageId);
      set.push(
        `${name('lastMessageAt')} = ${value(message.createdAt)}`,
        `${name('lastMessageId')} = ${id}`,
        `${name('lastMessagePreview')} = ${value(next.lastMessagePreview)}`,
      );
      conditions.push(
        `(attribute_not_exists(${name('lastMessageAt')}) OR ${name('lastMessageAt')} <= ${value(message.createdAt)})`,
        `(attribute_not_exists(${name('lastMessageId')}) OR ${name('lastMessageId')} <> ${id})`,
      );
    }
  }
  if (listingChanged) add.push(`${name('version')} ${value(1)}`);
  if (listingChanged || (activity && !message.internal)) {
    const at = activity && !message.internal ? message.createdAt : before.lastMessageAt;
    const listed = listingStatus(next);
    const index = {
      ...keys.conversationByStatus(listed, at, next.conversationId),
      ...keys.conversationByAssignee(next.assignee?.sub, listed, at, next.conversationId),
    };
    for (const [attr, v] of Object.entries(index)) set.push(`${name(attr)} = ${value(v)}`);
  }
  if (!set.length && !add.length && !remove.length) return undefined;
  return {
    UpdateExpression: [set.length ? `SET ${set.join(', ')}` : '', add.length ? `ADD ${add.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : '']
      .filter(Boolean)
      .join(' '),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * The update a listing change (status, assignee, bot state) makes: the changed attributes and the
 * index keys they move, checked against the version and activity read (an index sort key carries
 * `lastMessageAt`, so a message written since means reading again).
 */
export function listingUpdate(before: Conversation, next: Conversation, patch: Record<string, unknown>): HeaderUpdate {
  const names: Record<string, string> = { '#version': 'version', '#lastMessageAt': 'lastMessageAt' };
  const values: Record<string, unknown> = { ':v': before.version, ':lma': before.lastMessageAt, ':one': 1 };
  const set: string[] = [];
  const remove: string[] = [];
  let i = 0;
  const listed = listingStatus(next);
  const index = {
    ...keys.conversationByStatus(listed, next.lastMessageAt, next.conversationId),
    ...keys.conversationByAssignee(next.assignee?.sub, listed, next.lastMessageAt, next.conversationId),
  };
  for (const [attr, v] of [...Object.entries(patch), ...Object.entries(index)]) {
    names[`#a${i}`] = attr;
    if (v === undefined) remove.push(`#a${i}`);
    else {
      values[`:a${i}`] = v;
      set.push(`#a${i} = :a${i}`);
    }
    i++;
  }
  return {
    UpdateExpression: [`SET ${set.join(', ')}`, 'ADD #version :one', remove.length ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean).join(' '),
    ConditionExpression: 'attribute_exists(pk) AND #version = :v AND #lastMessageAt = :lma',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
