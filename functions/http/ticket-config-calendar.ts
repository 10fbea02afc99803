import * as z from 'zod/mini';
import { withHttp, ok } from '#shared/http/with-http.ts';
import { CalendarSchema, CalendarParams, saveCalendar } from '#shared/tickets/config-store.ts';

export const handler = withHttp('ticket-config-calendar', { body: CalendarSchema, params: CalendarParams },
  async ({ body, params }) => ok({ calendar: await saveCalendar(params.calendarId, body) }),
);
