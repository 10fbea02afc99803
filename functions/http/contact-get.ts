import { notFound } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { ContactParams } from '#shared/members/api.ts';
import { labelsOf } from '#shared/members/labels.ts';
import { listLedger, listRecentOrders, listTimeline, loyaltyConfig, readLots, readMember, windowMetrics } from '#shared/members/store.ts';
import { churnView, membershipView, rfmView } from '#shared/members/view.ts';
import { encodeCursor, listContactConversations } from '#shared/store/conversations.ts';

const PROFILE = ['contactId', 'shopId', 'verified', 'shopUserId', 'name', 'email', 'phone', 'locale', 'birthday', 'createdAt', 'updatedAt'] as const;

export const handler = withHttp('contact-get', { params: ContactParams }, async ({ params, now }) => {
  const member = await readMember(params.contactId);
  if (!member) throw notFound('contact');
  const at = now.toISOString();
  const config = await loyaltyConfig();
  const [metrics, lots, orders, conversations, ledger, timeline] = await Promise.all([
    windowMetrics(member.contactId, config, at),
    readLots(member.contactId),
    listRecentOrders(member.contactId, 10),
    listContactConversations(member.contactId, 10),
    listLedger(member.contactId, 20),
    listTimeline(member.contactId, 20),
  ]);
  const labels = labelsOf(member.item);
  const churn = churnView(member.item);
  return ok({
    profile: Object.fromEntries(PROFILE.filter((f) => member.item[f] !== undefined).map((f) => [f, member.item[f]])),
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
      preview: c.lastMessagePreview,
      assignee: c.assignee,
    })),
    points: { items: ledger.items, cursor: encodeCursor(ledger.next) },
    timeline,
  });
});
