/** Settings › surveys › one survey definition: id, names, and its questions (add, remove, reorder, edit). */
import { useState } from 'preact/hooks';
import { ApiError, type FieldError, fieldErrors } from '../../lib/http.ts';
import { useI18n } from '../i18n.ts';
import { failureNotice, fieldHelpers, type Notice, NoticeLine, pickText, SelectField, TextField } from '../kit/index.ts';
import { move } from '../settings-state.ts';
import { unclaimed } from '../tickets-state.ts';
import { BackLink, type SettingsSectionProps } from './common.tsx';
import { QuestionCard } from './surveys-question.tsx';
import {
  type DefinitionForm,
  definitionBody,
  definitionForm,
  definitionFormProblems,
  emptyDefinition,
  kindLabel,
  MAX_QUESTIONS,
  newQuestion,
  QUESTION_KINDS,
  type QuestionForm,
  type QuestionKind,
  SURVEYS,
  type SurveyConfig,
  TRIGGERS,
  triggerLabel,
} from './surveys-state.ts';

export function DefinitionEditor(props: {
  api: SettingsSectionProps['api'];
  config: SurveyConfig;
  definitionId: string;
  notice: Notice | undefined;
  onReload: (at: string, notice: Notice) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const creating = props.definitionId === 'new';
  const existing = props.config.definitions.find((d) => d.definitionId === props.definitionId);
  const [form, setForm] = useState<DefinitionForm>(() => (existing ? definitionForm(existing) : emptyDefinition()));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(props.notice);
  const [busy, setBusy] = useState(false);
  const [addKind, setAddKind] = useState<QuestionKind>('choice');
  const f = fieldHelpers(errors, 'def');
  if (!creating && !existing) {
    return (
      <>
        <BackLink href={SURVEYS} />
        <p class="error" role="alert">
          {t('msSurveyGone')}
        </p>
      </>
    );
  }
  const setQuestions = (update: (questions: QuestionForm[]) => QuestionForm[]) => setForm((x) => ({ ...x, questions: update(x.questions) }));
  const name = (locale === 'zh-CN' ? form.nameZh : form.nameEn) || form.definitionId;
  const usedBy = existing ? TRIGGERS.filter((x) => props.config.settings.triggers[x] === existing.definitionId) : [];

  const save = async (event: Event) => {
    event.preventDefault();
    const problems = definitionFormProblems(
      form,
      creating,
      props.config.definitions.map((d) => d.definitionId),
      t,
    );
    setNotice(undefined);
    if (problems.length) {
      setErrors(problems);
      setNotice({ kind: 'error', text: t('kitInvalid') });
      return;
    }
    const id = creating ? form.definitionId : props.definitionId;
    setBusy(true);
    setErrors([]);
    try {
      await props.api.put(`/survey-config/definitions/${encodeURIComponent(id)}`, definitionBody(form, existing?.version));
      await props.onReload(`def:${id}`, { kind: 'ok', text: t(creating ? 'msSurveyCreated' : 'msSurveyDefSaved', { name }) });
      if (creating) location.replace(`${SURVEYS}/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        await props.onReload(`def:${props.definitionId}`, { kind: 'conflict', text: t('msConflict') });
        return;
      }
      setErrors(fieldErrors(err));
      setNotice(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };

  const other = unclaimed(errors, ['definitionId', 'name', 'questions']);
  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="def-heading">
      <BackLink href={SURVEYS} />
      <h2 id="def-heading">{creating ? t('msNewSurvey') : t('msEditSurvey', { name: pickText(existing?.name, locale) })}</h2>
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      <p class="muted small">
        {usedBy.length ? t('msSentOn', { triggers: usedBy.map((x) => triggerLabel(x, t)).join(t('msListSep')) }) : t('msNotSent')} {t('msVersionNote')}
      </p>
      <div class="kb-fields">
        <TextField
          id="def-id"
          label={t('setId')}
          inputClass="mono"
          value={form.definitionId}
          readOnly={!creating}
          maxLength={40}
          errors={f}
          path="definitionId"
          hint={creating ? t('msIdRule') : undefined}
          onInput={(v) => setForm((x) => ({ ...x, definitionId: v.trim() }))}
        />
        <TextField
          id="def-name-zh"
          label={t('setNameZh')}
          lang="zh-CN"
          maxLength={300}
          value={form.nameZh}
          errors={f}
          path="name.zh-CN"
          onInput={(v) => setForm((x) => ({ ...x, nameZh: v }))}
        />
        <TextField
          id="def-name-en"
          label={t('setNameEn')}
          lang="en"
          maxLength={300}
          value={form.nameEn}
          errors={f}
          path="name.en"
          onInput={(v) => setForm((x) => ({ ...x, nameEn: v }))}
        />
      </div>
      <fieldset class="field">
        <legend class="label">{t('msQuestions')}</legend>
        <p class="muted small">{t('msQuestionsHint')}</p>
        {/* messages about the list itself (its length, the server's survey rules); a question's own appear in its card */}
        {errors.some((e) => e.path === 'questions') && (
          <span class="field-error">
            {errors
              .filter((e) => e.path === 'questions')
              .map((e) => e.message)
              .join(' ')}
          </span>
        )}
        <ol class="rules">
          {form.questions.map((q, i) => (
            <QuestionCard
              key={q.key}
              index={i}
              question={q}
              questions={form.questions}
              errors={errors}
              onChange={(patch) => setQuestions((list) => list.map((x, j) => (j === i ? { ...x, ...patch } : x)))}
              onMove={(by) => setQuestions((list) => move(list, i, by))}
              onRemove={() => setQuestions((list) => list.filter((_, j) => j !== i))}
            />
          ))}
        </ol>
        <div class="kb-actions add-question">
          <SelectField
            id="def-add-kind"
            label={t('msAddKind')}
            value={addKind}
            options={QUESTION_KINDS.map((k) => ({ value: k, label: kindLabel(k, t) }))}
            onChange={(v) => setAddKind(v as QuestionKind)}
          />
          <button
            type="button"
            class="btn"
            disabled={form.questions.length >= MAX_QUESTIONS}
            onClick={() => setQuestions((list) => [...list, newQuestion(addKind, list)])}
          >
            {t('msAddQuestion')}
          </button>
        </div>
      </fieldset>
      <div class="kb-actions">
        <button type="submit" class="btn primary" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
      </div>
    </form>
  );
}
