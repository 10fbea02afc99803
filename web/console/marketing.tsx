/**
 * Marketing (marketing, admin): the section's tabs and which screen the address opens. Each
 * screen is its own file in marketing/: the churn early warning and its thresholds, segments and
 * their editor, campaigns with their editor, status controls and report.
 */
import './i18n-ops.ts';
import './i18n-marketing.ts';
import './i18n-retention.ts';
import type { StaffApi } from './auth.ts';
import { type ConsoleKey, useI18n } from './i18n.ts';
import { CampaignDetail } from './marketing/campaign-detail.tsx';
import { CampaignEditor } from './marketing/campaign-editor.tsx';
import { CampaignList } from './marketing/campaign-list.tsx';
import { ChurnList } from './marketing/churn-list.tsx';
import { ChurnSettings } from './marketing/churn-settings.tsx';
import { useTiers } from './marketing/common.tsx';
import { CouponPools } from './marketing/coupons.tsx';
import { RetentionView } from './marketing/retention.tsx';
import { SegmentEditor } from './marketing/segment-editor.tsx';
import { SegmentList } from './marketing/segment-list.tsx';

const TABS = ['churn', 'retention', 'segments', 'campaigns', 'coupons'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, ConsoleKey> = { churn: 'mChurn', retention: 'retTitle', segments: 'mSegments', campaigns: 'mCampaigns', coupons: 'lgsCpnTitle' };

/** `#/campaigns/{tab}/{itemId}`: churn (`settings` = the thresholds), retention (model card and cohorts), segments (`new` or an id), campaigns (`new` or an id). */
export function MarketingPage(props: { api: StaffApi; tab: string | undefined; itemId: string | undefined }) {
  const { t } = useI18n();
  const tab: Tab = (TABS as readonly string[]).includes(props.tab ?? '') ? (props.tab as Tab) : 'churn';
  const tiers = useTiers(props.api).data ?? [];
  const { api, itemId } = props;
  return (
    <section class="kb pad marketing" aria-labelledby="marketing-heading">
      <h1 id="marketing-heading">{t('navCampaigns')}</h1>
      <nav aria-label={t('mTabs')}>
        <ul class="views tabs">
          {TABS.map((x) => (
            <li key={x}>
              <a href={`#/campaigns/${x}`} aria-current={x === tab ? 'page' : undefined}>
                {t(TAB_LABEL[x])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'churn' && (itemId === 'settings' ? <ChurnSettings api={api} /> : <ChurnList api={api} tiers={tiers} />)}
      {tab === 'retention' && <RetentionView api={api} tiers={tiers} />}
      {tab === 'segments' && (itemId ? <SegmentEditor key={itemId} api={api} tiers={tiers} segmentId={itemId} /> : <SegmentList api={api} />)}
      {tab === 'campaigns' &&
        (itemId === 'new' ? (
          <CampaignEditor api={api} campaign={undefined} />
        ) : itemId ? (
          <CampaignDetail key={itemId} api={api} campaignId={itemId} />
        ) : (
          <CampaignList api={api} />
        ))}
      {tab === 'coupons' && <CouponPools api={api} />}
    </section>
  );
}
