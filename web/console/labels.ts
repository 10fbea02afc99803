import type { ConsoleKey, Translate } from './i18n.ts';

const REASONS: Record<string, ConsoleKey> = {
  customer_request: 'reasonCustomerRequest',
  low_confidence: 'reasonLowConfidence',
  negative_sentiment: 'reasonNegativeSentiment',
  sensitive_topic: 'reasonSensitiveTopic',
  vip: 'reasonVip',
  budget_exhausted: 'reasonBudgetExhausted',
  provider_error: 'reasonProviderError',
};

const TEAMS: Record<string, ConsoleKey> = { general: 'teamGeneral', billing: 'teamBilling', logistics: 'teamLogistics' };

const PRIORITIES: Record<string, ConsoleKey> = { low: 'priorityLow', normal: 'priorityNormal', high: 'priorityHigh', urgent: 'priorityUrgent' };

const ORDER_STATUS: Record<string, ConsoleKey> = {
  created: 'orderCreated',
  paid: 'orderPaid',
  shipped: 'orderShipped',
  delivered: 'orderDelivered',
  refunded: 'orderRefunded',
};

const OUTCOMES: Record<string, ConsoleKey> = { resolved_by_bot: 'outcomeResolvedByBot', abandoned: 'outcomeAbandoned' };

function label(table: Record<string, ConsoleKey>, value: string | undefined, t: Translate): string {
  if (!value) return '';
  const key = table[value];
  return key ? t(key) : value;
}

/** Hand-off reason in the agent's language (unknown reasons are shown as sent). */
export const reasonLabel = (reason: string | undefined, t: Translate) => label(REASONS, reason, t);
/** Team name for the built-in routing teams; other team ids as they are. */
export const teamLabel = (team: string | undefined, t: Translate) => label(TEAMS, team, t);
export const priorityLabel = (priority: string | undefined, t: Translate) => label(PRIORITIES, priority, t);
export const orderStatusLabel = (status: string | undefined, t: Translate) => label(ORDER_STATUS, status, t);
export const outcomeLabel = (outcome: string | undefined, t: Translate) => label(OUTCOMES, outcome, t);

/** Money with its currency, in the console's locale. */
export function money(amount: number | undefined, currency: string | undefined, locale: string): string {
  if (amount === undefined || !Number.isFinite(amount)) return '–';
  try {
    return new Intl.NumberFormat(locale, currency ? { style: 'currency', currency } : { maximumFractionDigits: 2 }).format(amount);
  } catch {
    return `${amount} ${currency ?? ''}`.trim();
  }
}

/** A date (no time) in the console's locale; empty for a missing or broken value. */
export function day(iso: string | undefined, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}
