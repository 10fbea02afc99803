/**
 * Pure form logic of Settings › Surveys: the survey settings (which survey each trigger sends, the
 * delay, the fatigue cap, link lifetime, edit window, points) and survey definitions with their
 * questions, as the forms hold them and as the bodies of `PUT /survey-config/settings` and
 * `PUT /survey-config/definitions/{definitionId}` (`SettingsBody`, `DefinitionBody` in
 * shared/feedback/model.ts). The definition rules the server checks (`definitionProblems` in
 * shared/feedback/rules.ts) are checked here too, next to the question they concern.
 */
// The server's own shapes, type-only (nothing of the server is bundled): a change there is a compile error here.
import type { Bilingual, Question, QuestionKind, SurveyDefinition, SurveySettings } from '../../../shared/feedback/model.ts';
import type { FieldError } from '../../lib/http.ts';
import type { Translate } from '../i18n.ts';

export type { Bilingual, Question, QuestionKind, SurveyDefinition, SurveySettings };

export const SURVEYS = '#/settings/surveys';

export const QUESTION_KINDS = ['csat', 'ces', 'nps', 'choice', 'text'] as const satisfies readonly QuestionKind[];
export const SCORE_KINDS = ['csat', 'ces', 'nps'] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];
export const isScore = (kind: string): kind is ScoreKind => (SCORE_KINDS as readonly string[]).includes(kind);
/** Score ranges (shared/feedback/model.ts `SCORE_RANGE`). */
export const SCORE_RANGE: Record<ScoreKind, [number, number]> = { csat: [1, 5], ces: [1, 7], nps: [0, 10] };

const KIND_LABEL = { csat: 'msKindCsat', ces: 'msKindCes', nps: 'msKindNps', choice: 'msKindChoice', text: 'msKindText' } as const;
export const kindLabel = (kind: QuestionKind, t: Translate) => t(KIND_LABEL[kind]);

export const TRIGGERS = ['conversation_resolved', 'ticket_solved', 'bot_resolved'] as const satisfies readonly (keyof SurveySettings['triggers'])[];
export type Trigger = (typeof TRIGGERS)[number];

const TRIGGER_LABEL = { conversation_resolved: 'msTrigConversation', ticket_solved: 'msTrigTicket', bot_resolved: 'msTrigBot' } as const;
export const triggerLabel = (trigger: Trigger, t: Translate) => t(TRIGGER_LABEL[trigger]);

/** `GET /survey-config`. */
export interface SurveyConfig {
  settings: SurveySettings;
  definitions: SurveyDefinition[];
}

export const SETTINGS_NUMBERS = ['delaySeconds', 'fatigueDays', 'linkTtlHours', 'editWindowMinutes', 'pointsPerResponse', 'pointsMaxPerMonth'] as const;
export type SettingsNumber = (typeof SETTINGS_NUMBERS)[number];

export type SurveySettingsForm = Record<SettingsNumber, string> & {
  enabled: boolean;
  /** The definition each trigger sends ('' = the trigger sends none). */
  triggers: Record<Trigger, string>;
};

export function surveySettingsForm(s: SurveySettings): SurveySettingsForm {
  return {
    enabled: s.enabled,
    ...(Object.fromEntries(SETTINGS_NUMBERS.map((k) => [k, String(s[k])])) as Record<SettingsNumber, string>),
    triggers: Object.fromEntries(TRIGGERS.map((k) => [k, s.triggers[k] ?? ''])) as Record<Trigger, string>,
  };
}

const typed = (value: string): number | null => {
  const trimmed = value.trim();
  const n = Number(trimmed);
  return trimmed !== '' && Number.isFinite(n) ? n : null;
};

/** The body of `PUT /survey-config/settings` with the version read. */
export function surveySettingsBody(form: SurveySettingsForm, version: number): Record<string, unknown> {
  const body: Record<string, unknown> = { enabled: form.enabled };
  for (const k of SETTINGS_NUMBERS) body[k] = typed(form[k]);
  body.triggers = Object.fromEntries(TRIGGERS.map((k) => [k, form.triggers[k] || null]));
  body.version = version;
  return body;
}

export function surveySettingsProblems(form: SurveySettingsForm, t: Translate): FieldError[] {
  return SETTINGS_NUMBERS.filter((k) => !form[k].trim()).map((k) => ({ path: k, message: t('msRequired') }));
}

/** The server's id rule for definitions, questions and options (`new` opens the editor of a new survey). */
export const SURVEY_ID = /^[a-z][a-z0-9_-]{0,39}$/;
export const MAX_QUESTIONS = 10;
export const MAX_OPTIONS = 12;

export interface OptionForm {
  id: string;
  zh: string;
  en: string;
}

export interface QuestionForm {
  /** Stable while the form is open (list keys survive reordering); never sent. */
  key: number;
  id: string;
  kind: QuestionKind;
  textZh: string;
  textEn: string;
  required: boolean;
  /** Kept while the kind is switched back and forth; sent for choice questions only. */
  options: OptionForm[];
  multiple: boolean;
  /** The `key` of the score question this one depends on (0 = always shown; it follows that question's id and place) and its highest score. */
  showIf: number;
  atMost: string;
}

export interface DefinitionForm {
  definitionId: string;
  nameZh: string;
  nameEn: string;
  questions: QuestionForm[];
}

let keys = 0;
const nextKey = () => ++keys;

function questionForm(q: Question, key: number, keyOf: (id: string) => number): QuestionForm {
  return {
    key,
    id: q.id,
    kind: q.kind,
    textZh: q.text['zh-CN'],
    textEn: q.text.en,
    required: q.required,
    options: (q.options ?? []).map((o) => ({ id: o.id, zh: o.text['zh-CN'], en: o.text.en })),
    multiple: q.multiple ?? false,
    showIf: q.showIf ? keyOf(q.showIf.question) : 0,
    atMost: q.showIf ? String(q.showIf.atMost) : '',
  };
}

export function definitionForm(def: SurveyDefinition): DefinitionForm {
  const keys = def.questions.map(() => nextKey());
  // a reference to no question of the list keeps a key of its own: the form then names the problem
  const keyOf = (id: string) => keys[def.questions.findIndex((q) => q.id === id)] ?? nextKey();
  return {
    definitionId: def.definitionId,
    nameZh: def.name['zh-CN'],
    nameEn: def.name.en,
    questions: def.questions.map((q, i) => questionForm(q, keys[i]!, keyOf)),
  };
}

/** A first id for a new question or option that the list does not use yet (`csat` for a CSAT question, else `q3`, `opt2`…). */
export function freeId(taken: readonly string[], preferred: string, prefix: string): string {
  if (!taken.includes(preferred)) return preferred;
  for (let n = 1; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

export function newOption(options: readonly OptionForm[]): OptionForm {
  return {
    id: freeId(
      options.map((o) => o.id),
      `opt${options.length + 1}`,
      'opt',
    ),
    zh: '',
    en: '',
  };
}

/** A new question of a kind, with an unused id (choice questions start with two empty options). */
export function newQuestion(kind: QuestionKind, questions: readonly QuestionForm[]): QuestionForm {
  const ids = questions.map((q) => q.id);
  const first = newOption([]);
  return {
    key: nextKey(),
    id: freeId(ids, isScore(kind) || kind === 'text' ? kind : `q${questions.length + 1}`, 'q'),
    kind,
    textZh: '',
    textEn: '',
    required: isScore(kind),
    options: kind === 'choice' ? [first, newOption([first])] : [],
    multiple: false,
    showIf: 0,
    atMost: '',
  };
}

/** A question switched to another kind: a choice question gets two options to fill if it had none. */
export function withKind(q: QuestionForm, kind: QuestionKind): QuestionForm {
  if (kind !== 'choice' || q.options.length >= 2) return { ...q, kind };
  const options = [...q.options];
  while (options.length < 2) options.push(newOption(options));
  return { ...q, kind, options };
}

/** The default "shown when the score is at most" of a score kind: the detractor end of its scale. */
export function defaultAtMost(kind: QuestionKind | undefined): string {
  return kind === 'csat' ? '2' : kind === 'nps' ? '6' : kind === 'ces' ? '3' : '';
}

export function emptyDefinition(): DefinitionForm {
  const score = newQuestion('csat', []);
  return { definitionId: '', nameZh: '', nameEn: '', questions: [score, newQuestion('text', [score])] };
}

const bilingual = (zh: string, en: string): Bilingual => ({ 'zh-CN': zh.trim(), en: en.trim() });

/** The body of `PUT /survey-config/definitions/{definitionId}`; `version` is the one read (absent when creating). */
export function definitionBody(form: DefinitionForm, version: number | undefined): Record<string, unknown> {
  return {
    name: bilingual(form.nameZh, form.nameEn),
    questions: form.questions.map((q) => ({
      id: q.id.trim(),
      kind: q.kind,
      text: bilingual(q.textZh, q.textEn),
      required: q.required,
      ...(q.kind === 'choice' ? { options: q.options.map((o) => ({ id: o.id.trim(), text: bilingual(o.zh, o.en) })), multiple: q.multiple } : {}),
      ...(q.showIf ? { showIf: { question: form.questions.find((x) => x.key === q.showIf)?.id.trim() ?? '', atMost: typed(q.atMost) } } : {}),
    })),
    ...(version !== undefined ? { version } : {}),
  };
}

/**
 * What is wrong with a definition before it is sent, at the path of the field concerned: the id
 * (new surveys), names and texts, question and option ids, choice options, the "shown after a low
 * score" rule, and at most one question per score kind.
 */
export function definitionFormProblems(form: DefinitionForm, creating: boolean, taken: readonly string[], t: Translate): FieldError[] {
  const out: FieldError[] = [];
  const required = t('msRequired');
  if (creating) {
    if (!SURVEY_ID.test(form.definitionId) || form.definitionId === 'new') out.push({ path: 'definitionId', message: t('msIdRule') });
    else if (taken.includes(form.definitionId)) out.push({ path: 'definitionId', message: t('msSurveyIdTaken') });
  }
  if (!form.nameZh.trim()) out.push({ path: 'name.zh-CN', message: required });
  if (!form.nameEn.trim()) out.push({ path: 'name.en', message: required });
  if (form.questions.length === 0) out.push({ path: 'questions', message: t('msNoQuestions') });
  if (form.questions.length > MAX_QUESTIONS) out.push({ path: 'questions', message: t('msTooManyQuestions', { max: MAX_QUESTIONS }) });
  const seen = new Set<string>();
  const kinds = new Set<string>();
  form.questions.forEach((q, i) => {
    const p = `questions.${i}`;
    if (!SURVEY_ID.test(q.id)) out.push({ path: `${p}.id`, message: t('msIdRule') });
    else if (seen.has(q.id)) out.push({ path: `${p}.id`, message: t('msQuestionIdTwice') });
    seen.add(q.id);
    if (isScore(q.kind)) {
      if (kinds.has(q.kind)) out.push({ path: `${p}.kind`, message: t('msOneScoreKind') });
      kinds.add(q.kind);
    }
    if (!q.textZh.trim()) out.push({ path: `${p}.text.zh-CN`, message: required });
    if (!q.textEn.trim()) out.push({ path: `${p}.text.en`, message: required });
    if (q.kind === 'choice') {
      if (q.options.length < 2 || q.options.length > MAX_OPTIONS) out.push({ path: `${p}.options`, message: t('msOptionCount', { max: MAX_OPTIONS }) });
      const optionIds = new Set<string>();
      q.options.forEach((o, j) => {
        const op = `${p}.options.${j}`;
        if (!SURVEY_ID.test(o.id)) out.push({ path: `${op}.id`, message: t('msIdRule') });
        else if (optionIds.has(o.id)) out.push({ path: `${op}.id`, message: t('msQuestionIdTwice') });
        optionIds.add(o.id);
        if (!o.zh.trim()) out.push({ path: `${op}.text.zh-CN`, message: required });
        if (!o.en.trim()) out.push({ path: `${op}.text.en`, message: required });
      });
    }
    if (q.showIf) {
      const target = form.questions.find((x) => x.key === q.showIf);
      if (!target || !isScore(target.kind) || target === q) out.push({ path: `${p}.showIf.question`, message: t('msShowIfScore') });
      const atMost = typed(q.atMost);
      if (atMost === null || !Number.isInteger(atMost) || atMost < 0 || atMost > 10) out.push({ path: `${p}.showIf.atMost`, message: t('msAtMostRule') });
    }
  });
  return out;
}
