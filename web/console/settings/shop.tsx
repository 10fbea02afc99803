/** Settings › shop: the shop's general settings (name, bot, assign-on-reply, transcript retention). */
import { useI18n } from '../i18n.ts';
import type { SettingsSectionProps } from './common.tsx';

export function ShopSettings(_props: SettingsSectionProps) {
  const { t } = useI18n();
  return <p class="muted">{t('loading')}</p>;
}
