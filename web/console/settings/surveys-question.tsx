/** One question of a survey definition: kind, id, texts in both languages, required, choice options, "only after a low score". */
import type { FieldError } from '../../lib/http.ts';
import { useI18n } from '../i18n.ts';
import { fieldHelpers, SelectField, TextField } from '../kit/index.ts';
import {
  defaultAtMost,
  isScore,
  kindLabel,
  MAX_OPTIONS,
  newOption,
  type OptionForm,
  QUESTION_KINDS,
  type QuestionForm,
  type QuestionKind,
  SCORE_RANGE,
  withKind,
} from './surveys-state.ts';

export function QuestionCard(props: {
  index: number;
  question: QuestionForm;
  questions: readonly QuestionForm[];
  errors: FieldError[];
  onChange: (patch: Partial<QuestionForm>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t, locale } = useI18n();
  const { question: q, index: i } = props;
  const n = i + 1;
  const p = `questions.${i}`;
  const f = fieldHelpers(props.errors, `q${q.key}`);
  const invalid = props.errors.some((e) => e.path.startsWith(`${p}.`));
  const title = (locale === 'zh-CN' ? q.textZh : q.textEn) || q.id;
  const targets = props.questions.filter((x) => x !== q && isScore(x.kind));
  const target = props.questions.find((x) => x.key === q.showIf);
  const range = target && isScore(target.kind) ? SCORE_RANGE[target.kind] : undefined;
  const setOptions = (options: OptionForm[]) => props.onChange({ options });
  const updateOption = (j: number, patch: Partial<OptionForm>) => setOptions(q.options.map((o, k) => (k === j ? { ...o, ...patch } : o)));

  return (
    <li class={`rule card question${invalid ? ' invalid' : ''}`}>
      <div class="rule-head">
        <span class="rule-order" aria-hidden="true">
          {n}
        </span>
        <span class="rule-title">
          {title} <span class="muted small">({kindLabel(q.kind, t)})</span>
        </span>
        <button type="button" class="btn small" disabled={i === 0} aria-label={t('msQUp', { n })} onClick={() => props.onMove(-1)}>
          ↑
        </button>
        <button type="button" class="btn small" disabled={i === props.questions.length - 1} aria-label={t('msQDown', { n })} onClick={() => props.onMove(1)}>
          ↓
        </button>
        <button type="button" class="btn small" aria-label={t('msQRemove', { n })} onClick={props.onRemove}>
          {t('remove')}
        </button>
      </div>
      <div class="rule-body">
        <div class="kb-fields">
          <SelectField
            id={`q${q.key}-kind`}
            label={t('msQKind', { n })}
            value={q.kind}
            errors={f}
            path={`${p}.kind`}
            options={QUESTION_KINDS.map((k) => ({ value: k, label: kindLabel(k, t) }))}
            onChange={(v) => props.onChange(withKind(q, v as QuestionKind))}
          />
          <TextField
            id={`q${q.key}-id`}
            label={t('msQId', { n })}
            inputClass="mono"
            maxLength={40}
            value={q.id}
            errors={f}
            path={`${p}.id`}
            onInput={(v) => props.onChange({ id: v.trim() })}
          />
          <label class="toggle">
            <input type="checkbox" checked={q.required} onChange={(e) => props.onChange({ required: e.currentTarget.checked })} /> {t('msQRequired', { n })}
          </label>
        </div>
        <div class="kb-fields two">
          <TextField
            id={`q${q.key}-zh`}
            label={t('msQTextZh', { n })}
            lang="zh-CN"
            maxLength={300}
            value={q.textZh}
            errors={f}
            path={`${p}.text.zh-CN`}
            onInput={(v) => props.onChange({ textZh: v })}
          />
          <TextField
            id={`q${q.key}-en`}
            label={t('msQTextEn', { n })}
            lang="en"
            maxLength={300}
            value={q.textEn}
            errors={f}
            path={`${p}.text.en`}
            onInput={(v) => props.onChange({ textEn: v })}
          />
        </div>
        {isScore(q.kind) && <p class="muted small">{t('msScaleNote', { from: SCORE_RANGE[q.kind][0], to: SCORE_RANGE[q.kind][1] })}</p>}
        {q.kind === 'choice' && (
          <fieldset class="field">
            <legend class="label">{t('msOptions', { n })}</legend>
            <label class="toggle">
              <input type="checkbox" checked={q.multiple} onChange={(e) => props.onChange({ multiple: e.currentTarget.checked })} /> {t('msMultiple', { n })}
            </label>
            {props.errors.some((e) => e.path === `${p}.options`) && (
              <span class="field-error">
                {props.errors
                  .filter((e) => e.path === `${p}.options`)
                  .map((e) => e.message)
                  .join(' ')}
              </span>
            )}
            {q.options.map((o, j) => {
              const m = j + 1;
              const op = `${p}.options.${j}`;
              return (
                <div key={j} class="kb-fields option-row">
                  <TextField
                    id={`q${q.key}-o${j}-id`}
                    label={t('msOptionId', { n, m })}
                    inputClass="mono"
                    maxLength={40}
                    value={o.id}
                    errors={f}
                    path={`${op}.id`}
                    onInput={(v) => updateOption(j, { id: v.trim() })}
                  />
                  <TextField
                    id={`q${q.key}-o${j}-zh`}
                    label={t('msOptionZh', { n, m })}
                    lang="zh-CN"
                    maxLength={300}
                    value={o.zh}
                    errors={f}
                    path={`${op}.text.zh-CN`}
                    onInput={(v) => updateOption(j, { zh: v })}
                  />
                  <TextField
                    id={`q${q.key}-o${j}-en`}
                    label={t('msOptionEn', { n, m })}
                    lang="en"
                    maxLength={300}
                    value={o.en}
                    errors={f}
                    path={`${op}.text.en`}
                    onInput={(v) => updateOption(j, { en: v })}
                  />
                  <div class="option-remove">
                    <button
                      type="button"
                      class="btn small"
                      aria-label={t('msOptionRemove', { n, m })}
                      onClick={() => setOptions(q.options.filter((_, k) => k !== j))}
                    >
                      {t('remove')}
                    </button>
                  </div>
                </div>
              );
            })}
            {q.options.length < MAX_OPTIONS && (
              <div>
                <button type="button" class="btn small" onClick={() => setOptions([...q.options, newOption(q.options)])}>
                  {t('msAddOption', { n })}
                </button>
              </div>
            )}
          </fieldset>
        )}
        {(targets.length > 0 || q.showIf !== 0) && (
          <div class="kb-fields">
            <SelectField
              id={`q${q.key}-show-if`}
              label={t('msShowIf', { n })}
              value={q.showIf ? String(q.showIf) : ''}
              errors={f}
              path={`${p}.showIf.question`}
              blank={t('msAlwaysShown')}
              options={targets.map((x) => ({ value: String(x.key), label: `${(locale === 'zh-CN' ? x.textZh : x.textEn) || x.id} (${kindLabel(x.kind, t)})` }))}
              onChange={(v) => {
                const key = Number(v) || 0;
                const picked = props.questions.find((x) => x.key === key);
                props.onChange({ showIf: key, atMost: key ? q.atMost || defaultAtMost(picked?.kind) : '' });
              }}
            />
            {q.showIf !== 0 && (
              <TextField
                id={`q${q.key}-at-most`}
                label={t('msAtMost', { n })}
                type="number"
                min={range?.[0] ?? 0}
                max={range?.[1] ?? 10}
                value={q.atMost}
                errors={f}
                path={`${p}.showIf.atMost`}
                hint={t('msAtMostHint')}
                onInput={(v) => props.onChange({ atMost: v })}
              />
            )}
          </div>
        )}
      </div>
    </li>
  );
}
