/**
 * Transcript retention (PRODUCT §9). A shop sets `transcriptRetentionDays`; a conversation stamps
 * the period when it starts, every message written to it carries a TTL of createdAt + period, and
 * reads replace a message whose TTL has passed with a marker (TTL deletion can lag up to 48 h).
 */

/** What a read returns in place of a message past retention (zh-CN and en: both audiences read it). */
export const RETENTION_MARKER = '〔已按保留期限删除〕 [removed by retention]';

/** The TTL (epoch seconds) of a message created at `createdAt` under a retention period. */
export function retentionTtl(createdAt: string, retentionDays: number | undefined): number | undefined {
  if (!retentionDays || retentionDays <= 0) return undefined;
  return Math.floor(Date.parse(createdAt) / 1000) + Math.round(retentionDays * 86_400);
}

/** True when an item's TTL has passed (DynamoDB may not have deleted it yet). */
export function pastRetention(ttl: unknown, now: Date): boolean {
  return typeof ttl === 'number' && ttl * 1000 <= now.getTime();
}
