/** Ticket and question categories and feedback topics, with no imports: the classifiers, the schemas and the console read these lists. */
/** The 13 categories: Bitext's 11 plus PRODUCT and OTHER. */
export const CATEGORIES: readonly string[] = [
  'ACCOUNT',
  'CANCELLATION_FEE',
  'CONTACT',
  'DELIVERY',
  'FEEDBACK',
  'INVOICE',
  'NEWSLETTER',
  'ORDER',
  'PAYMENT',
  'REFUND',
  'SHIPPING_ADDRESS',
  'PRODUCT',
  'OTHER',
];

/** Feedback topics Kefu reports on (the sentiment classifier tags answers with them). */
export const TOPICS = ['delivery_speed', 'product_quality', 'agent_attitude', 'refund_process', 'price', 'packaging', 'app_website', 'other'] as const;

/** One feedback topic. */
export type Topic = (typeof TOPICS)[number];
