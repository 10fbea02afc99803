import * as z from 'zod/mini';
import { withHttp, noContent } from '#shared/http/with-http.ts';
import { agentsOnline, setPresence } from '#shared/store/presence.ts';
import { pushToTopic, STAFF_TOPIC } from '#shared/realtime.ts';

const Body = z.strictObject({ status: z.enum(['online', 'away']) });

export const handler = withHttp('staff-presence', { body: Body },
  async ({ body, caller, now }) => {
    await setPresence(caller.sub, body.status, now);
    await pushToTopic(STAFF_TOPIC, { type: 'presence', agentsOnline: await agentsOnline(now) });
    return noContent();
  },
);
