/** Marketing › churn early warning: members by risk with their reasons, filterable by level, tier and reason. */
import { useState } from 'preact/hooks';
import type { ChurnRow } from '../../../shared/churn/store.ts';
import type { ChurnSettingsResponse } from '../../../shared/churn/thresholds.ts';
import type { StaffApi } from '../auth.ts';
import { useI18n } from '../i18n.ts';
import { Async, DataTable, errorMessage, LoadError, pickText, useResource } from '../kit/index.ts';
import { day, money } from '../labels.ts';
import { CHURN_LEVELS, CHURN_REASONS } from '../marketing-state.ts';
import { formatPercent } from '../quality-state.ts';
import { LEVEL_LABEL, reasonKey, type Tier, tierLabel } from './common.tsx';

type Page = { items: ChurnRow[]; cursor?: string };

export function ChurnList(props: { api: StaffApi; tiers: Tier[] }) {
  const { t, locale } = useI18n();
  const [level, setLevel] = useState('');
  const [tier, setTier] = useState('');
  const [reason, setReason] = useState('');
  const [moreError, setMoreError] = useState<string>();
  const query = (after?: string) => {
    const q = new URLSearchParams({ limit: '50' });
    if (level) q.set('level', level);
    if (tier) q.set('tier', tier);
    if (reason) q.set('reason', reason);
    if (after) q.set('cursor', after);
    return props.api.call<Page>(`/churn/members?${q}`);
  };
  const rows = useResource<Page>(() => query(), [level, tier, reason]);
  const settings = useResource(() => props.api.call<ChurnSettingsResponse>('/churn/settings'), [props.api]);

  const more = async (cursor: string) => {
    setMoreError(undefined);
    try {
      const page = await query(cursor);
      rows.set({ items: [...(rows.data?.items ?? []), ...page.items], cursor: page.cursor });
    } catch (err) {
      setMoreError(errorMessage(err));
    }
  };

  const s = settings.data;
  const pct = (v: number) => formatPercent(v, locale);
  return (
    <>
      <div class="kb-head">
        <h2>{t('mChurn')}</h2>
        <a class="btn" href="#/campaigns/churn/settings">
          {t('mkThresholdsLink')}
        </a>
      </div>
      <p class="muted small">{t('mChurnIntro')}</p>
      {s && (
        <p class="muted small" data-thresholds>
          {t('mkThresholdsNow', { high: pct(s.highAt), medium: pct(s.mediumAt) })}{' '}
          {s.version > 0 && s.apply?.version === s.version && !s.apply.done && <strong>{t('mkApplyPending', { moved: s.apply.moved })}</strong>}
        </p>
      )}
      <div class="kb-filters" role="group" aria-label={t('qFilters')}>
        <label>
          {t('mLevel')}{' '}
          <select value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
            <option value="">{t('mAllLevels')}</option>
            {CHURN_LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(LEVEL_LABEL[l]!)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('tier')}{' '}
          <select value={tier} onChange={(e) => setTier(e.currentTarget.value)}>
            <option value="">{t('mAllTiers')}</option>
            {props.tiers.map((x) => (
              <option key={x.tierId} value={x.tierId}>
                {tierLabel(x.tierId, props.tiers, locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('mReason')}{' '}
          <select value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
            <option value="">{t('mAllReasons')}</option>
            {CHURN_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(reasonKey(r))}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Async resource={rows} isEmpty={(p) => p.items.length === 0} empty={t('mNoMembers')}>
        {(page) => (
          <>
            <DataTable<ChurnRow>
              class="churn"
              caption={t('mChurn')}
              rows={page.items}
              rowKey={(r) => r.contactId}
              rowProps={(r) => ({ 'data-contact': r.contactId, 'data-level': r.level })}
              columns={[
                { key: 'member', header: t('mMember'), rowHeader: true, cell: (r) => r.name || r.contactId },
                { key: 'tier', header: t('tier'), cell: (r) => tierLabel(r.tierId, props.tiers, locale) },
                {
                  key: 'risk',
                  header: t('mRisk'),
                  cell: (r) => (
                    <>
                      <span class={`risk ${r.level}`}>{t(LEVEL_LABEL[r.level] ?? 'mLevelLow')}</span> {formatPercent(r.risk, locale)}
                    </>
                  ),
                },
                {
                  key: 'reasons',
                  header: t('mReasons'),
                  cell: (r) => (
                    <ul class="reasons">
                      {r.reasons.map((x) => (
                        <li key={x.code}>{pickText(x, locale)}</li>
                      ))}
                    </ul>
                  ),
                },
                { key: 'scored', header: t('mkScoredAt'), cell: (r) => day(r.scoredAt, locale) || '–' },
                { key: 'last', header: t('lastOrder'), cell: (r) => day(r.lastOrderAt, locale) || '–' },
                { key: 'orders', header: t('orderCount'), cell: (r) => r.orderCount },
                { key: 'spend', header: t('totalSpend'), cell: (r) => money(r.totalSpend, 'CNY', locale) },
                { key: 'points', header: t('points'), cell: (r) => r.pointsBalance.toLocaleString(locale) },
              ]}
            />
            {moreError && <LoadError message={moreError} onRetry={page.cursor ? () => void more(page.cursor as string) : undefined} />}
            {page.cursor && (
              <button type="button" class="btn small" onClick={() => void more(page.cursor as string)}>
                {t('qMore')}
              </button>
            )}
          </>
        )}
      </Async>
    </>
  );
}
