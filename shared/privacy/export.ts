/**
 * Data export of one contact (PRODUCT §9): a pure assembly over read ports, so the bundle's shape
 * and its rules (no internal notes in a shopper's own export) are unit-tested without a table.
 */

export type Row = Record<string, unknown>;

/** Read ports of the export; each one walks an existing Query access pattern to its end. */
export interface ExportReads {
  profile(contactId: string): Promise<Row | undefined>;
  consentLog(contactId: string): Promise<Row[]>;
  orders(contactId: string): Promise<Row[]>;
  conversations(contactId: string): Promise<Row[]>;
  messages(conversationId: string): Promise<Row[]>;
  tickets(contactId: string): Promise<Row[]>;
  surveys(contactId: string): Promise<{ survey: Row; response?: Row }[]>;
  ledger(contactId: string): Promise<Row[]>;
  /** Who of the staff read the contact's personal data, when and why (the access log). */
  accessLog?(contactId: string): Promise<Row[]>;
}

export interface ExportBundle {
  format: 'kefu.contact-export/1';
  generatedAt: string;
  contactId: string;
  includesInternalNotes: boolean;
  notice: { 'zh-CN': string; en: string };
  profile: Row | null;
  consentLog: Row[];
  orders: Row[];
  conversations: (Row & { messages: Row[] })[];
  tickets: Row[];
  surveys: { survey: Row; response?: Row }[];
  pointsLedger: Row[];
  /** Staff reads of this data: who, when, which fields, why. */
  accessLog: Row[];
}

/** Attributes that are storage mechanics or secrets, never the person's data. */
const MECHANICS = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'ttl', 'version', 'emailIndexed', 'churnVersion']);

/** Drops storage attributes from a row (keys, index keys, TTL, versions). */
export function publicRow(row: Row): Row {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !MECHANICS.has(k)));
}

/**
 * Gathers everything Kefu holds about a contact. Internal notes are staff working notes about the
 * customer: only an admin export may include them (`includeInternal`), a shopper's own never does.
 */
export async function buildExport(contactId: string, opts: { includeInternal: boolean; now: Date }, reads: ExportReads): Promise<ExportBundle> {
  const [profile, consentLog, orders, conversations, tickets, surveys, ledger, accessLog] = await Promise.all([
    reads.profile(contactId),
    reads.consentLog(contactId),
    reads.orders(contactId),
    reads.conversations(contactId),
    reads.tickets(contactId),
    reads.surveys(contactId),
    reads.ledger(contactId),
    reads.accessLog?.(contactId) ?? [],
  ]);
  const threads: (Row & { messages: Row[] })[] = [];
  for (const conversation of conversations) {
    const messages = (await reads.messages(String(conversation.conversationId))).filter((m) => opts.includeInternal || m.internal !== true).map(publicRow);
    threads.push({ ...publicRow(conversation), messages });
  }
  return {
    format: 'kefu.contact-export/1',
    generatedAt: opts.now.toISOString(),
    contactId,
    includesInternalNotes: opts.includeInternal,
    notice: {
      'zh-CN': '这是我们保存的与您有关的全部数据（个人资料、同意记录、订单、会话与消息、工单、问卷回复和积分明细），以及哪些员工在何时、为何查看过这些数据。',
      en: 'This is all the data we hold about you (profile, consent log, orders, conversations and messages, tickets, survey responses and points ledger), and which staff members looked at it, when and why.',
    },
    profile: profile ? publicRow(profile) : null,
    consentLog: consentLog.map(publicRow),
    orders: orders.map(publicRow),
    conversations: threads,
    tickets: tickets.map(publicRow),
    surveys: surveys.map((s) => ({ survey: publicRow(s.survey), ...(s.response ? { response: publicRow(s.response) } : {}) })),
    pointsLedger: ledger.map(publicRow),
    accessLog: accessLog.map(publicRow),
  };
}
