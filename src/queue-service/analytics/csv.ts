/** CSV as RFC 4180 writes it, safe to open in a spreadsheet. */

type Cell = string | number | null;

export function toCsv(rows: Cell[][]): string {
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

function cell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  // A name that starts like a formula would run as one in a spreadsheet ("CSV injection"): it is
  // kept as text by a leading apostrophe, which spreadsheets hide.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
