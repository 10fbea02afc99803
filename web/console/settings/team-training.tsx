/**
 * Settings › teams: the training requirement (上岗要求) of a team — the required scenarios from the
 * library and the passing score in the editor — and who qualifies (达标 / 未达标, with their best
 * scores) on the team page and in the list. Scores come from the supervisor's training progress.
 */

import { missingScenarios } from '../../../shared/quality/training-gate.ts';
import type { TrainingProgressResponse } from '../../../shared/quality/training-progress.ts';
import type { ScenarioSummary, TrainingScenariosResponse } from '../../../shared/quality/training-service.ts';
import type { FieldError } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-training-gate.ts';
import { type Translate, useI18n } from '../i18n.ts';
import { type FieldHelpers, type Resource, TextField, useResource } from '../kit/index.ts';
import { toggle } from '../settings-state.ts';
import type { Team } from '../tickets-store.ts';

export interface TrainingRequirement {
  scenarioIds: string[];
  passingScore: number;
}

/** A team as the server sends it, with its optional training requirement. */
export type GatedTeam = Team & { training?: TrainingRequirement };

export interface TrainingForm {
  enabled: boolean;
  scenarioIds: string[];
  passingScore: string;
}

/** Best practice score per agent and scenario (sub → scenarioId → best). */
export type BestByAgent = ReadonlyMap<string, Readonly<Record<string, number>>>;

export function trainingForm(team: GatedTeam | undefined): TrainingForm {
  const training = team?.training;
  return training
    ? { enabled: true, scenarioIds: [...training.scenarioIds], passingScore: String(training.passingScore) }
    : { enabled: false, scenarioIds: [], passingScore: '80' };
}

/** The `training` part of the team body (absent when not required). */
export function trainingBody(form: TrainingForm): { training?: { scenarioIds: string[]; passingScore: number } } {
  if (!form.enabled) return {};
  const score = form.passingScore.trim();
  return { training: { scenarioIds: form.scenarioIds, passingScore: /^\d+$/.test(score) ? Number(score) : Number.NaN } };
}

/** The screen's own check before saving (the server checks again). */
export function trainingProblem(form: TrainingForm, t: Translate): FieldError | undefined {
  if (!form.enabled) return undefined;
  if (form.scenarioIds.length === 0) return { path: 'training.scenarioIds', message: t('gatePickOne') };
  const score = form.passingScore.trim();
  if (!/^\d+$/.test(score) || Number(score) > 100) return { path: 'training.passingScore', message: t('gatePassingRule') };
  return undefined;
}

export interface TrainingData {
  scenarios: Resource<ScenarioSummary[]>;
  best: Resource<BestByAgent>;
}

/** The scenario library and the agents' best scores (loaded only where a screen needs them). */
export function useTrainingData(api: StaffApi): TrainingData {
  const scenarios = useResource(async () => (await api.call<TrainingScenariosResponse>('/quality/training/scenarios')).items, []);
  const best = useResource(async (): Promise<BestByAgent> => {
    const progress = await api.call<TrainingProgressResponse>('/quality/training/progress');
    return new Map(progress.agents.map((a) => [a.agent, Object.fromEntries(a.scenarios.map((s) => [s.scenarioId, s.best]))]));
  }, []);
  return { scenarios, best };
}

/** The requirement in the team editor: on/off, the scenarios (checkboxes) and the passing score. */
export function TrainingFields(props: { form: TrainingForm; onChange: (form: TrainingForm) => void; scenarios: Resource<ScenarioSummary[]>; f: FieldHelpers }) {
  const { t } = useI18n();
  const { form, f } = props;
  const set = (patch: Partial<TrainingForm>) => props.onChange({ ...form, ...patch });
  const library = props.scenarios.data ?? [];
  const known = new Set(library.map((s) => s.scenarioId));
  return (
    <fieldset class="field team-training">
      <legend class="label">{t('gateTitle')}</legend>
      <p class="muted small">{t('gateIntro')}</p>
      <label>
        <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} /> {t('gateEnable')}
      </label>
      {form.enabled && (
        <>
          <fieldset class="field">
            <legend class="label">{t('gateScenarios')}</legend>
            <p class="muted small">{t('gateScenariosHint')}</p>
            {props.scenarios.error && <p class="error">{props.scenarios.error}</p>}
            {props.scenarios.data && library.length === 0 && <p class="muted">{t('gateNoScenarios')}</p>}
            <ul class="team-training-scenarios" {...f.invalidOf('training.scenarioIds')}>
              {library.map((s) => (
                <li key={s.scenarioId}>
                  <label>
                    <input
                      type="checkbox"
                      aria-label={t('gateRequire', { title: s.title })}
                      checked={form.scenarioIds.includes(s.scenarioId)}
                      onChange={(e) => set({ scenarioIds: toggle(form.scenarioIds, s.scenarioId, e.currentTarget.checked) })}
                    />{' '}
                    {s.title}
                  </label>
                </li>
              ))}
              {form.scenarioIds
                .filter((id) => props.scenarios.data && !known.has(id))
                .map((id) => (
                  <li key={id}>
                    <label>
                      <input type="checkbox" checked onChange={() => set({ scenarioIds: form.scenarioIds.filter((x) => x !== id) })} />{' '}
                      {t('gateUnknownScenario', { id })}
                    </label>
                  </li>
                ))}
            </ul>
            {f.errorOf('training.scenarioIds')}
          </fieldset>
          <TextField
            id="team-passing-score"
            label={t('gatePassingScore')}
            type="number"
            min={0}
            max={100}
            value={form.passingScore}
            errors={f}
            path="training.passingScore"
            hint={t('gatePassingScoreHint')}
            onInput={(v) => set({ passingScore: v })}
          />
        </>
      )}
    </fieldset>
  );
}

/** Whether one member meets the requirement, with their best score on each required scenario. */
export function QualifyCell(props: {
  training: TrainingRequirement | undefined;
  best: BestByAgent | undefined;
  sub: string;
  scenarios: ScenarioSummary[] | undefined;
}) {
  const { t } = useI18n();
  const { training, best } = props;
  if (!training) return <span class="muted">{t('gateNone')}</span>;
  if (!best) return <span class="muted">…</span>;
  const mine = best.get(props.sub);
  const qualified = missingScenarios(training, mine).length === 0;
  const title = (id: string) => props.scenarios?.find((s) => s.scenarioId === id)?.title ?? id;
  return (
    <div class="team-qualify" data-qualified={String(qualified)}>
      <span class={qualified ? 'badge ok' : 'badge warn-bg'}>{t(qualified ? 'gateQualified' : 'gateNotQualified')}</span>
      <ul class="best-scores muted small">
        {training.scenarioIds.map((id) => (
          <li key={id}>{mine?.[id] === undefined ? t('gateNotTried', { title: title(id) }) : t('gateScoreOf', { title: title(id), best: mine[id] })}</li>
        ))}
      </ul>
    </div>
  );
}

/** The requirement in the team list: the summary and how many members qualify. */
export function TeamTrainingSummary(props: { team: GatedTeam; best: BestByAgent | undefined }) {
  const { t } = useI18n();
  const { training, members } = props.team;
  if (!training) return <span class="muted">{t('gateNone')}</span>;
  const qualified = props.best ? members.filter((sub) => missingScenarios(training, props.best?.get(sub)).length === 0).length : undefined;
  return (
    <>
      <div>{t('gateSummary', { count: training.scenarioIds.length, score: training.passingScore })}</div>
      {qualified !== undefined && <div class="muted small team-qualified-count">{t('gateQualifiedCount', { qualified, total: members.length })}</div>}
    </>
  );
}
