import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type CapRule, recordTouch } from '#shared/campaigns/cap.ts';
import { type QuietHours, quietUntil } from '#shared/campaigns/quiet-hours.ts';
import { DEFAULT_FREQUENCY_CAP, DEFAULT_QUIET_HOURS } from '#shared/campaigns/store.ts';
import { type CareRule, dueDays, localDay, renderCare } from '#shared/members/care-rules.ts';
import { contactTopic, pushToTopic } from '#shared/realtime.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

/**
 * Care messages (客户关怀): birthday, membership anniversary (first purchase), N days after a
 * delivery, first order. Shop events write a dated item per occasion, indexed by rule and day;
 * an hourly schedule reads today's index partitions (never a Scan) and delivers in the widget,
 * respecting widget consent, quiet hours and the shared contact cap.
 */

/** Care messages share the campaigns' cap: at most one care or campaign message per window. */
export const CARE_CAP: readonly CapRule[] = [{ ...DEFAULT_FREQUENCY_CAP, kinds: ['care', 'campaign'] }];
const MESSAGE_DAYS = 14;

export type CareOutcome = 'sent' | 'already' | 'capped' | 'no_consent' | 'gone';

/**
 * Sends one care message: consent, then the cap (its touch ref makes the send once-only), then the
 * widget item and a push. `vars` fill a proactive rule's placeholders (order, carrier, tracking).
 */
export async function sendCare(
  contactId: string,
  rule: CareRule,
  ref: string,
  occurrence: string,
  now: Date,
  vars: Record<string, string> = {},
  /** What the message carries besides its text (a coupon), decided once consent and the cap allow it. */
  extra?: (lang: 'zh' | 'en') => Promise<{ vars: Record<string, string>; offer: Record<string, unknown> } | undefined>,
): Promise<CareOutcome> {
  const profile = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId), ConsistentRead: true }))).Item;
  if (!profile || profile.erased || profile.mergedInto) return 'gone';
  if (profile.consentWidget !== 'granted') return 'no_consent';
  const touchRef = `care#${rule}#${ref}#${occurrence}`;
  const touch = await recordTouch(contactId, { at: now.toISOString(), kind: 'care', ref: touchRef }, CARE_CAP, now);
  if (touch === 'capped') return 'capped';
  const lang = profile.locale === 'en' ? 'en' : 'zh';
  const added = await extra?.(lang);
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + MESSAGE_DAYS * 86_400_000).toISOString();
  const messageId = `care-${rule}-${occurrence}-${ref}`.slice(0, 120);
  const message = {
    campaignId: messageId,
    kind: 'care',
    rule,
    lang,
    ...renderCare(rule, lang, typeof profile.name === 'string' ? profile.name : undefined, { ...vars, ...added?.vars }),
    offer: added?.offer ?? { kind: 'none' },
    createdAt: at,
    expiresAt,
  };
  await db()
    .send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.campaignMessage(contactId, messageId), contactId, ...message, ttl: Math.floor(Date.parse(expiresAt) / 1000) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
  if (touch === 'already') return 'already';
  await pushToTopic(contactTopic(contactId), { type: 'campaign_message', message });
  return 'sent';
}

/**
 * One run: outside quiet hours, reads today's partitions of every rule and sends each due
 * message once. Stops early when time runs out; the next hourly run continues (sends are once-only).
 */
export async function runCare(now: Date, timeLeft: () => number, quiet: QuietHours = DEFAULT_QUIET_HOURS): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  if (quietUntil(now, quiet)) return { quiet: 1 };
  const today = localDay(now, quiet.timeZone);
  for (const due of dueDays(today)) {
    let start: Record<string, unknown> | undefined;
    do {
      if (timeLeft() < 5_000) return { ...counts, stopped: 1 };
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p',
          ExpressionAttributeValues: { ':p': keys.careDateIndex(due.rule, due.day, '', '').gsi2pk },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) {
        const outcome = await sendCare(String(item.contactId), due.rule, String(item.ref), due.occurrence, now);
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      start = res.LastEvaluatedKey;
    } while (start);
  }
  return counts;
}
