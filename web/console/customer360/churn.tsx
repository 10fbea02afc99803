import type { ChurnView } from '../../../shared/members/view.ts';
import { useI18n } from '../i18n.ts';
import { pickText } from '../kit/index.ts';
import { day } from '../labels.ts';

/** The customer's churn risk: level, score and the reasons behind it (bilingual, from the daily scoring). */
export function ChurnSection(props: { churn: ChurnView | undefined }) {
  const { t, locale } = useI18n();
  const churn = props.churn;
  return (
    <div class="c360-churn" role="group" aria-labelledby="c360-churn-heading">
      <h4 id="c360-churn-heading">{t('c360Churn')}</h4>
      {churn ? (
        <>
          <p class="c360-churn-level">
            <span class={`badge churn-badge ${churn.level}`} data-churn={churn.level}>
              {pickText(churn.levelText, locale)}
            </span>{' '}
            <span class="muted small">{t('c360ChurnScore', { risk: Math.round(churn.risk * 100) })}</span>
          </p>
          {churn.reasons.length > 0 && (
            <ul class="c360-reasons" aria-label={t('c360ChurnWhy')}>
              {churn.reasons.map((r) => (
                <li key={r.code} data-reason={r.code}>
                  {pickText(r, locale)}
                </li>
              ))}
            </ul>
          )}
          {churn.scoredAt && <p class="muted small">{t('c360ChurnScoredAt', { date: day(churn.scoredAt, locale) })}</p>}
        </>
      ) : (
        <p class="muted small">{t('c360ChurnNone')}</p>
      )}
    </div>
  );
}
