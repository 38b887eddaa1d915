// Open now? worked out on the phone from the saved list's spans (GET /api/venues/offline),
// in the same words as the server (app/hours/). Times are London time, whatever the
// phone's own time zone. Past the list's end we say "unknown", never guess.
// The one place the app writes a time of day (`clockWords`) or a date (`dateWords`).
import { DAY_NAMES } from "./constants.js";

export const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
const DAY_MS = 86400000;
const LONDON = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London", year: "numeric", month: "numeric", day: "numeric",
  hour: "numeric", minute: "numeric", hourCycle: "h23",
});

// {year, month, day, hour, minute, dayNumber} of a moment (ms) in London.
export function londonTime(ms) {
  const part = {};
  for (const { type, value } of LONDON.formatToParts(new Date(ms))) part[type] = Number(value);
  return { ...part, hour: part.hour % 24, dayNumber: Date.UTC(part.year, part.month - 1, part.day) / DAY_MS };
}

// "3 March 2025" from "2025-03-03" (a date, so no time zone); with its day's name,
// "Monday 3 March 2025".
export function dateWords(isoDate, { withDay = false } = {}) {
  const [year, month, day] = isoDate.slice(0, 10).split("-").map(Number);
  const words = `${day} ${MONTH_NAMES[month - 1]} ${year}`;
  return withDay ? `${weekday(Date.UTC(year, month - 1, day) / DAY_MS)} ${words}` : words;
}

function weekday(dayNumber) {
  return DAY_NAMES[(new Date(dayNumber * DAY_MS).getUTCDay() + 6) % 7];
}

// "28 December" from a day number, or from "2026-12-28".
export function dayAndMonth(day) {
  const date = typeof day === "string" ? new Date(`${day.slice(0, 10)}T00:00:00Z`) : new Date(day * DAY_MS);
  return `${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]}`;
}

// "9am", "5:30pm", "midday", "midnight".
export function clockWords({ hour, minute }) {
  if (minute === 0 && hour === 0) return "midnight";
  if (minute === 0 && hour === 12) return "midday";
  const suffix = hour < 12 ? "am" : "pm";
  const hour12 = hour % 12 || 12;
  return minute === 0 ? `${hour12}${suffix}` : `${hour12}:${String(minute).padStart(2, "0")}${suffix}`;
}

// "at 5pm", "tomorrow at 9am", "on Monday at 9am", "on 3 March at 9am".
export function whenWords(momentMs, nowMs) {
  const moment = londonTime(momentMs);
  // Midnight ends the day before, as people say it.
  const day = moment.hour === 0 && moment.minute === 0 ? moment.dayNumber - 1 : moment.dayNumber;
  const ahead = day - londonTime(nowMs).dayNumber;
  const at = `at ${clockWords(moment)}`;
  if (ahead <= 0) return at;
  if (ahead === 1) return `tomorrow ${at}`;
  if (ahead < 7) return `on ${weekday(day)} ${at}`;
  return `on ${dayAndMonth(day)} ${at}`;
}

// "Saved on Tuesday 24 November at 4pm."
export function savedOnWords(ms) {
  const moment = londonTime(ms);
  return `Saved on ${weekday(moment.dayNumber)} ${dayAndMonth(moment.dayNumber)} at ${clockWords(moment)}.`;
}

function dayNumberOf(isoDate) {
  const [year, month, day] = isoDate.split("-").map(Number);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function closedUntilWords(isoDate) {
  const day = dayNumberOf(isoDate);
  return `Closed until ${weekday(day)} ${dayAndMonth(day)}.`;
}

const UNKNOWN = { open_now: null, opening_status: null };

// {open_now, opening_status} of a saved venue at nowMs; the list gives valid_from/until.
export function openingFromSpans(venue, nowMs, list) {
  const now = nowMs / 1000;
  if (venue.closed_until && londonTime(nowMs).dayNumber < dayNumberOf(venue.closed_until)) {
    return { open_now: false, opening_status: closedUntilWords(venue.closed_until) };
  }
  if (venue.open === null || now < list.valid_from || now >= list.valid_until) return UNKNOWN;
  if (venue.unknown.some(([start, end]) => start <= now && now < end)) return UNKNOWN;
  const span = venue.open.find(([start, end]) => start <= now && now < end);
  if (span) {
    if (span[1] < list.valid_until) {
      return {
        open_now: true,
        opening_status: `Open now. Closes ${whenWords(span[1] * 1000, nowMs)}.`,
        closes_at: new Date(span[1] * 1000).toISOString(),
      };
    }
    const always = span[0] <= list.valid_from;
    return { open_now: true, opening_status: always ? "Open now. Open all day and night." : "Open now." };
  }
  const nextOpen = venue.open.find(([start]) => start > now);
  const nextUnknown = venue.unknown.find(([start]) => start > now);
  if (nextOpen && (!nextUnknown || nextOpen[0] < nextUnknown[0])) {
    return { open_now: false, opening_status: `Closed now. Opens ${whenWords(nextOpen[0] * 1000, nowMs)}.` };
  }
  return { open_now: false, opening_status: "Closed now." };
}
