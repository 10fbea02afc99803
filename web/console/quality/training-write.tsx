/**
 * 情景模拟: a supervisor writes a scenario by hand — title, goal, the shopper's lines in order and,
 * per line, the key points a good reply covers (one per line of the box). The server validates it
 * strictly; its messages appear under the field they concern.
 */
import { useState } from 'preact/hooks';
import type { ScenarioSummary } from '../../../shared/quality/training-service.ts';
import { type FieldError, fieldErrors } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-inspection.ts';
import { useI18n } from '../i18n.ts';
import { failureNotice, fieldHelpers, type Notice, NoticeLine, TextField } from '../kit/index.ts';

interface Line {
  customer: string;
  keyPoints: string;
}

const MAX_LINES = 30;
const blankLine = (): Line => ({ customer: '', keyPoints: '' });

/** The request body of the form (key points one per line; blank ones left out). */
export function writtenBody(title: string, goal: string, lines: readonly Line[]) {
  return {
    title,
    goal,
    lines: lines.map((l) => {
      const points = l.keyPoints
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean);
      return points.length ? { customer: l.customer, keyPoints: points } : { customer: l.customer };
    }),
  };
}

export function WriteScenario(props: { api: StaffApi; onCreated: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [goal, setGoal] = useState('');
  const [lines, setLines] = useState<Line[]>([blankLine()]);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const helpers = fieldHelpers(errors, 'written');
  const setLine = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    try {
      const res = await props.api.call<{ scenario: ScenarioSummary }>('/quality/training/written-scenarios', writtenBody(title, goal, lines));
      setNotice({ kind: 'ok', text: t('inspScenarioWritten', { title: res.scenario.title, turns: res.scenario.turns }) });
      setTitle('');
      setGoal('');
      setLines([blankLine()]);
      props.onCreated();
    } catch (err) {
      setErrors(fieldErrors(err));
      setNotice(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };
  const ready = title.trim() && goal.trim() && lines.every((l) => l.customer.trim());
  return (
    <form class="card write-scenario" onSubmit={submit} aria-labelledby="write-scenario-heading">
      <h3 id="write-scenario-heading">{t('inspWriteScenario')}</h3>
      <p class="muted small">{t('inspWriteIntro')}</p>
      <TitleAndGoal idPrefix="written" title={title} goal={goal} onTitle={setTitle} onGoal={setGoal} errors={helpers} />
      <ol class="written-lines">
        {lines.map((line, i) => (
          <li key={i} data-line={i + 1}>
            <TextField
              id={`written-line-${i}`}
              label={t('inspLineN', { n: i + 1 })}
              rows={2}
              maxLength={500}
              value={line.customer}
              onInput={(v) => setLine(i, { customer: v })}
              errors={helpers}
              path={`lines.${i}.customer`}
              required
            />
            <TextField
              id={`written-points-${i}`}
              label={t('inspLineKeyPoints', { n: i + 1 })}
              rows={2}
              value={line.keyPoints}
              onInput={(v) => setLine(i, { keyPoints: v })}
              errors={helpers}
              path={`lines.${i}.keyPoints`}
            />
            {lines.length > 1 && (
              <button type="button" class="btn small" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))}>
                {t('inspRemoveLine', { n: i + 1 })}
              </button>
            )}
          </li>
        ))}
      </ol>
      <p>
        <button type="button" class="btn small" disabled={lines.length >= MAX_LINES} onClick={() => setLines((ls) => [...ls, blankLine()])}>
          {t('inspAddLine')}
        </button>
      </p>
      <button type="submit" class="btn primary" disabled={busy || !ready}>
        {t('inspScenarioCreate')}
      </button>
      <NoticeLine notice={notice} />
    </form>
  );
}

/** A scenario's title and goal fields (the written and the generated scenario forms share them). */
export function TitleAndGoal(props: {
  idPrefix: string;
  title: string;
  goal: string;
  onTitle: (v: string) => void;
  onGoal: (v: string) => void;
  errors: ReturnType<typeof fieldHelpers>;
}) {
  const { t } = useI18n();
  return (
    <>
      <TextField
        id={`${props.idPrefix}-title`}
        label={t('inspScenarioTitle')}
        maxLength={80}
        value={props.title}
        onInput={props.onTitle}
        errors={props.errors}
        path="title"
        required
      />
      <TextField
        id={`${props.idPrefix}-goal`}
        label={t('inspScenarioGoal')}
        rows={2}
        maxLength={300}
        value={props.goal}
        onInput={props.onGoal}
        errors={props.errors}
        path="goal"
        required
      />
    </>
  );
}
