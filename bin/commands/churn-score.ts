/** `kefu churn score`: churn risk and reasons per customer from an order CSV. */
import { parseOrdersCsv, scoreChurn } from '#shared/ai/churn.ts';
import { type Command, readInput, requireString, UsageError } from '../cli-kit.ts';

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'churn score',
  summary: 'Score churn risk as of a date using only orders on or before it; prints {"customerId","risk","reasons":[{code,en,zh}]} per customer.',
  usage: 'kefu churn score --orders ORDERS.csv --as-of YYYY-MM-DD',
  options: {
    orders: { type: 'string', description: 'CSV with header customer_id,date,quantity,amount' },
    'as-of': { type: 'string', description: 'scoring date, YYYY-MM-DD' },
  },
  run(values, io) {
    const path = requireString(values, 'orders');
    const asOf = requireString(values, 'as-of');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
      throw new UsageError('--as-of must be a date YYYY-MM-DD');
    }
    let orders;
    try {
      orders = parseOrdersCsv(readInput(path));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${path}: ${(e as Error).message}`);
    }
    for (const s of scoreChurn(orders, asOf)) io.out(JSON.stringify({ customerId: s.customerId, risk: s.risk, reasons: s.reasons }));
  },
};
