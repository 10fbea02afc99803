/**
 * Storage of the bot's learning from use (the scoring is pure, in shared/ai/learned.ts): one item
 * per shop and canonical query key holding the shoppers' latest votes per article, and a daily
 * counter per shopper (and per network address) that caps how many votes one person can cast.
 */
import { createHash } from 'node:crypto';
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addVote, evidence, keysFor, LEARNING, type LearnedEntry, queryTerms } from '#shared/ai/learned.ts';
import { logger } from '#shared/log.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

/** Votes one network address may cast per shop and day (several shoppers can share one). */
const PER_ADDRESS_DAILY = 2 * LEARNING.perShopperDaily;

/** A one-way fingerprint: the learning items never hold a contact id or an address. */
function fingerprint(shopId: string, who: string): string {
  return createHash('sha256').update(`${shopId}\u0000${who}`).digest('base64url').slice(0, 16);
}

/**
 * Learned evidence (distinct-shopper votes, decayed) per article for a question: one BatchGet of
 * the question's key and its one-concept-smaller keys.
 */
export async function learnedEvidence(shopId: string, text: string, now: Date): Promise<Map<string, number>> {
  const lookups = keysFor(queryTerms(text));
  if (lookups.length === 0) return new Map();
  const res = await db().send(
    new BatchGetCommand({
      RequestItems: { [tableName()]: { Keys: lookups.map((k) => keys.kbLearned(shopId, k.key)) } },
    }),
  );
  const items = res.Responses?.[tableName()] ?? [];
  const found = items.flatMap((item) => {
    const key = String(item.sk).slice(2);
    const weight = lookups.find((k) => k.key === key)?.weight ?? 0;
    return weight > 0 ? [{ entry: { key, articles: (item.articles ?? {}) as LearnedEntry['articles'] }, weight }] : [];
  });
  return evidence(found, now.getTime());
}

/** Counts one vote against a daily allowance; false once the allowance is used up. */
async function allow(shopId: string, who: string, day: string, max: number, now: Date): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.kbLearnRate(shopId, who, day),
        UpdateExpression: 'ADD n :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(n) OR n < :max',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':max': max, ':ttl': Math.floor(now.getTime() / 1000) + 2 * 86_400 },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Adds a vote to one key's item (optimistic: conditional on the version read, retried). */
async function fileVote(shopId: string, key: string, articleId: string, vote: Parameters<typeof addVote>[2], now: Date): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const current = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.kbLearned(shopId, key), ConsistentRead: true }))).Item;
    const version = (current?.version as number | undefined) ?? 0;
    const next = addVote({ key, articles: (current?.articles ?? {}) as LearnedEntry['articles'] }, articleId, vote, now.getTime());
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.kbLearned(shopId, key), articles: next.articles, version: version + 1, updatedAt: now.toISOString() },
          ConditionExpression: current ? 'version = :v' : 'attribute_not_exists(pk)',
          ...(current ? { ExpressionAttributeValues: { ':v': version } } : {}),
        }),
      );
      return;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  logger.warn('learning vote dropped after repeated conflicts', { key });
}

export interface LearningVote {
  shopId: string;
  /** The shopper (contact id): one vote per shopper, query and article counts. */
  shopper: string;
  /** The network address the request came from (a second, looser daily allowance). */
  address?: string;
  /** The shopper's question the article was offered for. */
  query: string;
  articleId: string;
  /** +1: picked from the menu or marked helpful; −1: marked not helpful. */
  verdict: 1 | -1;
}

/**
 * Records a shopper's verdict on an article for their question, under the question's key and its
 * one-concept-smaller keys. Ignored (not an error: the shopper's own action went through) when the
 * question has no content words or the shopper or address used up the day's allowance.
 */
export async function recordLearning(input: LearningVote, now: Date): Promise<'recorded' | 'rate_limited' | 'no_terms'> {
  const lookups = keysFor(queryTerms(input.query));
  if (lookups.length === 0) return 'no_terms';
  const day = now.toISOString().slice(0, 10);
  const shopper = fingerprint(input.shopId, `contact:${input.shopper}`);
  if (!(await allow(input.shopId, shopper, day, LEARNING.perShopperDaily, now))) return 'rate_limited';
  if (input.address && !(await allow(input.shopId, fingerprint(input.shopId, `ip:${input.address}`), day, PER_ADDRESS_DAILY, now))) return 'rate_limited';
  for (const { key, weight } of lookups) {
    await fileVote(input.shopId, key, input.articleId, { s: shopper, v: input.verdict, at: now.getTime(), w: weight }, now);
  }
  return 'recorded';
}
