/**
 * Campaign lifecycle: drafts, launch (the holdout ratio, audience conditions and link base are
 * fixed here), pause, resume and cancel, and the tick that starts scheduled campaigns when due,
 * rescues a fan-out whose runner died (heartbeat older than the lease), re-queues send batches
 * whose messages were lost (shared/campaigns/reconcile.ts) and marks a campaign completed once
 * its fan-out is done and no batch is open — every queued member has an outcome — with its
 * figures recounted from the send records.
 *
 *   draft ─launch─▶ scheduled ─due─▶ sending ─all processed─▶ completed
 *                      │  ▲             │  ▲
 *                      ▼  │resume       ▼  │resume
 *                      paused ◀─pause──(either)           any but completed ─cancel─▶ cancelled
 */
import { badRequest, conflict, notFound } from '#shared/http/errors.ts';
import { msg } from '#shared/http/messages.ts';
import { newId } from '#shared/ids.ts';
import { logger } from '#shared/log.ts';
import type { CampaignAction, CampaignBody } from './model.ts';
import { noReachableMembers } from './reach.ts';
import { type ReconcilePorts, reconcileBatches } from './reconcile.ts';
import { getSegment, previewSegment } from './segments.ts';
import {
  type Campaign,
  type CampaignStatus,
  campaignsByStatus,
  DEFAULT_ATTRIBUTION_DAYS,
  DEFAULT_FREQUENCY_CAP,
  DEFAULT_QUIET_HOURS,
  getCampaign,
  hasOpenBatches,
  putCampaign,
  readProgress,
  recountSends,
  updateCampaign,
} from './store.ts';
import { type ContentIssue, contentIssues, type Lang } from './template.ts';

/** The message that runs (a hop of) a campaign's fan-out. */
export interface FanoutMessage {
  campaignId: string;
  hop: number;
}

export interface LifecyclePorts {
  now: () => Date;
  /** Queues a fan-out hop. */
  kick: (message: FanoutMessage) => Promise<void>;
}

/** What the tick needs beyond the status changes: re-queueing send batches. */
export type TickPorts = LifecyclePorts & Pick<ReconcilePorts, 'enqueueSends'>;

/** A fan-out whose heartbeat is older than this is presumed dead and restarted from its cursor. */
export const FANOUT_LEASE_MS = 10 * 60_000;

/** A campaign status as the console names it in Chinese. */
const STATUS_ZH: Record<CampaignStatus, string> = {
  draft: '草稿',
  scheduled: '已排期',
  sending: '发送中',
  paused: '已暂停',
  completed: '已完成',
  cancelled: '已取消',
};

/** What an action changes, or why it is refused (pure; the refusal's Chinese is registered with `msg`). */
export function planTransition(
  c: Campaign,
  action: CampaignAction,
  now: Date,
): { status: CampaignStatus; set: Record<string, unknown>; kick: boolean } | string {
  const at = now.toISOString();
  const startSending = (from: Campaign) => ({
    status: 'sending' as const,
    set: { ...(from.startedAt ? {} : { startedAt: at }), fanoutHop: from.fanoutHop + 1, fanoutBeatAt: at },
    kick: true,
  });
  switch (action) {
    case 'launch': {
      if (c.status !== 'draft')
        return msg(`only a draft can be launched (this campaign is ${c.status})`, `只有草稿可以启动（此活动当前为${STATUS_ZH[c.status]}）`);
      const base = { launchedAt: at };
      if (c.schedule && Date.parse(c.schedule.at) > now.getTime()) return { status: 'scheduled', set: base, kick: false };
      const s = startSending(c);
      return { ...s, set: { ...base, ...s.set } };
    }
    case 'pause':
      if (c.status !== 'scheduled' && c.status !== 'sending')
        return msg(
          `only a scheduled or sending campaign can be paused (this one is ${c.status})`,
          `只有已排期或发送中的活动可以暂停（此活动当前为${STATUS_ZH[c.status]}）`,
        );
      return { status: 'paused', set: { pausedFrom: c.status }, kick: false };
    case 'resume': {
      if (c.status !== 'paused')
        return msg(`only a paused campaign can be resumed (this one is ${c.status})`, `只有已暂停的活动可以继续（此活动当前为${STATUS_ZH[c.status]}）`);
      if (c.pausedFrom === 'scheduled' && c.schedule && Date.parse(c.schedule.at) > now.getTime()) return { status: 'scheduled', set: {}, kick: false };
      return startSending(c);
    }
    case 'cancel':
      if (c.status === 'completed' || c.status === 'cancelled')
        return msg(`a ${c.status} campaign cannot be cancelled`, `${STATUS_ZH[c.status]}的活动不能取消`);
      return { status: 'cancelled', set: { cancelledAt: at }, kick: false };
  }
}

/**
 * Creates a draft, or replaces one at the version read. Content problems (unknown placeholders, a
 * channel without content) come back as field messages in the reader's language (`lang`).
 */
/** Why a coupon pool cannot be offered (shared/coupons' `offerProblem`), in both languages; undefined when it can. */
export type CouponCheck = (poolId: string, now: Date) => Promise<{ zh: string; en: string } | undefined>;

export async function saveDraft(
  body: CampaignBody,
  campaignId: string | undefined,
  by: string,
  now: Date,
  lang: Lang = 'en',
  couponCheck?: CouponCheck,
): Promise<Campaign> {
  const issues: ContentIssue[] = body.variants.flatMap((v, i) => contentIssues(v.content, body.channels, v.variantId, i));
  const ids = body.variants.map((v) => v.variantId);
  if (new Set(ids).size !== ids.length) issues.push({ path: 'variants', zh: '各版本的编号不能重复', en: 'variant ids must be unique' });
  if (new Set(body.channels).size !== body.channels.length) issues.push({ path: 'channels', zh: '渠道不能重复', en: 'channels must be unique' });
  if (issues.length) {
    const fields = issues.map((i) => ({ path: i.path, message: i[lang], en: i.en }));
    const message = { en: `invalid campaign: ${issues.map((i) => i.en).join('; ')}`, zh: `活动内容有误：${issues.map((i) => i.zh).join('；')}` };
    throw badRequest(message, { problems: issues.map((i) => i.en), fields });
  }
  if (!(await getSegment(body.segmentId))) {
    const text = { zh: `人群 ${body.segmentId} 不存在`, en: `segment ${body.segmentId} does not exist` };
    throw badRequest(text, { fields: [{ path: 'segmentId', message: text[lang], en: text.en }] });
  }
  if (body.offer.kind === 'coupon') {
    if (!couponCheck) throw new Error('saveDraft: a coupon offer needs the coupon check (shared/coupons offerProblem)');
    const text = await couponCheck(body.offer.poolId, now);
    if (text) throw badRequest(text, { fields: [{ path: 'offer.poolId', message: text[lang], en: text.en }] });
  }
  const at = now.toISOString();
  const previous = campaignId ? await getCampaign(campaignId) : undefined;
  if (campaignId && !previous) throw notFound('campaign');
  if (previous && body.version === undefined)
    throw badRequest({ en: 'send the version you read to replace a draft', zh: '替换草稿时请附上读取时的版本号（version）' });
  if (previous && previous.status !== 'draft')
    throw conflict({ en: `only a draft can be edited (this campaign is ${previous.status})`, zh: '只有草稿可以编辑' });
  const campaign: Campaign = {
    campaignId: previous?.campaignId ?? newId('cmp', now.getTime()),
    name: body.name,
    segmentId: body.segmentId,
    channels: body.channels,
    variants: body.variants,
    offer: body.offer,
    ...(body.schedule ? { schedule: body.schedule } : {}),
    holdoutRatio: body.holdoutRatio,
    frequencyCap: body.frequencyCap ?? DEFAULT_FREQUENCY_CAP,
    quietHours: body.quietHours === undefined ? DEFAULT_QUIET_HOURS : body.quietHours,
    attributionDays: body.attributionDays ?? DEFAULT_ATTRIBUTION_DAYS,
    status: 'draft',
    version: (previous?.version ?? 0) + 1,
    createdAt: previous?.createdAt ?? at,
    createdBy: previous?.createdBy ?? by,
    updatedAt: at,
    updatedBy: by,
    fanoutHop: 0,
    fanoutDone: false,
    fanoutPages: 0,
    queued: 0,
    audienceRead: 0,
    deferred: 0,
  };
  await putCampaign(campaign, previous ? body.version : undefined);
  return campaign;
}

/**
 * Index items a launch reads at most to find one member the campaign can reach; an audience larger
 * than that whose first members are all unreachable launches (the send suppresses them one by one).
 */
export const LAUNCH_REACH_BUDGET = 5_000;

/**
 * Applies a status action at the version read; a campaign that starts sending gets its fan-out
 * queued. A launch whose whole audience is unreachable (no consent on the campaign's channels, no
 * address) is refused with 422 in the reader's language (`lang`).
 */
export async function changeStatus(
  campaignId: string,
  action: CampaignAction,
  version: number,
  by: string,
  linkBase: string,
  ports: LifecyclePorts,
  lang: Lang = 'en',
): Promise<Campaign> {
  const c = await getCampaign(campaignId);
  if (!c) throw notFound('campaign');
  if (c.version !== version)
    throw conflict({ en: 'the campaign was changed since you read it; reload and try again', zh: '营销活动在您读取后已被修改，请重新加载后再试' });
  const now = ports.now();
  const plan = planTransition(c, action, now);
  if (typeof plan === 'string') throw conflict(plan);
  const set: Record<string, unknown> = { ...plan.set, status: plan.status, version: c.version + 1, updatedAt: now.toISOString(), updatedBy: by };
  if (action === 'launch') {
    const segment = await getSegment(c.segmentId);
    if (!segment) throw conflict({ en: `segment ${c.segmentId} no longer exists`, zh: `人群 ${c.segmentId} 已不存在` });
    const reach = await previewSegment(segment.conditions, now, LAUNCH_REACH_BUDGET, c.channels, { untilReachable: true });
    if (reach.exact && reach.reach?.reachable === 0) throw noReachableMembers(reach.count, reach.reach, lang);
    set.conditions = segment.conditions;
    set.linkBase = linkBase;
    set.launchedBy = by;
  }
  const next = { ...c, ...set } as Campaign;
  const ok = await updateCampaign(campaignId, set, {
    condition: 'version = :v',
    values: { ':v': version },
    index: { status: next.status, dueAt: dueAt(next) },
  });
  if (!ok) throw conflict({ en: 'the campaign was changed since you read it; reload and try again', zh: '营销活动在您读取后已被修改，请重新加载后再试' });
  if (plan.kick) await ports.kick({ campaignId, hop: next.fanoutHop });
  logger.info('campaign status', { campaignId, action, status: next.status });
  return next;
}

function dueAt(c: Campaign): string {
  if (c.status === 'scheduled' && c.schedule) return c.schedule.at;
  if (c.status === 'sending') return c.fanoutBeatAt ?? c.updatedAt;
  return c.updatedAt;
}

/**
 * Starts due scheduled campaigns, restarts stalled fan-outs, re-queues overdue send batches and
 * completes finished campaigns.
 */
export async function tickCampaigns(ports: TickPorts): Promise<{ started: number; rescued: number; requeued: number; failed: number; completed: number }> {
  const now = ports.now();
  const at = now.toISOString();
  let started = 0;
  let rescued = 0;
  let requeued = 0;
  let failed = 0;
  let completed = 0;
  for (const c of await campaignsByStatus('scheduled', at)) {
    const plan = {
      startedAt: at,
      fanoutHop: c.fanoutHop + 1,
      fanoutBeatAt: at,
      status: 'sending',
      version: c.version + 1,
      updatedAt: at,
      updatedBy: 'schedule',
    };
    const ok = await updateCampaign(c.campaignId, plan, { condition: 'version = :v', values: { ':v': c.version }, index: { status: 'sending', dueAt: at } });
    if (ok) {
      await ports.kick({ campaignId: c.campaignId, hop: plan.fanoutHop });
      started++;
    }
  }
  for (const c of await campaignsByStatus('sending', '9999')) {
    const reconciled = await reconcileBatches(c, ports);
    requeued += reconciled.requeued;
    failed += reconciled.failed;
    if (!c.fanoutDone) {
      const beat = Date.parse(c.fanoutBeatAt ?? c.updatedAt);
      if (now.getTime() - beat < FANOUT_LEASE_MS) continue;
      const hop = c.fanoutHop + 1;
      const ok = await updateCampaign(
        c.campaignId,
        { fanoutHop: hop, fanoutBeatAt: at },
        { condition: 'fanoutHop = :h AND #s = :sending', values: { ':h': c.fanoutHop, ':sending': 'sending' }, index: { status: 'sending', dueAt: at } },
      );
      if (ok) {
        await ports.kick({ campaignId: c.campaignId, hop });
        rescued++;
        logger.warn('campaign fan-out restarted from its cursor', { campaignId: c.campaignId, hop });
      }
      continue;
    }
    if (c.batches === undefined) {
      // Launched before batch rows existed: done when the counters account for every queued member.
      const progress = await readProgress(c);
      if (progress.processed < progress.queued) continue;
    } else if (await hasOpenBatches(c.campaignId)) continue;
    const final = await recountSends(c.campaignId);
    if (final.records !== c.queued)
      logger.warn('campaign completes with send records ≠ queued members', { campaignId: c.campaignId, records: final.records, queued: c.queued });
    const ok = await updateCampaign(
      c.campaignId,
      { status: 'completed', completedAt: at, final, version: c.version + 1, updatedAt: at, updatedBy: 'schedule' },
      { condition: 'version = :v AND #s = :sending', values: { ':v': c.version, ':sending': 'sending' }, index: { status: 'completed', dueAt: at } },
    );
    if (ok) completed++;
  }
  return { started, rescued, requeued, failed, completed };
}
