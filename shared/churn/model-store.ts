/**
 * The shop's churn model on the table: the model card (`CONFIG`/`CHURNMODEL`, the active model
 * every rescore uses), the retention aggregate (`CONFIG`/`CHURNRETENTION`) and the purchase
 * histories one day's run gathers for the refit (`CHURNFIT#{day}` chunks with a TTL). The daily
 * run walks every member anyway; it writes each page's histories as one chunk, then `refit`
 * reads that day's chunks (one Query on one partition) and calibrates — no Scan anywhere.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, queryAll, tableName } from '#shared/store/table.ts';
import { calibrate, DEFAULT_MIN_REPEATERS, type ModelCard } from './calibrate.ts';
import { cohortRetention, type RetentionReport } from './cohorts.ts';
import { decodeHistory, type History } from './history.ts';
import type { FittedSpec } from './model.ts';
import type { ServiceLink } from './service-link.ts';

/** The stored card: the calibration result with when and from how many members it was fitted. */
export type StoredModelCard = ModelCard & { fittedAt: string; members: number; minRepeaters: number };

/** Churn-reason counts among the members at medium or high risk, from the latest daily run. */
export interface ReasonCounts {
  at: string;
  atRisk: number;
  counts: Record<string, number>;
  /** Members with and without service signals: at-risk and lapse shares (service-link.ts). */
  service?: ServiceLink;
}

/** The retention aggregate: cohorts and repurchase rate (refit) and reason counts (walk). */
export interface StoredRetention {
  report: RetentionReport | null;
  reasons: ReasonCounts | null;
  updatedAt: string;
}

/** The answer of `GET /churn/retention` (the console reads it through `import type`). */
export interface RetentionResponse {
  model: Omit<StoredModelCard, 'spec'> | null;
  retention: StoredRetention | null;
}

const CACHE_MS = 60_000;
let modelCache: { at: number; value: StoredModelCard | undefined } | undefined;

/** The stored model card (cached per container for a minute; undefined before the first refit). */
export async function churnModel(now = Date.now(), fresh = false): Promise<StoredModelCard | undefined> {
  if (!fresh && modelCache && now - modelCache.at < CACHE_MS) return modelCache.value;
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.churnModel(), ConsistentRead: fresh }));
  const value = res.Item ? (JSON.parse(String(res.Item.card)) as StoredModelCard) : undefined;
  modelCache = { at: now, value };
  return value;
}

/** The model every rescore uses: the card's spec, or undefined (the hand-set score). */
export async function activeSpec(now = Date.now()): Promise<FittedSpec | undefined> {
  const spec = (await churnModel(now))?.spec;
  return spec && spec.kind !== 'handset' ? spec : undefined;
}

export async function saveChurnModel(card: StoredModelCard): Promise<void> {
  // The spec holds float arrays; stored as JSON text so no number loses precision or shape.
  await db().send(
    new PutCommand({ TableName: tableName(), Item: { ...keys.churnModel(), active: card.active, fittedAt: card.fittedAt, card: JSON.stringify(card) } }),
  );
  modelCache = undefined;
}

export function forgetModelCache(): void {
  modelCache = undefined;
}

export async function churnRetention(): Promise<StoredRetention | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: keys.churnRetention() }));
  return res.Item ? (JSON.parse(String(res.Item.data)) as StoredRetention) : undefined;
}

async function saveRetention(value: StoredRetention): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.churnRetention(), data: JSON.stringify(value) } }));
}

/** Merges the walk's reason counts into the aggregate (the refit's report is kept). */
export async function saveReasonCounts(reasons: ReasonCounts): Promise<void> {
  const prev = await churnRetention();
  await saveRetention({ report: prev?.report ?? null, reasons, updatedAt: reasons.at });
}

/** One member as a chunk row: `contactId|tierId|history`. */
export function chunkRow(contactId: string, tierId: string | undefined, history: string): string {
  return `${contactId}|${tierId ?? ''}|${history}`;
}

const CHUNK_BYTES = 300_000;

/** Writes a page's rows as chunk items `seq`, `seq + 1`, … (each under the item size limit); returns the next seq. */
export async function writeChunks(day: string, seq: number, rows: readonly string[], now: Date): Promise<number> {
  const ttl = Math.floor(now.getTime() / 1000) + 3 * 86_400;
  let next = seq;
  let part: string[] = [];
  let size = 0;
  const flush = async () => {
    if (part.length === 0) return;
    await db().send(new PutCommand({ TableName: tableName(), Item: { ...keys.churnFitChunk(day, next), rows: part.join('\n'), ttl } }));
    next++;
    part = [];
    size = 0;
  };
  for (const row of rows) {
    if (size + row.length > CHUNK_BYTES) await flush();
    part.push(row);
    size += row.length + 1;
  }
  await flush();
  return next;
}

/** The histories one day's run gathered. */
export async function readChunks(day: string): Promise<History[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': keys.churnFitPartition(day) },
  });
  const out: History[] = [];
  for (const item of items)
    for (const line of String(item.rows ?? '').split('\n')) {
      const [id, tier, text] = line.split('|');
      if (!id || !text) continue;
      out.push(decodeHistory(id, text, tier || undefined));
    }
  return out;
}

/** Enough-history threshold: `KEFU_CHURN_MIN_REPEATERS` or the default (500 members with ≥ 2 purchase days). */
export function minRepeatersSetting(): number {
  const v = Number(process.env.KEFU_CHURN_MIN_REPEATERS);
  return Number.isInteger(v) && v > 0 ? v : DEFAULT_MIN_REPEATERS;
}

/**
 * Calibrates on the day's histories and stores the card (the incumbent stays when it backtests
 * better; its card then records the comparison) and the cohort report.
 */
export async function refit(day: string, now: Date, minRepeaters = minRepeatersSetting()): Promise<StoredModelCard> {
  const histories = await readChunks(day);
  const asOf = Math.floor(now.getTime() / 86_400_000);
  const current = await churnModel(now.getTime(), true);
  const incumbent = current && current.spec.kind !== 'handset' ? current.spec : undefined;
  const { card } = calibrate(histories, asOf, { minRepeaters, ...(incumbent ? { incumbent } : {}) });
  const stored: StoredModelCard = { ...card, fittedAt: now.toISOString(), members: histories.length, minRepeaters };
  await saveChurnModel(stored);
  const prev = await churnRetention();
  await saveRetention({ report: cohortRetention(histories, asOf), reasons: prev?.reasons ?? null, updatedAt: now.toISOString() });
  return stored;
}
