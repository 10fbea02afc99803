import { useEffect, useState } from 'preact/hooks';
import type { taskView } from '../../../shared/privacy/service.ts';
import { formatTime } from '../../lib/format.ts';
import type { StaffApi } from '../auth.ts';
import { useI18n } from '../i18n.ts';
import { errorMessage, failureNotice, type Notice, NoticeLine, pickText } from '../kit/index.ts';

/** A privacy task as `functions/http/privacy-admin.ts` returns it (erasures say how many steps there are). */
type PrivacyTask = Awaited<ReturnType<typeof taskView>> & { steps?: string[]; totalSteps?: number };

/** How often an open task's progress is read again. */
const POLL_MS = 1_000;

const isOpen = (task: PrivacyTask) => task.state === 'queued' || task.state === 'running';

/** A task's state, progress bar and outcome, read again until it is done or failed. */
function TaskProgress(props: { api: StaffApi; task: PrivacyTask; onChange: (task: PrivacyTask) => void }) {
  const { t, locale } = useI18n();
  const { task } = props;
  const [lost, setLost] = useState<string>();
  useEffect(() => {
    if (!isOpen(task)) return;
    let live = true;
    const timer = setTimeout(() => {
      props.api.call<PrivacyTask>(`/privacy-tasks/${encodeURIComponent(task.taskId)}`).then(
        (next) => {
          if (!live) return;
          setLost(undefined);
          props.onChange(next);
        },
        (err: unknown) => {
          if (!live) return;
          setLost(errorMessage(err));
          props.onChange({ ...task });
        },
      );
    }, POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [task]);

  const total = task.totalSteps ?? 0;
  const done = task.steps?.length ?? 0;
  const counts = task.counts as Record<string, number> | undefined;
  const headingId = `c360-task-${task.taskId}`;
  return (
    <div class={`c360-task ${task.state}`} role="group" aria-labelledby={headingId} data-task={task.kind} data-state={task.state}>
      <p id={headingId}>
        <strong>{t(task.kind === 'export' ? 'c360TaskExport' : 'c360TaskErase')}</strong> <span role="status">{pickText(task.stateText, locale)}</span>
      </p>
      {task.kind === 'erase' && total > 0 ? (
        <>
          <progress max={total} value={done} aria-labelledby={headingId} />
          <span class="muted small">{t('c360TaskSteps', { done, total })}</span>
        </>
      ) : (
        isOpen(task) && <progress aria-labelledby={headingId} />
      )}
      {task.kind === 'export' && counts && (
        <p class="muted small">
          {t('c360TaskCounts', {
            orders: counts.orders ?? 0,
            conversations: counts.conversations ?? 0,
            tickets: counts.tickets ?? 0,
            surveys: counts.surveys ?? 0,
            pointsLedger: counts.pointsLedger ?? 0,
          })}
        </p>
      )}
      {task.download && (
        <p>
          <a class="btn small primary" href={task.download.url} download="kefu-export.json" rel="noopener noreferrer">
            {t('c360Download')}
          </a>{' '}
          <span class="muted small">{t('c360DownloadUntil', { time: formatTime(task.download.expiresAt, locale) })}</span>
        </p>
      )}
      {lost && <p class="error small">{t('c360TaskLost', { message: lost })}</p>}
    </div>
  );
}

/**
 * Data export and erasure of the customer (admins): the export's progress then its download link;
 * the erasure only after the admin types the confirmation phrase, then its steps as they finish.
 */
export function PrivacyActions(props: { api: StaffApi; contactId: string }) {
  const { t } = useI18n();
  const [tasks, setTasks] = useState<Partial<Record<'export' | 'erase', PrivacyTask>>>({});
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState<'export' | 'erase'>();
  const [notice, setNotice] = useState<Notice>();
  useEffect(() => {
    setTasks({});
    setConfirming(false);
    setTyped('');
    setNotice(undefined);
  }, [props.contactId]);

  const phrase = t('c360ErasePhrase');
  const phraseOk = typed.trim().toLowerCase() === phrase.toLowerCase();
  const inputId = `c360-erase-${props.contactId}`;

  const start = async (kind: 'export' | 'erase') => {
    setBusy(kind);
    setNotice(undefined);
    try {
      const id = encodeURIComponent(props.contactId);
      const task = await props.api.call<PrivacyTask>(kind === 'export' ? `/contacts/${id}/export` : `/contacts/${id}/erase`, {});
      setTasks((all) => ({ ...all, [kind]: task }));
      if (kind === 'erase') {
        setConfirming(false);
        setTyped('');
      }
    } catch (err) {
      setNotice(failureNotice(err, t));
    } finally {
      setBusy(undefined);
    }
  };
  const update = (task: PrivacyTask) => setTasks((all) => ({ ...all, [task.kind]: task }));

  return (
    <div class="c360-privacy" role="group" aria-labelledby="c360-privacy-heading">
      <h4 id="c360-privacy-heading">{t('c360Privacy')}</h4>
      <p class="muted small">{t('c360PrivacyIntro')}</p>
      <div class="actions">
        <button type="button" class="btn small" disabled={busy !== undefined} onClick={() => void start('export')}>
          {busy === 'export' ? t('c360Starting') : t('c360Export')}
        </button>
        {!confirming && (
          <button type="button" class="btn small danger" disabled={busy !== undefined} onClick={() => setConfirming(true)}>
            {t('c360Erase')}
          </button>
        )}
      </div>
      {confirming && (
        <form
          class="c360-erase"
          aria-describedby={`${inputId}-warn`}
          onSubmit={(e) => {
            e.preventDefault();
            if (phraseOk) void start('erase');
          }}
          noValidate
        >
          <p id={`${inputId}-warn`} class="warn small" role="alert">
            {t('c360EraseWarn')}
          </p>
          <label for={inputId}>{t('c360EraseType', { phrase })}</label>
          <input id={inputId} value={typed} autocomplete="off" spellcheck={false} onInput={(e) => setTyped(e.currentTarget.value)} />
          <div class="actions">
            <button type="submit" class="btn small danger" disabled={!phraseOk || busy !== undefined}>
              {busy === 'erase' ? t('c360Starting') : t('c360EraseConfirm')}
            </button>
            <button
              type="button"
              class="btn small"
              onClick={() => {
                setConfirming(false);
                setTyped('');
              }}
            >
              {t('c360EraseCancel')}
            </button>
          </div>
        </form>
      )}
      <NoticeLine notice={notice} />
      {tasks.export && <TaskProgress api={props.api} task={tasks.export} onChange={update} />}
      {tasks.erase && <TaskProgress api={props.api} task={tasks.erase} onChange={update} />}
    </div>
  );
}
