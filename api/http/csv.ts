// CSV answers (imports' error reports, field reports): one cell rule for every download.

export type CsvCell = string | number | null;

/** A CSV cell, quoted when needed; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula. */
export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole CSV document: the header, then the rows, CRLF line ends (RFC 4180). */
export function csvText(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
