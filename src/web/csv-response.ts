/**
 * CSV for spreadsheets, written by csv-stringify: RFC 4180 quoting, CRLF line ends, a UTF-8
 * byte-order mark so Excel reads Ñ and accents right, and formula injection neutralised: a text
 * cell that a spreadsheet could evaluate is prefixed with an apostrophe so it is shown as text.
 * Small exports are sent at once (`sendCsv`); big ones stream with backpressure (`streamCsv`).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { Logger } from '../logger.js';
import type { Options } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';

export type CsvCell = string | number | boolean | null | undefined;
export type CsvRow = readonly CsvCell[];

/**
 * Spreadsheets evaluate a cell that starts with = + - @ (or their full-width forms, which some
 * normalise to ASCII), also after leading spaces (Excel and LibreOffice skip them), and a cell that
 * starts with a tab or a line break can hide one. `\s` covers spaces, tabs, CR/LF, NBSP and the
 * ideographic space.
 */
const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** The text of a cell as a spreadsheet must see it: an apostrophe first when it could be a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const OPTIONS: Options = {
  bom: true,
  record_delimiter: '\r\n',
  // Quote a cell holding a line break even though CRLF is the record delimiter (a lone LF too).
  quote_record_delimiter: true,
  // Leading or trailing spaces survive a round trip only inside quotes.
  quoted_match: [/^\s/, /\s$/],
  // Numbers (a negative amount) are data, never neutralised; only text is.
  cast: { string: neutraliseFormula, boolean: (value) => String(value) },
};

/** One cell as it appears in the file (tests and callers that build a line by hand). */
export function csvCell(value: CsvCell): string {
  return stringifySync([[value]], { ...OPTIONS, bom: false }).replace(/\r\n$/, '');
}

/** A whole file: BOM, one CRLF-terminated line per row. */
export function toCsv(rows: readonly CsvRow[]): string {
  return stringifySync(rows as CsvCell[][], OPTIONS);
}

function setDownloadHeaders(res: Response, filename: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  res.setHeader('Cache-Control', 'no-store');
}

/** Sends a small CSV download (built in memory) with a safe ASCII file name. */
export function sendCsv(res: Response, filename: string, rows: readonly CsvRow[]): void {
  setDownloadHeaders(res, filename);
  res.send(toCsv(rows));
}

/**
 * Streams a CSV download from `batches` (an async source that reads the database a batch at a
 * time and yields the event loop between batches). Each batch becomes one chunk of CSV text, so
 * the work between two turns of the event loop is one batch, and the pipeline applies
 * backpressure: the source is read no faster than the client downloads. A client that goes away
 * ends the pipeline and the source (its `finally` runs); that is not an error. Anything else after
 * the headers went out cuts the response, so a broken export never looks complete.
 */
export async function streamCsv(res: Response, filename: string, batches: AsyncIterable<readonly CsvRow[]>): Promise<void> {
  setDownloadHeaders(res, filename);
  async function* text(): AsyncGenerator<string> {
    let first = true;
    for await (const rows of batches) {
      if (rows.length === 0) continue;
      yield stringifySync(rows as CsvCell[][], { ...OPTIONS, bom: first });
      first = false;
    }
  }
  try {
    await pipeline(Readable.from(text()), res);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    if (!res.headersSent) throw error;
    // Past the headers the error handler cannot answer any more: log it here.
    (res.req as { log?: Logger }).log?.error({ err: { message: (error as Error)?.message } }, 'CSV export failed midway');
    res.destroy(error as Error);
  }
}
