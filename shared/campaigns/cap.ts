/**
 * Per-contact contact-frequency cap shared by campaigns, care and survey messages. One item per
 * contact (`CONTACT#{id}` / `CAP`) keeps the recent touches; a sender plans with the pure rules
 * below and writes the new touch list conditionally on the item's version, so two senders racing
 * for the last slot cannot both win. Campaign sends put the touch in the same transaction as their
 * send guard (shared/campaigns/send.ts); other senders call `recordTouch`.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from '#shared/members/store.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export type TouchKind = 'campaign' | 'care' | 'survey';

/** One message that reached the contact. `ref` identifies it (a campaign id, a survey id …). */
export interface Touch {
  at: string;
  kind: TouchKind;
  ref: string;
}

/** At most `max` touches of the given kinds within any `windowHours`. */
export interface CapRule {
  max: number;
  windowHours: number;
  kinds: readonly TouchKind[];
}

export interface CapState {
  touches: Touch[];
  /** 0 when the item does not exist yet. */
  version: number;
}

/** Touches older than this are dropped from the item (longest window a rule may use). */
export const CAP_HISTORY_HOURS = 24 * 60;

export type CapVerdict = { allowed: true; already: boolean } | { allowed: false; rule: CapRule; until: string };

/** Whether one more touch `ref` is allowed now; a touch already recorded for `ref` is allowed again (retries). */
export function capVerdict(state: CapState, rules: readonly CapRule[], now: Date, ref: string): CapVerdict {
  if (state.touches.some((t) => t.ref === ref)) return { allowed: true, already: true };
  for (const rule of rules) {
    const from = now.getTime() - rule.windowHours * 3_600_000;
    const inWindow = state.touches
      .filter((t) => rule.kinds.includes(t.kind) && Date.parse(t.at) > from && Date.parse(t.at) <= now.getTime())
      .map((t) => Date.parse(t.at))
      .sort((a, b) => a - b);
    if (inWindow.length >= rule.max) {
      const oldestCounting = inWindow[inWindow.length - rule.max] as number;
      return { allowed: false, rule, until: new Date(oldestCounting + rule.windowHours * 3_600_000).toISOString() };
    }
  }
  return { allowed: true, already: false };
}

/** The touch list after adding one, without touches past the history horizon. */
export function addTouch(state: CapState, touch: Touch, now: Date): Touch[] {
  const horizon = now.getTime() - CAP_HISTORY_HOURS * 3_600_000;
  return [...state.touches.filter((t) => Date.parse(t.at) > horizon && t.ref !== touch.ref), touch].sort((a, b) => (a.at < b.at ? -1 : 1));
}

/** Reads a contact's cap item (strongly consistent: it guards a limit). */
export async function readCap(contactId: string): Promise<CapState> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contactCap(contactId), ConsistentRead: true }));
  const item = res.Item;
  if (!item) return { touches: [], version: 0 };
  return { touches: Array.isArray(item.touches) ? (item.touches as Touch[]) : [], version: Number(item.version ?? 0) };
}

/** The conditional write of a new touch list (fails when someone else touched the contact since `state` was read). */
export function capWriteItem(contactId: string, contactShop: string | undefined, state: CapState, touches: Touch[]): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.contactCap(contactId), contactId, ...(contactShop ? { shopId: contactShop } : {}), touches, version: state.version + 1 },
      ...(state.version === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': state.version } }),
    },
  };
}

/**
 * Records a touch for senders outside campaigns (care, surveys): 'recorded', 'capped' (nothing
 * written) or 'already' (this ref was recorded before). Retries on a concurrent touch.
 */
export async function recordTouch(contactId: string, touch: Touch, rules: readonly CapRule[], now: Date): Promise<'recorded' | 'capped' | 'already'> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const state = await readCap(contactId);
    const verdict = capVerdict(state, rules, now, touch.ref);
    if (!verdict.allowed) return 'capped';
    if (verdict.already) return 'already';
    const write = capWriteItem(contactId, undefined, state, addTouch(state, touch, now)).Put;
    if (!write) throw new Error('cap write item has no Put');
    try {
      await db().send(new PutCommand(write));
      return 'recorded';
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  throw new Error('frequency cap: too much contention on one contact');
}
