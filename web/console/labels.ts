import type { Ticket, TicketStatus } from '../lib/types.ts';
import type { ConsoleKey, Translate } from './i18n.ts';
import { pickText } from './kit/text.ts';
import type { MacroActions } from './macros-state.ts';
import type { TicketConfig } from './tickets-store.ts';

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

const TICKET_STATUS: Record<TicketStatus, ConsoleKey> = {
  new: 'tStatusNew',
  open: 'tStatusOpen',
  pending: 'tStatusPending',
  on_hold: 'tStatusOnHold',
  solved: 'tStatusSolved',
  closed: 'tStatusClosed',
};

const CHANNELS: Record<Ticket['channel'], ConsoleKey> = {
  chat: 'channelChat',
  email: 'channelEmail',
  phone: 'channelPhone',
  web_form: 'channelWebForm',
  api: 'channelApi',
  wechat: 'channelWechat',
};

export const ticketStatusLabel = (status: TicketStatus, t: Translate) => t(TICKET_STATUS[status]);
export const channelLabel = (channel: string, t: Translate) => (channel in CHANNELS ? t(CHANNELS[channel as Ticket['channel']]) : channel);

/** A category in the reader's language (`DELIVERY` → "Delivery"); unknown ones as they are. */
export function categoryLabel(category: string | undefined, t: Translate): string {
  if (!category) return '';
  const key = `cat_${category}` as ConsoleKey;
  const text = t(key);
  return text === undefined || text === key ? category : text;
}

/** A team's name from the configuration, else the built-in label or its id. */
export function teamName(teamId: string | undefined, config: TicketConfig | undefined, t: Translate, locale: string): string {
  if (!teamId) return '';
  const team = config?.teams.find((x) => x.teamId === teamId);
  return team ? pickText(team.name, locale) : teamLabel(teamId, t);
}

/** "status → solved · add tags refund · assign to me" in the agent's language. */
export function macroActionsText(actions: MacroActions | undefined, t: Translate, nameOf: (sub: string) => string): string {
  if (!actions) return '';
  const parts: string[] = [];
  if (actions.status) parts.push(t('macroActStatus', { status: ticketStatusLabel(actions.status, t) }));
  if (actions.addTags?.length) parts.push(t('macroActAddTags', { tags: actions.addTags.join(', ') }));
  if (actions.removeTags?.length) parts.push(t('macroActRemoveTags', { tags: actions.removeTags.join(', ') }));
  if (actions.assignee === 'me') parts.push(t('macroActAssignMe'));
  else if (actions.assignee === 'none') parts.push(t('macroActUnassign'));
  else if (actions.assignee) parts.push(t('macroActAssign', { name: nameOf(actions.assignee) }));
  return parts.join(' · ');
}
