import * as z from 'zod/mini';
import { noContent, withHttp } from '#shared/http/with-http.ts';
import { pushToTopic, STAFF_TOPIC, servesConversations } from '#shared/realtime.ts';
import { agentsOnline, setPresence } from '#shared/store/presence.ts';
import { ticketPorts } from '#shared/tickets/adapters.ts';
import { DEFAULT_SHOP_ID } from '#shared/tickets/intake.ts';
import { drainForAgent } from '#shared/tickets/service.ts';

const Body = z.strictObject({ status: z.enum(['online', 'away']) });

export const handler = withHttp('staff-presence', { body: Body }, async ({ body, caller, now }) => {
  await setPresence(caller.sub, body.status, now);
  await pushToTopic(STAFF_TOPIC, { type: 'presence', agentsOnline: await agentsOnline(now) });
  // An agent who comes online takes waiting tickets of their teams at once (staff who do not serve shoppers never do).
  if (body.status === 'online' && servesConversations(caller.roles)) await drainForAgent(ticketPorts(), DEFAULT_SHOP_ID, caller.sub);
  return noContent();
});
