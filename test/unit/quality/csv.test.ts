import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '#shared/quality/csv.ts';

describe('CSV export cells', () => {
  it('neutralises formula injection: = + - @ tab and CR get a leading quote', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
  });

  it('leaves ordinary text and numbers alone (negative numbers stay numbers)', () => {
    expect(csvCell('快递太慢了')).toBe('快递太慢了');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0.75)).toBe('0.75');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('a document has a BOM, CRLF lines and escaped headers', () => {
    const csv = toCsv(['日期 / Day', '=x'], [['2026-03-01', 'line\nbreak']]);
    expect(csv).toBe(`\uFEFF日期 / Day,'=x\r\n2026-03-01,"line\nbreak"\r\n`);
  });
});
