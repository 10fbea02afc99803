/**
 * Segments: who a campaign is for. A segment is a set of conditions on the member figures kept on
 * the contact profile (tier, points, RFM, churn, labels, consent) plus the date of the last
 * conversation. Evaluation picks the narrowest index that the conditions allow — gsi2
 * `CHURN#{level}` when churn levels are given, gsi3 `TIER#{tier}` when tiers are — and otherwise
 * walks every tier partition (the batch case: cost grows with the member count, so it runs only in
 * the fan-out and the bounded preview, never as an unbounded request). The remaining conditions
 * are checked on each profile (pure `matchesSegment`).
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { memberTierIds } from '#shared/churn/daily.ts';
import { conflict } from '#shared/http/errors.ts';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, tableName } from '#shared/store/table.ts';
import type { Channel, SegmentConditions } from './model.ts';
import { emptyReach, type Reach, tallyReach } from './reach.ts';

/** The member figures a segment condition can look at, read from the profile item. */
export interface MemberFacts {
  contactId: string;
  shopId?: string;
  name?: string;
  email?: string;
  locale?: string;
  tierId?: string;
  points: number;
  orderCount: number;
  totalSpend: number;
  lastOrderAt?: string;
  churnLevel?: string;
  churnRisk?: number;
  churnReasonCodes: string[];
  labels: string[];
  consent: Partial<Record<Channel, 'granted' | 'revoked'>>;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Profile attribute holding a channel's marketing consent (`granted` | `revoked`). */
export const consentAttribute = (channel: Channel) => `consent${channel[0]?.toUpperCase()}${channel.slice(1)}`;

/** Member facts from a raw profile item. */
export function factsFromProfile(item: Record<string, unknown>): MemberFacts {
  const consent: MemberFacts['consent'] = {};
  for (const channel of ['widget', 'email', 'webhook'] as const) {
    const v = item[consentAttribute(channel)];
    if (v === 'granted' || v === 'revoked') consent[channel] = v;
  }
  const opt = <K extends string>(key: K, v: string | undefined) => (v !== undefined ? ({ [key]: v } as Record<K, string>) : {});
  return {
    contactId: String(item.contactId),
    ...opt('shopId', str(item.shopId)),
    ...opt('name', str(item.name)),
    ...opt('email', str(item.email)),
    ...opt('locale', str(item.locale)),
    ...opt('tierId', str(item.tierId)),
    points: num(item.pointsBalance),
    orderCount: num(item.orderCount),
    totalSpend: num(item.totalSpend),
    ...opt('lastOrderAt', str(item.lastOrderAt)),
    ...opt('churnLevel', str(item.churnLevel)),
    ...(typeof item.churnRisk === 'number' ? { churnRisk: item.churnRisk } : {}),
    churnReasonCodes: Array.isArray(item.churnReasonCodes) ? item.churnReasonCodes.map(String) : [],
    labels: Array.isArray(item.labels) ? item.labels.map(String) : item.labels instanceof Set ? [...item.labels].map(String) : [],
    consent,
  };
}

function inRange(value: number, range: { min?: number; max?: number } | undefined): boolean {
  if (!range) return true;
  if (range.min !== undefined && value < range.min) return false;
  if (range.max !== undefined && value > range.max) return false;
  return true;
}

const daysBetween = (from: string | undefined, now: Date) => (from ? (now.getTime() - Date.parse(from)) / 86_400_000 : Number.POSITIVE_INFINITY);

/** True when the segment needs the member's last conversation date (one extra query per candidate). */
export function needsLastContact(c: SegmentConditions): boolean {
  return c.daysSinceLastContact !== undefined;
}

/** Whether a member matches every condition of a segment (pure). `lastContactAt` only matters when `needsLastContact`. */
export function matchesSegment(c: SegmentConditions, m: MemberFacts, now: Date, lastContactAt?: string): boolean {
  if (c.tiers && !(m.tierId && c.tiers.includes(m.tierId))) return false;
  if (!inRange(m.points, c.points)) return false;
  if (!inRange(m.orderCount, c.orderCount)) return false;
  if (!inRange(m.totalSpend, c.totalSpend)) return false;
  if (c.avgSpend && !(m.orderCount > 0 && inRange(m.totalSpend / m.orderCount, c.avgSpend))) return false;
  if (c.daysSinceLastOrder) {
    const d = daysBetween(m.lastOrderAt, now);
    if (c.daysSinceLastOrder.min !== undefined && !(d >= c.daysSinceLastOrder.min)) return false;
    if (c.daysSinceLastOrder.max !== undefined && !(d <= c.daysSinceLastOrder.max)) return false;
  }
  if (c.churnLevels && !(m.churnLevel && (c.churnLevels as readonly string[]).includes(m.churnLevel))) return false;
  if (c.churnReasons && !c.churnReasons.some((r) => m.churnReasonCodes.includes(r))) return false;
  if (c.churnRisk && !(m.churnRisk !== undefined && inRange(m.churnRisk, c.churnRisk))) return false;
  if (c.daysSinceLastContact) {
    const d = daysBetween(lastContactAt, now);
    if (c.daysSinceLastContact.min !== undefined && !(d >= c.daysSinceLastContact.min)) return false;
    if (c.daysSinceLastContact.max !== undefined && !(d <= c.daysSinceLastContact.max)) return false;
  }
  if (c.labels) {
    if (c.labels.any && !c.labels.any.some((l) => m.labels.includes(l))) return false;
    if (c.labels.all && !c.labels.all.every((l) => m.labels.includes(l))) return false;
    if (c.labels.none?.some((l) => m.labels.includes(l))) return false;
  }
  if (c.consent && !c.consent.every((ch) => m.consent[ch] === 'granted')) return false;
  return true;
}

/** One index partition the audience is read from. */
export interface Partition {
  index: 'gsi2' | 'gsi3';
  pkName: 'gsi2pk' | 'gsi3pk';
  pk: string;
}

/** The partitions that hold every possible match: churn levels, else tiers, else all tiers (batch). */
export function audiencePartitions(c: SegmentConditions, allTiers: readonly string[]): { partitions: Partition[]; driver: 'churn' | 'tier' | 'all-members' } {
  if (c.churnLevels) {
    return { driver: 'churn', partitions: c.churnLevels.map((l) => ({ index: 'gsi2', pkName: 'gsi2pk', pk: keys.churnPartition(l).gsi2pk })) };
  }
  const tiers = c.tiers ?? allTiers;
  return { driver: c.tiers ? 'tier' : 'all-members', partitions: tiers.map((t) => ({ index: 'gsi3', pkName: 'gsi3pk', pk: keys.tierPartition(t).gsi3pk })) };
}

/** Where an audience walk resumes: partition index and that partition's last evaluated key. */
export interface AudienceCursor {
  p: number;
  k?: Record<string, unknown>;
}

/** The date of a member's most recent conversation (one Query, newest first, one item). */
export async function lastContactAt(contactId: string): Promise<string | undefined> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.contactConversationsPartition(contactId).gsi1pk },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const item = res.Items?.[0];
  return typeof item?.createdAt === 'string' ? item.createdAt : undefined;
}

export interface AudiencePage {
  members: MemberFacts[];
  /** Undefined when the walk is complete. */
  next?: AudienceCursor;
  /** Index items read for this page. */
  read: number;
}

/** Reads the next page of a segment's audience (up to `limit` index items) and keeps the matches. */
export async function audiencePage(c: SegmentConditions, cursor: AudienceCursor, limit: number, now: Date, tiers?: readonly string[]): Promise<AudiencePage> {
  const { partitions } = audiencePartitions(c, tiers ?? (await memberTierIds()));
  const part = partitions[cursor.p];
  if (!part) return { members: [], read: 0 };
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: part.index,
      KeyConditionExpression: `${part.pkName} = :p`,
      ExpressionAttributeValues: { ':p': part.pk },
      Limit: limit,
      ExclusiveStartKey: cursor.k,
    }),
  );
  const facts = ((res.Items ?? []) as Record<string, unknown>[]).filter((i) => i.sk === keys.contact(String(i.contactId)).sk).map(factsFromProfile);
  const members: MemberFacts[] = [];
  if (needsLastContact(c)) {
    const dates = await Promise.all(
      facts.map((m) => (matchesSegment({ ...c, daysSinceLastContact: undefined }, m, now) ? lastContactAt(m.contactId) : Promise.resolve(null))),
    );
    facts.forEach((m, i) => {
      const d = dates[i];
      if (d !== null && matchesSegment(c, m, now, d)) members.push(m);
    });
  } else {
    for (const m of facts) if (matchesSegment(c, m, now)) members.push(m);
  }
  const next: AudienceCursor | undefined = res.LastEvaluatedKey
    ? { p: cursor.p, k: res.LastEvaluatedKey }
    : cursor.p + 1 < partitions.length
      ? { p: cursor.p + 1 }
      : undefined;
  return { members, ...(next ? { next } : {}), read: res.Items?.length ?? 0 };
}

export interface Preview {
  count: number;
  /** False when the read budget ran out first: `count` is then a lower bound. */
  exact: boolean;
  read: number;
  driver: 'churn' | 'tier' | 'all-members';
  sample: { contactId: string; name?: string; tierId?: string; churnLevel?: string; churnRisk?: number }[];
  /** With channels: how many of the counted members those channels reach (consent, address), and why not the others. */
  reach?: Reach;
}

/**
 * Live count of a segment, reading at most `maxItems` index items (exact below that, a lower bound
 * above). With `channels`, also who of them the channels reach; `untilReachable` stops at the end of
 * the first page that holds a reachable member (the launch check needs one, not all).
 */
export async function previewSegment(
  c: SegmentConditions,
  now: Date,
  maxItems = 5_000,
  channels?: readonly Channel[],
  opts: { untilReachable?: boolean } = {},
): Promise<Preview> {
  const tiers = await memberTierIds();
  const { driver } = audiencePartitions(c, tiers);
  let cursor: AudienceCursor | undefined = { p: 0 };
  let count = 0;
  let read = 0;
  const sample: Preview['sample'] = [];
  const reach = channels ? emptyReach() : undefined;
  while (cursor && read < maxItems) {
    const page: AudiencePage = await audiencePage(c, cursor, Math.min(1000, maxItems - read), now, tiers);
    read += page.read;
    count += page.members.length;
    for (const m of page.members) {
      if (reach && channels) tallyReach(reach, channels, m);
      if (sample.length >= 10) continue;
      sample.push({
        contactId: m.contactId,
        ...(m.name ? { name: m.name } : {}),
        ...(m.tierId ? { tierId: m.tierId } : {}),
        ...(m.churnLevel ? { churnLevel: m.churnLevel } : {}),
        ...(m.churnRisk !== undefined ? { churnRisk: m.churnRisk } : {}),
      });
    }
    cursor = page.next;
    if (opts.untilReachable && reach && reach.reachable > 0) break;
  }
  return { count, exact: cursor === undefined, read, driver, sample, ...(reach ? { reach } : {}) };
}

/** A stored segment. */
export interface Segment {
  segmentId: string;
  name: string;
  description?: string;
  conditions: SegmentConditions;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** Reads a segment. */
export async function getSegment(segmentId: string): Promise<Segment | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.segment(segmentId), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _gs, ...segment } = res.Item;
  return segment as Segment;
}

/** Creates (version 0 expected) or replaces a segment at the version read; 409 when it changed. */
export async function saveSegment(segment: Omit<Segment, 'version'>, expectedVersion: number): Promise<Segment> {
  const stored: Segment = { ...segment, version: expectedVersion + 1 };
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.segment(segment.segmentId), ...keys.segmentListing(segment.name, segment.segmentId), ...stored },
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      throw conflict(
        expectedVersion === 0
          ? { en: 'a segment with this id exists; send its version to replace it', zh: '该编号的人群已存在，如要替换请附上它的版本号（version）' }
          : { en: 'the segment was changed by someone else; reload and try again', zh: '人群已被他人修改，请重新加载后再试' },
      );
    }
    throw error;
  }
  return stored;
}

/** Every segment, by name (gsi1 `SEGMENTS`). */
export async function listSegments(): Promise<Segment[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': keys.segmentsPartition().gsi1pk },
  });
  return items.map(({ pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _gs, ...segment }) => segment as unknown as Segment);
}
