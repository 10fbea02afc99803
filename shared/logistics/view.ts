/** What staff screens read about a contact's shipments (the 360 panel): redacted, bilingual where it is words. */
import { listContactShipments, readTrace } from './store.ts';
import { redactTrace, type ShipmentStatus, STATUS_TEXT, shipmentText, type TraceLine } from './trace.ts';

export interface TraceLineView {
  at: string;
  status: ShipmentStatus;
  statusText: { 'zh-CN': string; en: string };
  location?: string;
  description?: string;
}

export interface ShipmentView {
  orderId: string;
  trackingNumber: string;
  carrier?: string;
  status: ShipmentStatus;
  statusText: { 'zh-CN': string; en: string };
  shippedAt: string;
  /** The shipment in one redacted line, as `{{shipment.latest}}` fills it (for a reply box filling macros itself). */
  line: { 'zh-CN': string; en: string };
  /** Newest first. */
  trace: TraceLineView[];
}

const statusText = (s: ShipmentStatus) => ({ 'zh-CN': STATUS_TEXT[s].zh, en: STATUS_TEXT[s].en });

function lineView(line: TraceLine): TraceLineView {
  return {
    at: line.at,
    status: line.status,
    statusText: statusText(line.status),
    ...(line.location ? { location: redactTrace(line.location) } : {}),
    ...(line.description ? { description: redactTrace(line.description) } : {}),
  };
}

/** A contact's newest shipments (at most `limit`), each with its trace (at most 20 steps). */
export async function shipmentsView(contactId: string, limit = 5): Promise<ShipmentView[]> {
  const shipments = await listContactShipments(contactId, limit);
  const traces = await Promise.all(shipments.map((s) => readTrace(s.orderId, s.trackingNumber, 20)));
  return shipments.map((s, i) => ({
    orderId: s.orderId,
    trackingNumber: s.trackingNumber,
    ...(s.carrier ? { carrier: s.carrier } : {}),
    status: s.status,
    statusText: statusText(s.status),
    shippedAt: s.shippedAt,
    line: { 'zh-CN': shipmentText(s, 'zh'), en: shipmentText(s, 'en') },
    trace: (traces[i] ?? []).map(lineView),
  }));
}
