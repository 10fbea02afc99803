/**
 * The fan-out: resolves a campaign's audience page by page through the segment's index and queues
 * the members to `campaign-sends` in batches. Each page first writes its batches as open rows
 * (`CAMPAIGN#{id}` / `BATCH#{page}#{n}`, the outbox of the messages), then saves its cursor, page
 * number, queued and batch counts with one conditional update (on the hop and the page number),
 * and only then queues the messages: a message lost before it is processed (the local queue lives
 * in memory; in AWS a batch can end in the DLQ) is re-derived from its row by the tick
 * (shared/campaigns/reconcile.ts). A runner that crashes re-runs at most the page it was on — it
 * rewrites the same rows, and re-queued members are absorbed by the per-member send guard — and a
 * second runner can never interleave. A hop runs while the Lambda has time, then queues the next
 * hop; a dead hop is restarted by the tick (shared/campaigns/lifecycle.ts).
 */
import { logger } from '#shared/log.ts';
import type { FanoutMessage } from './lifecycle.ts';
import { type AudienceCursor, audiencePage } from './segments.ts';
import { BATCH_LEASE_MS, batchIdOf, getCampaign, putBatches, updateCampaign } from './store.ts';

/** Members per `campaign-sends` message. */
export const SEND_BATCH = 25;
/** Index items read per audience page. */
export const PAGE_SIZE = 500;

/**
 * A batch of members of one campaign to send to; `holds` counts how often it was held back (pause,
 * quiet hours), `batch` names its open row (closed when every member has an outcome) and `redrive`
 * how often the tick re-queued it from that row.
 */
export interface SendMessage {
  campaignId: string;
  contactIds: string[];
  holds: number;
  batch?: string;
  redrive?: number;
}

export interface FanoutPorts {
  now: () => Date;
  timeLeftMs: () => number;
  enqueueSends: (messages: SendMessage[]) => Promise<unknown>;
  kick: (message: FanoutMessage) => Promise<void>;
  pageSize?: number;
}

export type FanoutOutcome = 'done' | 'continued' | 'stale' | 'not_sending';

/** Runs one hop of a campaign's fan-out. */
export async function runFanout(message: FanoutMessage, ports: FanoutPorts): Promise<FanoutOutcome> {
  const c = await getCampaign(message.campaignId);
  if (c?.status !== 'sending' || !c.conditions) return 'not_sending';
  if (c.fanoutHop !== message.hop) return 'stale';
  if (c.fanoutDone) return 'done';
  let cursor: AudienceCursor = c.fanoutCursor ?? { p: 0 };
  let pages = c.fanoutPages ?? 0;
  for (;;) {
    const now = ports.now();
    const page = await audiencePage(c.conditions, cursor, ports.pageSize ?? PAGE_SIZE, now);
    const ids = page.members.map((m) => m.contactId);
    const messages: SendMessage[] = [];
    for (let i = 0; i < ids.length; i += SEND_BATCH) {
      messages.push({ campaignId: c.campaignId, contactIds: ids.slice(i, i + SEND_BATCH), holds: 0, batch: batchIdOf(pages, messages.length) });
    }
    const dueAt = new Date(now.getTime() + BATCH_LEASE_MS).toISOString();
    if (messages.length)
      await putBatches(messages.map((m) => ({ campaignId: c.campaignId, batchId: m.batch as string, contactIds: m.contactIds, dueAt, redrives: 0 })));
    const at = now.toISOString();
    const saved = await updateCampaign(
      c.campaignId,
      { fanoutPages: pages + 1, fanoutBeatAt: at, ...(page.next ? { fanoutCursor: page.next } : { fanoutDone: true }) },
      {
        ...(page.next ? {} : { remove: ['fanoutCursor'] }),
        add: { queued: ids.length, audienceRead: page.read, batches: messages.length },
        condition: 'fanoutHop = :h AND #s = :sending AND (attribute_not_exists(fanoutPages) OR fanoutPages = :pages)',
        values: { ':h': message.hop, ':sending': 'sending', ':pages': pages },
        index: { status: 'sending', dueAt: at },
      },
    );
    if (!saved) {
      logger.info('campaign fan-out stopped: paused, cancelled or superseded', { campaignId: c.campaignId, hop: message.hop });
      return 'stale';
    }
    if (messages.length) await ports.enqueueSends(messages);
    pages++;
    if (!page.next) return 'done';
    cursor = page.next;
    if (ports.timeLeftMs() < 20_000) {
      const hop = message.hop + 1;
      const moved = await updateCampaign(
        c.campaignId,
        { fanoutHop: hop },
        { condition: 'fanoutHop = :h AND #s = :sending', values: { ':h': message.hop, ':sending': 'sending' } },
      );
      if (moved) await ports.kick({ campaignId: c.campaignId, hop });
      return moved ? 'continued' : 'stale';
    }
  }
}
