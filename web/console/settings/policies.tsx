/** Settings › SLA policies: the list and the versioned editor (targets per priority and per tier). */
import { useState } from 'preact/hooks';
import type { FieldError } from '../../lib/http.ts';
import type { Priority, SlaMetric } from '../../lib/types.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { carryNotice, DataTable, fieldHelpers, type Notice, NoticeLine, pickText, SelectField, TextField, takeNotice } from '../kit/index.ts';
import { priorityLabel } from '../labels.ts';
import { BREACH_ACTIONS, BUILTIN_CALENDARS, CONFIG_ID, emptyPolicy, type PolicyForm, policyBody, policyForm, toggle } from '../settings-state.ts';
import { metricLabel } from '../sla-badge.tsx';
import { METRICS, PRIORITIES, unclaimed } from '../tickets-state.ts';
import type { SlaPolicy } from '../tickets-store.ts';
import { BackLink, calendarName, ListHead, type Lookups, SaveButton, type SectionProps, staffName, submitForm, supervisorsOf, tierName } from './common.tsx';

const ACTION_LABEL: Record<string, ConsoleKey> = { notify: 'actNotify', raise_priority: 'actRaise', reassign_to_queue: 'actRequeue', escalate: 'actEscalate' };

export function PolicyList({ lookups }: { lookups: Lookups }) {
  const { t, locale } = useI18n();
  return (
    <>
      <ListHead title="setPolicies" intro="setPoliciesIntro" newHref="#/settings/policies/new" />
      <DataTable<SlaPolicy>
        rows={lookups.config.policies}
        rowKey={(p) => p.policyId}
        columns={[
          {
            key: 'name',
            header: t('setName'),
            cell: (p) => (
              <>
                <a href={`#/settings/policies/${encodeURIComponent(p.policyId)}`}>{pickText(p.name, locale)}</a>
                <div class="muted small mono">{p.policyId}</div>
              </>
            ),
          },
          { key: 'version', header: t('kbVersion'), cell: (p) => p.version },
          { key: 'calendar', header: t('setCalendar'), cell: (p) => calendarName(p.calendarId, t) },
          {
            key: 'targets',
            header: t('setNormalTargets'),
            cell: (p) => METRICS.map((m) => `${metricLabel(m, t)} ${p.targets.normal?.[m] ?? '–'}`).join(' · '),
          },
          { key: 'warn', header: t('setWarnAt'), cell: (p) => `${p.warnAtPercent}%` },
        ]}
      />
    </>
  );
}

function TargetGrid(props: {
  idPrefix: string;
  grid: PolicyForm['targets'];
  path: string;
  errors: FieldError[];
  onChange: (p: Priority, m: SlaMetric, value: string) => void;
  optional?: boolean;
}) {
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

export function PolicyEditor(props: SectionProps & { policyId: string }) {
  const { t, locale } = useI18n();
  const creating = props.policyId === 'new';
  const existing = props.lookups.config.policies.find((p) => p.policyId === props.policyId);
  const tierIds = props.lookups.tiers.map((x) => x.tierId).filter((id) => id !== 'bronze');
  const [form, setForm] = useState<PolicyForm>(() =>
    existing ? policyForm(existing, tierIds) : { ...emptyPolicy(), tierTargets: Object.fromEntries(tierIds.map((id) => [id, emptyPolicy().targets])) },
  );
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice(`policy:${props.policyId}`));
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'pol');
  const set = <K extends keyof PolicyForm>(key: K, value: PolicyForm[K]) => setForm((x) => ({ ...x, [key]: value }));
  const calendars = [...BUILTIN_CALENDARS, ...Object.keys(props.lookups.config.calendars).filter((c) => !(BUILTIN_CALENDARS as readonly string[]).includes(c))];
  if (!creating && !existing) return <p class="error">{t('setNotFound')}</p>;

  const save = (event: Event) => {
    event.preventDefault();
    void submitForm(
      { setBusy, setErrors, setNotice },
      t,
      CONFIG_ID.test(form.policyId) ? undefined : { path: 'policyId', message: t('setIdRule') },
      async () => {
        const result = await props.api.put<{ policy: { policyId: string; version: number } }>(
          `/ticket-config/sla-policies/${encodeURIComponent(form.policyId)}`,
          policyBody(form),
        );
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
      <BackLink href="#/settings/policies" />
      <h2 id="policy-heading">{creating ? t('setNewPolicy') : t('setEditPolicy', { name: pickText(existing?.name, locale) })}</h2>
      {existing && <p class="muted small">{t('setPolicyVersion', { version: existing.version })}</p>}
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      <div class="kb-fields">
        <TextField
          id="pol-id"
          label={t('setId')}
          inputClass="mono"
          value={form.policyId}
          readOnly={!creating}
          maxLength={40}
          errors={f}
          path="policyId"
          hint={t('setIdRule')}
          onInput={(v) => set('policyId', v.trim())}
        />
        <TextField
          id="pol-name-zh"
          label={t('setNameZh')}
          lang="zh-CN"
          value={form.nameZh}
          maxLength={200}
          errors={f}
          path="name.zh-CN"
          onInput={(v) => set('nameZh', v)}
        />
        <TextField
          id="pol-name-en"
          label={t('setNameEn')}
          lang="en"
          value={form.nameEn}
          maxLength={200}
          errors={f}
          path="name.en"
          onInput={(v) => set('nameEn', v)}
        />
        <SelectField
          id="pol-calendar"
          label={t('setCalendar')}
          value={form.calendarId}
          errors={f}
          path="calendarId"
          options={calendars.map((c) => ({ value: c, label: calendarName(c, t) }))}
          onChange={(v) => set('calendarId', v)}
        />
        <TextField
          id="pol-warn"
          label={t('setWarnAt')}
          type="number"
          min={1}
          max={99}
          value={form.warnAtPercent}
          errors={f}
          path="warnAtPercent"
          onInput={(v) => set('warnAtPercent', v)}
        />
      </div>
      <fieldset class="field">
        <legend class="label">{t('setTargets')}</legend>
        <p class="muted small">{t('setTargetsHint')}</p>
        <TargetGrid
          idPrefix="pol"
          grid={form.targets}
          path="targets"
          errors={errors}
          onChange={(p, m, v) => setForm((x) => ({ ...x, targets: { ...x.targets, [p]: { ...x.targets[p], [m]: v } } }))}
        />
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
              <input
                type="checkbox"
                checked={form.breachActions.includes(a)}
                onChange={(e) => set('breachActions', toggle(form.breachActions, a, e.currentTarget.checked))}
              />{' '}
              {t(ACTION_LABEL[a]!)}
            </label>
          ))}
        </div>
        {f.errorOf('breachActions')}
      </fieldset>
      <SelectField
        id="pol-escalate"
        class="narrow"
        label={t('setEscalateTo')}
        value={form.escalateTo}
        errors={f}
        path="escalateTo"
        blank={t('setTeamSupervisor')}
        options={supervisorsOf(props.lookups.staff).map((s) => ({ value: s.sub, label: staffName(s) }))}
        onChange={(v) => set('escalateTo', v)}
      />
      <SaveButton busy={busy} label={t('setSaveNewVersion')} />
    </form>
  );
}
