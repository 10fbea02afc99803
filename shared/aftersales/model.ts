/**
 * After-sales (售后) domain, pure: what a request is, its reasons and states, and the state machine
 * of the actions agents (and the shop's refund report) take on it. No I/O here.
 */

export type Bilingual = { 'zh-CN': string; en: string };

export const KINDS = ['return', 'exchange', 'refund_only'] as const;
export type Kind = (typeof KINDS)[number];

export const KIND_TEXT: Record<Kind, Bilingual> = {
  return: { 'zh-CN': '退货退款', en: 'Return and refund' },
  exchange: { 'zh-CN': '换货', en: 'Exchange' },
  refund_only: { 'zh-CN': '仅退款', en: 'Refund only' },
};

export const REASONS = ['quality', 'wrong_item', 'no_reason', 'size', 'missing', 'other'] as const;
export type Reason = (typeof REASONS)[number];

export const REASON_TEXT: Record<Reason, Bilingual> = {
  quality: { 'zh-CN': '质量问题', en: 'Quality problem' },
  wrong_item: { 'zh-CN': '发错货', en: 'Wrong item sent' },
  no_reason: { 'zh-CN': '不喜欢/七天无理由', en: 'Changed my mind (7-day no-reason return)' },
  size: { 'zh-CN': '尺码不合适', en: 'Size does not fit' },
  missing: { 'zh-CN': '少件', en: 'Items missing' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

export const STATES = ['requested', 'reviewing', 'awaiting_return', 'received', 'refunding', 'completed', 'rejected'] as const;
export type State = (typeof STATES)[number];

export const STATE_TEXT: Record<State, Bilingual> = {
  requested: { 'zh-CN': '已申请', en: 'Requested' },
  reviewing: { 'zh-CN': '审核中', en: 'Under review' },
  awaiting_return: { 'zh-CN': '待寄回', en: 'Awaiting return' },
  received: { 'zh-CN': '已收货', en: 'Return received' },
  refunding: { 'zh-CN': '退款中', en: 'Refund in progress' },
  completed: { 'zh-CN': '已完成', en: 'Completed' },
  rejected: { 'zh-CN': '已拒绝', en: 'Rejected' },
};

/** A request that is finished: nothing more can happen to it. */
export function isTerminal(state: State): boolean {
  return state === 'completed' || state === 'rejected';
}

export const ACTIONS = ['review', 'approve', 'send_return_address', 'mark_received', 'refund', 'complete', 'reject', 'refund_completed'] as const;
export type ActionName = (typeof ACTIONS)[number];
/** What staff may do; `refund_completed` comes only from the shop's signed event. */
export const STAFF_ACTIONS = [
  'review',
  'approve',
  'send_return_address',
  'mark_received',
  'refund',
  'complete',
  'reject',
] as const satisfies readonly ActionName[];
export type StaffActionName = (typeof STAFF_ACTIONS)[number];

export type Action =
  | { action: 'review' }
  | { action: 'approve' }
  | { action: 'send_return_address'; address: string }
  | { action: 'mark_received' }
  | { action: 'refund'; amount: number }
  | { action: 'complete' }
  | { action: 'reject'; reason: string }
  | { action: 'refund_completed'; amount: number };

export const ACTION_TEXT: Record<ActionName, Bilingual> = {
  review: { 'zh-CN': '开始审核', en: 'Start review' },
  approve: { 'zh-CN': '同意', en: 'Approve' },
  send_return_address: { 'zh-CN': '发送退货地址', en: 'Send return address' },
  mark_received: { 'zh-CN': '确认收到退货', en: 'Mark return received' },
  refund: { 'zh-CN': '退款', en: 'Refund' },
  complete: { 'zh-CN': '换货已寄出，完成', en: 'Replacement sent, complete' },
  reject: { 'zh-CN': '拒绝', en: 'Reject' },
  refund_completed: { 'zh-CN': '商家已退款', en: 'Refund completed by the shop' },
};

export interface Photo {
  attachmentId: string;
  fileName: string;
  contentType: string;
  size: number;
}

/** The after-sales record (`AFTERSALES#{requestId}` / `REQUEST`), linked to its ticket both ways. */
export interface AfterSalesRequest {
  requestId: string;
  shopId: string;
  contactId: string;
  /** The shop's own customer id (what its backend knows the shopper by). */
  customerId: string;
  ticketId: string;
  orderId: string;
  kind: Kind;
  reason: Reason;
  quantity: number;
  note?: string;
  photos: Photo[];
  /** The upload scope the photos live under (their object keys derive from it). */
  photoScope: string;
  state: State;
  /** What the order was paid (the refund ceiling) and its currency, when the request was made. */
  paid: number;
  currency: string;
  returnAddress?: string;
  refundAmount?: number;
  refundedAmount?: number;
  rejectReason?: string;
  /** Webhook events the request raised (newest last, at most 20): the shop's backend can match them. */
  events?: { type: string; eventId: string }[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Why an action is refused (the HTTP layer turns it into a 409 or 400 with these words). */
export type Refusal = { code: 'not_allowed' | 'amount' | 'address' | 'reason'; text: Bilingual };

/** Whether the return legs (待寄回, 已收货) apply: refund-only requests skip them. */
function returnsGoods(kind: Kind): boolean {
  return kind !== 'refund_only';
}

/** The state an action leads to from `from`, or undefined when the machine does not allow it. */
export function nextState(kind: Kind, from: State, action: ActionName): State | undefined {
  if (isTerminal(from)) return undefined;
  switch (action) {
    case 'review':
      return from === 'requested' ? 'reviewing' : undefined;
    case 'approve':
      return returnsGoods(kind) && (from === 'requested' || from === 'reviewing') ? 'awaiting_return' : undefined;
    case 'send_return_address':
      return from === 'awaiting_return' ? 'awaiting_return' : undefined;
    case 'mark_received':
      return from === 'awaiting_return' ? 'received' : undefined;
    case 'refund':
      if (kind === 'return') return from === 'received' ? 'refunding' : undefined;
      if (kind === 'refund_only') return from === 'requested' || from === 'reviewing' ? 'refunding' : undefined;
      return undefined;
    case 'complete':
      return kind === 'exchange' && from === 'received' ? 'completed' : undefined;
    case 'reject':
      return from === 'refunding' ? undefined : 'rejected';
    case 'refund_completed':
      // The shop's word is final: money went back, whatever step the request was at.
      return 'completed';
  }
}

/** The staff actions open in a state (what the console shows as buttons). */
export function availableActions(kind: Kind, state: State): StaffActionName[] {
  return STAFF_ACTIONS.filter((a) => nextState(kind, state, a) !== undefined);
}

/** Money in cents-safe arithmetic. */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Applies one action: the next record (version + 1) or why not. Pure: the store writes the result
 * conditionally on the version read.
 */
export function applyAction(request: AfterSalesRequest, action: Action, at: string): AfterSalesRequest | Refusal {
  const to = nextState(request.kind, request.state, action.action);
  if (!to) {
    return {
      code: 'not_allowed',
      text: {
        'zh-CN': `售后申请当前为「${STATE_TEXT[request.state]['zh-CN']}」，不能执行「${ACTION_TEXT[action.action]['zh-CN']}」`,
        en: `the request is ${STATE_TEXT[request.state].en.toLowerCase()}; “${ACTION_TEXT[action.action].en}” is not possible now`,
      },
    };
  }
  const next: AfterSalesRequest = { ...request, state: to, updatedAt: at, version: request.version + 1 };
  switch (action.action) {
    case 'send_return_address': {
      const address = action.address.trim();
      if (!address) return { code: 'address', text: { 'zh-CN': '请填写退货地址', en: 'enter the return address' } };
      return { ...next, returnAddress: address };
    }
    case 'refund': {
      const ceiling = cents(request.paid - (request.refundedAmount ?? 0));
      if (!(action.amount > 0) || cents(action.amount) !== action.amount || action.amount > ceiling)
        return {
          code: 'amount',
          text: {
            'zh-CN': `退款金额须大于 0 且不超过实付 ¥${ceiling.toFixed(2)}（最多两位小数）`,
            en: `the refund must be more than 0 and at most the ¥${ceiling.toFixed(2)} paid (two decimals at most)`,
          },
        };
      return { ...next, refundAmount: action.amount };
    }
    case 'reject': {
      const reason = action.reason.trim();
      if (!reason) return { code: 'reason', text: { 'zh-CN': '请填写拒绝原因，顾客会看到它', en: 'enter a reason; the shopper sees it' } };
      return { ...next, rejectReason: reason };
    }
    case 'refund_completed':
      return { ...next, refundedAmount: cents((request.refundedAmount ?? 0) + action.amount) };
    default:
      return next;
  }
}

export function isRefusal(value: AfterSalesRequest | Refusal): value is Refusal {
  return 'code' in value;
}

/** The audit line of a transition on the ticket, in words. */
export function auditText(before: AfterSalesRequest, after: AfterSalesRequest, action: Action): Bilingual {
  const money = (n: number) => `¥${n.toFixed(2)}`;
  const head = {
    'zh-CN': `售后：${ACTION_TEXT[action.action]['zh-CN']}（${STATE_TEXT[before.state]['zh-CN']} → ${STATE_TEXT[after.state]['zh-CN']}）`,
    en: `After-sales: ${ACTION_TEXT[action.action].en} (${STATE_TEXT[before.state].en} → ${STATE_TEXT[after.state].en})`,
  };
  const extra =
    action.action === 'refund' || action.action === 'refund_completed'
      ? { 'zh-CN': `，金额 ${money(action.amount)}`, en: `, amount ${money(action.amount)}` }
      : action.action === 'reject'
        ? { 'zh-CN': `，原因：${action.reason.trim()}`, en: `, reason: ${action.reason.trim()}` }
        : action.action === 'send_return_address'
          ? { 'zh-CN': `，地址：${action.address.trim()}`, en: `, address: ${action.address.trim()}` }
          : { 'zh-CN': '', en: '' };
  return { 'zh-CN': head['zh-CN'] + extra['zh-CN'], en: head.en + extra.en };
}

/** The webhook events a transition tells the shop about. */
export function webhookTypes(after: AfterSalesRequest, action: Action): string[] {
  if (action.action === 'approve') return ['aftersales.approved'];
  if (action.action === 'refund')
    return after.kind === 'refund_only' ? ['aftersales.approved', 'aftersales.refund_requested'] : ['aftersales.refund_requested'];
  if (action.action === 'reject') return ['aftersales.rejected'];
  return [];
}

/** What the shopper reads about the state of a request (the widget and the bot). */
export function stateSentence(request: Pick<AfterSalesRequest, 'state' | 'kind' | 'orderId' | 'returnAddress' | 'refundAmount' | 'rejectReason'>): Bilingual {
  const order = request.orderId;
  const kind = KIND_TEXT[request.kind];
  switch (request.state) {
    case 'requested':
      return {
        'zh-CN': `订单 ${order} 的${kind['zh-CN']}申请已提交，等待客服审核。`,
        en: `Your ${kind.en.toLowerCase()} request for order ${order} is submitted and waits for review.`,
      };
    case 'reviewing':
      return { 'zh-CN': `订单 ${order} 的${kind['zh-CN']}申请正在审核中。`, en: `Your ${kind.en.toLowerCase()} request for order ${order} is being reviewed.` };
    case 'awaiting_return':
      return request.returnAddress
        ? { 'zh-CN': `申请已通过，请将商品寄回：${request.returnAddress}`, en: `Approved. Please send the item back to: ${request.returnAddress}` }
        : { 'zh-CN': '申请已通过，客服稍后会发送退货地址。', en: 'Approved. The team will send you the return address shortly.' };
    case 'received':
      return { 'zh-CN': '商家已收到您寄回的商品，正在处理。', en: 'The shop received your return and is processing it.' };
    case 'refunding':
      return {
        'zh-CN': `退款 ¥${(request.refundAmount ?? 0).toFixed(2)} 处理中，将原路退回。`,
        en: `A refund of ¥${(request.refundAmount ?? 0).toFixed(2)} is on its way to your original payment method.`,
      };
    case 'completed':
      return { 'zh-CN': `订单 ${order} 的售后已完成。`, en: `The after-sales request for order ${order} is completed.` };
    case 'rejected':
      return {
        'zh-CN': `订单 ${order} 的售后申请未通过：${request.rejectReason ?? ''}`,
        en: `The after-sales request for order ${order} was declined: ${request.rejectReason ?? ''}`,
      };
  }
}
