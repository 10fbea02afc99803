/** Ticket and question categories, with no imports: the classifier and the console read this one list. */
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
