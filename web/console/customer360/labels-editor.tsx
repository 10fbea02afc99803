import { useEffect, useState } from 'preact/hooks';
// The server's spelling and bounds, checked here first so the message is in the reader's language.
import { MAX_LABEL_LENGTH, MAX_LABELS, normaliseLabel } from '../../../shared/members/label-text.ts';
import { ApiError, type FieldError, fieldErrors } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { failureNotice, fieldHelpers, type Notice, NoticeLine, TextField } from '../kit/index.ts';

export { normaliseLabel };

/** The labels typed in the field: split at commas (ASCII or Chinese), normalised, each once. */
export function typedLabels(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,，、]/)
        .map(normaliseLabel)
        .filter(Boolean),
    ),
  ];
}

/** What is wrong with adding `typed` to `current`, as a message key (and the offending label). */
export function labelProblem(current: readonly string[], typed: readonly string[]): { key: ConsoleKey; label?: string } | undefined {
  if (typed.length === 0) return { key: 'c360LabelEmpty' };
  const long = typed.find((l) => l.length > MAX_LABEL_LENGTH);
  if (long) return { key: 'c360LabelTooLong', label: long };
  if (new Set([...current, ...typed]).size > MAX_LABELS) return { key: 'c360LabelTooMany' };
  return undefined;
}

/**
 * The contact's labels as chips: agents add some (comma-separated) or remove one; each change
 * saves the whole list at the version read (`PUT /contacts/{contactId}/labels`), and a change made
 * meanwhile by someone else (another agent, the shop's backend) is shown instead of overwritten.
 */
export function LabelsEditor(props: { api: StaffApi; contactId: string; labels: string[]; version: number; onSaved: () => void }) {
  const { t } = useI18n();
  const [saved, setSaved] = useState({ labels: props.labels, version: props.version });
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setSaved({ labels: props.labels, version: props.version }), [props.contactId, props.version, props.labels.join('\n')]);

  const save = async (labels: string[]) => {
    setBusy(true);
    setNotice(undefined);
    setErrors([]);
    try {
      const path = `/contacts/${encodeURIComponent(props.contactId)}/labels`;
      const res = await props.api.put<{ labels: string[]; version: number }>(path, { labels, version: saved.version });
      setSaved(res);
      setText('');
      setNotice({ kind: 'ok', text: t('c360LabelsSaved') });
      props.onSaved();
    } catch (err) {
      setErrors(fieldErrors(err));
      setNotice(failureNotice(err, t, t('c360LabelsConflict')));
      if (err instanceof ApiError && err.status === 409) props.onSaved();
    } finally {
      setBusy(false);
    }
  };

  const add = (e: Event) => {
    e.preventDefault();
    const typed = typedLabels(text);
    const wrong = labelProblem(saved.labels, typed);
    setErrors(wrong ? [{ path: 'labels', message: t(wrong.key, { label: wrong.label ?? '' }) }] : []);
    if (!wrong) void save([...new Set([...saved.labels, ...typed])]);
  };

  return (
    <div class="c360-labels" role="group" aria-labelledby="c360-labels-heading">
      <h4 id="c360-labels-heading">{t('c360Labels')}</h4>
      {saved.labels.length ? (
        <ul class="chips">
          {saved.labels.map((label) => (
            <li key={label} class="chip" data-label={label}>
              <span>{label}</span>
              <button
                type="button"
                class="link chip-x"
                disabled={busy}
                aria-label={t('c360LabelRemove', { label })}
                onClick={() => void save(saved.labels.filter((l) => l !== label))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">{t('c360LabelsNone')}</p>
      )}
      <form class="c360-label-form" onSubmit={add} noValidate>
        <TextField
          id={`c360-label-${props.contactId}`}
          label={t('c360LabelNew')}
          value={text}
          onInput={(v) => {
            setText(v);
            setErrors([]);
          }}
          maxLength={400}
          errors={fieldHelpers(errors, `c360-label-${props.contactId}`)}
          path="labels"
          hint={t('c360LabelHint')}
        />
        <button type="submit" class="btn small" disabled={busy}>
          {t('c360LabelAdd')}
        </button>
      </form>
      <NoticeLine notice={notice} />
    </div>
  );
}
