/**
 * Reports › 情景模拟, for the agent: the training requirement (上岗要求) of each of their teams — the
 * required scenarios still to pass (with their best score so far) and those already passed. Shown
 * only when one of their teams has a requirement.
 */
import { missingScenarios } from '../../../shared/quality/training-gate.ts';
import type { TrainingProgressResponse } from '../../../shared/quality/training-progress.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-training-gate.ts';
import { useI18n } from '../i18n.ts';
import { pickText, useResource } from '../kit/index.ts';
import type { ScenarioSummary } from '../quality-state.ts';
import type { GatedTeam } from '../settings/team-training.tsx';
import type { TicketConfig } from '../tickets-store.ts';

export function RequiredScenarios(props: { api: StaffApi; sub: string; scenarios: ScenarioSummary[] }) {
  const { t, locale } = useI18n();
  const data = useResource(async () => {
    const [config, mine] = await Promise.all([
      props.api.call<TicketConfig>('/ticket-config'),
      props.api.call<TrainingProgressResponse>('/quality/training/progress/mine'),
    ]);
    const best = Object.fromEntries((mine.agents[0]?.scenarios ?? []).map((s) => [s.scenarioId, s.best]));
    const teams = (config.teams as GatedTeam[]).filter((team) => team.training && team.members.includes(props.sub));
    return { teams, best };
  }, [props.sub]);
  if (!data.data || data.data.teams.length === 0) return null;
  const { teams, best } = data.data;
  const title = (id: string) => props.scenarios.find((s) => s.scenarioId === id)?.title ?? id;
  return (
    <section class="training-required" aria-labelledby="training-required-heading">
      <h3 id="training-required-heading">{t('gateMineTitle')}</h3>
      {teams.map((team) => {
        const training = team.training!;
        const missing = new Set(missingScenarios(training, best));
        const name = pickText(team.name, locale);
        return (
          <div key={team.teamId} class="training-required-team" data-team={team.teamId} data-qualified={String(missing.size === 0)}>
            <p>
              {missing.size === 0 ? (
                <span class="badge ok">{t('gateMineAllDone', { team: name })}</span>
              ) : (
                t('gateMineIntro', { team: name, score: training.passingScore })
              )}
            </p>
            <ul class="best-scores">
              {training.scenarioIds.map((id) => (
                <li key={id} data-scenario={id} data-passed={String(!missing.has(id))}>
                  <span class={missing.has(id) ? 'badge warn-bg' : 'badge ok'}>{t(missing.has(id) ? 'gateMineTodo' : 'gateMineDone')}</span> {title(id)}{' '}
                  <span class="muted small">{best[id] === undefined ? t('gateMineNotTried') : t('gateMineBest', { best: best[id] })}</span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
