import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv-response.js';

describe('csv', () => {
  it('when a cell could be read as a formula, then it is neutralised', () => {
    for (const dangerous of ['=HYPERLINK("http://x")', '+1+1', '-2', '@SUM(A1)', '\tx', '\rx']) {
      expect(csvCell(dangerous).replace(/^"/, '').startsWith("'")).toBe(true);
    }
  });
  it('when a cell has commas, quotes or line breaks, then it is quoted', () => {
    expect(csvCell('A, B')).toBe('"A, B"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });
  it('when numbers and empty values are given, then they are written plainly (negative numbers stay numbers)', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
  });
  it('when a file is built, then it starts with a UTF-8 BOM, uses CRLF and keeps Ñ', () => {
    const csv = toCsv([['RFC', 'Nombre'], ['PEÑ800101AB1', 'ÑANDU & CIA']]);
    expect(csv).toBe('\uFEFFRFC,Nombre\r\nPEÑ800101AB1,ÑANDU & CIA\r\n');
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
