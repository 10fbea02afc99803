/** `kefu churn score`: churn risk and reasons per customer from an order CSV. */
import { parseOrdersCsv } from '#shared/ai/churn.ts';
import { calibrateAndScore, DEFAULT_MIN_REPEATERS } from '#shared/churn/calibrate.ts';
import { type Command, readInput, requireString, UsageError } from '../cli-kit.ts';

/** Subcommand definition registered in bin/kefu.ts. */
export const command: Command = {
  name: 'churn score',
  summary:
    'Score churn risk as of a date using only orders on or before it; prints {"customerId","risk","reasons":[{code,en,zh}]} per customer. ' +
    `With enough history (>= ${DEFAULT_MIN_REPEATERS} customers with 2+ purchase days, two label windows) it first calibrates on those orders: ` +
    'BG/NBD and regularised logistic models are fitted on an earlier time window and the one ranking best on a later window is used, ' +
    'unless the hand-set score ranks better; otherwise the hand-set score is used. --card prints the model card (chosen model, backtest AUC per candidate, calibration by decile) to stderr.',
  usage: 'kefu churn score --orders ORDERS.csv --as-of YYYY-MM-DD [--min-repeaters N] [--hand-set] [--card]',
  options: {
    orders: { type: 'string', description: 'CSV with header customer_id,date,quantity,amount' },
    'as-of': { type: 'string', description: 'scoring date, YYYY-MM-DD (later orders are ignored, also for calibration)' },
    'min-repeaters': { type: 'string', description: `customers with 2+ purchase days needed to calibrate (default ${DEFAULT_MIN_REPEATERS})` },
    'hand-set': { type: 'boolean', description: 'skip calibration and use the hand-set score' },
    card: { type: 'boolean', description: 'print the model card as JSON to stderr' },
  },
  run(values, io) {
    const path = requireString(values, 'orders');
    const asOf = requireString(values, 'as-of');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
      throw new UsageError('--as-of must be a date YYYY-MM-DD');
    }
    const minText = values['min-repeaters'];
    const minRepeaters = typeof minText === 'string' ? Number(minText) : DEFAULT_MIN_REPEATERS;
    if (!Number.isInteger(minRepeaters) || minRepeaters < 1) throw new UsageError('--min-repeaters must be a whole number of at least 1');
    let orders;
    try {
      orders = parseOrdersCsv(readInput(path));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${path}: ${(e as Error).message}`);
    }
    const { card, scores } = calibrateAndScore(orders, asOf, values['hand-set'] === true ? { candidates: ['handset'], minRepeaters } : { minRepeaters });
    if (values.card === true) {
      const { spec: _spec, ...summary } = card;
      io.err(JSON.stringify(summary));
    }
    for (const s of scores) io.out(JSON.stringify({ customerId: s.customerId, risk: s.risk, reasons: s.reasons }));
  },
};
