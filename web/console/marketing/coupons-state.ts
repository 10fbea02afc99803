/** The coupon pool form (pure): form text → the body `POST /coupons/pools` takes, and the screen's own checks. */
import type { PoolBody } from '../../../shared/coupons/api.ts';
import type { FieldError } from '../../lib/http.ts';
import type { Translate } from '../i18n.ts';

export interface PoolForm {
  nameZh: string;
  nameEn: string;
  value: string;
  threshold: string;
  /** `yyyy-mm-dd`: the pool expires at the end of that day, China time. */
  expires: string;
  count: string;
  length: string;
  prefix: string;
}

export const EMPTY_POOL_FORM: PoolForm = { nameZh: '', nameEn: '', value: '', threshold: '0', expires: '', count: '100', length: '10', prefix: '' };

const money = (v: string) => (/^\d+(\.\d{1,2})?$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);
const whole = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);

/** End of a day in China time, as the server takes it. */
export const endOfDay = (day: string) => `${day}T23:59:59+08:00`;

/** The screen's checks (messages in the reader's language, next to their fields). */
export function poolProblems(form: PoolForm, t: Translate, now = new Date()): FieldError[] {
  const problems: FieldError[] = [];
  if (!form.nameZh.trim()) problems.push({ path: 'name.zh', message: t('lgsCpnNameRequired') });
  if (!form.nameEn.trim()) problems.push({ path: 'name.en', message: t('lgsCpnNameRequired') });
  const value = money(form.value);
  if (!(value > 0)) problems.push({ path: 'value', message: t('lgsCpnValueInvalid') });
  const threshold = money(form.threshold || '0');
  if (!(threshold >= 0)) problems.push({ path: 'threshold', message: t('lgsCpnValueInvalid') });
  else if (threshold > 0 && threshold < value) problems.push({ path: 'threshold', message: t('lgsCpnThresholdBelow') });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.expires) || Date.parse(endOfDay(form.expires)) <= now.getTime())
    problems.push({ path: 'expiresAt', message: t('lgsCpnExpiryInvalid') });
  const count = whole(form.count || '0');
  if (!(count >= 0 && count <= 10_000)) problems.push({ path: 'generate.count', message: t('lgsCpnCountInvalid') });
  const length = whole(form.length);
  if (!(length >= 4 && length <= 32)) problems.push({ path: 'generate.length', message: t('lgsCpnLengthInvalid') });
  if (!/^[A-Za-z0-9-]{0,8}$/.test(form.prefix.trim())) problems.push({ path: 'generate.prefix', message: t('lgsCpnPrefixInvalid') });
  return problems;
}

/** The body of a new pool (call after `poolProblems` found nothing); no codes are generated for a count of 0. */
export function poolBody(form: PoolForm): PoolBody {
  const count = whole(form.count || '0');
  return {
    name: { zh: form.nameZh.trim(), en: form.nameEn.trim() },
    value: money(form.value),
    threshold: money(form.threshold || '0'),
    expiresAt: endOfDay(form.expires),
    ...(count > 0
      ? {
          generate: {
            count,
            length: whole(form.length),
            alphabet: 'ABCDEFGHJKMNPQRSTUVWXYZ23456789',
            ...(form.prefix.trim() ? { prefix: form.prefix.trim() } : {}),
          },
        }
      : {}),
  };
}
