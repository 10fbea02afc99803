/** Settings › surveys › the settings form: on/off, the survey of each trigger, delay, fatigue cap, link lifetime, edit window, points. */
import { useState } from 'preact/hooks';
import type { FieldError } from '../../lib/http.ts';
import { useI18n } from '../i18n.ts';
import { fieldHelpers, type Notice, NoticeLine, pickText, SelectField } from '../kit/index.ts';
import { unclaimed } from '../tickets-state.ts';
import { NumberFields, type NumberSpec, SaveButton, type SettingsSectionProps, saveAndReload } from './common.tsx';
import {
  type SurveySettingsForm as Form,
  SETTINGS_NUMBERS,
  type SettingsNumber,
  type SurveyConfig,
  surveySettingsBody,
  surveySettingsForm,
  surveySettingsProblems,
  TRIGGERS,
  triggerLabel,
} from './surveys-state.ts';

/** Label, hint and the schema's range (`SettingsBody` in shared/feedback/model.ts) of each number. */
const FIELD: Record<SettingsNumber, NumberSpec> = {
  delaySeconds: { label: 'msDelay', hint: 'msDelayHint', min: 0, max: 900 },
  fatigueDays: { label: 'msFatigue', hint: 'msFatigueHint', min: 0, max: 60 },
  linkTtlHours: { label: 'msLinkTtl', hint: 'msLinkTtlHint', min: 1, max: 720 },
  editWindowMinutes: { label: 'msEditWindow', hint: 'msEditWindowHint', min: 0, max: 1440 },
  pointsPerResponse: { label: 'msSurveyPoints', hint: 'msSurveyPointsHint', min: 0, max: 10_000 },
  pointsMaxPerMonth: { label: 'msSurveyPointsMax', hint: 'msSurveyPointsMaxHint', min: 0, max: 100 },
};

export function SurveySettingsForm(props: {
  api: SettingsSectionProps['api'];
  config: SurveyConfig;
  notice: Notice | undefined;
  onReload: (at: string, notice: Notice) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const { settings, definitions } = props.config;
  const [form, setForm] = useState<Form>(() => surveySettingsForm(settings));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(props.notice);
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'survey');
  const options = definitions.map((d) => ({ value: d.definitionId, label: pickText(d.name, locale) }));

  const save = (event: Event) => {
    event.preventDefault();
    void saveAndReload(
      { setBusy, setErrors, setNotice },
      t,
      surveySettingsProblems(form, t),
      () => props.api.put('/survey-config/settings', surveySettingsBody(form, settings.version)),
      (notice) => props.onReload('settings', notice),
      { saved: t('msSurveySaved'), conflict: t('msConflict') },
    );
  };

  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="survey-settings-heading">
      <h2 id="survey-settings-heading">{t('msSurveySettings')}</h2>
      <p class="muted small">{t('msSurveyIntro')}</p>
      <NoticeLine notice={notice && { ...notice, extra: unclaimed(errors, ['enabled', 'triggers', ...SETTINGS_NUMBERS]) }} />
      <label class="toggle">
        <input type="checkbox" checked={form.enabled} onChange={(e) => setForm((x) => ({ ...x, enabled: e.currentTarget.checked }))} /> {t('msSurveysOn')}
      </label>
      <fieldset class="field">
        <legend class="label">{t('msTriggers')}</legend>
        <p class="muted small">{t('msTriggersHint')}</p>
        <div class="kb-fields">
          {TRIGGERS.map((trigger) => (
            <SelectField
              key={trigger}
              id={`survey-trigger-${trigger}`}
              label={triggerLabel(trigger, t)}
              value={form.triggers[trigger]}
              errors={f}
              path={`triggers.${trigger}`}
              blank={t('msSendNone')}
              options={options}
              onChange={(v) => setForm((x) => ({ ...x, triggers: { ...x.triggers, [trigger]: v } }))}
            />
          ))}
        </div>
      </fieldset>
      <NumberFields prefix="survey" keys={SETTINGS_NUMBERS} spec={FIELD} form={form} errors={f} onInput={(k, v) => setForm((x) => ({ ...x, [k]: v }))} />
      <p class="muted small">{t('msChannelNote')}</p>
      <SaveButton busy={busy} label={t('msSaveSurvey')} />
    </form>
  );
}
