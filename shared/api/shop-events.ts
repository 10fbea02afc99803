import * as z from 'zod/mini';
import { msg } from '#shared/http/messages.ts';
import { cleanLine } from '#shared/text/hygiene.ts';

const Iso = z.iso.datetime({ offset: true });
const Id = z.string().check(z.minLength(1), z.maxLength(128));

const OrderData = z.strictObject({
  orderId: Id,
  customerId: Id,
  amount: z.number().check(z.minimum(0)),
  currency: z._default(z.string().check(z.length(3)), 'CNY'),
  quantity: z.optional(z.int().check(z.minimum(0))),
  /** The dispatch time the shop promised (催单 counts from it; else from payment plus the configured hours). */
  dispatchBy: z.optional(Iso),
});

const order = <T extends string>(type: T) => z.strictObject({ eventId: Id, type: z.literal(type), occurredAt: Iso, data: OrderData });

/** Events the shop's backend sends (signed). `occurredAt` orders updates: older never overwrites newer. */
const ORDER_AND_MEMBER = [
  order('order.created'),
  order('order.paid'),
  order('order.shipped'),
  order('order.delivered'),
  order('order.refunded'),
  z.strictObject({
    eventId: Id,
    type: z.literal('member.upserted'),
    occurredAt: Iso,
    data: z.strictObject({
      customerId: Id,
      name: z.optional(z.string().check(cleanLine(), z.maxLength(200))),
      email: z.optional(z.email()),
      phone: z.optional(z.string().check(z.maxLength(40))),
      locale: z.optional(z.enum(['zh-CN', 'en'])),
      birthday: z.optional(z.iso.date()),
    }),
  }),
] as const;
export const ShopEvent = z.discriminatedUnion('type', [...ORDER_AND_MEMBER]);
export type ShopEvent = z.infer<typeof ShopEvent>;

/** Order and member events on the queue (what `applyShopEvent` and `kefu import` take). */
export const ShopEventMessage = z.strictObject({ shopId: Id, event: ShopEvent });
export type ShopEventMessage = z.infer<typeof ShopEventMessage>;

/** Where a parcel is in its journey (a `shipment.updated` event's status). */
export const TRACE_STATUSES = ['collected', 'in_transit', 'arrived', 'out_for_delivery', 'pending_pickup'] as const;
const Line = (max: number) => z.string().check(cleanLine(), z.minLength(1), z.maxLength(max));
/** A carrier's waybill number: letters, digits and dashes. */
const TrackingNumber = z.string().check(z.regex(/^[A-Za-z0-9-]{4,40}$/, 'a tracking number is 4–40 letters, digits or dashes'));
const Parcel = {
  orderId: Id,
  customerId: Id,
  trackingNumber: TrackingNumber,
  /** Carrier name as the shopper knows it (顺丰速运, 中通快递, SF Express); required when the shipment is created. */
  carrier: z.optional(Line(40)),
};
/** Where and when the carrier recorded the step (`at` defaults to the event's `occurredAt`). */
const Step = {
  location: z.optional(Line(100)),
  description: z.optional(Line(500)),
  at: z.optional(Iso),
};
const shipment = <T extends string, D extends z.core.$ZodShape>(type: T, data: D) =>
  z.strictObject({ eventId: Id, type: z.literal(type), occurredAt: Iso, data: z.strictObject(data) });

/**
 * Logistics events (signed, like order events): a parcel handed to a carrier, each trace step,
 * delivery and exceptions. One shipment is an order's tracking number; the newest step (by `at`)
 * is its state, so a late older step is kept in the trace but never overwrites a newer one.
 */
const SHIPMENT = [
  shipment('shipment.created', { ...Parcel, carrier: Line(40), ...Step }),
  shipment('shipment.updated', { ...Parcel, status: z.enum(TRACE_STATUSES), ...Step, description: Line(500) }),
  shipment('shipment.delivered', { ...Parcel, ...Step }),
  shipment('shipment.exception', { ...Parcel, ...Step, description: Line(500) }),
] as const;
export const ShipmentEvent = z.discriminatedUnion('type', [...SHIPMENT]);
export type ShipmentEvent = z.infer<typeof ShipmentEvent>;

/** After-sales (docs/aftersales.md): the shop's refund went through; `requestId` names the Kefu request when the shop knows it. */
const REFUND = [
  z.strictObject({
    eventId: Id,
    type: z.literal('refund.completed'),
    occurredAt: Iso,
    data: z.strictObject({ orderId: Id, customerId: Id, amount: z.number().check(z.positive()), requestId: z.optional(Id) }),
  }),
] as const;
export type RefundEvent = z.infer<(typeof REFUND)[0]>;

/**
 * Coupons (docs/logistics.md): the shop took a code Kefu gave out (a campaign's or the 催单 apology's);
 * `amount` is the order's amount in yuan, counted as the redeemed order revenue of the campaign.
 */
const COUPON = [
  z.strictObject({
    eventId: Id,
    type: z.literal('coupon.redeemed'),
    occurredAt: Iso,
    data: z.strictObject({
      code: z.string().check(z.regex(/^[A-Za-z0-9-]{4,40}$/, msg('a coupon code is 4–40 letters, digits or dashes', '券码应为 4–40 个字母、数字或短横线'))),
      orderId: z.optional(Id),
      customerId: z.optional(Id),
      amount: z.optional(z.number().check(z.minimum(0))),
    }),
  }),
] as const;
export type CouponRedeemedEvent = z.infer<(typeof COUPON)[0]>;

/** Everything the shop's backend may post to `POST /shop/events`. */
export const IncomingShopEvent = z.discriminatedUnion('type', [...ORDER_AND_MEMBER, ...SHIPMENT, ...REFUND, ...COUPON]);
export type IncomingShopEvent = z.infer<typeof IncomingShopEvent>;

/** What travels on the shop-events queue: order, member and shipment events. */
export const ShopQueueMessage = z.strictObject({ shopId: Id, event: IncomingShopEvent });
export type ShopQueueMessage = z.infer<typeof ShopQueueMessage>;

/** A shipment event (the consumer hands these to shared/logistics). */
export function isShipmentEvent(event: IncomingShopEvent): event is ShipmentEvent {
  return event.type.startsWith('shipment.');
}

/** A refund the shop completed (the consumer hands these to shared/aftersales). */
export function isRefundEvent(event: IncomingShopEvent): event is RefundEvent {
  return event.type === 'refund.completed';
}

/** A coupon the shop redeemed (the consumer hands these to shared/coupons). */
export function isCouponEvent(event: IncomingShopEvent): event is CouponRedeemedEvent {
  return event.type === 'coupon.redeemed';
}
