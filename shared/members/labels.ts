/**
 * Contact labels (标签): free-form tags agents and the shop's backend put on a contact, read by
 * segment conditions (`labels.any/all/none`, shared/campaigns/segments.ts) from the `labels` list
 * on the profile. One spelling per label: every label is normalised the same way on the way in
 * (NFKC, so full-width ＶＩＰ is VIP; control characters dropped; whitespace collapsed; trimmed)
 * and a contact holds at most MAX_LABELS of at most MAX_LABEL_LENGTH characters each. Commas are
 * refused: the segment editor separates labels with them. Case is kept (segments match exactly).
 *
 * A change writes the profile's `labels` and `labelsVersion` (its own guard, like `churnVersion`, so
 * it never makes a points or order transaction retry) and a timeline entry (who, how many added and
 * removed; no label text, since erasure keeps timeline entries), in one transaction. Erasure drops
 * `labels` from the profile (not among the attributes it keeps).
 */

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { newId } from '#shared/ids.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { MAX_LABEL_LENGTH, MAX_LABELS, normaliseLabel } from './label-text.ts';
import { backoff, commit, MAX_ATTEMPTS, type TransactItem } from './store.ts';

export { MAX_LABEL_LENGTH, MAX_LABELS, normaliseLabel };

/** Labels in their order, each once. */
export function uniqueLabels(labels: readonly string[]): string[] {
  return [...new Set(labels)];
}

/** One label as a request carries it: normalised, then checked (1–32 characters, no comma). */
export const Label = z
  .string()
  .check(z.maxLength(200), z.overwrite(normaliseLabel), z.minLength(1), z.maxLength(MAX_LABEL_LENGTH), z.regex(/^[^,]*$/, 'a label must not contain a comma'));

const LabelList = z.array(Label).check(z.maxLength(MAX_LABELS), z.overwrite(uniqueLabels));

/** `PUT /contacts/{contactId}/labels`: the whole list, at the version the agent read. */
export const LabelsBody = z.strictObject({
  labels: LabelList,
  /** `labelsVersion` of the 360 view (0 when the contact never had labels); 409 when it changed since. */
  version: z.int().check(z.minimum(0)),
});
export type LabelsBody = z.infer<typeof LabelsBody>;

/** `POST /shop/labels`: the shop adds and removes labels of one of its customers (no version: set semantics). */
export const ShopLabelsBody = z
  .strictObject({
    customerId: z.string().check(z.minLength(1), z.maxLength(128)),
    add: z.optional(LabelList),
    remove: z.optional(LabelList),
  })
  .check(z.refine((b) => (b.add?.length ?? 0) + (b.remove?.length ?? 0) > 0, 'give at least one label to add or remove'));
export type ShopLabelsBody = z.infer<typeof ShopLabelsBody>;

/** The labels stored on a profile item. */
export function labelsOf(item: Record<string, unknown>): { labels: string[]; version: number } {
  const raw = item.labels;
  const labels = Array.isArray(raw) ? raw.map(String) : raw instanceof Set ? [...raw].map(String) : [];
  return { labels, version: typeof item.labelsVersion === 'number' ? item.labelsVersion : 0 };
}

/** Adds then removes labels (pure); 'too_many' when the result would exceed MAX_LABELS. */
export function changeLabels(current: readonly string[], change: { add?: readonly string[]; remove?: readonly string[] }): string[] | 'too_many' {
  const removed = new Set(change.remove ?? []);
  const next = uniqueLabels([...current, ...(change.add ?? [])]).filter((l) => !removed.has(l));
  return next.length > MAX_LABELS ? 'too_many' : next;
}

export type LabelsOutcome =
  | { status: 'saved' | 'unchanged'; labels: string[]; version: number }
  | { status: 'no_contact' | 'conflict' | 'too_many'; labels?: string[]; version?: number };

/** Who changed the labels (the timeline says it). */
export type LabelsActor = { kind: 'staff'; sub: string } | { kind: 'shop'; shopId: string };

/**
 * Sets a contact's labels to what `decide` makes of the stored ones. `expectedVersion` (an agent's
 * edit) refuses with 'conflict' when the stored version differs; without it (the shop's add/remove)
 * a concurrent change is re-read and the change applied again.
 */
export async function saveLabels(
  contactId: string,
  decide: (current: string[]) => string[] | 'too_many',
  actor: LabelsActor,
  now: Date,
  expectedVersion?: number,
): Promise<LabelsOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.contact(contactId), ConsistentRead: true }));
    if (!res.Item) return { status: 'no_contact' };
    const stored = labelsOf(res.Item);
    if (expectedVersion !== undefined && expectedVersion !== stored.version) return { status: 'conflict', ...stored };
    const next = decide(stored.labels);
    if (next === 'too_many') return { status: 'too_many', ...stored };
    const added = next.filter((l) => !stored.labels.includes(l));
    const removed = stored.labels.filter((l) => !next.includes(l));
    if (next.length === stored.labels.length && next.every((l, i) => l === stored.labels[i])) return { status: 'unchanged', ...stored };
    const at = now.toISOString();
    const eventId = newId('evt', now.getTime());
    const version = stored.version + 1;
    const items: TransactItem[] = [
      {
        Update: {
          TableName: tableName(),
          Key: keys.contact(contactId),
          UpdateExpression: 'SET labels = :l, labelsVersion = :nv',
          ConditionExpression: stored.version === 0 ? 'attribute_exists(pk) AND attribute_not_exists(labelsVersion)' : 'labelsVersion = :v',
          ExpressionAttributeValues: { ':l': next, ':nv': version, ...(stored.version === 0 ? {} : { ':v': stored.version }) },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.contactTimeline(contactId, at, eventId),
            eventId,
            type: 'contact.labels_changed',
            contactId,
            // counts, not the texts: a label may say something personal, and erasure keeps timeline entries
            added: added.length,
            removed: removed.length,
            labelsVersion: version,
            by: actor.kind === 'staff' ? { kind: 'staff', sub: actor.sub } : { kind: 'shop', shopId: actor.shopId },
            at,
          },
        },
      },
    ];
    const outcome = await commit(items);
    if (outcome === 'committed') return { status: 'saved', labels: next, version };
    if (expectedVersion !== undefined) return { status: 'conflict' };
    await backoff(attempt);
  }
  return { status: 'conflict' };
}
