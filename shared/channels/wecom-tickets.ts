/** Which WeChat customer a `wechat` ticket belongs to (`TICKET#{id}` / `WECOM`), for replies. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export interface TicketCustomer {
  openKfId: string;
  externalUserId: string;
}

/** Links a ticket to the customer it was opened for (written once, before the ticket). */
export async function linkTicketCustomer(ticketId: string, customer: TicketCustomer): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.ticketWecom(ticketId), entity: 'ticket-wecom', ticketId, openKfId: customer.openKfId, externalUserId: customer.externalUserId },
    }),
  );
}

export async function getCustomerOfTicket(ticketId: string): Promise<TicketCustomer | undefined> {
  const item = (await db().send(new GetCommand({ TableName: tableName(), Key: keys.ticketWecom(ticketId), ConsistentRead: true }))).Item;
  return item ? { openKfId: String(item.openKfId), externalUserId: String(item.externalUserId) } : undefined;
}
