/**
 * 质检设置 for supervisors and admins: what the automatic checks look for (response target,
 * forbidden words and promises, greetings, closings: one term per line), the review sampling share,
 * the low-CSAT line and the 询单转化率 window; and each team's scorecard (items with weights and the
 * automatic checks they stand for, pass mark), saved as a new version.
 */
import { useState } from 'preact/hooks';
import type { FieldError } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-inspection.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { Async, carryNotice, fieldHelpers, type Notice, NoticeLine, pickText, SelectField, TextField, takeNotice, useResource } from '../kit/index.ts';
import { type FlagKind, type InspectionConfigResponse, linesOf, type Rubric, type RubricItem } from '../quality-state.ts';
import { saveAndReload } from '../settings/common.tsx';

const FLAGS: readonly FlagKind[] = [
  'slow_response',
  'forbidden_word',
  'forbidden_promise',
  'missing_greeting',
  'missing_closing',
  'negative_tone',
  'curt_reply',
  'sentiment_worsened',
];

export function InspectionSettingsView(props: { api: StaffApi }) {
  const { t } = useI18n();
  const config = useResource(() => props.api.call<InspectionConfigResponse>('/quality/inspection/config'), []);
  return (
    <section class="inspection-settings" aria-labelledby="insp-settings-heading">
      <h2 id="insp-settings-heading">{t('inspTabSettings')}</h2>
      <p class="muted small">{t('inspSettingsIntro')}</p>
      <Async resource={config}>
        {(data) => (
          <>
            <SettingsForm api={props.api} config={data} reload={config.reload} />
            <Scorecards api={props.api} config={data} reload={config.reload} />
          </>
        )}
      </Async>
    </section>
  );
}

function SettingsForm(props: { api: StaffApi; config: InspectionConfigResponse; reload: () => Promise<void> }) {
  const { t } = useI18n();
  const s = props.config.settings;
  const [form, setForm] = useState({
    responseTargetSeconds: String(s.responseTargetSeconds),
    forbiddenWords: s.forbiddenWords.join('\n'),
    forbiddenPromises: s.forbiddenPromises.join('\n'),
    greetings: s.greetings.join('\n'),
    closings: s.closings.join('\n'),
    samplePercent: String(s.samplePercent),
    lowCsatAtMost: String(s.lowCsatAtMost),
    conversionHours: String(s.conversionHours),
  });
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const helpers = fieldHelpers(errors, 'insp-settings');
  const field = (key: keyof typeof form) => ({ value: form[key], onInput: (v: string) => setForm((f) => ({ ...f, [key]: v })), errors: helpers, path: key });

  const save = (event: Event) => {
    event.preventDefault();
    const body = {
      responseTargetSeconds: Number(form.responseTargetSeconds),
      forbiddenWords: linesOf(form.forbiddenWords),
      forbiddenPromises: linesOf(form.forbiddenPromises),
      greetings: linesOf(form.greetings),
      closings: linesOf(form.closings),
      samplePercent: Number(form.samplePercent),
      lowCsatAtMost: Number(form.lowCsatAtMost),
      conversionHours: Number(form.conversionHours),
      version: s.version,
    };
    void saveAndReload(
      { setBusy, setErrors, setNotice },
      t,
      [],
      () => props.api.put('/quality/inspection/settings', body),
      async (n) => {
        setNotice(n);
        await props.reload();
      },
      { saved: t('inspSettingsSaved', { version: s.version + 1 }), conflict: t('inspSettingsConflict') },
    );
  };

  return (
    <form class="kb-form card" onSubmit={save} noValidate aria-labelledby="insp-checks-heading">
      <h3 id="insp-checks-heading">{t('inspChecks')}</h3>
      <TextField id="insp-target" label={t('inspTarget')} type="number" min={5} max={86400} {...field('responseTargetSeconds')} />
      <TextField id="insp-forbidden" label={t('inspForbiddenWords')} rows={5} hint={t('inspListsHint')} {...field('forbiddenWords')} />
      <TextField id="insp-promises" label={t('inspForbiddenPromises')} rows={4} {...field('forbiddenPromises')} />
      <TextField id="insp-greetings" label={t('inspGreetings')} rows={3} {...field('greetings')} />
      <TextField id="insp-closings" label={t('inspClosings')} rows={3} {...field('closings')} />
      <h3>{t('inspSampling')}</h3>
      <TextField id="insp-share" label={t('inspSamplePercent')} type="number" min={0} max={100} {...field('samplePercent')} />
      <TextField id="insp-low-csat" label={t('inspLowCsat')} type="number" min={1} max={5} {...field('lowCsatAtMost')} />
      <TextField id="insp-hours" label={t('inspConversionHours')} type="number" min={1} max={720} {...field('conversionHours')} />
      <button type="submit" class="btn primary" disabled={busy}>
        {busy ? t('inspSaving') : t('inspSaveSettings')}
      </button>
      <NoticeLine notice={notice} />
    </form>
  );
}

function Scorecards(props: { api: StaffApi; config: InspectionConfigResponse; reload: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const [teamId, setTeamId] = useState(props.config.teams[0]?.teamId ?? '');
  const team = props.config.teams.find((x) => x.teamId === teamId);
  return (
    <div class="card">
      <h3>{t('inspScorecards')}</h3>
      <SelectField
        id="insp-team"
        label={t('inspTeam')}
        value={teamId}
        options={props.config.teams.map((x) => ({ value: x.teamId, label: pickText(x.name, locale) }))}
        onChange={setTeamId}
      />
      {team && (
        <RubricEditor
          key={`${team.teamId}:${team.rubric.version}`}
          api={props.api}
          rubric={team.rubric}
          teamName={pickText(team.name, locale)}
          reload={props.reload}
        />
      )}
    </div>
  );
}

function RubricEditor(props: { api: StaffApi; rubric: Rubric; teamName: string; reload: () => Promise<void> }) {
  const { t } = useI18n();
  const [items, setItems] = useState<RubricItem[]>(props.rubric.items);
  const [passMark, setPassMark] = useState(String(props.rubric.passMark));
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const carried = `rubric:${props.rubric.teamId}`;
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice(carried));
  const helpers = fieldHelpers(errors, 'insp-rubric');
  const change = (i: number, patch: Partial<RubricItem>) => setItems((list) => list.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  const save = (event: Event) => {
    event.preventDefault();
    const body = { items, passMark: Number(passMark), version: props.rubric.version };
    void saveAndReload(
      { setBusy, setErrors, setNotice },
      t,
      [],
      () => props.api.put(`/quality/inspection/rubrics/${encodeURIComponent(props.rubric.teamId)}`, body),
      async (n) => {
        // the editor reopens with the saved version: the notice goes with it
        carryNotice(carried, n);
        setNotice(n);
        await props.reload();
      },
      { saved: t('inspRubricSaved', { team: props.teamName, version: props.rubric.version + 1 }), conflict: t('inspRubricConflict') },
    );
  };
  const addItem = () => setItems((list) => [...list, { id: `item_${list.length + 1}`, label: { 'zh-CN': '', en: '' }, weight: 10, checks: [] }]);

  return (
    <form class="kb-form" onSubmit={save} noValidate aria-label={t('inspScorecards')}>
      <p class="muted small">{props.rubric.version ? t('inspRubricVersion', { version: props.rubric.version }) : t('inspRubricBuiltIn')}</p>
      {items.map((item, i) => (
        <fieldset key={i} class="rubric-item">
          <legend>{item.label['zh-CN'] || item.id}</legend>
          <TextField
            id={`rubric-${i}-zh`}
            label={t('inspItemLabelZh')}
            value={item.label['zh-CN']}
            onInput={(v) => change(i, { label: { ...item.label, 'zh-CN': v } })}
            errors={helpers}
            path={`items.${i}.label.zh-CN`}
          />
          <TextField
            id={`rubric-${i}-en`}
            label={t('inspItemLabelEn')}
            value={item.label.en}
            onInput={(v) => change(i, { label: { ...item.label, en: v } })}
            errors={helpers}
            path={`items.${i}.label.en`}
          />
          <TextField
            id={`rubric-${i}-weight`}
            label={t('inspItemWeight')}
            type="number"
            min={1}
            max={100}
            value={String(item.weight)}
            onInput={(v) => change(i, { weight: Number(v) })}
            errors={helpers}
            path={`items.${i}.weight`}
          />
          <div class="field">
            <span>{t('inspItemChecks')}</span>
            {FLAGS.map((k) => (
              <label key={k} class="check">
                <input
                  type="checkbox"
                  checked={item.checks.includes(k)}
                  onChange={(e) => change(i, { checks: e.currentTarget.checked ? [...item.checks, k] : item.checks.filter((c) => c !== k) })}
                />{' '}
                {t(`inspFlag_${k}` as ConsoleKey)}
              </label>
            ))}
          </div>
          <button type="button" class="btn small" onClick={() => setItems((list) => list.filter((_, j) => j !== i))}>
            {t('inspItemRemove')}
          </button>
        </fieldset>
      ))}
      {helpers.errorOf('items')}
      <button type="button" class="btn small" onClick={addItem}>
        {t('inspItemAdd')}
      </button>
      <TextField
        id="rubric-pass"
        label={t('inspPassMark')}
        type="number"
        min={0}
        max={100}
        value={passMark}
        onInput={setPassMark}
        errors={helpers}
        path="passMark"
      />
      <button type="submit" class="btn primary" disabled={busy}>
        {busy ? t('inspSaving') : t('inspSaveRubric')}
      </button>
      <NoticeLine notice={notice} />
    </form>
  );
}
