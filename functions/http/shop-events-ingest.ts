import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { IncomingShopEvent, type ShopQueueMessage } from '#shared/api/shop-events.ts';
import { queueUrl } from '#shared/config.ts';
import { accepted, withHttp } from '#shared/http/with-http.ts';

const sqs = new SQSClient({});

export const handler = withHttp(
  'shop-events-ingest',
  { body: IncomingShopEvent, response: z.object({ accepted: z.boolean(), eventId: z.string() }) },
  async ({ body, caller }) => {
    const message: ShopQueueMessage = { shopId: caller.shopId, event: body };
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl('shop-events'), MessageBody: JSON.stringify(message) }));
    return accepted({ accepted: true, eventId: body.eventId });
  },
);
