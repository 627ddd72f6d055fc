/**
 * An Intl.DateTimeFormat whose output has no seconds, remembering its last answer: ICU's format
 * costs microseconds, and a busy queue formats the same minute thousands of times (a booking's label
 * day, the time in its message). Time zone offsets and their changes fall on whole minutes, so the
 * same minute always gives the same text.
 */
export class MinuteFormatter {
  private minute = Number.NaN;
  private text = '';

  constructor(private readonly format: Intl.DateTimeFormat) {
    const options = format.resolvedOptions();
    const showsSeconds = options.second !== undefined || ['medium', 'long', 'full'].includes(options.timeStyle ?? '');
    if (showsSeconds) throw new RangeError('a MinuteFormatter formats no seconds');
  }

  /** format.format(ms). */
  at(ms: number): string {
    const minute = Math.floor(ms / 60_000);
    if (minute !== this.minute) {
      this.text = this.format.format(ms);
      this.minute = minute;
    }
    return this.text;
  }
}
