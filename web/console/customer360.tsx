/**
 * The customer 360 beside a conversation or ticket. What is on the console's first load is only
 * this: the shared read of `GET /contacts/{contactId}` (one request for the panel and the churn
 * badge of the conversation header) and the lazily loaded panel. The panel itself — membership,
 * churn risk, labels, the points ledger and adjustment, privacy actions — is its own chunk
 * (customer360/panel.tsx), downloaded when a conversation is first opened.
 */
import type { LedgerEntry } from '../../shared/members/ledger.ts';
import type { ChurnView } from '../../shared/members/view.ts';
import type { StaffApi } from './auth.ts';
import { lazyPage } from './kit/index.ts';

type Text = { zh: string; en: string };

/** What `GET /contacts/{contactId}` returns that the panel shows (functions/http/contact-get.ts). */
export interface Customer360 {
  profile: { contactId: string; name?: string; email?: string; phone?: string; shopUserId?: string; verified?: boolean };
  /** Normalised labels and their version (sent back when the labels are saved). */
  labels: string[];
  labelsVersion: number;
  /** Absent until the contact has a churn score (a counted order). */
  churn?: ChurnView;
  membership: {
    tier: { tierId: string; rank: number; name: Text; since?: string };
    benefits?: { perks?: Text[] };
    points: { balance: number; lifetimeEarned: number; expiringWithin30Days: number; nextExpiry?: { points: number; at: string } };
    nextTier?: { tierId: string; name: Text; spendToGo?: number; pointsToGo?: number };
  };
  rfm: { orderCount: number; totalSpend: number; avgSpend: number; firstOrderAt?: string; lastOrderAt?: string };
  recentOrders: { orderId: string; status: string; amount: number; currency: string; placedAt: string; statusAt?: string }[];
  conversations: { conversationId: string; status: string; channel: string; lastMessageAt: string; preview: string }[];
  points: { items: LedgerEntry[]; cursor?: string };
}

/** How long a read is shared (the panel and the header badge open together). */
const SHARE_MS = 15_000;
const reads = new Map<string, { at: number; promise: Promise<Customer360> }>();

/** The 360 view of a contact; a read younger than a few seconds is shared unless `fresh`. */
export function loadContact(api: StaffApi, contactId: string, fresh = false): Promise<Customer360> {
  const held = reads.get(contactId);
  if (!fresh && held && Date.now() - held.at < SHARE_MS) return held.promise;
  const promise = api.call<Customer360>(`/contacts/${encodeURIComponent(contactId)}`);
  reads.set(contactId, { at: Date.now(), promise });
  promise.catch(() => reads.get(contactId)?.promise === promise && reads.delete(contactId));
  return promise;
}

/** What the lazily loaded panel gets: `load` is the shared read above (passed in, so the chunk imports nothing of the first load). */
export interface PanelProps {
  api: StaffApi;
  contactId: string;
  load: typeof loadContact;
}

const Panel = lazyPage<PanelProps>(() => import('./customer360/panel.tsx').then((m) => m.CustomerPanelView));

/** Tier, churn risk, labels, points (ledger and adjustment), orders and privacy actions of the customer. */
export function CustomerPanel(props: { api: StaffApi; contactId: string }) {
  return <Panel api={props.api} contactId={props.contactId} load={loadContact} />;
}
