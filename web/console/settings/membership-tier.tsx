/** Settings › membership › one tier: names, rank, the thresholds that reach it, its benefits and perks; delete with confirmation. */
import { useState } from 'preact/hooks';
import { ApiError, type FieldError, fieldErrors } from '../../lib/http.ts';
import { useI18n } from '../i18n.ts';
import { type FieldHelpers, failureNotice, fieldHelpers, type Notice, NoticeLine, pickText, SelectField, TextField } from '../kit/index.ts';
import { move } from '../settings-state.ts';
import { unclaimed } from '../tickets-state.ts';
import { BackLink, type SettingsSectionProps } from './common.tsx';
import {
  deleteProblem,
  emptyTier,
  MEMBERSHIP,
  type MembershipData,
  type Perk,
  type TierForm,
  tierBody,
  tierForm,
  tierFormProblems,
} from './membership-state.ts';

const FIELDS = ['tierId', 'rank', 'name', 'minSpend', 'minPoints', 'benefits'];

/** Whether a refused deletion is because members still hold the tier (the server's `details.reason`). */
const inUse = (err: unknown) => err instanceof ApiError && err.status === 409 && (err.details as { reason?: string } | undefined)?.reason === 'tier_in_use';

export function TierEditor(props: {
  api: SettingsSectionProps['api'];
  data: MembershipData;
  tierId: string;
  notice: Notice | undefined;
  onReload: (at: string, notice: Notice) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const zh = locale === 'zh-CN';
  const { data } = props;
  const creating = props.tierId === 'new';
  const existing = data.tiers.find((x) => x.tierId === props.tierId);
  const [form, setForm] = useState<TierForm>(() => (existing ? tierForm(existing) : emptyTier(data.tiers)));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(props.notice);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const f = fieldHelpers(errors, 'tier');
  if (!creating && !existing) {
    return (
      <>
        <BackLink href={MEMBERSHIP} />
        <p class="error" role="alert">
          {t('msTierGone')}
        </p>
      </>
    );
  }
  const set = <K extends keyof TierForm>(key: K, value: TierForm[K]) => setForm((x) => ({ ...x, [key]: value }));
  const name = (zh ? form.nameZh : form.nameEn) || form.tierId;
  const here = `tier:${props.tierId}`;
  const isEntry = !creating && data.tiers[0]?.tierId === props.tierId;

  const save = async (event: Event) => {
    event.preventDefault();
    const problems = tierFormProblems(form, data.tiers, creating, t, zh);
    setNotice(undefined);
    if (problems.length) {
      setErrors(problems);
      setNotice({ kind: 'error', text: t('kitInvalid') });
      return;
    }
    const id = creating ? form.tierId : props.tierId;
    setBusy(true);
    setErrors([]);
    try {
      await props.api.put(`/tiers/${encodeURIComponent(id)}`, tierBody(form, existing?.version));
      await props.onReload(`tier:${id}`, { kind: 'ok', text: t(creating ? 'msTierCreated' : 'msTierSaved', { name }) });
      if (creating) location.replace(`${MEMBERSHIP}/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        await props.onReload(here, { kind: 'conflict', text: t('msConflict') });
        return;
      }
      setErrors(fieldErrors(err));
      setNotice(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };

  const askDelete = () => {
    const problem = deleteProblem(props.tierId, data.tiers, t, zh);
    if (problem) setNotice({ kind: 'error', text: problem });
    else setConfirming(true);
  };

  const remove = async () => {
    setBusy(true);
    setNotice(undefined);
    try {
      await props.api.delete(`/tiers/${encodeURIComponent(props.tierId)}`);
      location.hash = MEMBERSHIP;
      await props.onReload('list', { kind: 'ok', text: t('msTierDeleted', { name }) });
    } catch (err) {
      setConfirming(false);
      if (inUse(err)) setNotice({ kind: 'error', text: t('msTierInUse', { name, grace: data.settings.graceDays, review: data.settings.reviewEveryDays }) });
      else if (err instanceof ApiError && err.status === 409) await props.onReload(here, { kind: 'conflict', text: t('msConflict') });
      else if (err instanceof ApiError && err.status === 404) {
        location.hash = MEMBERSHIP;
        await props.onReload('list', { kind: 'error', text: t('msTierGone') });
      } else setNotice(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };

  const other = unclaimed(errors, FIELDS);
  const policies = data.config?.policies ?? [];
  const teams = data.config?.teams ?? [];
  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="tier-heading">
      <BackLink href={MEMBERSHIP} />
      <h2 id="tier-heading">{creating ? t('msNewTier') : t('msEditTier', { name: pickText(existing?.name, locale) })}</h2>
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      {data.defaults && <p class="muted small">{t('msDefaultsNote')}</p>}
      <div class="kb-fields">
        <TextField
          id="tier-id"
          label={t('setId')}
          inputClass="mono"
          value={form.tierId}
          readOnly={!creating}
          maxLength={32}
          errors={f}
          path="tierId"
          hint={creating ? t('msTierIdRule') : undefined}
          onInput={(v) => set('tierId', v.trim())}
        />
        <TextField
          id="tier-name-zh"
          label={t('setNameZh')}
          lang="zh-CN"
          maxLength={200}
          value={form.nameZh}
          errors={f}
          path="name.zh"
          onInput={(v) => set('nameZh', v)}
        />
        <TextField
          id="tier-name-en"
          label={t('setNameEn')}
          lang="en"
          maxLength={200}
          value={form.nameEn}
          errors={f}
          path="name.en"
          onInput={(v) => set('nameEn', v)}
        />
        <TextField
          id="tier-rank"
          label={t('msRank')}
          type="number"
          min={0}
          max={99}
          value={form.rank}
          errors={f}
          path="rank"
          hint={t('msRankHint')}
          onInput={(v) => set('rank', v)}
        />
      </div>
      <fieldset class="field">
        <legend class="label">{t('msReachedBy')}</legend>
        <p class="muted small">{isEntry ? t('msEntryHint') : t('msThresholdHint', { days: data.settings.windowDays })}</p>
        <div class="kb-fields">
          <TextField
            id="tier-min-spend"
            label={t('msMinSpend')}
            type="number"
            min={0}
            value={form.minSpend}
            errors={f}
            path="minSpend"
            onInput={(v) => set('minSpend', v)}
          />
          <TextField
            id="tier-min-points"
            label={t('msMinPoints')}
            type="number"
            min={0}
            value={form.minPoints}
            errors={f}
            path="minPoints"
            onInput={(v) => set('minPoints', v)}
          />
        </div>
      </fieldset>
      <fieldset class="field">
        <legend class="label">{t('msBenefits')}</legend>
        <div class="kb-fields">
          <TextField
            id="tier-multiplier"
            label={t('msMultiplier')}
            type="number"
            min={0}
            max={10}
            value={form.pointsMultiplier}
            errors={f}
            path="benefits.pointsMultiplier"
            hint={t('msMultiplierHint', { rate: data.settings.pointsPerUnit })}
            onInput={(v) => set('pointsMultiplier', v)}
          />
          <TextField
            id="tier-boost"
            label={t('msBoost')}
            type="number"
            min={0}
            max={10}
            value={form.priorityBoost}
            errors={f}
            path="benefits.priorityBoost"
            hint={t('msBoostHint')}
            onInput={(v) => set('priorityBoost', v)}
          />
          <SelectField
            id="tier-sla"
            label={t('msSlaPolicy')}
            value={form.slaPolicyId}
            errors={f}
            path="benefits.slaPolicyId"
            blank={t('msNoSla')}
            options={policies.map((p) => ({ value: p.policyId, label: pickText(p.name, locale) }))}
            onChange={(v) => set('slaPolicyId', v)}
          />
          <SelectField
            id="tier-team"
            label={t('msRoutingTeam')}
            value={form.routingTeam}
            errors={f}
            path="benefits.routingTeam"
            blank={t('msNoTeam')}
            hint={t('msRoutingTeamHint')}
            options={teams.map((x) => ({ value: x.teamId, label: pickText(x.name, locale) }))}
            onChange={(v) => set('routingTeam', v)}
          />
        </div>
        {!data.config && <p class="muted small">{t('msNoConfig')}</p>}
      </fieldset>
      <PerksField perks={form.perks} f={f} onChange={(perks) => set('perks', perks)} />
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
        {!creating &&
          (confirming ? (
            <span class="confirm" role="group" aria-label={t('msDeleteConfirm', { name })}>
              <span>{t('msDeleteConfirm', { name })}</span>{' '}
              <button type="button" class="btn danger" disabled={busy} onClick={() => void remove()}>
                {t('msDeleteYes')}
              </button>{' '}
              <button type="button" class="btn" onClick={() => setConfirming(false)}>
                {t('msDeleteNo')}
              </button>
            </span>
          ) : (
            <button type="button" class="btn" disabled={busy} onClick={askDelete}>
              {t('msDeleteTier')}
            </button>
          ))}
      </div>
      {!creating && <p class="muted small">{t('msDeleteHint')}</p>}
    </form>
  );
}

/** The tier's perks in both languages: add, reorder, remove. */
function PerksField(props: { perks: Perk[]; f: FieldHelpers; onChange: (perks: Perk[]) => void }) {
  const { t } = useI18n();
  const { perks, f } = props;
  const update = (i: number, patch: Partial<Perk>) => props.onChange(perks.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <fieldset class="field">
      <legend class="label">{t('msPerks')}</legend>
      <p class="muted small">{t('msPerksHint')}</p>
      {f.errorOf('benefits.perks')}
      {perks.length === 0 && <p class="muted small">{t('msNoPerks')}</p>}
      <ol class="rules">
        {perks.map((p, i) => {
          const n = i + 1;
          return (
            <li key={i} class="rule card">
              <div class="kb-fields two">
                <TextField
                  id={`perk-${i}-zh`}
                  label={t('msPerkZh', { n })}
                  lang="zh-CN"
                  maxLength={200}
                  value={p.zh}
                  errors={f}
                  path={`benefits.perks.${i}.zh`}
                  onInput={(v) => update(i, { zh: v })}
                />
                <TextField
                  id={`perk-${i}-en`}
                  label={t('msPerkEn', { n })}
                  lang="en"
                  maxLength={200}
                  value={p.en}
                  errors={f}
                  path={`benefits.perks.${i}.en`}
                  onInput={(v) => update(i, { en: v })}
                />
              </div>
              <div class="kb-actions">
                <button type="button" class="btn small" disabled={i === 0} aria-label={t('msPerkUp', { n })} onClick={() => props.onChange(move(perks, i, -1))}>
                  ↑
                </button>
                <button
                  type="button"
                  class="btn small"
                  disabled={i === perks.length - 1}
                  aria-label={t('msPerkDown', { n })}
                  onClick={() => props.onChange(move(perks, i, 1))}
                >
                  ↓
                </button>
                <button type="button" class="btn small" aria-label={t('msPerkRemove', { n })} onClick={() => props.onChange(perks.filter((_, j) => j !== i))}>
                  {t('remove')}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      {perks.length < 20 && (
        <div>
          <button type="button" class="btn" onClick={() => props.onChange([...perks, { zh: '', en: '' }])}>
            {t('msAddPerk')}
          </button>
        </div>
      )}
    </fieldset>
  );
}
