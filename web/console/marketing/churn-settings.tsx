/**
 * Marketing › churn early warning › thresholds: where a risk becomes medium and high. Marketers
 * (marketing, admin) edit them; other readers see them. Saving moves the members whose level
 * changes at once when the shop is small, else the hourly churn run finishes it; the screen says
 * which, and how far it got.
 */
import { useState } from 'preact/hooks';
import type { ChurnSettingsResponse, ChurnSettingsStatus } from '../../../shared/churn/thresholds.ts';
import type { FieldError } from '../../lib/http.ts';
import type { StaffApi, StaffMe } from '../auth.ts';
import { useI18n } from '../i18n.ts';
import { Async, carryNotice, fieldHelpers, type Notice, NoticeLine, pickText, TextField, takeNotice, useResource } from '../kit/index.ts';
import { money } from '../labels.ts';
import { type ChurnThresholdsForm, churnThresholdsBody, churnThresholdsForm, churnThresholdsProblems } from '../marketing-state.ts';
import { formatNumber } from '../quality-state.ts';
import { BackLink, SaveButton, submitForm } from '../settings/common.tsx';
import { problemErrors } from './common.tsx';

const MARKETERS = ['marketing', 'admin'];

export function ChurnSettings(props: { api: StaffApi }) {
  const { t } = useI18n();
  const settings = useResource(() => props.api.call<ChurnSettingsResponse>('/churn/settings'), [props.api]);
  const me = useResource(() => props.api.call<StaffMe>('/staff/me'), [props.api]);
  const canEdit = me.data?.roles.some((r) => MARKETERS.includes(r)) ?? false;
  return (
    <>
      <BackLink href="#/campaigns/churn" />
      <h2 id="churn-settings-heading">{t('mkThresholds')}</h2>
      <p class="muted small">{t('mkThresholdsIntro')}</p>
      <Async resource={settings}>
        {(s) => <ThresholdsForm key={s.version} api={props.api} settings={s} canEdit={canEdit} onSaved={() => void settings.reload()} />}
      </Async>
    </>
  );
}

function ThresholdsForm(props: { api: StaffApi; settings: ChurnSettingsResponse; canEdit: boolean; onSaved: () => void }) {
  const { t, locale } = useI18n();
  const s = props.settings;
  const [form, setForm] = useState<ChurnThresholdsForm>(() => churnThresholdsForm(s));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice('churn-settings'));
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'churn');

  const save = (event: Event) => {
    event.preventDefault();
    const problems = problemErrors(churnThresholdsProblems(form), t);
    if (problems.length) {
      setErrors(problems);
      setNotice({ kind: 'error', text: t('kitInvalid') });
      return;
    }
    void submitForm(
      { setBusy, setErrors, setNotice },
      t,
      undefined,
      () => props.api.put<ChurnSettingsStatus>('/churn/settings', churnThresholdsBody(form, s.version)),
      (saved) => ({
        kind: 'ok',
        text: saved.apply?.done
          ? t('mkSavedApplied', { version: saved.version, moved: saved.apply.moved })
          : t('mkSavedApplying', { version: saved.version, moved: saved.apply?.moved ?? 0 }),
      }),
      (_, saved) => {
        carryNotice('churn-settings', saved);
        props.onSaved();
      },
    );
  };

  const pct = (v: string) => (v.trim() && Number.isFinite(Number(v)) ? `${formatNumber(Number(v), locale, 1)}%` : '…');
  const apply = s.apply?.version === s.version ? s.apply : undefined;
  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="churn-settings-heading">
      <p class="muted small" data-version={s.version}>
        {s.version === 0 ? t('mkDefaults') : t('mkVersionLine', { version: s.version, time: s.updatedAt ? new Date(s.updatedAt).toLocaleString(locale) : '–' })}
      </p>
      <NoticeLine notice={notice && { ...notice, extra: errors.filter((e) => e.path !== 'mediumAt' && e.path !== 'highAt').map((e) => e.message) }} />
      {!props.canEdit && <p class="muted">{t('mkReadOnly')}</p>}
      <div class="kb-fields">
        <TextField
          id="churn-medium"
          label={t('mkMediumAt')}
          type="number"
          min={1}
          max={99}
          value={form.mediumPercent}
          readOnly={!props.canEdit}
          errors={f}
          path="mediumAt"
          hint={t('mkMediumHint')}
          onInput={(v) => setForm((x) => ({ ...x, mediumPercent: v }))}
        />
        <TextField
          id="churn-high"
          label={t('mkHighAt')}
          type="number"
          min={1}
          max={99}
          value={form.highPercent}
          readOnly={!props.canEdit}
          errors={f}
          path="highAt"
          hint={t('mkHighHint')}
          onInput={(v) => setForm((x) => ({ ...x, highPercent: v }))}
        />
      </div>
      <h3 class="label">{t('mkLevels')}</h3>
      <ul class="levels" aria-live="polite">
        <li>
          <span class="risk low">{pickText(s.levels.low, locale)}</span> {t('mkBandLow', { medium: pct(form.mediumPercent) })}
        </li>
        <li>
          <span class="risk medium">{pickText(s.levels.medium, locale)}</span>{' '}
          {t('mkBandMedium', { medium: pct(form.mediumPercent), high: pct(form.highPercent) })}
        </li>
        <li>
          <span class="risk high">{pickText(s.levels.high, locale)}</span> {t('mkBandHigh', { high: pct(form.highPercent) })}
        </li>
      </ul>
      {props.canEdit && <SaveButton busy={busy} label={t('mkSaveThresholds')} />}
      <h3 class="label">{t('mkApplyHeading')}</h3>
      <p class="small" data-apply={apply ? (apply.done ? 'done' : 'running') : s.version === 0 ? 'defaults' : 'waiting'}>
        {apply?.done
          ? t('mkApplyDone', { version: s.version, time: new Date(apply.finishedAt ?? apply.startedAt).toLocaleString(locale), moved: apply.moved })
          : apply
            ? t('mkApplyRunning', { moved: apply.moved })
            : s.version === 0
              ? t('mkApplyDefaults')
              : t('mkApplyWaiting')}
      </p>
      <p class="muted small">{t('mkHowToTell')}</p>
      <h3 class="label">{t('mkReference')}</h3>
      <p class="muted small">
        {s.reference
          ? t('mkReferenceIs', {
              aov: money(s.reference.medianAov, 'CNY', locale),
              days: s.reference.medianRatePerDay > 0 ? formatNumber(1 / s.reference.medianRatePerDay, locale, 0) : '–',
              members: s.reference.members,
              time: new Date(s.reference.computedAt).toLocaleString(locale),
            })
          : t('mkReferenceNone')}
      </p>
    </form>
  );
}
