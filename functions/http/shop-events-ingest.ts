import * as z from 'zod/mini';
import { IncomingShopEvent } from '#shared/api/shop-events.ts';
import { accepted, withHttp } from '#shared/http/with-http.ts';
import { enqueue } from '#shared/queue/send.ts';

export const handler = withHttp(
  'shop-events-ingest',
  { body: IncomingShopEvent, response: z.object({ accepted: z.boolean(), eventId: z.string() }) },
  async ({ body, caller }) => {
    // Typed against the consumer's contract (shared/queue/messages.ts), like every other producer.
    await enqueue('shop-events', { shopId: caller.shopId, event: body });
    return accepted({ accepted: true, eventId: body.eventId });
  },
);
