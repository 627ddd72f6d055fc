/**
 * Opening hours as the admin types them: "09:00-12:00, 14:00-17:30" for a day's ranges, an empty
 * text for a closed day. The API checks the rest (ranges that end before they start, overlaps)
 * and its refusal is shown as it says it.
 */
export interface Range {
  from: string;
  to: string;
}

const RANGE = /^(\d{1,2}):?(\d{2})\s*[-–—]\s*(\d{1,2}):?(\d{2})$/;

export const rangesToText = (ranges: readonly Range[] | undefined): string =>
  (ranges ?? []).map((range) => `${range.from}-${range.to}`).join(', ');

/** The ranges of a text, or the first part that is not a range. */
export function textToRanges(text: string): { ranges: Range[] } | { bad: string } {
  const ranges: Range[] = [];
  for (const part of text.split(/[,;]/).map((piece) => piece.trim())) {
    if (!part) continue;
    const match = RANGE.exec(part);
    if (!match) return { bad: part };
    const [, fromHour, fromMinute, toHour, toMinute] = match;
    ranges.push({ from: `${fromHour!.padStart(2, '0')}:${fromMinute}`, to: `${toHour!.padStart(2, '0')}:${toMinute}` });
  }
  return { ranges };
}
