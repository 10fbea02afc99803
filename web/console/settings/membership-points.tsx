/** Settings › membership › points rules (`PUT /loyalty/settings`): earn rate, expiry, the tier window, review and grace periods. */
import { useState } from 'preact/hooks';
import type { FieldError } from '../../lib/http.ts';
import { useI18n } from '../i18n.ts';
import { fieldHelpers, type Notice, NoticeLine } from '../kit/index.ts';
import { unclaimed } from '../tickets-state.ts';
import type { SettingsSectionProps } from './common.tsx';
import { NumberFields, type NumberSpec, SaveButton, saveAndReload } from './common.tsx';
import { LOYALTY_FIELDS, type LoyaltyField, type LoyaltyForm, loyaltyBody, loyaltyForm, loyaltyProblems, type MembershipData } from './membership-state.ts';

/** Label, hint and the schema's range (`SettingsBody` in shared/members/api.ts) of each field. */
const FIELD: Record<LoyaltyField, NumberSpec> = {
  pointsPerUnit: { label: 'msPointsPerUnit', hint: 'msPointsPerUnitHint', min: 0, max: 100 },
  pointsExpiryMonths: { label: 'msExpiryMonths', hint: 'msExpiryMonthsHint', min: 1, max: 120 },
  windowDays: { label: 'msWindowDays', hint: 'msWindowDaysHint', min: 1, max: 3650 },
  reviewEveryDays: { label: 'msReviewDays', hint: 'msReviewDaysHint', min: 1, max: 365 },
  graceDays: { label: 'msGraceDays', hint: 'msGraceDaysHint', min: 0, max: 365 },
};

export function LoyaltySettingsForm(props: {
  api: SettingsSectionProps['api'];
  data: MembershipData;
  notice: Notice | undefined;
  onReload: (at: string, notice: Notice) => Promise<void>;
}) {
  const { t } = useI18n();
  const { settings } = props.data;
  const [form, setForm] = useState<LoyaltyForm>(() => loyaltyForm(settings));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(props.notice);
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'loyalty');

  const save = (event: Event) => {
    event.preventDefault();
    void saveAndReload(
      { setBusy, setErrors, setNotice },
      t,
      loyaltyProblems(form, t),
      () => props.api.put('/loyalty/settings', loyaltyBody(form, settings.version)),
      (notice) => props.onReload('loyalty', notice),
      { saved: t('msPointsSaved'), conflict: t('msConflict') },
    );
  };

  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="loyalty-heading">
      <h2 id="loyalty-heading">{t('msPointsRules')}</h2>
      <p class="muted small">{t('msPointsIntro')}</p>
      <NoticeLine notice={notice && { ...notice, extra: unclaimed(errors, [...LOYALTY_FIELDS]) }} />
      <NumberFields prefix="loyalty" keys={LOYALTY_FIELDS} spec={FIELD} form={form} errors={f} onInput={(k, v) => setForm((x) => ({ ...x, [k]: v }))} />
      <SaveButton busy={busy} label={t('msSavePoints')} />
    </form>
  );
}
