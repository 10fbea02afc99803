/** Settings › email: the email outbox (what was sent, to whom, delivery state, retries). */
import { useI18n } from '../i18n.ts';
import type { SettingsSectionProps } from './common.tsx';

export function EmailOutbox(_props: SettingsSectionProps) {
  const { t } = useI18n();
  return <p class="muted">{t('loading')}</p>;
}
