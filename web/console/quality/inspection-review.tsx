/**
 * One conversation's inspection: the transcript with the replies the automatic checks flagged, the
 * conversation checks (closing, the shopper's mood, macro / article use), and the scorecard. A
 * supervisor scores it (each item met / partly / not met, with the automatic flags' suggestion) and
 * comments; the agent it is credited to sees the result and acknowledges or appeals it.
 */
import { useState } from 'preact/hooks';
import { ApiError, type FieldError, fieldErrors } from '../../lib/http.ts';
import type { Message } from '../../lib/types.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-inspection.ts';
import { type ConsoleKey, type Translate, useI18n } from '../i18n.ts';
import type { StaffMember } from '../inbox-store.ts';
import { Async, failureNotice, fieldHelpers, type Notice, NoticeLine, pickText, SelectField, TextField, useResource } from '../kit/index.ts';
import { type Flag, type InspectionDetailResponse, itemFlags, type SampleEntry } from '../quality-state.ts';
import { flagList, staffName } from './inspection-common.ts';
import { MakeScenario } from './training.tsx';

const SCORES = ['100', '50', '0'] as const;

function flagText(f: Flag, t: Translate): string {
  const name = t(`inspFlag_${f.kind}` as ConsoleKey);
  if (f.kind === 'slow_response' && f.detail) return t('inspFlagAt', { flag: name, detail: t('inspSeconds', { seconds: f.detail }) });
  return f.detail && f.kind !== 'negative_tone' ? t('inspFlagAt', { flag: name, detail: f.detail }) : name;
}

export function InspectionReview(props: { api: StaffApi; conversationId: string; staff: StaffMember[]; back: string }) {
  const { t } = useI18n();
  const id = encodeURIComponent(props.conversationId);
  const detail = useResource(() => props.api.call<InspectionDetailResponse>(`/quality/inspection/conversations/${id}`), [id]);
  const thread = useResource(() => props.api.call<{ items: Message[] }>(`/conversations/${id}/messages?limit=100`), [id]);
  return (
    <section class="inspection-review" aria-labelledby="review-heading">
      <p>
        <a href={props.back}>{t(props.back.includes('mine') ? 'inspBackMine' : 'inspBack')}</a>
      </p>
      <Async resource={detail}>
        {(d) => (
          <>
            <h2 id="review-heading">{t('inspReviewTitle', { agent: staffName(props.staff, d.entry?.agent ?? d.inspection?.agent, t) })}</h2>
            <AutoChecks detail={d} />
            <h3>{t('inspTranscript')}</h3>
            <p class="muted small">{t('inspTranscriptNote')}</p>
            <Async resource={thread}>{(page) => <Transcript messages={page.items} flags={d.inspection?.flags ?? []} />}</Async>
            <ReviewPanel api={props.api} detail={d} onChange={(next) => detail.set(next)} reload={detail.reload} />
          </>
        )}
      </Async>
    </section>
  );
}

function AutoChecks(props: { detail: InspectionDetailResponse }) {
  const { t } = useI18n();
  const i = props.detail.inspection;
  if (!i) return null;
  const general = i.flags.filter((f) => !f.messageId || f.kind === 'missing_closing');
  return (
    <div class="card inspection-auto">
      <h3>{t('inspAuto')}</h3>
      {i.flags.length === 0 && <p class="muted">{t('inspAutoNone')}</p>}
      <ul class="digest-list">
        {general.map((f, n) => (
          <li key={n} data-flag={f.kind}>
            {flagText(f, t)}
          </li>
        ))}
        {i.shopper && <li>{t('inspShopper', { trend: t(`inspTrend_${i.shopper.trend}` as ConsoleKey) })}</li>}
        {i.usedMacro && <li>{t('inspUsedMacro')}</li>}
        {i.usedArticle && <li>{t('inspUsedArticle')}</li>}
        {i.preSales && <li>{t('inspPreSales')}</li>}
      </ul>
    </div>
  );
}

function Transcript(props: { messages: Message[]; flags: readonly Flag[] }) {
  const { t, locale } = useI18n();
  return (
    <ol class="inspection-transcript">
      {props.messages
        .filter((m) => !m.internal)
        .map((m) => {
          const flags = props.flags.filter((f) => f.messageId === m.messageId);
          return (
            <li key={m.messageId} class={`insp-msg ${m.author.kind}${flags.length ? ' flagged' : ''}`} data-message={m.messageId}>
              <span class="muted small">
                {m.author.name ?? m.author.kind} · {new Date(m.createdAt).toLocaleString(locale)}
              </span>
              <p>{m.text}</p>
              {flags.length > 0 && (
                <p class="field-error small" data-flags={flags.map((f) => f.kind).join(' ')}>
                  {flags.map((f) => flagText(f, t)).join('；')}
                </p>
              )}
            </li>
          );
        })}
    </ol>
  );
}

function ReviewPanel(props: { api: StaffApi; detail: InspectionDetailResponse; onChange: (d: InspectionDetailResponse) => void; reload: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const { rubric, entry, inspection } = props.detail;
  const flags = inspection?.flags ?? [];
  const review = entry?.review;
  const initial = Object.fromEntries(rubric.items.map((i) => [i.id, String(review?.scores[i.id] ?? (itemFlags(i, flags).length ? 0 : 100))]));
  const [scores, setScores] = useState<Record<string, string>>(initial);
  const [comment, setComment] = useState(review?.comment ?? '');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const helpers = fieldHelpers(errors, 'review');
  const updated = (e: SampleEntry) => props.onChange({ ...props.detail, entry: e, canAnswer: props.detail.canAnswer });

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!entry) return;
    setBusy(true);
    setErrors([]);
    try {
      const body = {
        scores: Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, Number(v)])),
        ...(comment.trim() ? { comment } : {}),
        version: entry.version,
      };
      const res = await props.api.call<{ entry: SampleEntry }>(`/quality/inspection/conversations/${encodeURIComponent(entry.conversationId)}/review`, body);
      const r = res.entry.review!;
      updated(res.entry);
      setNotice({ kind: 'ok', text: t('inspSaved', { total: r.total, result: t(r.passed ? 'inspPassed' : 'inspFailed') }) });
    } catch (err) {
      setErrors(fieldErrors(err));
      // a refusal that is no field's: the scorecard changed since it was loaded
      const changed = err instanceof ApiError && err.status === 400 && fieldErrors(err).length === 0;
      setNotice(changed ? { kind: 'error', text: t('inspRubricChanged') } : failureNotice(err, t, t('inspConflict')));
      if (changed || (err instanceof ApiError && err.status === 409)) await props.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card inspection-score">
      <h3>{t('inspScorecard', { version: rubric.version, passMark: rubric.passMark })}</h3>
      {!entry && <p class="muted">{t('inspNotSampled')}</p>}
      {review && (
        <p class="inspection-result" data-passed={String(review.passed)}>
          <strong>{t('inspResult', { total: review.total, result: t(review.passed ? 'inspPassed' : 'inspFailed') })}</strong>
          <span class="block muted small">{t('inspReviewedBy', { name: review.byName, at: new Date(review.at).toLocaleString(locale) })}</span>
          {review.comment && <span class="block">{review.comment}</span>}
        </p>
      )}
      {entry?.answer && <p class="muted">{t('inspAgentAnswer', { answer: answerText(entry, t) })}</p>}
      {entry && props.detail.canReview && (
        <form onSubmit={submit}>
          {rubric.items.map((item) => {
            const found = itemFlags(item, flags);
            return (
              <SelectField
                key={item.id}
                id={`score-${item.id}`}
                label={`${pickText(item.label, locale)}（${item.weight}）`}
                value={scores[item.id] ?? '100'}
                options={SCORES.map((s) => ({ value: s, label: t(`inspScore_${s}` as ConsoleKey) }))}
                onChange={(v) => setScores((s) => ({ ...s, [item.id]: v }))}
                hint={found.length ? t('inspSuggested', { flags: flagList(found, t) }) : undefined}
                errors={helpers}
                path={`scores.${item.id}`}
              />
            );
          })}
          <TextField
            id="review-comment"
            label={t('inspComment')}
            rows={3}
            maxLength={2000}
            value={comment}
            onInput={setComment}
            errors={helpers}
            path="comment"
          />
          <button type="submit" class="btn primary" disabled={busy}>
            {busy ? t('inspSaving') : t('inspSubmit')}
          </button>
        </form>
      )}
      {entry && !props.detail.canReview && !props.detail.canAnswer && entry.agent && <p class="muted small">{t('inspOwn')}</p>}
      {entry && props.detail.canAnswer && <AnswerForm api={props.api} entry={entry} onAnswered={updated} />}
      <NoticeLine notice={notice} />
      {props.detail.canReview && <MakeScenario api={props.api} conversationId={props.detail.conversationId} />}
    </div>
  );
}

/** The agent's answer as words. */
export function answerText(entry: Pick<SampleEntry, 'answer'>, t: Translate): string {
  if (!entry.answer) return t('inspAnswerNone');
  const kind = t(`inspAnswer_${entry.answer.kind}` as ConsoleKey);
  return entry.answer.note ? `${kind}（${entry.answer.note}）` : kind;
}

function AnswerForm(props: { api: StaffApi; entry: SampleEntry; onAnswered: (e: SampleEntry) => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState(props.entry.answer?.note ?? '');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | undefined>();
  const send = async (kind: 'acknowledge' | 'appeal') => {
    if (kind === 'appeal' && !note.trim()) {
      setNotice({ kind: 'error', text: t('inspAppealNeedsNote') });
      return;
    }
    setBusy(true);
    try {
      const body = { kind, ...(note.trim() ? { note } : {}), version: props.entry.version };
      const res = await props.api.call<{ entry: SampleEntry }>(
        `/quality/inspection/conversations/${encodeURIComponent(props.entry.conversationId)}/answer`,
        body,
      );
      props.onAnswered(res.entry);
      setNotice({ kind: 'ok', text: t('inspAnswered', { answer: answerText(res.entry, t) }) });
    } catch (err) {
      setNotice(failureNotice(err, t, t('inspConflict')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="inspection-answer">
      <TextField id="answer-note" label={t('inspAnswerNote')} rows={2} maxLength={1000} value={note} onInput={setNote} />
      <div class="kb-actions">
        <button type="button" class="btn primary" disabled={busy} onClick={() => void send('acknowledge')}>
          {t('inspAcknowledge')}
        </button>
        <button type="button" class="btn" disabled={busy} onClick={() => void send('appeal')}>
          {t('inspAppeal')}
        </button>
      </div>
      <NoticeLine notice={notice} />
    </div>
  );
}
