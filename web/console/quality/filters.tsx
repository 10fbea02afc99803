/** The period (and, on the dashboard, scope) filters of the reports, kept for the browser session. */
import { useI18n } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';
import { categoryLabel, channelLabel } from '../labels.ts';
import { DEFAULT_TIME_ZONE, PRESETS, presetPeriod } from '../quality-state.ts';
import { CATEGORIES } from '../tickets-state.ts';

const CHANNELS = ['chat', 'email', 'phone', 'web_form', 'api', 'wechat'] as const;
const FILTER_KEY = 'kefu:console:quality';

export interface Filters {
  preset: (typeof PRESETS)[number] | 'custom';
  from: string;
  to: string;
  scope: string;
  /** The shop's time zone the days are cut in (as the server last reported it). */
  timeZone: string;
}

export function initialFilters(): Filters {
  try {
    const saved = JSON.parse(sessionStorage.getItem(FILTER_KEY) ?? 'null') as Partial<Filters> | null;
    if (saved?.from && saved.to && saved.scope && saved.preset) {
      const timeZone = saved.timeZone || DEFAULT_TIME_ZONE;
      const filters = { preset: saved.preset, from: saved.from, to: saved.to, scope: saved.scope, timeZone };
      return saved.preset === 'custom' ? filters : { ...filters, ...presetPeriod(Number(saved.preset), Date.now(), timeZone) };
    }
  } catch {
    /* fall through */
  }
  return { preset: '7', ...presetPeriod(7, Date.now(), DEFAULT_TIME_ZONE), scope: 'all', timeZone: DEFAULT_TIME_ZONE };
}

export function saveFilters(filters: Filters): void {
  try {
    sessionStorage.setItem(FILTER_KEY, JSON.stringify(filters));
  } catch {
    /* the filters last this page view */
  }
}

/** Staff who answer customers (the agent scopes worth offering). */
export function answering(staff: readonly StaffMember[]): StaffMember[] {
  return staff.filter((s) => s.roles.some((r) => r === 'agent' || r === 'supervisor' || r === 'admin'));
}

export function FilterBar(props: { filters: Filters; setFilters: (update: (f: Filters) => Filters) => void; staff: StaffMember[]; withScope: boolean }) {
  const { t } = useI18n();
  const { filters, setFilters } = props;
  return (
    <div class="kb-filters" role="group" aria-label={t('qFilters')}>
      <label>
        {t('qPeriod')}{' '}
        <select
          value={filters.preset}
          onChange={(e) => {
            const preset = e.currentTarget.value as Filters['preset'];
            setFilters((f) => (preset === 'custom' ? { ...f, preset } : { ...f, preset, ...presetPeriod(Number(preset), Date.now(), f.timeZone) }));
          }}
        >
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {t('qLastDays', { days: p })}
            </option>
          ))}
          <option value="custom">{t('qCustom')}</option>
        </select>
      </label>
      {filters.preset === 'custom' && (
        <>
          <label>
            {t('qFrom')}{' '}
            <input
              type="date"
              value={filters.from}
              max={filters.to}
              onChange={(e) => e.currentTarget.value && setFilters((f) => ({ ...f, from: e.currentTarget.value }))}
            />
          </label>
          <label>
            {t('qTo')}{' '}
            <input
              type="date"
              value={filters.to}
              min={filters.from}
              onChange={(e) => e.currentTarget.value && setFilters((f) => ({ ...f, to: e.currentTarget.value }))}
            />
          </label>
        </>
      )}
      {props.withScope && (
        <label>
          {t('qScope')}{' '}
          <select value={filters.scope} onChange={(e) => setFilters((f) => ({ ...f, scope: e.currentTarget.value }))}>
            <option value="all">{t('qScopeAll')}</option>
            <optgroup label={t('channel')}>
              {CHANNELS.map((c) => (
                <option key={c} value={`channel#${c}`}>
                  {channelLabel(c, t)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('agent')}>
              {answering(props.staff).map((s) => (
                <option key={s.sub} value={`agent#${s.sub}`}>
                  {s.name || s.email}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('category')}>
              {CATEGORIES.map((c) => (
                <option key={c} value={`category#${c}`}>
                  {categoryLabel(c, t)}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
      )}
    </div>
  );
}
