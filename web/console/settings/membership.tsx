/** Settings › membership: member tiers and their rules and benefits, loyalty/points rules. */
import { useI18n } from '../i18n.ts';
import type { SettingsSectionProps } from './common.tsx';

export function MembershipSettings(_props: SettingsSectionProps) {
  const { t } = useI18n();
  return <p class="muted">{t('loading')}</p>;
}
