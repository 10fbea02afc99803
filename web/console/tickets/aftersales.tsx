/**
 * Mounts the after-sales (售后) panel on a ticket linked to a request (`aftersales_request`); the
 * panel and its strings are their own chunk, so other tickets and the console's first load do not
 * carry them.
 */
import type { Ticket } from '../../lib/types.ts';
import type { StaffApi } from '../auth.ts';
import { lazyPage } from '../kit/index.ts';

const Panel = lazyPage<{ api: StaffApi; requestId: string; onChanged: () => void }>(() =>
  import('./aftersales-panel.tsx').then((m) => m.AfterSalesRequestView),
);

/** Nothing unless the ticket carries `aftersales_request`. */
export function AfterSalesPanel(props: { api: StaffApi; ticket: Ticket; onChanged: () => void }) {
  const requestId = props.ticket.customFields?.aftersales_request;
  if (typeof requestId !== 'string') return null;
  return <Panel api={props.api} requestId={requestId} onChanged={props.onChanged} />;
}
