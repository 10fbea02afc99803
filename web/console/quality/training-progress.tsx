/**
 * 情景模拟 progress: the supervisor sees every agent's finished practices (scenario, score, passed or
 * not, when) and per agent the best score per scenario and how many they passed; an agent sees
 * their own, per scenario. Both read a bounded, newest-first list the server keeps per agent and
 * per shop.
 */
import type { AgentProgress, PracticeRecord, ScenarioProgress, TrainingProgressResponse } from '../../../shared/quality/training-progress.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-inspection.ts';
import { useI18n } from '../i18n.ts';
import { Async, type Column, DataTable, useResource } from '../kit/index.ts';

export function TrainingProgress(props: { api: StaffApi; scope: 'team' | 'mine' }) {
  const { t, locale } = useI18n();
  const mine = props.scope === 'mine';
  const progress = useResource(
    () => props.api.call<TrainingProgressResponse>(mine ? '/quality/training/progress/mine' : '/quality/training/progress'),
    [props.scope],
  );
  const when = (iso: string) => new Date(iso).toLocaleString(locale);
  const result = (passed: boolean) => t(passed ? 'inspPassed' : 'inspFailed');
  const sessionColumns: Column<PracticeRecord>[] = [
    ...(mine ? [] : [{ key: 'agent', header: t('inspColAgent'), rowHeader: true, cell: (r: PracticeRecord) => r.agentName }]),
    { key: 'scenario', header: t('inspColScenario'), rowHeader: mine, cell: (r) => r.scenarioTitle },
    { key: 'total', header: t('inspColTotal'), class: 'num', cell: (r) => r.total },
    { key: 'passed', header: t('inspColStatus'), cell: (r) => result(r.passed) },
    { key: 'when', header: t('inspColWhen'), cell: (r) => when(r.finishedAt) },
  ];
  const best = (s: ScenarioProgress) => t(s.passed ? 'inspBestPassed' : 'inspBestOf', { title: s.title, best: s.best });
  const agentColumns: Column<AgentProgress>[] = [
    { key: 'agent', header: t('inspColAgent'), rowHeader: true, cell: (a) => a.agentName },
    { key: 'practices', header: t('inspColPractices'), class: 'num', cell: (a) => a.practices },
    { key: 'practicesPassed', header: t('inspColPracticesPassed'), class: 'num', cell: (a) => a.practicesPassed },
    { key: 'scenariosPassed', header: t('inspColScenariosPassed'), class: 'num', cell: (a) => a.scenariosPassed },
    {
      key: 'best',
      header: t('inspColBest'),
      cell: (a) => (
        <ul class="best-scores">
          {a.scenarios.map((s) => (
            <li key={s.scenarioId}>{best(s)}</li>
          ))}
        </ul>
      ),
    },
  ];
  const scenarioColumns: Column<ScenarioProgress>[] = [
    { key: 'title', header: t('inspColScenario'), rowHeader: true, cell: (s) => s.title },
    { key: 'best', header: t('inspColBestScore'), class: 'num', cell: (s) => s.best },
    { key: 'passed', header: t('inspColStatus'), cell: (s) => result(s.passed) },
    { key: 'attempts', header: t('inspColAttempts'), class: 'num', cell: (s) => s.attempts },
    { key: 'last', header: t('inspColWhen'), cell: (s) => when(s.lastAt) },
  ];
  return (
    <section class="training-progress" aria-labelledby={`progress-${props.scope}-heading`}>
      <h3 id={`progress-${props.scope}-heading`}>{t(mine ? 'inspProgressMine' : 'inspProgressTeam')}</h3>
      <Async resource={progress}>
        {(data) =>
          data.items.length === 0 ? (
            <p class="muted empty">{t('inspProgressEmpty')}</p>
          ) : (
            <>
              <p class="muted small">{t('inspProgressIntro', { limit: data.limit })}</p>
              <div class="table-scroll">
                {mine ? (
                  <DataTable
                    class="training-progress-scenarios"
                    caption={t('inspProgressMine')}
                    rows={data.agents[0]?.scenarios ?? []}
                    columns={scenarioColumns}
                    rowKey={(s) => s.scenarioId}
                  />
                ) : (
                  <DataTable
                    class="training-progress-agents"
                    caption={t('inspProgressByAgent')}
                    rows={data.agents}
                    columns={agentColumns}
                    rowKey={(a) => a.agent}
                    rowProps={(a) => ({ 'data-agent': a.agent })}
                  />
                )}
              </div>
              <h4>{t('inspProgressSessions')}</h4>
              <div class="table-scroll">
                <DataTable
                  class="training-progress-sessions"
                  caption={t('inspProgressSessions')}
                  rows={data.items}
                  columns={sessionColumns}
                  rowKey={(r) => r.sessionId}
                  rowProps={(r) => ({ 'data-session': r.sessionId, 'data-passed': String(r.passed) })}
                />
              </div>
            </>
          )
        }
      </Async>
    </section>
  );
}
