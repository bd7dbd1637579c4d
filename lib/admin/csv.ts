/**
 * CSV for the panel's downloads: a header line, CRLF line ends, quoting where needed, and a leading
 * apostrophe on text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`): an order
 * number typed at a hostile checkout must not execute on the merchant's machine.
 */
export type CsvCell = string | number | boolean | null | undefined;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, CsvCell>>): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function csvResponse(body: string, filename: string) {
  return { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` }, body };
}
