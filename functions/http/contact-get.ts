import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { ContactParams } from '#shared/members/api.ts';
import { labelsOf } from '#shared/members/labels.ts';
import { listLedger, listRecentOrders, listTimeline, loyaltyConfig, readLots, readMember, windowMetrics } from '#shared/members/store.ts';
import { churnView, membershipView, rfmView } from '#shared/members/view.ts';
import { recordAccess } from '#shared/privacy/access-log.ts';
import { readsUnmaskedText } from '#shared/privacy/views.ts';
import { encodeCursor, listContactConversations } from '#shared/store/conversations.ts';
import { maskProfile, maskText, PERSONAL_FIELDS } from '#shared/text/masking.ts';

const PROFILE = ['contactId', 'shopId', 'verified', 'shopUserId', 'name', 'email', 'phone', 'locale', 'birthday', 'createdAt', 'updatedAt'] as const;

/** What the 360 view reads besides the profile (named in the access log). */
const PARTS = ['orders', 'conversations', 'points'];

export const handler = withHttp('contact-get', { params: ContactParams }, async ({ caller, params, now }) => {
  const member = await readMember(params.contactId);
  if (!member) throw notFound('contact');
  const at = now.toISOString();
  const config = await loyaltyConfig();
  // Personal fields are masked for every role here; supervisors and admins reveal them with a reason (contact-reveal).
  const { profile, masked } = maskProfile(Object.fromEntries(PROFILE.filter((f) => member.item[f] !== undefined).map((f) => [f, member.item[f]])));
  const read = ['name', ...PERSONAL_FIELDS].filter((f) => profile[f] !== undefined);
  const plain = readsUnmaskedText(caller.roles);
  const [metrics, lots, orders, conversations, ledger, timeline] = await Promise.all([
    windowMetrics(member.contactId, config, at),
    readLots(member.contactId),
    listRecentOrders(member.contactId, 10),
    listContactConversations(member.contactId, 10),
    listLedger(member.contactId, 20),
    listTimeline(member.contactId, 20),
    recordAccess(caller, { contactId: member.contactId, action: 'view_360', fields: [...read, ...PARTS], masked: masked.length > 0 }, now),
  ]);
  const labels = labelsOf(member.item);
  const churn = churnView(member.item);
  return ok({
    profile,
    masked,
    labels: labels.labels,
    labelsVersion: labels.version,
    ...(churn ? { churn } : {}),
    membership: {
      ...membershipView({
        tiers: config.tiers,
        tierId: member.tier?.tierId,
        since: member.tier?.since,
        balance: member.balance,
        earned: member.earned,
        metrics,
        lots,
        now: at,
      }),
      ...(member.tier ? { reviewAt: member.tier.reviewAt, graceUntil: member.tier.graceUntil } : {}),
    },
    rfm: rfmView(member.rfm),
    recentOrders: orders,
    conversations: conversations.map((c) => ({
      conversationId: c.conversationId,
      status: c.status,
      channel: c.channel,
      createdAt: c.createdAt,
      lastMessageAt: c.lastMessageAt,
      preview: plain ? c.lastMessagePreview : maskText(c.lastMessagePreview),
      assignee: c.assignee,
    })),
    points: { items: ledger.items, cursor: encodeCursor(ledger.next) },
    timeline,
  });
});
