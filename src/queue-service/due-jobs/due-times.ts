/**
 * When each time-driven change is due, pure. Reminders of the `dayBefore` kind are read on the
 * wall clock of the place (18:00 the day before, even when the clocks change overnight); the others
 * are elapsed time (30 minutes before is 30 real minutes).
 */
import { addDays, localDay, minutesOf, wallTimeToInstant } from '../appointments/zoned-time.js';
import type { ReminderRule } from '../entities/queue-settings.js';

const MINUTE = 60_000;

export function reminderDueAt(rule: ReminderRule, appointmentAt: number, timeZone: string): number {
  if ('minutesBefore' in rule) return appointmentAt - rule.minutesBefore * MINUTE;
  const dayBefore = addDays(localDay(appointmentAt, timeZone), -1);
  return wallTimeToInstant(dayBefore, minutesOf(rule.at), timeZone);
}

/** Reminders still ahead of `now` and before the appointment; one whose moment passed is not sent late. */
export function upcomingReminders(
  rules: ReminderRule[],
  appointmentAt: number,
  timeZone: string,
  now: number,
): Array<{ ruleId: number; dueAt: number }> {
  return rules
    .map((rule) => ({ ruleId: rule.id, dueAt: reminderDueAt(rule, appointmentAt, timeZone) }))
    .filter((reminder) => reminder.dueAt > now && reminder.dueAt < appointmentAt);
}

/** An appointment is alerted its lead time before; booked within the lead time, at once. */
export function appointmentAlertDueAt(appointmentAt: number, leadMinutes: number, now: number): number {
  return Math.max(now, appointmentAt - leadMinutes * MINUTE);
}

export function timeoutDueAt(since: number, minutes: number): number {
  return since + minutes * MINUTE;
}
