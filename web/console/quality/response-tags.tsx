/**
 * Correcting what the classifier read in a survey answer: a supervisor or agent sets its sentiment
 * and topics (PUT /surveys/{surveyId}/tags, versioned); the dashboard's counters move with it and the
 * correction is recorded with who and when.
 */
import { useState } from 'preact/hooks';
import { TOPICS } from '../../../shared/ai/categories.ts';
import type { StaffApi } from '../auth.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { failureNotice, type Notice, NoticeLine } from '../kit/index.ts';

const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
type Sentiment = (typeof SENTIMENTS)[number];

interface Tagged {
  sentiment?: Sentiment;
  topics?: string[];
  version: number;
}

export function ResponseTags(props: { api: StaffApi; surveyId: string }) {
  const { t } = useI18n();
  const [form, setForm] = useState<Tagged>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const path = `/surveys/${encodeURIComponent(props.surveyId)}`;

  const open = async () => {
    setBusy(true);
    setNotice(undefined);
    try {
      const { response } = await props.api.call<{ response: Tagged }>(path);
      setForm({ sentiment: response.sentiment, topics: response.topics ?? [], version: response.version });
    } catch (err) {
      setNotice(failureNotice(err, t, t('qaTagsConflict')));
    } finally {
      setBusy(false);
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!form) return;
    if (!form.topics?.length) {
      setNotice({ kind: 'error', text: t('qaTagsNeedTopic') });
      return;
    }
    setBusy(true);
    try {
      const { response } = await props.api.put<{ response: Tagged }>(`${path}/tags`, {
        ...(form.sentiment ? { sentiment: form.sentiment } : {}),
        topics: form.topics,
        version: form.version,
      });
      setForm(undefined);
      setNotice({ kind: 'ok', text: t('qaTagsSaved', { topics: (response.topics ?? []).map((x) => t(`topic_${x}` as ConsoleKey)).join('、') }) });
    } catch (err) {
      setNotice(failureNotice(err, t, t('qaTagsConflict')));
      if ((err as { status?: number }).status === 409) await open();
    } finally {
      setBusy(false);
    }
  };

  if (!form) {
    return (
      <>
        <button type="button" class="btn small" disabled={busy} onClick={() => void open()}>
          {t('qaTagsEdit')}
        </button>
        <NoticeLine notice={notice} />
      </>
    );
  }
  const toggle = (topic: string, on: boolean) =>
    setForm({ ...form, topics: on ? [...new Set([...(form.topics ?? []), topic])] : (form.topics ?? []).filter((x) => x !== topic) });
  return (
    <form class="response-tags" onSubmit={save} aria-label={t('qaTagsEdit')}>
      <label>
        {t('qaTagsSentiment')}{' '}
        <select value={form.sentiment ?? ''} onChange={(e) => setForm({ ...form, sentiment: (e.currentTarget.value || undefined) as Sentiment | undefined })}>
          {SENTIMENTS.map((s) => (
            <option key={s} value={s}>
              {t(`qaSentiment_${s}` as ConsoleKey)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('qaTagsTopics')}</legend>
        {TOPICS.map((topic) => (
          <label key={topic} class="check">
            <input type="checkbox" checked={form.topics?.includes(topic)} onChange={(e) => toggle(topic, e.currentTarget.checked)} />
            {t(`topic_${topic}` as ConsoleKey)}
          </label>
        ))}
      </fieldset>
      <button type="submit" class="btn small primary" disabled={busy}>
        {t('save')}
      </button>{' '}
      <button type="button" class="btn small" onClick={() => setForm(undefined)}>
        {t('discard')}
      </button>
      <NoticeLine notice={notice} />
    </form>
  );
}
