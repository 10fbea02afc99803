/**
 * Reports (supervisors, admins): the quality dashboard, the per-agent performance table, the
 * daily digest, quality inspection (质检: the review sample, 我的质检, 质检设置) and scenario
 * training (情景模拟), one sub-route
 * each (`#/reports`, `#/reports/agents`, `#/reports/digest[/day]`, `#/reports/inspection[/id]`,
 * `#/reports/mine[/id]`, `#/reports/training` (情景模拟), `#/reports/inspection-settings`; `#/reports/{day}/{metric}` is a
 * drill-down of the dashboard). Someone who answers customers without supervising sees only their
 * own inspections and training. The period (and the dashboard's scope) is shared by the views and kept for the
 * browser session; periods are the shop's days.
 */
import { useEffect, useState } from 'preact/hooks';
import type { StaffApi, StaffMe } from '../auth.ts';
import '../i18n-inspection.ts';
import '../i18n-ops.ts';
import '../i18n-quality.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';
import { DEFAULT_TIME_ZONE, presetPeriod, type QualityView, qualityViewOf, qualityViewsFor } from '../quality-state.ts';
import { AgentTable } from './agents.tsx';
import { Dashboard } from './dashboard.tsx';
import { DigestView } from './digest.tsx';
import { FilterBar, type Filters, initialFilters, saveFilters } from './filters.tsx';
import { InspectionView } from './inspection.tsx';
import { MyInspections } from './inspection-mine.tsx';
import { InspectionSettingsView } from './inspection-settings.tsx';
import { TrainingView } from './training.tsx';

type View = QualityView;
const VIEW_LABEL: Record<View, ConsoleKey> = {
  overview: 'qaTabOverview',
  agents: 'qaTabAgents',
  digest: 'qaTabDigest',
  inspection: 'inspTitle',
  mine: 'inspTabMine',
  training: 'inspTabTraining',
  'inspection-settings': 'inspTabSettings',
};
const VIEW_HREF: Record<View, string> = {
  overview: '#/reports',
  agents: '#/reports/agents',
  digest: '#/reports/digest',
  inspection: '#/reports/inspection',
  mine: '#/reports/mine',
  training: '#/reports/training',
  'inspection-settings': '#/reports/inspection-settings',
};

export function QualityPage(props: { api: StaffApi; tab: string | undefined; itemId?: string | undefined }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [roles, setRoles] = useState<readonly string[] | undefined>();
  const views = roles ? qualityViewsFor(roles) : [];
  // any other tab (the dashboard's drill-down `#/reports/{day}/{metric}`) is the overview's
  const view: View | undefined = roles ? qualityViewOf(props.tab, roles) : undefined;

  useEffect(() => {
    props.api.call<StaffMe>('/staff/me').then(
      (me) => setRoles(me.roles),
      () => setRoles([]),
    );
  }, []);
  useEffect(() => {
    props.api.call<{ items: StaffMember[] }>('/staff').then(
      (r) => setStaff(r.items),
      () => undefined,
    );
  }, []);
  useEffect(() => saveFilters(filters), [filters]);

  /** The server names the shop's zone: a preset period is recomputed in it when it differs. */
  const onTimeZone = (timeZone: string) =>
    setFilters((f) =>
      f.timeZone === timeZone ? f : { ...f, timeZone, ...(f.preset === 'custom' ? {} : presetPeriod(Number(f.preset), Date.now(), timeZone)) },
    );

  /** From the per-agent table: the dashboard scoped to that agent. */
  const showAgent = (sub: string) => setFilters((f) => ({ ...f, scope: `agent#${sub}` }));

  return (
    <section class="kb pad quality" aria-labelledby="quality-heading">
      <h1 id="quality-heading">{t('qTitle')}</h1>
      <p class="muted">{t('qaIntro', { zone: filters.timeZone || DEFAULT_TIME_ZONE })}</p>
      <nav aria-label={t('qaTabs')}>
        <ul class="views tabs">
          {views.map((v) => (
            <li key={v}>
              <a href={VIEW_HREF[v]} aria-current={v === view ? 'page' : undefined}>
                {t(VIEW_LABEL[v])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {(view === 'overview' || view === 'agents' || (view === 'inspection' && !props.itemId)) && (
        <FilterBar filters={filters} setFilters={setFilters} staff={staff} withScope={view === 'overview'} />
      )}
      {view === 'overview' && <Dashboard api={props.api} filters={filters} staff={staff} tab={props.tab} itemId={props.itemId} onTimeZone={onTimeZone} />}
      {view === 'agents' && <AgentTable api={props.api} filters={filters} onTimeZone={onTimeZone} onPick={showAgent} />}
      {view === 'digest' && <DigestView api={props.api} day={props.itemId} staff={staff} />}
      {view === 'inspection' && <InspectionView api={props.api} filters={filters} staff={staff} itemId={props.itemId} />}
      {view === 'mine' && <MyInspections api={props.api} staff={staff} itemId={props.itemId} />}
      {view === 'training' && <TrainingView api={props.api} />}
      {view === 'inspection-settings' && <InspectionSettingsView api={props.api} />}
    </section>
  );
}
