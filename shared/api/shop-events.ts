import * as z from 'zod/mini';
import { cleanLine } from '#shared/text/hygiene.ts';

const Iso = z.iso.datetime({ offset: true });
const Id = z.string().check(z.minLength(1), z.maxLength(128));

const OrderData = z.strictObject({
  orderId: Id,
  customerId: Id,
  amount: z.number().check(z.minimum(0)),
  currency: z._default(z.string().check(z.length(3)), 'CNY'),
  quantity: z.optional(z.int().check(z.minimum(0))),
});

const order = <T extends string>(type: T) => z.strictObject({ eventId: Id, type: z.literal(type), occurredAt: Iso, data: OrderData });

/** Events the shop's backend sends (signed). `occurredAt` orders updates: older never overwrites newer. */
export const ShopEvent = z.discriminatedUnion('type', [
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
]);
export type ShopEvent = z.infer<typeof ShopEvent>;

/** What travels on the shop-events queue. */
export const ShopEventMessage = z.strictObject({ shopId: Id, event: ShopEvent });
export type ShopEventMessage = z.infer<typeof ShopEventMessage>;
