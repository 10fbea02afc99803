import { useEffect, useState } from 'preact/hooks';
import type { ChurnView } from '../../../shared/members/view.ts';
import type { StaffApi } from '../auth.ts';
import { loadContact } from '../customer360.tsx';
import { useI18n } from '../i18n.ts';
import { pickText } from '../kit/index.ts';

/** A small warning triangle (SVG, drawn in the text colour). */
function RiskIcon() {
  return (
    <svg class="risk-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <path d="M8 1.5 15 14H1z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />
      <path d="M8 6v4M8 11.6v.4" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
    </svg>
  );
}

/** The churn level as a badge: its text and, on hover, the reasons (both from the server, zh and en). */
function ChurnLevelBadge(props: { churn: ChurnView }) {
  const { locale } = useI18n();
  const reasons = props.churn.reasons.map((r) => pickText(r, locale)).join(locale === 'zh-CN' ? '；' : '; ');
  return (
    <span class={`badge churn-badge ${props.churn.level}`} title={reasons || undefined} data-churn={props.churn.level}>
      <RiskIcon />
      {pickText(props.churn.levelText, locale)}
    </span>
  );
}

/**
 * The conversation header's churn warning: shown when the customer's churn risk is medium or high
 * (the 360 panel shows every level with its reasons). Shares the panel's read of the contact.
 */
export function ChurnBadge(props: { api: StaffApi; contactId: string }) {
  const [churn, setChurn] = useState<ChurnView>();
  useEffect(() => {
    let live = true;
    setChurn(undefined);
    loadContact(props.api, props.contactId).then(
      (c) => live && setChurn(c.churn),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [props.contactId]);
  return churn && churn.level !== 'low' ? <ChurnLevelBadge churn={churn} /> : null;
}
