/** Labels are short and human (`A012`), numbered per queue per local day of the place. */

export function formatLabel(prefix: string, number: number): string {
  return `${prefix}${String(number).padStart(3, '0')}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
