/**
 * Marketing › campaigns › one campaign: the status controls its status allows (a 409 reloads), who
 * of the audience it reaches before launch (a warning beside Launch when nobody can be reached; the
 * server refuses that launch), progress while sending, and the report.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PoolView } from '../../../shared/coupons/service.ts';
import { ApiError } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import { useI18n } from '../i18n.ts';
import { Async, errorMessage, type Notice, NoticeLine, pickText, useResource } from '../kit/index.ts';
import { actionsFor, type Campaign, type CampaignAction, type Segment } from '../marketing-state.ts';
import { formatPercent } from '../quality-state.ts';
import { CampaignEditor } from './campaign-editor.tsx';
import { type Progress, type Report, ReportSection } from './campaign-report.tsx';
import { ACTION_LABEL, CHANNEL_LABEL, ReachLine, STATUS_LABEL, SUPPRESS_LABEL, useReach } from './common.tsx';

type Loaded = { campaign: Campaign & { progress: Progress }; report: Report };

export function CampaignDetail(props: { api: StaffApi; campaignId: string }) {
  const base = `/campaigns/${encodeURIComponent(props.campaignId)}`;
  const data = useResource<Loaded>(async () => {
    const [campaign, report] = await Promise.all([props.api.call<Loaded['campaign']>(base), props.api.call<Report>(`${base}/report`)]);
    return { campaign, report };
  }, [props.api, base]);
  const live = data.data?.campaign.status === 'sending' || data.data?.campaign.status === 'scheduled';
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void data.reload(), 4000);
    return () => clearInterval(timer);
  }, [live]);
  return <Async resource={data}>{(d) => <CampaignView api={props.api} base={base} loaded={d} reload={data.reload} />}</Async>;
}

function CampaignView(props: { api: StaffApi; base: string; loaded: Loaded; reload: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const { campaign, report } = props.loaded;
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState<CampaignAction>();
  const [editing, setEditing] = useState(false);
  const draft = campaign.status === 'draft';
  const segment = useResource(
    () => (draft ? props.api.call<Segment>(`/segments/${encodeURIComponent(campaign.segmentId)}`) : Promise.resolve(undefined)),
    [props.api, draft, campaign.segmentId, campaign.version],
  );
  const reach = useReach(props.api, draft ? segment.data?.conditions : undefined, campaign.channels);
  const couponPoolId = campaign.offer.kind === 'coupon' ? campaign.offer.poolId : undefined;
  const coupon = useResource(
    () =>
      couponPoolId
        ? props.api.call<{ pools: PoolView[] }>('/coupons/pools').then((r) => r.pools.find((p) => p.poolId === couponPoolId))
        : Promise.resolve(undefined),
    [props.api, couponPoolId],
  );

  const act = async (action: CampaignAction) => {
    setBusy(action);
    setNotice(undefined);
    try {
      await props.api.call(`${props.base}/status`, { action, version: campaign.version });
      await props.reload();
      setNotice({ kind: 'ok', text: t('mActionDone', { action: t(ACTION_LABEL[action]) }) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        await props.reload();
        setNotice({ kind: 'conflict', text: t('mActionConflict') });
      } else if (err instanceof ApiError && err.code === 'no_reachable_members') {
        // the server's message is in the reader's language (Accept-Language)
        setNotice({ kind: 'error', text: err.message });
      } else setNotice({ kind: 'error', text: t('ticketSaveFailed', { message: errorMessage(err) }) });
    } finally {
      setBusy(undefined);
    }
  };

  if (editing)
    return (
      <CampaignEditor
        api={props.api}
        campaign={campaign}
        onSaved={() => {
          setEditing(false);
          void props.reload();
        }}
      />
    );
  const progress = report.progress ?? campaign.progress;
  return (
    <div class="campaign-detail">
      <a class="btn ghost" href="#/campaigns/campaigns">
        ← {t('setBack')}
      </a>
      <div class="kb-head">
        <h2>{campaign.name}</h2>
        <span class={`status-pill campaign-${campaign.status}`} data-status={campaign.status}>
          {t(STATUS_LABEL[campaign.status] ?? 'mStDraft')}
        </span>
      </div>
      <p class="muted small">
        {t('mSummaryLine', {
          segment: campaign.segmentId,
          channels: campaign.channels.map((c) => t(CHANNEL_LABEL[c])).join(t('mkListSep')),
          holdout: formatPercent(campaign.holdoutRatio, locale),
          days: campaign.attributionDays,
        })}
        {campaign.offer.kind === 'points' && ` · ${t('mOfferIs', { points: campaign.offer.points })}`}
        {couponPoolId && ` · ${t('mkOfferCouponIs', { name: coupon.data ? pickText(coupon.data.name, locale) : couponPoolId })}`}
        {campaign.schedule && ` · ${t('mScheduledFor', { time: new Date(campaign.schedule.at).toLocaleString(locale) })}`}
      </p>
      <div class="campaign-controls">
        <div class="kb-actions" role="group" aria-label={t('mControls')}>
          {actionsFor(campaign.status).map((a) => (
            <button
              key={a}
              type="button"
              class={`btn${a === 'launch' ? ' primary' : ''}`}
              disabled={!!busy}
              aria-describedby={a === 'launch' ? 'launch-reach' : undefined}
              onClick={() => void act(a)}
            >
              {busy === a ? t('saving') : t(ACTION_LABEL[a])}
            </button>
          ))}
          {draft && (
            <button type="button" class="btn" onClick={() => setEditing(true)}>
              {t('mEditDraft')}
            </button>
          )}
          <button type="button" class="btn ghost" onClick={() => void props.reload()}>
            {t('qRefresh')}
          </button>
        </div>
        {draft && <ReachLine figures={reach.figures} error={reach.error ?? segment.error} busy={reach.busy || segment.loading} id="launch-reach" />}
        <NoticeLine notice={notice} />
      </div>
      {progress && (
        <section aria-labelledby="progress-heading">
          <h3 id="progress-heading">{t('mProgress')}</h3>
          <ul class="tiles small-tiles" aria-label={t('mProgress')}>
            {(
              [
                ['queued', 'mQueued', progress.queued],
                ['sent', 'mSent', progress.sent],
                ['holdout', 'mHeldOut', progress.holdout],
              ] as const
            ).map(([kpi, label, value]) => (
              <li key={kpi} class="tile" data-kpi={kpi}>
                <span class="tile-label">{t(label)}</span>
                <strong class="tile-value">{value}</strong>
              </li>
            ))}
            <li class="tile" data-kpi="suppressed">
              <span class="tile-label">{t('mSuppressed')}</span>
              <strong class="tile-value">{progress.suppressedTotal}</strong>
              <span class="tile-note muted small">
                {Object.entries(progress.suppressed)
                  .map(([k, v]) => `${SUPPRESS_LABEL[k] ? t(SUPPRESS_LABEL[k]) : k} ${v}`)
                  .join(' · ')}
              </span>
            </li>
            <li class="tile" data-kpi="failed">
              <span class="tile-label">{t('mFailed')}</span>
              <strong class="tile-value">{progress.failed}</strong>
            </li>
            <li class="tile" data-kpi="deferred">
              <span class="tile-label">{t('mDeferred')}</span>
              <strong class="tile-value">{progress.deferred}</strong>
            </li>
          </ul>
        </section>
      )}
      <ReportSection report={report} />
    </div>
  );
}
