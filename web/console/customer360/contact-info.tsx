/**
 * The customer's contact details in the 360 panel, masked as the server sends them (138****5678,
 * w***@example.com). Supervisors and admins may show the full values with a reason
 * (`POST /contacts/{contactId}/reveal`): the server records the look in the access log before it
 * answers, and the full values live only in this component until it is hidden or the panel closes.
 */
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PersonalField } from '../../../shared/text/masking.ts';
import { type FieldError, fieldErrors } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import '../i18n-privacy.ts';
import { type ConsoleKey, useI18n } from '../i18n.ts';
import { failureNotice, fieldHelpers, type Notice, NoticeLine, TextField } from '../kit/index.ts';

/** The fields shown, in order (the server's PERSONAL_FIELDS), with their labels. */
const FIELDS: readonly (readonly [PersonalField, ConsoleKey])[] = [
  ['phone', 'prvPhone'],
  ['email', 'prvEmail'],
  ['address', 'prvAddress'],
  ['birthday', 'prvBirthday'],
];

export type ContactProfile = Partial<Record<PersonalField | 'name', string>>;

/** The reason's bounds (RevealBody in shared/privacy/api.ts), checked first so the message is the reader's language. */
export function revealReasonOk(reason: string): boolean {
  const r = reason.trim();
  return r.length >= 2 && r.length <= 500;
}

export function ContactInfo(props: { api: StaffApi; contactId: string; profile: ContactProfile; masked: readonly string[]; canReveal: boolean }) {
  const { t } = useI18n();
  const [full, setFull] = useState<ContactProfile>();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  const id = `c360-reveal-${props.contactId}`;
  useEffect(() => {
    setFull(undefined);
    setAsking(false);
    setReason('');
    setNotice(undefined);
  }, [props.contactId]);

  const shown = FIELDS.filter(([field]) => props.profile[field]);
  const hidden = props.masked.length > 0 && !full;

  const reveal = async (e: Event) => {
    e.preventDefault();
    if (!revealReasonOk(reason)) {
      setErrors([{ path: 'reason', message: t('prvRevealReasonInvalid') }]);
      setNotice({ kind: 'error', text: t('kitInvalid') });
      return;
    }
    setBusy(true);
    setErrors([]);
    setNotice(undefined);
    try {
      const res = await props.api.call<{ profile: ContactProfile }>(`/contacts/${encodeURIComponent(props.contactId)}/reveal`, { reason: reason.trim() });
      setFull(res.profile);
      setAsking(false);
      setReason('');
      setNotice({ kind: 'ok', text: t('prvRevealed') });
    } catch (err) {
      setErrors(fieldErrors(err));
      setNotice(failureNotice(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="c360-contact" role="group" aria-labelledby={`${id}-heading`}>
      <h4 id={`${id}-heading`}>{t('prvContact')}</h4>
      {shown.length ? (
        <dl>
          {shown.map(([field, label]) => (
            <Fragment key={field}>
              <dt>{t(label)}</dt>
              <dd data-field={field} data-masked={!full && props.masked.includes(field) ? 'true' : undefined} class="mono">
                {full?.[field] ?? props.profile[field]}
              </dd>
            </Fragment>
          ))}
        </dl>
      ) : (
        <p class="muted small">{t('prvNone')}</p>
      )}
      {hidden && <p class="muted small">{t('prvMaskedHint')}</p>}
      {props.canReveal &&
        props.masked.length > 0 &&
        (full ? (
          <button
            type="button"
            class="btn small"
            onClick={() => {
              setFull(undefined);
              setNotice(undefined);
            }}
          >
            {t('prvHide')}
          </button>
        ) : asking ? (
          <form class="c360-reveal-form" onSubmit={reveal} noValidate>
            <TextField
              id={`${id}-reason`}
              label={t('prvRevealReason')}
              value={reason}
              onInput={(v) => {
                setReason(v);
                setErrors([]);
              }}
              rows={2}
              maxLength={500}
              required
              errors={fieldHelpers(errors, id)}
              path="reason"
              hint={t('prvRevealHint')}
            />
            <div class="actions">
              <button type="submit" class="btn small primary" disabled={busy}>
                {busy ? t('prvRevealing') : t('prvRevealSubmit')}
              </button>
              <button
                type="button"
                class="btn small"
                disabled={busy}
                onClick={() => {
                  setAsking(false);
                  setErrors([]);
                  setNotice(undefined);
                }}
              >
                {t('prvRevealCancel')}
              </button>
            </div>
          </form>
        ) : (
          <button type="button" class="btn small" onClick={() => setAsking(true)}>
            {t('prvReveal')}
          </button>
        ))}
      <NoticeLine notice={notice} />
    </div>
  );
}
