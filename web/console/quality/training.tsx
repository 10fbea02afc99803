/**
 * 情景模拟: the scenario library and offline practice. An agent picks a scenario, chats with the
 * simulated shopper (the script replays; a reply that misses the point is asked again), and the
 * last reply shows the score with the scorecard and a debrief next to the model answers. A
 * supervisor creates scenarios from a conversation's inspection (`MakeScenario`) or writes one here
 * (`WriteScenario`) and sees every agent's practice; everyone sees their own progress.
 */
import { useState } from 'preact/hooks';
import { ApiError, type FieldError, fieldErrors } from '../../lib/http.ts';

import type { StaffApi, StaffMe } from '../auth.ts';
import '../i18n-inspection.ts';
import { useI18n } from '../i18n.ts';
import { Async, type Column, DataTable, failureNotice, fieldHelpers, type Notice, NoticeLine, TextField, useResource } from '../kit/index.ts';
import { formatPercent, type PracticeView, type ScenarioSummary, type TrainingScenariosResponse } from '../quality-state.ts';
import { flagList } from './inspection-common.ts';
import { TrainingProgress } from './training-progress.tsx';
import { RequiredScenarios } from './training-required.tsx';
import { TitleAndGoal, WriteScenario } from './training-write.tsx';

export function TrainingView(props: { api: StaffApi }) {
  const { t } = useI18n();
  const [practice, setPractice] = useState<PracticeView | undefined>();
  const [notice, setNotice] = useState<Notice | undefined>();
  const scenarios = useResource(() => props.api.call<TrainingScenariosResponse>('/quality/training/scenarios'), []);
  const me = useResource(() => props.api.call<StaffMe>('/staff/me'), []);
  const supervises = !!me.data?.roles.some((r) => r === 'supervisor' || r === 'admin');
  const start = async (s: ScenarioSummary) => {
    try {
      setPractice(await props.api.call<PracticeView>('/quality/training/sessions', { scenarioId: s.scenarioId }));
    } catch (err) {
      setNotice(failureNotice(err, t));
    }
  };
  if (practice) return <Practice api={props.api} view={practice} onChange={setPractice} onBack={() => setPractice(undefined)} />;
  const columns: Column<ScenarioSummary>[] = [
    { key: 'title', header: t('inspColScenario'), rowHeader: true, cell: (s) => s.title },
    { key: 'goal', header: t('inspColGoal'), cell: (s) => s.goal },
    { key: 'turns', header: t('inspColTurns'), class: 'num', cell: (s) => s.turns },
    {
      key: 'start',
      header: t('inspPractise'),
      cell: (s) => (
        <button type="button" class="btn small" onClick={() => void start(s)}>
          {t('inspPractise')}
        </button>
      ),
    },
  ];
  return (
    <section class="training" aria-labelledby="training-heading">
      <h2 id="training-heading">{t('inspTabTraining')}</h2>
      <p class="muted small">{t('inspTrainingIntro')}</p>
      <NoticeLine notice={notice} />
      <Async resource={scenarios}>
        {(data) => (
          <DataTable
            class="training-scenarios"
            caption={t('inspScenarios')}
            rows={data.items}
            columns={columns}
            rowKey={(s) => s.scenarioId}
            rowProps={(s) => ({ 'data-scenario': s.scenarioId })}
            empty={t('inspScenariosEmpty')}
          />
        )}
      </Async>
      {supervises && <WriteScenario api={props.api} onCreated={() => void scenarios.reload()} />}
      {me.data && scenarios.data && <RequiredScenarios api={props.api} sub={me.data.sub} scenarios={scenarios.data.items} />}
      <TrainingProgress api={props.api} scope="mine" />
      {supervises && <TrainingProgress api={props.api} scope="team" />}
    </section>
  );
}

function Practice(props: { api: StaffApi; view: PracticeView; onChange: (v: PracticeView) => void; onBack: () => void }) {
  const { t } = useI18n();
  const { session, scenario } = props.view;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | undefined>();
  const send = async (event: Event) => {
    event.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    try {
      const next = await props.api.call<PracticeView>(`/quality/training/sessions/${encodeURIComponent(session.sessionId)}/replies`, {
        text,
        version: session.version,
      });
      props.onChange(next);
      setText('');
      const r = next.session.result;
      setNotice(r ? { kind: 'ok', text: t('inspPracticeDone', { total: r.total, result: t(r.passed ? 'inspPassed' : 'inspFailed') }) } : undefined);
    } catch (err) {
      setNotice(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="training-practice" aria-labelledby="practice-heading">
      <p>
        <button type="button" class="btn small" onClick={props.onBack}>
          {t('inspPracticeAgain')}
        </button>
      </p>
      <h2 id="practice-heading">{t('inspPracticeOf', { title: scenario.title })}</h2>
      <p class="muted">{t('inspGoalIs', { goal: scenario.goal })}</p>
      <ol class="inspection-transcript" aria-live="polite">
        {session.messages.map((m, i) => (
          <li key={i} class={`insp-msg ${m.author === 'agent' ? 'agent' : 'visitor'}`} data-author={m.author}>
            <span class="muted small">{t(m.author === 'agent' ? 'inspYouSay' : 'inspShopperSays')}</span>
            <p>{m.text}</p>
          </li>
        ))}
      </ol>
      {session.status === 'active' && (
        <form onSubmit={send}>
          <TextField id="practice-reply" label={t('inspYourReply')} rows={3} maxLength={2000} value={text} onInput={setText} />
          <button type="submit" class="btn primary" disabled={busy || !text.trim()}>
            {t('inspSend')}
          </button>
        </form>
      )}
      <NoticeLine notice={notice} />
      {session.result && <Debrief view={props.view} />}
    </section>
  );
}

type DebriefRow = NonNullable<PracticeView['session']['result']>['debrief'][number];

function Debrief(props: { view: PracticeView }) {
  const { t, locale } = useI18n();
  const r = props.view.session.result!;
  const rows = r.debrief.map((d, i) => ({ ...d, key: String(i) }));
  const columns: Column<DebriefRow & { key: string }>[] = [
    { key: 'shopper', header: t('inspColShopper'), rowHeader: true, cell: (d) => d.customer },
    { key: 'yours', header: t('inspColYours'), cell: (d) => d.replies.join('\n') },
    {
      key: 'model',
      header: t('inspColModel'),
      cell: (d) => (
        <>
          {d.modelAnswer}
          {d.knowledge && (
            <p class="muted small kb-passage" lang={/[\u3400-\u9fff]/u.test(d.knowledge.passage) ? 'zh-CN' : 'en'}>
              <strong>{t('inspFromKb', { title: d.knowledge.title })}</strong>
              <br />
              {d.knowledge.passage}
            </p>
          )}
        </>
      ),
    },
    { key: 'coverage', header: t('inspColCoverage'), class: 'num', cell: (d) => formatPercent(d.coverage, locale) },
  ];
  return (
    <div class="card training-debrief">
      <h3>{t('inspDebrief')}</h3>
      <p class="inspection-result" data-passed={String(r.passed)}>
        <strong>{t('inspResult', { total: r.total, result: t(r.passed ? 'inspPassed' : 'inspFailed') })}</strong>
        <span class="block muted small">{t('inspFlagsFound', { flags: flagList(r.flags, t) })}</span>
      </p>
      <div class="table-scroll">
        <DataTable class="debrief" caption={t('inspDebrief')} rows={rows} columns={columns} rowKey={(d) => d.key} />
      </div>
    </div>
  );
}

/** A supervisor turns the conversation under inspection into a training scenario. */
export function MakeScenario(props: { api: StaffApi; conversationId: string }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [goal, setGoal] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const helpers = fieldHelpers(errors, 'scenario');
  const create = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    try {
      const res = await props.api.call<{ scenario: ScenarioSummary }>('/quality/training/scenarios', { conversationId: props.conversationId, title, goal });
      setNotice({ kind: 'ok', text: t('inspScenarioCreated', { title: res.scenario.title, turns: res.scenario.turns }) });
    } catch (err) {
      setErrors(fieldErrors(err));
      // the one refusal that is not a field's: nothing in the conversation to practise
      const empty = err instanceof ApiError && err.status === 400 && fieldErrors(err).length === 0;
      setNotice(empty ? { kind: 'error', text: t('inspScenarioNoTurns') } : failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card make-scenario" onSubmit={create} aria-labelledby="make-scenario-heading">
      <h3 id="make-scenario-heading">{t('inspMakeScenario')}</h3>
      <TitleAndGoal idPrefix="scenario" title={title} goal={goal} onTitle={setTitle} onGoal={setGoal} errors={helpers} />
      <button type="submit" class="btn" disabled={busy || !title.trim() || !goal.trim()}>
        {t('inspScenarioCreate')}
      </button>
      <NoticeLine notice={notice} />
    </form>
  );
}
