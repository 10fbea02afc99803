/**
 * CSV for spreadsheet users (RFC 4180), safe against formula injection: a text cell that starts
 * with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'` so Excel, LibreOffice and
 * Google Sheets show it as text instead of evaluating it (OWASP "CSV injection").
 */

export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, neutralised and quoted as needed; numbers are written as numbers. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document (CRLF line ends, UTF-8 BOM so spreadsheet apps read Chinese correctly). */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
