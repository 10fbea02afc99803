import { useRef, useState } from 'preact/hooks';
import { ApiError, type FieldError, fieldErrors, newClientId } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import { useI18n } from '../i18n.ts';
import { failureNotice, fieldHelpers, type Notice, NoticeLine, TextField } from '../kit/index.ts';

const MAX_POINTS = 1_000_000;

/** The form's own check, before any request (the same rules as `PointsAdjustBody`), as field errors. */
export function adjustProblems(points: string, reason: string): { path: 'points' | 'reason' }[] {
  const n = Number(points.trim().replace(/^\+/, ''));
  const problems: { path: 'points' | 'reason' }[] = [];
  if (!/^[+-]?\d+$/.test(points.trim()) || n === 0 || Math.abs(n) > MAX_POINTS) problems.push({ path: 'points' });
  const r = reason.trim();
  if (r.length < 3 || r.length > 500) problems.push({ path: 'reason' });
  return problems;
}

/**
 * A staff points adjustment (`POST /contacts/{contactId}/points`, supervisors and admins): signed
 * points and a required reason, which the ledger shows with the adjuster's name. One adjustment id
 * per filled form, so a retry after a lost answer never adjusts twice.
 */
export function AdjustForm(props: { api: StaffApi; contactId: string; onAdjusted: () => void }) {
  const { t, locale } = useI18n();
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  const adjustmentId = useRef(newClientId());
  const id = `c360-adjust-${props.contactId}`;
  const fields = fieldHelpers(errors, id);

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems = adjustProblems(points, reason).map((p) => ({
      path: p.path,
      message: t(p.path === 'points' ? 'c360AdjustPointsInvalid' : 'c360AdjustReasonInvalid'),
    }));
    setErrors(problems);
    if (problems.length) {
      setNotice({ kind: 'error', text: t('kitInvalid') });
      return;
    }
    setBusy(true);
    setNotice(undefined);
    try {
      const body = { points: Number(points.trim().replace(/^\+/, '')), reason: reason.trim(), adjustmentId: adjustmentId.current };
      const res = await props.api.call<{ balance: number; entry?: { points: number }; duplicate?: boolean }>(
        `/contacts/${encodeURIComponent(props.contactId)}/points`,
        body,
      );
      adjustmentId.current = newClientId();
      setPoints('');
      setReason('');
      const signed = `${body.points > 0 ? '+' : ''}${body.points.toLocaleString(locale)}`;
      setNotice({ kind: 'ok', text: t('c360AdjustDone', { points: signed, balance: res.balance.toLocaleString(locale) }) });
      props.onAdjusted();
    } catch (err) {
      const code = err instanceof ApiError ? (err.details as { code?: string } | undefined)?.code : undefined;
      if (code === 'insufficient_points' || code === 'too_many_lots') {
        setNotice({ kind: 'error', text: t(code === 'insufficient_points' ? 'c360AdjustShort' : 'c360AdjustTooManyLots') });
      } else {
        setErrors(fieldErrors(err));
        setNotice(failureNotice(err, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="c360-adjust" aria-labelledby={`${id}-heading`} onSubmit={submit} noValidate>
      <h5 id={`${id}-heading`}>{t('c360Adjust')}</h5>
      <TextField
        id={`${id}-points`}
        label={t('c360AdjustPoints')}
        value={points}
        onInput={setPoints}
        errors={fields}
        path="points"
        hint={t('c360AdjustPointsHint')}
        required
      />
      <TextField
        id={`${id}-reason`}
        label={t('c360AdjustReason')}
        value={reason}
        onInput={setReason}
        rows={2}
        maxLength={500}
        errors={fields}
        path="reason"
        hint={t('c360AdjustReasonHint')}
        required
      />
      <button type="submit" class="btn small primary" disabled={busy}>
        {busy ? t('c360Adjusting') : t('c360AdjustSubmit')}
      </button>
      <NoticeLine notice={notice} />
    </form>
  );
}
