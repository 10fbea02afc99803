/** Marketing › campaigns: the list, newest first. */
import type { StaffApi } from '../auth.ts';
import { useI18n } from '../i18n.ts';
import { Async, DataTable, useResource } from '../kit/index.ts';
import { day } from '../labels.ts';
import type { Campaign } from '../marketing-state.ts';
import { formatPercent } from '../quality-state.ts';
import { STATUS_LABEL } from './common.tsx';

export function CampaignList(props: { api: StaffApi }) {
  const { t, locale } = useI18n();
  const campaigns = useResource(() => props.api.call<{ items: Campaign[] }>('/campaigns?limit=50').then((r) => r.items), [props.api]);
  return (
    <>
      <div class="kb-head">
        <h2>{t('mCampaigns')}</h2>
        <a class="btn primary" href="#/campaigns/campaigns/new">
          {t('mNewCampaign')}
        </a>
      </div>
      <p class="muted small">{t('mCampaignsIntro')}</p>
      <Async resource={campaigns} isEmpty={(items) => items.length === 0} empty={t('mNoCampaigns')}>
        {(items) => (
          <DataTable<Campaign>
            caption={t('mCampaigns')}
            rows={items}
            rowKey={(c) => c.campaignId}
            columns={[
              {
                key: 'name',
                header: t('setName'),
                rowHeader: true,
                cell: (c) => <a href={`#/campaigns/campaigns/${encodeURIComponent(c.campaignId)}`}>{c.name}</a>,
              },
              {
                key: 'status',
                header: t('status'),
                cell: (c) => <span class={`status-pill campaign-${c.status}`}>{t(STATUS_LABEL[c.status] ?? 'mStDraft')}</span>,
              },
              { key: 'segment', header: t('mSegment'), class: 'mono', cell: (c) => c.segmentId },
              { key: 'holdout', header: t('mHoldout'), cell: (c) => formatPercent(c.holdoutRatio, locale) },
              { key: 'updated', header: t('kbUpdated'), cell: (c) => day(c.updatedAt, locale) },
            ]}
          />
        )}
      </Async>
    </>
  );
}
