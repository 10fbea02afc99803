import { useEffect, useState } from 'preact/hooks';
import { ApiError, fieldErrors, type FieldError } from '../lib/http.ts';
import type { Bilingual, Priority, SlaMetric } from '../lib/types.ts';
import type { StaffApi } from './auth.ts';
import { carryNotice, fieldHelpers, NoticeLine, takeNotice, type Notice } from './form-bits.tsx';
import './i18n-ops.ts';
import { useI18n, type ConsoleKey, type Translate } from './i18n.ts';
import type { StaffMember } from './inbox-store.ts';
import { priorityLabel } from './labels.ts';
import {
  BREACH_ACTIONS,
  BUILTIN_CALENDARS,
  calendarBody,
  calendarForm,
  CONFIG_ID,
  emptyPolicy,
  emptyRule,
  emptyTeam,
  move,
  policyBody,
  policyForm,
  ruleBody,
  ruleForm,
  teamBody,
  teamForm,
  toggle,
  WEEKDAYS,
  type CalendarForm,
  type PolicyForm,
  type RuleForm,
  type TeamForm,
} from './settings-state.ts';
import { CATEGORIES, METRICS, PRIORITIES, unclaimed } from './tickets-state.ts';
import type { TicketConfig } from './tickets-store.ts';
import { categoryLabel, channelLabel } from './tickets.tsx';
import { metricLabel } from './sla-badge.tsx';

const TABS = ['policies', 'calendars', 'teams', 'rules'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, ConsoleKey> = { policies: 'setPolicies', calendars: 'setCalendars', teams: 'setTeams', rules: 'setRules' };
const ACTION_LABEL: Record<string, ConsoleKey> = { notify: 'actNotify', raise_priority: 'actRaise', reassign_to_queue: 'actRequeue', escalate: 'actEscalate' };
const DAY_LABEL: ConsoleKey[] = ['dayMon', 'dayTue', 'dayWed', 'dayThu', 'dayFri', 'daySat', 'daySun'];
const ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'];
const CHANNELS = ['chat', 'email', 'phone', 'web_form', 'api'] as const;

interface Tier {
  tierId: string;
  rank: number;
  name: { zh: string; en: string };
}

interface Lookups {
  config: TicketConfig;
  staff: StaffMember[];
  tiers: Tier[];
}

const pick = (text: Bilingual | undefined, locale: string) => (text ? (locale === 'zh-CN' ? text['zh-CN'] : text.en) : '');

function failure(err: unknown, t: Translate): Notice {
  if (err instanceof ApiError && err.status === 409) return { kind: 'conflict', text: t('setConflict') };
  const fields = fieldErrors(err);
  return { kind: 'error', text: fields.length ? t('setInvalid') : t('ticketSaveFailed', { message: err instanceof Error ? err.message : String(err) }) };
}

interface FormUi {
  setBusy: (busy: boolean) => void;
  setErrors: (errors: FieldError[]) => void;
  setNotice: (notice: Notice | undefined) => void;
}

/**
 * The save flow the settings forms share: refuse an invalid id before any request, then save,
 * report success, or put the server's field messages next to their fields.
 */
async function submitForm<R>(ui: FormUi, t: Translate, invalid: FieldError | undefined, save: () => Promise<R>, success: (result: R) => Notice, after?: (result: R, notice: Notice) => void): Promise<void> {
  if (invalid) {
    ui.setErrors([invalid]);
    ui.setNotice({ kind: 'error', text: t('setInvalid') });
    return;
  }
  ui.setBusy(true);
  ui.setErrors([]);
  ui.setNotice(undefined);
  try {
    const result = await save();
    const notice = success(result);
    ui.setNotice(notice);
    after?.(result, notice);
  } catch (err) {
    ui.setErrors(fieldErrors(err));
    ui.setNotice(failure(err, t));
  } finally {
    ui.setBusy(false);
  }
}

/** Supervisor settings: SLA policies, calendars, teams and routing rules (the ticket-config routes). */
export function SettingsPage(props: { api: StaffApi; tab: string | undefined; itemId: string | undefined }) {
  const { t } = useI18n();
  const tab: Tab = (TABS as readonly string[]).includes(props.tab ?? '') ? (props.tab as Tab) : 'policies';
  const [lookups, setLookups] = useState<Lookups>();
  const [error, setError] = useState<string>();

  const load = async () => {
    try {
      const [config, staff, tiers] = await Promise.all([
        props.api.call<TicketConfig>('/ticket-config'),
        props.api.call<{ items: StaffMember[] }>('/staff'),
        props.api.call<{ tiers: Tier[] }>('/tiers').catch(() => ({ tiers: [] as Tier[] })),
      ]);
      setLookups({ config, staff: staff.items, tiers: [...tiers.tiers].sort((a, b) => a.rank - b.rank) });
      setError(undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  useEffect(() => void load(), []);

  return (
    <section class="kb pad settings" aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t('navSettings')}</h1>
      <p class="muted">{t('setIntro')}</p>
      <nav aria-label={t('setTabs')}>
        <ul class="views tabs">
          {TABS.map((x) => (
            <li key={x}>
              <a href={`#/settings/${x}`} aria-current={x === tab ? 'page' : undefined}>
                {t(TAB_LABEL[x])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}
        </p>
      )}
      {!lookups && !error && <p class="muted">{t('loading')}</p>}
      {lookups && tab === 'policies' && (props.itemId ? <PolicyEditor key={props.itemId} api={props.api} lookups={lookups} policyId={props.itemId} onSaved={load} /> : <PolicyList lookups={lookups} />)}
      {lookups && tab === 'calendars' && (props.itemId ? <CalendarEditor key={props.itemId} api={props.api} lookups={lookups} calendarId={props.itemId} onSaved={load} /> : <CalendarList lookups={lookups} />)}
      {lookups && tab === 'teams' && (props.itemId ? <TeamEditor key={props.itemId} api={props.api} lookups={lookups} teamId={props.itemId} onSaved={load} /> : <TeamList lookups={lookups} />)}
      {lookups && tab === 'rules' && <RulesEditor api={props.api} lookups={lookups} onSaved={load} />}
    </section>
  );
}

function ListHead(props: { title: ConsoleKey; intro: ConsoleKey; newHref?: string }) {
  const { t } = useI18n();
  return (
    <>
      <div class="kb-head">
        <h2>{t(props.title)}</h2>
        {props.newHref && (
          <a class="btn primary" href={props.newHref}>
            {t('setNew')}
          </a>
        )}
      </div>
      <p class="muted small">{t(props.intro)}</p>
    </>
  );
}

function calendarName(id: string, t: Translate): string {
  return id === 'shop' ? t('calShop') : id === '24x7' ? t('cal24x7') : id;
}

function PolicyList({ lookups }: { lookups: Lookups }) {
  const { t, locale } = useI18n();
  return (
    <>
      <ListHead title="setPolicies" intro="setPoliciesIntro" newHref="#/settings/policies/new" />
      <table class="kb-table">
        <thead>
          <tr>
            <th scope="col">{t('setName')}</th>
            <th scope="col">{t('kbVersion')}</th>
            <th scope="col">{t('setCalendar')}</th>
            <th scope="col">{t('setNormalTargets')}</th>
            <th scope="col">{t('setWarnAt')}</th>
          </tr>
        </thead>
        <tbody>
          {lookups.config.policies.map((p) => (
            <tr key={p.policyId}>
              <td>
                <a href={`#/settings/policies/${encodeURIComponent(p.policyId)}`}>{pick(p.name, locale)}</a>
                <div class="muted small mono">{p.policyId}</div>
              </td>
              <td>{p.version}</td>
              <td>{calendarName(p.calendarId, t)}</td>
              <td>{METRICS.map((m) => `${metricLabel(m, t)} ${p.targets.normal?.[m] ?? '–'}`).join(' · ')}</td>
              <td>{p.warnAtPercent}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function TargetGrid(props: { idPrefix: string; grid: PolicyForm['targets']; path: string; errors: FieldError[]; onChange: (p: Priority, m: SlaMetric, value: string) => void; optional?: boolean }) {
  const { t } = useI18n();
  const f = fieldHelpers(props.errors, props.idPrefix);
  return (
    <table class="grid-table">
      <thead>
        <tr>
          <th scope="col">{t('priority')}</th>
          {METRICS.map((m) => (
            <th key={m} scope="col">
              {metricLabel(m, t)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {PRIORITIES.map((p) => (
          <tr key={p}>
            <th scope="row">{priorityLabel(p, t)}</th>
            {METRICS.map((m) => {
              const path = `${props.path}.${p}.${m}`;
              return (
                <td key={m}>
                  <input
                    type="number"
                    min={1}
                    inputMode="numeric"
                    aria-label={`${priorityLabel(p, t)} · ${metricLabel(m, t)} (${t('setMinutes')})`}
                    placeholder={props.optional ? t('setInherit') : ''}
                    value={props.grid[p][m]}
                    {...f.invalidOf(path)}
                    onInput={(e) => props.onChange(p, m, e.currentTarget.value)}
                  />
                  {f.errorOf(path)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PolicyEditor(props: { api: StaffApi; lookups: Lookups; policyId: string; onSaved: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const creating = props.policyId === 'new';
  const existing = props.lookups.config.policies.find((p) => p.policyId === props.policyId);
  const tierIds = props.lookups.tiers.map((x) => x.tierId).filter((id) => id !== 'bronze');
  const [form, setForm] = useState<PolicyForm>(() => (existing ? policyForm(existing, tierIds) : { ...emptyPolicy(), tierTargets: Object.fromEntries(tierIds.map((id) => [id, emptyPolicy().targets])) }));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice(`policy:${props.policyId}`));
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'pol');
  const set = <K extends keyof PolicyForm>(key: K, value: PolicyForm[K]) => setForm((x) => ({ ...x, [key]: value }));
  const calendars = [...BUILTIN_CALENDARS, ...Object.keys(props.lookups.config.calendars).filter((c) => !(BUILTIN_CALENDARS as readonly string[]).includes(c))];
  const supervisors = props.lookups.staff.filter((s) => s.roles.some((r) => r === 'supervisor' || r === 'admin'));
  if (!creating && !existing) return <p class="error">{t('setNotFound')}</p>;

  const save = (event: Event) => {
    event.preventDefault();
    void submitForm(
      { setBusy, setErrors, setNotice },
      t,
      CONFIG_ID.test(form.policyId) ? undefined : { path: 'policyId', message: t('setIdRule') },
      async () => {
        const result = await props.api.put<{ policy: { policyId: string; version: number } }>(`/ticket-config/sla-policies/${encodeURIComponent(form.policyId)}`, policyBody(form));
        await props.onSaved();
        return result;
      },
      (result) => ({ kind: 'ok', text: t('setPolicySaved', { version: result.policy.version }) }),
      (result, saved) => {
        if (!creating) return;
        carryNotice(`policy:${result.policy.policyId}`, saved);
        location.replace(`#/settings/policies/${encodeURIComponent(result.policy.policyId)}`);
      },
    );
  };

  const other = unclaimed(errors, ['policyId', 'name', 'calendarId', 'targets', 'tierTargets', 'warnAtPercent', 'breachActions', 'escalateTo']);
  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="policy-heading">
      <a class="btn ghost" href="#/settings/policies">
        ← {t('setBack')}
      </a>
      <h2 id="policy-heading">{creating ? t('setNewPolicy') : t('setEditPolicy', { name: pick(existing?.name, locale) })}</h2>
      {existing && <p class="muted small">{t('setPolicyVersion', { version: existing.version })}</p>}
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      <div class="kb-fields">
        <div class="field">
          <label for="pol-id">{t('setId')}</label>
          <input id="pol-id" class="mono" value={form.policyId} readOnly={!creating} maxLength={40} {...f.invalidOf('policyId')} aria-describedby={errors.some((e) => e.path === 'policyId') ? 'pol-policyId-error' : 'pol-id-hint'} onInput={(e) => set('policyId', e.currentTarget.value.trim())} />
          <span id="pol-id-hint" class="muted small">
            {t('setIdRule')}
          </span>
          {f.errorOf('policyId')}
        </div>
        <div class="field">
          <label for="pol-name-zh">{t('setNameZh')}</label>
          <input id="pol-name-zh" lang="zh-CN" value={form.nameZh} maxLength={200} {...f.invalidOf('name.zh-CN')} onInput={(e) => set('nameZh', e.currentTarget.value)} />
          {f.errorOf('name.zh-CN')}
        </div>
        <div class="field">
          <label for="pol-name-en">{t('setNameEn')}</label>
          <input id="pol-name-en" lang="en" value={form.nameEn} maxLength={200} {...f.invalidOf('name.en')} onInput={(e) => set('nameEn', e.currentTarget.value)} />
          {f.errorOf('name.en')}
        </div>
        <div class="field">
          <label for="pol-calendar">{t('setCalendar')}</label>
          <select id="pol-calendar" value={form.calendarId} {...f.invalidOf('calendarId')} onChange={(e) => set('calendarId', e.currentTarget.value)}>
            {calendars.map((c) => (
              <option key={c} value={c}>
                {calendarName(c, t)}
              </option>
            ))}
          </select>
          {f.errorOf('calendarId')}
        </div>
        <div class="field">
          <label for="pol-warn">{t('setWarnAt')}</label>
          <input id="pol-warn" type="number" min={1} max={99} value={form.warnAtPercent} {...f.invalidOf('warnAtPercent')} onInput={(e) => set('warnAtPercent', e.currentTarget.value)} />
          {f.errorOf('warnAtPercent')}
        </div>
      </div>
      <fieldset class="field">
        <legend class="label">{t('setTargets')}</legend>
        <p class="muted small">{t('setTargetsHint')}</p>
        <TargetGrid idPrefix="pol" grid={form.targets} path="targets" errors={errors} onChange={(p, m, v) => setForm((x) => ({ ...x, targets: { ...x.targets, [p]: { ...x.targets[p], [m]: v } } }))} />
      </fieldset>
      {Object.keys(form.tierTargets).map((tier) => (
        <details key={tier} class="field tier-targets" open={Object.values(form.tierTargets[tier]!).some((row) => Object.values(row).some(Boolean))}>
          <summary class="label">{t('setTierTargets', { tier: tierName(tier, props.lookups.tiers, locale) })}</summary>
          <p class="muted small">{t('setTierHint')}</p>
          <TargetGrid
            idPrefix={`pol-${tier}`}
            grid={form.tierTargets[tier]!}
            path={`tierTargets.${tier}`}
            errors={errors}
            optional
            onChange={(p, m, v) =>
              setForm((x) => ({ ...x, tierTargets: { ...x.tierTargets, [tier]: { ...x.tierTargets[tier]!, [p]: { ...x.tierTargets[tier]![p], [m]: v } } } }))
            }
          />
        </details>
      ))}
      <fieldset class="field">
        <legend class="label">{t('setBreachActions')}</legend>
        <div class="radio-row">
          {BREACH_ACTIONS.map((a) => (
            <label key={a}>
              <input type="checkbox" checked={form.breachActions.includes(a)} onChange={(e) => set('breachActions', toggle(form.breachActions, a, e.currentTarget.checked))} /> {t(ACTION_LABEL[a]!)}
            </label>
          ))}
        </div>
        {f.errorOf('breachActions')}
      </fieldset>
      <div class="field narrow">
        <label for="pol-escalate">{t('setEscalateTo')}</label>
        <select id="pol-escalate" value={form.escalateTo} {...f.invalidOf('escalateTo')} onChange={(e) => set('escalateTo', e.currentTarget.value)}>
          <option value="">{t('setTeamSupervisor')}</option>
          {supervisors.map((s) => (
            <option key={s.sub} value={s.sub}>
              {s.name || s.email}
            </option>
          ))}
        </select>
        {f.errorOf('escalateTo')}
      </div>
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('saving') : t('setSaveNewVersion')}
        </button>
      </div>
    </form>
  );
}

function tierName(tierId: string, tiers: readonly Tier[], locale: string): string {
  const tier = tiers.find((x) => x.tierId === tierId);
  return tier ? (locale === 'zh-CN' ? tier.name.zh : tier.name.en) : tierId;
}

function CalendarList({ lookups }: { lookups: Lookups }) {
  const { t } = useI18n();
  const ids = Object.keys(lookups.config.calendars);
  return (
    <>
      <ListHead title="setCalendars" intro="setCalendarsIntro" newHref="#/settings/calendars/new" />
      <table class="kb-table">
        <thead>
          <tr>
            <th scope="col">{t('setName')}</th>
            <th scope="col">{t('setTimeZone')}</th>
            <th scope="col">{t('setHours')}</th>
            <th scope="col">{t('setHolidays')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{t('cal24x7')}</td>
            <td>UTC</td>
            <td>{t('cal24x7Hint')}</td>
            <td>–</td>
          </tr>
          {ids.map((id) => {
            const c = lookups.config.calendars[id]!;
            return (
              <tr key={id}>
                <td>
                  <a href={`#/settings/calendars/${encodeURIComponent(id)}`}>{calendarName(id, t)}</a>
                  <div class="muted small mono">{id}</div>
                </td>
                <td>{c.timeZone}</td>
                <td>
                  {WEEKDAYS.filter((d) => c.days[d])
                    .map((d) => `${t(DAY_LABEL[Number(d) - 1]!)} ${c.days[d]![0]}–${c.days[d]![1]}`)
                    .join(' · ') || t('setClosedAll')}
                </td>
                <td>{c.holidays?.length ?? 0}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function CalendarEditor(props: { api: StaffApi; lookups: Lookups; calendarId: string; onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const creating = props.calendarId === 'new';
  const existing = props.lookups.config.calendars[props.calendarId];
  const [form, setForm] = useState<CalendarForm>(() => calendarForm(creating ? '' : props.calendarId, existing));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice(`calendar:${props.calendarId}`));
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'cal');
  if (props.calendarId === '24x7') return <p class="notice">{t('cal24x7Hint')}</p>;
  if (!creating && !existing) return <p class="error">{t('setNotFound')}</p>;

  const setDay = (d: (typeof WEEKDAYS)[number], patch: Partial<CalendarForm['days']['1']>) => setForm((x) => ({ ...x, days: { ...x.days, [d]: { ...x.days[d], ...patch } } }));
  const save = (event: Event) => {
    event.preventDefault();
    void submitForm(
      { setBusy, setErrors, setNotice },
      t,
      CONFIG_ID.test(form.calendarId) && form.calendarId !== '24x7' ? undefined : { path: 'calendarId', message: t('setIdRule') },
      async () => {
        await props.api.put(`/ticket-config/calendars/${encodeURIComponent(form.calendarId)}`, calendarBody(form));
        await props.onSaved();
      },
      () => ({ kind: 'ok', text: t('setSaved') }),
      (_, saved) => {
        if (!creating) return;
        carryNotice(`calendar:${form.calendarId}`, saved);
        location.replace(`#/settings/calendars/${encodeURIComponent(form.calendarId)}`);
      },
    );
  };

  const other = unclaimed(errors, ['calendarId', 'timeZone', 'days', 'holidays']);
  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="calendar-heading">
      <a class="btn ghost" href="#/settings/calendars">
        ← {t('setBack')}
      </a>
      <h2 id="calendar-heading">{creating ? t('setNewCalendar') : t('setEditCalendar', { name: calendarName(props.calendarId, t) })}</h2>
      {props.calendarId === 'shop' && <p class="muted small">{t('calShopHint')}</p>}
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      <div class="kb-fields">
        <div class="field">
          <label for="cal-id">{t('setId')}</label>
          <input id="cal-id" class="mono" value={form.calendarId} readOnly={!creating} maxLength={40} {...f.invalidOf('calendarId')} onInput={(e) => setForm((x) => ({ ...x, calendarId: e.currentTarget.value.trim() }))} />
          {f.errorOf('calendarId')}
        </div>
        <div class="field">
          <label for="cal-zone">{t('setTimeZone')}</label>
          <input id="cal-zone" list="cal-zones" value={form.timeZone} {...f.invalidOf('timeZone')} onInput={(e) => setForm((x) => ({ ...x, timeZone: e.currentTarget.value }))} />
          <datalist id="cal-zones">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {f.errorOf('timeZone')}
        </div>
      </div>
      <fieldset class="field">
        <legend class="label">{t('setHours')}</legend>
        <p class="muted small">{t('setHoursHint')}</p>
        <table class="grid-table">
          <thead>
            <tr>
              <th scope="col">{t('setDay')}</th>
              <th scope="col">{t('setOpen')}</th>
              <th scope="col">{t('setFrom')}</th>
              <th scope="col">{t('setTo')}</th>
            </tr>
          </thead>
          <tbody>
            {WEEKDAYS.map((d) => {
              const day = form.days[d];
              const label = t(DAY_LABEL[Number(d) - 1]!);
              return (
                <tr key={d}>
                  <th scope="row">{label}</th>
                  <td>
                    <input type="checkbox" aria-label={t('setOpenOn', { day: label })} checked={day.open} onChange={(e) => setDay(d, { open: e.currentTarget.checked })} />
                  </td>
                  <td>
                    <input class="time" aria-label={`${label} ${t('setFrom')}`} placeholder="09:00" disabled={!day.open} value={day.from} {...f.invalidOf(`days.${d}.0`)} onInput={(e) => setDay(d, { from: e.currentTarget.value })} />
                    {f.errorOf(`days.${d}.0`)}
                  </td>
                  <td>
                    <input class="time" aria-label={`${label} ${t('setTo')}`} placeholder="18:00" disabled={!day.open} value={day.to} {...f.invalidOf(`days.${d}.1`)} onInput={(e) => setDay(d, { to: e.currentTarget.value })} />
                    {f.errorOf(`days.${d}.1`)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>
      <div class="field narrow">
        <label for="cal-holidays">{t('setHolidays')}</label>
        <textarea id="cal-holidays" rows={5} class="mono" placeholder="2026-10-01" value={form.holidays} {...f.invalidOf('holidays')} aria-describedby="cal-holidays-hint" onInput={(e) => setForm((x) => ({ ...x, holidays: e.currentTarget.value }))} />
        <span id="cal-holidays-hint" class="muted small">
          {t('setHolidaysHint')}
        </span>
        {f.errorOf('holidays')}
      </div>
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
      </div>
    </form>
  );
}

function TeamList({ lookups }: { lookups: Lookups }) {
  const { t, locale } = useI18n();
  const names = new Map(lookups.staff.map((s) => [s.sub, s.name || s.email]));
  return (
    <>
      <ListHead title="setTeams" intro="setTeamsIntro" newHref="#/settings/teams/new" />
      <table class="kb-table">
        <thead>
          <tr>
            <th scope="col">{t('setName')}</th>
            <th scope="col">{t('setMode')}</th>
            <th scope="col">{t('setCapacity')}</th>
            <th scope="col">{t('setMembers')}</th>
          </tr>
        </thead>
        <tbody>
          {lookups.config.teams.map((team) => (
            <tr key={team.teamId}>
              <td>
                <a href={`#/settings/teams/${encodeURIComponent(team.teamId)}`}>{pick(team.name, locale)}</a>
                <div class="muted small mono">{team.teamId}</div>
              </td>
              <td>{team.mode === 'round_robin' ? t('modeRoundRobin') : t('modeLeastLoaded')}</td>
              <td>{team.capacity}</td>
              <td>{team.members.map((m) => names.get(m) ?? m).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function TeamEditor(props: { api: StaffApi; lookups: Lookups; teamId: string; onSaved: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const creating = props.teamId === 'new';
  const existing = props.lookups.config.teams.find((x) => x.teamId === props.teamId);
  const [form, setForm] = useState<TeamForm>(() => (existing ? teamForm(existing) : emptyTeam()));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice(`team:${props.teamId}`));
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'team');
  if (!creating && !existing) return <p class="error">{t('setNotFound')}</p>;
  const agents = props.lookups.staff.filter((s) => s.roles.some((r) => r === 'agent' || r === 'supervisor' || r === 'admin'));
  const set = <K extends keyof TeamForm>(key: K, value: TeamForm[K]) => setForm((x) => ({ ...x, [key]: value }));

  const save = (event: Event) => {
    event.preventDefault();
    void submitForm(
      { setBusy, setErrors, setNotice },
      t,
      CONFIG_ID.test(form.teamId) ? undefined : { path: 'teamId', message: t('setIdRule') },
      async () => {
        await props.api.put(`/ticket-config/teams/${encodeURIComponent(form.teamId)}`, teamBody(form));
        await props.onSaved();
      },
      () => ({ kind: 'ok', text: t('setSaved') }),
      (_, saved) => {
        if (!creating) return;
        carryNotice(`team:${form.teamId}`, saved);
        location.replace(`#/settings/teams/${encodeURIComponent(form.teamId)}`);
      },
    );
  };

  const other = unclaimed(errors, ['teamId', 'name', 'members', 'mode', 'capacity', 'capacities', 'supervisor', 'calendarId']);
  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="team-heading">
      <a class="btn ghost" href="#/settings/teams">
        ← {t('setBack')}
      </a>
      <h2 id="team-heading">{creating ? t('setNewTeam') : t('setEditTeam', { name: pick(existing?.name, locale) })}</h2>
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      <div class="kb-fields">
        <div class="field">
          <label for="team-id">{t('setId')}</label>
          <input id="team-id" class="mono" value={form.teamId} readOnly={!creating} maxLength={40} {...f.invalidOf('teamId')} onInput={(e) => set('teamId', e.currentTarget.value.trim())} />
          {f.errorOf('teamId')}
        </div>
        <div class="field">
          <label for="team-name-zh">{t('setNameZh')}</label>
          <input id="team-name-zh" lang="zh-CN" value={form.nameZh} {...f.invalidOf('name.zh-CN')} onInput={(e) => set('nameZh', e.currentTarget.value)} />
          {f.errorOf('name.zh-CN')}
        </div>
        <div class="field">
          <label for="team-name-en">{t('setNameEn')}</label>
          <input id="team-name-en" lang="en" value={form.nameEn} {...f.invalidOf('name.en')} onInput={(e) => set('nameEn', e.currentTarget.value)} />
          {f.errorOf('name.en')}
        </div>
        <div class="field">
          <label for="team-capacity">{t('setCapacity')}</label>
          <input id="team-capacity" type="number" min={1} max={100} value={form.capacity} {...f.invalidOf('capacity')} aria-describedby="team-capacity-hint" onInput={(e) => set('capacity', e.currentTarget.value)} />
          <span id="team-capacity-hint" class="muted small">
            {t('setCapacityHint')}
          </span>
          {f.errorOf('capacity')}
        </div>
        <div class="field">
          <label for="team-supervisor">{t('setSupervisor')}</label>
          <select id="team-supervisor" value={form.supervisor} {...f.invalidOf('supervisor')} onChange={(e) => set('supervisor', e.currentTarget.value)}>
            <option value="">{t('none')}</option>
            {props.lookups.staff
              .filter((s) => s.roles.some((r) => r === 'supervisor' || r === 'admin'))
              .map((s) => (
                <option key={s.sub} value={s.sub}>
                  {s.name || s.email}
                </option>
              ))}
          </select>
          {f.errorOf('supervisor')}
        </div>
        <div class="field">
          <label for="team-calendar">{t('setCalendar')}</label>
          <select id="team-calendar" value={form.calendarId} {...f.invalidOf('calendarId')} onChange={(e) => set('calendarId', e.currentTarget.value)}>
            <option value="">{t('calShop')}</option>
            {['24x7', ...Object.keys(props.lookups.config.calendars).filter((c) => c !== 'shop')].map((c) => (
              <option key={c} value={c}>
                {calendarName(c, t)}
              </option>
            ))}
          </select>
          {f.errorOf('calendarId')}
        </div>
      </div>
      <fieldset class="field">
        <legend class="label">{t('setMode')}</legend>
        <div class="radio-row">
          <label>
            <input type="radio" name="team-mode" checked={form.mode === 'least_loaded'} onChange={() => set('mode', 'least_loaded')} /> {t('modeLeastLoaded')}
          </label>
          <label>
            <input type="radio" name="team-mode" checked={form.mode === 'round_robin'} onChange={() => set('mode', 'round_robin')} /> {t('modeRoundRobin')}
          </label>
        </div>
        <p class="muted small">{t('setModeHint')}</p>
      </fieldset>
      <fieldset class="field">
        <legend class="label">{t('setMembers')}</legend>
        {f.errorOf('members')}
        <table class="grid-table">
          <thead>
            <tr>
              <th scope="col">{t('setMember')}</th>
              <th scope="col">{t('setInTeam')}</th>
              <th scope="col">{t('setOwnCapacity')}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((s) => {
              const name = s.name || s.email;
              const member = form.members.includes(s.sub);
              return (
                <tr key={s.sub}>
                  <th scope="row">
                    {name} <span class="muted small">({t(s.presence)})</span>
                  </th>
                  <td>
                    <input type="checkbox" aria-label={t('setMemberOf', { name })} checked={member} onChange={(e) => set('members', toggle(form.members, s.sub, e.currentTarget.checked))} />
                  </td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      max={100}
                      aria-label={t('setOwnCapacityOf', { name })}
                      placeholder={form.capacity}
                      disabled={!member}
                      value={form.capacities[s.sub] ?? ''}
                      {...f.invalidOf(`capacities.${s.sub}`)}
                      onInput={(e) => set('capacities', { ...form.capacities, [s.sub]: e.currentTarget.value })}
                    />
                    {f.errorOf(`capacities.${s.sub}`)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
      </div>
    </form>
  );
}

function RulesEditor(props: { api: StaffApi; lookups: Lookups; onSaved: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const [rules, setRules] = useState<RuleForm[]>(() => props.lookups.config.rules.map(ruleForm));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<number | undefined>();
  const update = (i: number, patch: Partial<RuleForm>) => setRules((list) => list.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const save = async (event: Event) => {
    event.preventDefault();
    const bad = rules.findIndex((r) => !CONFIG_ID.test(r.ruleId.trim()));
    if (bad >= 0) {
      setErrors([{ path: `rules.${bad}.ruleId`, message: t('setIdRule') }]);
      setNotice({ kind: 'error', text: t('setInvalid') });
      setOpen(bad);
      return;
    }
    setBusy(true);
    setErrors([]);
    setNotice(undefined);
    try {
      await props.api.put('/ticket-config/routing-rules', { rules: rules.map(ruleBody) });
      await props.onSaved();
      setNotice({ kind: 'ok', text: t('setRulesSaved', { count: rules.length }) });
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      setNotice(failure(err, t));
      const first = fields.map((e) => /^rules\.(\d+)\./.exec(e.path)?.[1]).find((x) => x !== undefined);
      if (first !== undefined) setOpen(Number(first));
    } finally {
      setBusy(false);
    }
  };

  const other = unclaimed(errors, rules.map((_, i) => `rules.${i}`));
  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="rules-heading">
      <div class="kb-head">
        <h2 id="rules-heading">{t('setRules')}</h2>
        <button
          type="button"
          class="btn"
          onClick={() => {
            setRules((list) => [...list, emptyRule()]);
            setOpen(rules.length);
          }}
        >
          {t('setAddRule')}
        </button>
      </div>
      <p class="muted small">{t('setRulesIntro')}</p>
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      {rules.length === 0 && <p class="muted">{t('setNoRules')}</p>}
      <ol class="rules">
        {rules.map((rule, i) => (
          <RuleItem
            key={i}
            index={i}
            count={rules.length}
            rule={rule}
            lookups={props.lookups}
            errors={errors}
            open={open === i}
            locale={locale}
            onToggle={(isOpen) => setOpen(isOpen ? i : open === i ? undefined : open)}
            onChange={(patch) => update(i, patch)}
            onMove={(by) => {
              setRules((list) => move(list, i, by));
              setOpen(i + by);
            }}
            onRemove={() => setRules((list) => list.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('saving') : t('setSaveRules')}
        </button>
      </div>
    </form>
  );
}

function RuleItem(props: {
  index: number;
  count: number;
  rule: RuleForm;
  lookups: Lookups;
  errors: FieldError[];
  open: boolean;
  locale: string;
  onToggle: (open: boolean) => void;
  onChange: (patch: Partial<RuleForm>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  const { rule, index: i } = props;
  const p = `rules.${i}`;
  const f = fieldHelpers(props.errors, `rule${i}`);
  const hasErrors = props.errors.some((e) => e.path.startsWith(p + '.'));
  const title = (props.locale === 'zh-CN' ? rule.nameZh : rule.nameEn) || rule.ruleId || t('setNewRule');
  const checks = (label: ConsoleKey, field: 'channels' | 'categories' | 'priorities' | 'tiers', options: readonly { value: string; label: string }[]) => (
    <fieldset class="field checks">
      <legend class="label">{t(label)}</legend>
      <div class="radio-row">
        {options.map((o) => (
          <label key={o.value}>
            <input type="checkbox" checked={rule[field].includes(o.value)} onChange={(e) => props.onChange({ [field]: toggle(rule[field], o.value, e.currentTarget.checked) })} /> {o.label}
          </label>
        ))}
      </div>
      {f.errorOf(`${p}.when.${field}`)}
    </fieldset>
  );
  return (
    <li class={`rule card${rule.enabled ? '' : ' disabled'}${hasErrors ? ' invalid' : ''}`}>
      <div class="rule-head">
        <span class="rule-order" aria-hidden="true">
          {i + 1}
        </span>
        <button type="button" class="link rule-title" aria-expanded={props.open} onClick={() => props.onToggle(!props.open)}>
          {title}
        </button>
        <label class="toggle small">
          <input type="checkbox" checked={rule.enabled} onChange={(e) => props.onChange({ enabled: e.currentTarget.checked })} /> {t('setEnabled')}
        </label>
        <button type="button" class="btn small" disabled={i === 0} aria-label={t('setMoveUp', { name: title })} onClick={() => props.onMove(-1)}>
          ↑
        </button>
        <button type="button" class="btn small" disabled={i === props.count - 1} aria-label={t('setMoveDown', { name: title })} onClick={() => props.onMove(1)}>
          ↓
        </button>
        <button type="button" class="btn small" aria-label={t('setRemove', { name: title })} onClick={props.onRemove}>
          {t('remove')}
        </button>
      </div>
      <p class="muted small rule-summary">{ruleSummary(rule, t)}</p>
      {props.open && (
        <div class="rule-body">
          <div class="kb-fields">
            <div class="field">
              <label for={`rule${i}-id`}>{t('setId')}</label>
              <input id={`rule${i}-id`} class="mono" value={rule.ruleId} {...f.invalidOf(`${p}.ruleId`)} onInput={(e) => props.onChange({ ruleId: e.currentTarget.value.trim() })} />
              {f.errorOf(`${p}.ruleId`)}
            </div>
            <div class="field">
              <label for={`rule${i}-zh`}>{t('setNameZh')}</label>
              <input id={`rule${i}-zh`} lang="zh-CN" value={rule.nameZh} {...f.invalidOf(`${p}.name.zh-CN`)} onInput={(e) => props.onChange({ nameZh: e.currentTarget.value })} />
              {f.errorOf(`${p}.name.zh-CN`)}
            </div>
            <div class="field">
              <label for={`rule${i}-en`}>{t('setNameEn')}</label>
              <input id={`rule${i}-en`} lang="en" value={rule.nameEn} {...f.invalidOf(`${p}.name.en`)} onInput={(e) => props.onChange({ nameEn: e.currentTarget.value })} />
              {f.errorOf(`${p}.name.en`)}
            </div>
          </div>
          <h3 class="label">{t('setWhen')}</h3>
          <p class="muted small">{t('setWhenHint')}</p>
          {checks('channel', 'channels', CHANNELS.map((c) => ({ value: c, label: channelLabel(c, t) })))}
          {checks('category', 'categories', CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c, t) })))}
          {checks('priority', 'priorities', PRIORITIES.map((x) => ({ value: x, label: priorityLabel(x, t) })))}
          {props.lookups.tiers.length > 0 && checks('setTiers', 'tiers', props.lookups.tiers.map((x) => ({ value: x.tierId, label: props.locale === 'zh-CN' ? x.name.zh : x.name.en })))}
          <div class="kb-fields">
            <div class="field">
              <label for={`rule${i}-lang`}>{t('setLanguages')}</label>
              <input id={`rule${i}-lang`} placeholder="zh, en" value={rule.languages} {...f.invalidOf(`${p}.when.languages`)} onInput={(e) => props.onChange({ languages: e.currentTarget.value })} />
              {f.errorOf(`${p}.when.languages`)}
            </div>
            <div class="field">
              <label for={`rule${i}-tags`}>{t('setTagsAny')}</label>
              <input id={`rule${i}-tags`} value={rule.tagsAny} {...f.invalidOf(`${p}.when.tagsAny`)} onInput={(e) => props.onChange({ tagsAny: e.currentTarget.value })} />
              {f.errorOf(`${p}.when.tagsAny`)}
            </div>
            <div class="field">
              <label for={`rule${i}-hours`}>{t('setBusinessHours')}</label>
              <select id={`rule${i}-hours`} value={rule.businessHours} onChange={(e) => props.onChange({ businessHours: e.currentTarget.value as RuleForm['businessHours'] })}>
                <option value="">{t('setAnyTime')}</option>
                <option value="open">{t('setWhenOpen')}</option>
                <option value="closed">{t('setWhenClosed')}</option>
              </select>
            </div>
          </div>
          <h3 class="label">{t('setThen')}</h3>
          <div class="kb-fields">
            <div class="field">
              <label for={`rule${i}-team`}>{t('team')}</label>
              <select id={`rule${i}-team`} value={rule.team} {...f.invalidOf(`${p}.then.team`)} onChange={(e) => props.onChange({ team: e.currentTarget.value })}>
                <option value="">{t('setKeep')}</option>
                {props.lookups.config.teams.map((x) => (
                  <option key={x.teamId} value={x.teamId}>
                    {pick(x.name, props.locale)}
                  </option>
                ))}
              </select>
              {f.errorOf(`${p}.then.team`)}
            </div>
            <div class="field">
              <label for={`rule${i}-prio`}>{t('priority')}</label>
              <select id={`rule${i}-prio`} value={rule.priority} onChange={(e) => props.onChange({ priority: e.currentTarget.value })}>
                <option value="">{t('setKeep')}</option>
                {PRIORITIES.map((x) => (
                  <option key={x} value={x}>
                    {priorityLabel(x, t)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={`rule${i}-addtags`}>{t('setAddTags')}</label>
              <input id={`rule${i}-addtags`} value={rule.addTags} {...f.invalidOf(`${p}.then.addTags`)} onInput={(e) => props.onChange({ addTags: e.currentTarget.value })} />
              {f.errorOf(`${p}.then.addTags`)}
            </div>
            <div class="field">
              <label for={`rule${i}-policy`}>{t('setPolicy')}</label>
              <select id={`rule${i}-policy`} value={rule.slaPolicyId} {...f.invalidOf(`${p}.then.slaPolicyId`)} onChange={(e) => props.onChange({ slaPolicyId: e.currentTarget.value })}>
                <option value="">{t('setKeep')}</option>
                {props.lookups.config.policies.map((x) => (
                  <option key={x.policyId} value={x.policyId}>
                    {pick(x.name, props.locale)}
                  </option>
                ))}
              </select>
              {f.errorOf(`${p}.then.slaPolicyId`)}
            </div>
          </div>
        </div>
      )}
    </li>
  );
}

/** "chat · Delivery, Order → Delivery and logistics" for a collapsed rule. */
function ruleSummary(rule: RuleForm, t: Translate): string {
  const when = [
    rule.channels.map((c) => channelLabel(c, t)).join('/'),
    rule.categories.map((c) => categoryLabel(c, t)).join('/'),
    rule.priorities.map((x) => priorityLabel(x, t)).join('/'),
    rule.tiers.join('/'),
    rule.languages,
    rule.tagsAny && `#${rule.tagsAny}`,
    rule.businessHours === 'open' ? t('setWhenOpen') : rule.businessHours === 'closed' ? t('setWhenClosed') : '',
  ].filter(Boolean);
  const then = [rule.team && `${t('team')}: ${rule.team}`, rule.priority && priorityLabel(rule.priority, t), rule.addTags && `+${rule.addTags}`, rule.slaPolicyId && `SLA: ${rule.slaPolicyId}`].filter(Boolean);
  return `${when.length ? when.join(' · ') : t('setEverything')} → ${then.length ? then.join(' · ') : t('setNothing')}`;
}
