/**
 * The daily quality job: once the shop's day is over (its time zone's midnight), snapshots the
 * backlog gauge into the finished day's item (so backlog charts read day items like everything
 * else) and writes that day's digest (`DIGEST#{day}`). The digest is kept for the console; no
 * delivery (email, chat) exists.
 */
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { buildDigest, type Digest } from './digest.ts';
import { dayOf, shiftDay as shift } from './metrics.ts';
import { readBacklog, readBotDays, readFacts, readQualityDays } from './store.ts';
import { shopTimeZone } from './zone.ts';

/** Builds and stores the digest of `day` (idempotent: a rerun overwrites it with the same figures). */
export async function writeDailyDigest(day: string, now: Date): Promise<Digest> {
  const backlog = await readBacklog('all');
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.qualityDay('all', day),
      UpdateExpression: 'SET backlog_end = if_not_exists(backlog_end, :b), #scope = :s, #day = :d',
      ExpressionAttributeNames: { '#scope': 'scope', '#day': 'day' },
      ExpressionAttributeValues: { ':b': backlog, ':s': 'all', ':d': day },
    }),
  );
  const [period, bot, detractors, breaches] = await Promise.all([
    readQualityDays('all', shift(day, -7), day),
    readBotDays(shift(day, -7), day),
    readFacts(day, 'detractor', 50),
    readFacts(day, 'sla_breach', 50),
  ]);
  const digest = buildDigest({
    day,
    today: period.days.find((d) => d.day === day),
    previous: period.days.filter((d) => d.day !== day),
    bot: bot.days.find((d) => d.day === day),
    previousBot: bot.days.filter((d) => d.day !== day),
    detractors: detractors.items,
    slaBreaches: breaches.items,
  });
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.qualityDigest(day), ...digest, createdAt: now.toISOString() } }));
  return digest;
}

/** The shop's yesterday at `now`: the last day that is over in its time zone. */
export function finishedDay(now: Date, timeZone: string): string {
  return shift(dayOf(now.toISOString(), timeZone), -1);
}

/**
 * The schedule's run (hourly): writes the digest of the shop's yesterday unless it exists, so it
 * is written within the hour after the shop's midnight whatever the zone, and only once.
 */
export async function runDailyDigest(now: Date): Promise<{ day: string; digest?: Digest }> {
  const day = finishedDay(now, await shopTimeZone());
  if (await readDigest(day)) return { day };
  return { day, digest: await writeDailyDigest(day, now) };
}

/** The newest stored digest among the `lookback` days up to `last` (one BatchGet). */
export async function latestDigest(last: string, lookback: number): Promise<Digest | undefined> {
  const days = Array.from({ length: lookback }, (_, i) => shift(last, -i));
  let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [tableName()]: { Keys: days.map((d) => ({ ...keys.qualityDigest(d) })) } };
  let newest: Record<string, unknown> | undefined;
  while (request && Object.keys(request).length > 0) {
    const res = await db().send(new BatchGetCommand({ RequestItems: request }));
    for (const item of res.Responses?.[tableName()] ?? []) if (!newest || String(item.day) > String(newest.day)) newest = item;
    request = res.UnprocessedKeys as typeof request;
  }
  if (!newest) return undefined;
  const { pk: _p, sk: _s, ...digest } = newest;
  return digest as unknown as Digest;
}

/** A stored digest. */
export async function readDigest(day: string): Promise<Digest | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.qualityDigest(day) }));
  if (!res.Item) return undefined;
  const { pk: _p, sk: _s, ...digest } = res.Item;
  return digest as Digest;
}
