/**
 * The daily quality job: snapshots the backlog gauge into the finished day's item (so backlog
 * charts read day items like everything else) and writes that day's digest (`DIGEST#{day}`).
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { buildDigest, type Digest } from './digest.ts';
import { readBacklog, readBotDays, readFacts, readQualityDays } from './store.ts';

const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

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

/** A stored digest. */
export async function readDigest(day: string): Promise<Digest | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.qualityDigest(day) }));
  if (!res.Item) return undefined;
  const { pk: _p, sk: _s, ...digest } = res.Item;
  return digest as Digest;
}
