/**
 * Masking of personal data for staff views (issue: privacy protection). Pure functions: phone
 * numbers (138****5678, 010-****5678), emails (w***@example.com), addresses (上海市浦东新区****),
 * resident ID numbers (18 digits, date and check digit valid) and bank card numbers (16–19 digits,
 * Luhn valid, a card issuer's first digits) are found in free text and in profile fields. Detection
 * is strict on purpose: an order number must stay readable, so a digit run is masked only when it
 * validates as what it claims to be. Full-width digits and letters (１３８…) are found as well.
 * Free of imports, so the logger can mask with it too (shared/log.ts).
 */
/** What a masked span was; the access log and tests name them. */
export type SensitiveKind = 'email' | 'id_number' | 'card' | 'mobile' | 'landline' | 'address';

/** Profile fields that hold personal data and are masked unless revealed (the order the console shows them in). */
export const PERSONAL_FIELDS = ['email', 'phone', 'address', 'birthday'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

const STARS = '****';

/** Full-width ASCII (U+FF01–FF5E) folded to ASCII, one code unit for one: indexes stay aligned with the original. */
function fold(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

/** True when a 16–19 digit string passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** First digits of card issuers (Visa, Mastercard, UnionPay and other 6…, JCB, old domestic 9… cards). */
const CARD_PREFIX = /^(?:4|5[1-5]|2[2-7]|6|35|9)/;

/** A bank card number: 16–19 digits, a card issuer's first digits, Luhn valid. */
export function isCardNumber(value: string): boolean {
  const d = digitsOf(fold(value));
  return d.length >= 16 && d.length <= 19 && CARD_PREFIX.test(d) && luhnValid(d);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A mainland resident ID number: 18 characters, a real birth date (1900 to this year), the ISO 7064 check digit. */
export function isIdNumber(value: string, now = new Date()): boolean {
  const id = fold(value).toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || year > now.getUTCFullYear() || month < 1 || month > 12 || day < 1) return false;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] === id[17];
}

/** A mainland mobile number (11 digits from 13–19), with an optional +86 / 0086 / 86 prefix and separators. */
function mobileDigits(value: string): { prefix: string; digits: string } | undefined {
  const folded = fold(value).trim();
  const m = /^((?:\+|00)?86)?[\s-]*(1[3-9]\d(?:[\s-]?\d){8})$/.exec(folded);
  if (!m) return undefined;
  return { prefix: m[1] ? `${m[1]} ` : '', digits: digitsOf(m[2] as string) };
}

/** A mainland landline with its area code: 0 + 2–3 digit area code, 7–8 digit number (optionally in brackets or dashed). */
function landlineParts(value: string): { area: string; number: string } | undefined {
  const m = /^\(?(0\d{2,3})\)?[\s-]?(\d{7,8})$/.exec(fold(value).trim());
  if (!m) return undefined;
  const area = m[1] as string;
  // Area codes: 010 and 02x have three digits, the others four.
  if (/^0[12]/.test(area) ? area.length !== 3 : area.length !== 4) return undefined;
  return { area, number: m[2] as string };
}

/** 13812345678 → 138****5678; a landline keeps its area code and last four digits; anything else its last four. */
export function maskPhone(value: string): string {
  const mobile = mobileDigits(value);
  if (mobile) return `${mobile.prefix}${mobile.digits.slice(0, 3)}${STARS}${mobile.digits.slice(-4)}`;
  const landline = landlineParts(value);
  if (landline) return `${landline.area}-${STARS}${landline.number.slice(-4)}`;
  const total = digitsOf(fold(value)).length;
  let seen = 0;
  return fold(value).replace(/\d/g, (d) => (++seen > total - 4 && total > 4 ? d : '*'));
}

/** wang.fang@example.com → w***@example.com (the domain stays: it says which provider, not who). */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return STARS;
  return `${value.slice(0, 1)}***${value.slice(at)}`;
}

/** 110101199003074518 → 110***********4518. */
export function maskIdNumber(value: string): string {
  const id = fold(value);
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

/** 6222021234567890 → 6222 **** **** 7890: the issuer and the last four, as a receipt prints it. */
export function maskCard(value: string): string {
  const d = digitsOf(fold(value));
  return `${d.slice(0, 4)} **** **** ${d.slice(-4)}`;
}

/** 1990-03-07 → ****-03-07: the day stays (birthday greetings), the year (the age) does not. */
export function maskBirthday(value: string): string {
  const m = /^\d{4}(-\d{2}-\d{2})$/.exec(value);
  return m ? `${STARS}${m[1]}` : STARS;
}

/** Region levels an address keeps (province, city, district, county, town). */
const REGION = /(?:自治区|自治州|特别行政区|省|市|区|县|旗|镇|乡)/g;
/** Street-level markers: what follows one of them (with a number) is the part that finds a door. */
const STREET = '(?:路|街|大道|巷|弄|胡同|村|小区|花园|公寓|大厦|广场|苑)';
const UNIT = '(?:号楼|号院|号|栋|幢|座|单元|室|楼|层)';
/** A street-level part with its number: 张江路88号, 阳光小区3栋2单元1201 (continuations without spaces, the last unit optional). */
const ADDRESS = new RegExp(
  `[\\u4e00-\\u9fffA-Za-z0-9]{0,24}?${STREET}[\\u4e00-\\u9fffA-Za-z0-9#-]{0,24}?\\d+\\s*${UNIT}(?:[A-Za-z#-]{0,3}\\d+(?:${UNIT}|(?!\\d)))*`,
  'g',
);
/** Words that end the lead-in of an address in a sentence (我的地址是…, 寄到…). */
const LEAD_IN = /[:：是到至在址寄送]/g;

/** Where the kept part of an address ends: after the last region level (or lead-in word) before its street. */
function addressCut(span: string): number {
  const street = new RegExp(STREET).exec(span);
  const before = span.slice(0, street ? street.index : span.length);
  let cut = 0;
  for (const re of [REGION, LEAD_IN]) {
    re.lastIndex = 0;
    for (let m = re.exec(before); m; m = re.exec(before)) cut = Math.max(cut, m.index + m[0].length);
  }
  return cut;
}

/** 上海市浦东新区张江路88号 → 上海市浦东新区****: the region stays, the street and number do not. */
export function maskAddress(value: string): string {
  const masked = maskText(value);
  if (masked !== value) return masked;
  const cut = addressCut(value);
  return `${cut > 0 ? value.slice(0, cut) : value.slice(0, Math.min(2, value.length))}${STARS}`;
}

type Pass = { kind: SensitiveKind; re: RegExp; mask: (match: string) => string | undefined };

const EDGE_BEFORE = '(?<![0-9A-Za-z])';
const EDGE_AFTER = '(?![0-9A-Za-z])';

/** The passes over free text, longest and most specific first (an ID or card number is never read as a phone). */
const PASSES: readonly Pass[] = [
  { kind: 'email', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, mask: maskEmail },
  { kind: 'id_number', re: new RegExp(`${EDGE_BEFORE}\\d{17}[\\dXx]${EDGE_AFTER}`, 'g'), mask: (m) => (isIdNumber(m) ? maskIdNumber(m) : undefined) },
  { kind: 'card', re: new RegExp(`${EDGE_BEFORE}\\d(?:[ -]?\\d){15,18}${EDGE_AFTER}`, 'g'), mask: (m) => (isCardNumber(m) ? maskCard(m) : undefined) },
  {
    kind: 'mobile',
    re: new RegExp(`${EDGE_BEFORE}(?:(?:\\+|00)?86[\\s-]*)?1[3-9]\\d(?:[\\s-]?\\d){8}${EDGE_AFTER}`, 'g'),
    mask: (m) => (mobileDigits(m) ? maskPhone(m) : undefined),
  },
  {
    kind: 'landline',
    re: new RegExp(`${EDGE_BEFORE}\\(?0\\d{2,3}\\)?[\\s-]?\\d{7,8}${EDGE_AFTER}`, 'g'),
    mask: (m) => (landlineParts(m) ? maskPhone(m) : undefined),
  },
  { kind: 'address', re: ADDRESS, mask: (m) => `${m.slice(0, addressCut(m))}${STARS}` },
];

/**
 * Masks every phone number, email, address, ID number and card number in a text, and says which
 * kinds it found. Passes run on a copy with full-width characters folded (same length), and each
 * replacement is applied to both, so the text around a masked span is returned untouched.
 */
export function maskTextDetailed(text: string): { text: string; kinds: SensitiveKind[] } {
  return maskSpans(text, () => true);
}

/** The same span, however it is written: digits only for numbers, lower case for emails, no spaces for addresses. */
const spanKey = (kind: SensitiveKind, span: string) =>
  `${kind}:${kind === 'email' ? span.toLowerCase() : kind === 'address' ? span.replace(/\s/g, '') : digitsOf(span).replace(/^(?:00)?86(?=1\d{10}$)/, '')}`;

/** The personal-data spans found in a text, as keys that match however they are written. */
function spansOf(text: string): Set<string> {
  const found = new Set<string>();
  maskSpans(text, (kind, span) => {
    found.add(spanKey(kind, fold(span)));
    return true;
  });
  return found;
}

/**
 * A reply with every phone, card or ID number, email or address that the shopper wrote masked
 * (wherever it appears in the reply, however it is spaced): the bot never repeats them. Personal
 * data the shopper did not write (the shop's own service number in a help article) stays.
 */
export function maskEchoes(reply: string, said: readonly string[]): string {
  const theirs = new Set(said.flatMap((text) => [...spansOf(text)]));
  if (theirs.size === 0) return reply;
  return maskSpans(reply, (kind, span) => theirs.has(spanKey(kind, span))).text;
}

/** The masking passes over a text, replacing the spans `pick` accepts (called with the folded span). */
function maskSpans(text: string, pick: (kind: SensitiveKind, span: string) => boolean): { text: string; kinds: SensitiveKind[] } {
  let original = text;
  let folded = fold(text);
  const kinds = new Set<SensitiveKind>();
  for (const pass of PASSES) {
    pass.re.lastIndex = 0;
    let out = '';
    let outFolded = '';
    let last = 0;
    for (const m of folded.matchAll(pass.re)) {
      const replacement = pass.mask(m[0]);
      if (replacement === undefined || !pick(pass.kind, m[0])) continue;
      out += original.slice(last, m.index) + replacement;
      outFolded += folded.slice(last, m.index) + replacement;
      last = m.index + m[0].length;
      kinds.add(pass.kind);
    }
    if (last === 0) continue;
    original = out + original.slice(last);
    folded = outFolded + folded.slice(last);
  }
  return { text: original, kinds: [...kinds] };
}

/** The text with its personal data masked (see maskTextDetailed). */
export function maskText(text: string): string {
  return maskTextDetailed(text).text;
}

const FIELD_MASKS: Record<PersonalField, (value: string) => string> = {
  email: maskEmail,
  phone: maskPhone,
  address: maskAddress,
  birthday: maskBirthday,
};

/** A profile with its personal fields masked, and the names of the fields that were. */
export function maskProfile<T extends Record<string, unknown>>(profile: T): { profile: T; masked: PersonalField[] } {
  const out: Record<string, unknown> = { ...profile };
  const masked: PersonalField[] = [];
  for (const field of PERSONAL_FIELDS) {
    const value = out[field];
    if (typeof value !== 'string' || value === '') continue;
    out[field] = FIELD_MASKS[field](value);
    masked.push(field);
  }
  return { profile: out as T, masked };
}
