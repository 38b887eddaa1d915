// Opening hours as a grid a person fills in, and the OpenStreetMap `opening_hours`
// value it stands for. Pure: no DOM, no fetch, so every rule here is unit-tested
// (tests/test_staff_hours_form.py). staff-hours-form.js draws the grid.
//
// The grid: each day Mo..Su closed, open (1 span, or 2 with a break between) or open
// all day, the last span may end after midnight; bank holidays as usual, closed or
// other hours; dates when closed. parseHours() reads back only what writeHours() can
// write, and the same shapes written by hand ("Mo-Fr 09:00-17:00; Sa 10:00-16:00;
// PH off", "24/7"): anything else is null, and the screen shows the value as text.
//
// After midnight: a rule for Saturday written after Friday's "17:00-01:00" cuts its
// hours after midnight off (so the server reads it, as opening_hours.js does), and
// other evaluators (the opening-hours library) cut them off whichever rule comes first,
// unless the later of the two is an additional rule (", " rather than "; "). So the
// writer joins exactly those rules with ", ", which every evaluator reads the same;
// the reader accepts hours past midnight only where the server keeps them.
import { DAY_NAMES } from "./constants.js";
import { clockWords, dateWords } from "./opening.js";

export const DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const ALL_DAY = { opens: "00:00", closes: "24:00" };
const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6];
const DAY_MS = 86400000;

// --- the grid ----------------------------------------------------------------------

// A day: { mode: "closed" | "open" | "all-day", spans: [{ opens, closes }], overnight }.
// Times are "HH:MM"; "24:00" is midnight at the end of the day. With `overnight` the
// last span closes on the next day ("17:00" to "01:00").
export function closedDay() {
  return { mode: "closed", spans: [], overnight: false };
}

// Bank holidays: mode "usual" (no PH rule), "closed" (PH off) or "open" (PH 10:00-16:00).
// closedDates: [{ from, to }] as ISO dates ("2026-12-24"), sorted, none touching.
export function emptyGrid() {
  return { days: DAYS.map(closedDay), holidays: { mode: "usual", spans: [], overnight: false }, closedDates: [] };
}

// --- writing the value ---------------------------------------------------------------

function spansText(spans) {
  return spans.map(({ opens, closes }) => `${opens}-${closes}`).join(",");
}

function dayTimes(day) {
  if (day.mode === "all-day") return spansText([ALL_DAY]);
  if (day.mode === "open" && day.spans.length) return spansText(day.spans);
  return null;
}

// The written times run past midnight (the last span ends at or before it began).
function wraps(spans) {
  const last = spans.at(-1);
  return Boolean(last) && last.closes !== "24:00" && last.closes <= last.opens;
}

// "Mo-Fr", "Mo,We,Fr", "Mo-We,Sa": 3 days or more in a row as a range.
export function daySelector(indexes) {
  const runs = [];
  for (const index of [...indexes].sort((a, b) => a - b)) {
    const run = runs.at(-1);
    if (run && run.at(-1) === index - 1) run.push(index);
    else runs.push([index]);
  }
  return runs.flatMap((run) => (run.length >= 3 ? [`${DAYS[run[0]]}-${DAYS[run.at(-1)]}`] : run.map((i) => DAYS[i])))
    .join(",");
}

function isoToOsm(iso) {
  const [year, month, day] = iso.split("-");
  return `${year} ${MONTHS[Number(month) - 1]} ${day}`;
}

function dayRules(days) {
  if (days.every((day) => day.mode === "all-day")) return [{ text: "24/7", indexes: ALL_WEEK }];
  const byTimes = new Map();
  days.forEach((day, index) => {
    const times = dayTimes(day);
    if (times) byTimes.set(times, [...(byTimes.get(times) ?? []), index]);
  });
  return [...byTimes].map(([times, indexes]) => ({ text: `${daySelector(indexes)} ${times}`, indexes }));
}

// Which rules must be additional (", "): the later of two rules where a day's hours
// run past midnight into the next day, and that day has a rule of its own.
function additionalRules(days, rules) {
  const ruleOf = new Map(rules.flatMap((rule, number) => rule.indexes.map((index) => [index, number])));
  const additional = new Set();
  days.forEach((day, index) => {
    if (day.mode !== "open" || !wraps(day.spans)) return;
    const next = ruleOf.get((index + 1) % 7);
    if (next !== undefined && next !== ruleOf.get(index)) additional.add(Math.max(next, ruleOf.get(index)));
  });
  return additional;
}

export function writeHours(grid) {
  const rules = dayRules(grid.days);
  const additional = additionalRules(grid.days, rules);
  const texts = rules.map((rule) => rule.text);
  const { holidays } = grid;
  if (holidays.mode === "closed") texts.push("PH off");
  if (holidays.mode === "open" && holidays.spans.length) texts.push(`PH ${spansText(holidays.spans)}`);
  for (const { from, to } of mergeDates(grid.closedDates)) {
    texts.push(from === to ? `${isoToOsm(from)} off` : `${isoToOsm(from)}-${isoToOsm(to)} off`);
  }
  return texts.map((text, number) => (number === 0 ? text : `${additional.has(number) ? "," : ";"} ${text}`)).join("");
}

// --- dates when closed ------------------------------------------------------------------

function dayNumber(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

// Sorted, and any that overlap or follow on joined: "24 to 26 December", not 3 dates.
export function mergeDates(ranges) {
  const merged = [];
  for (const { from, to } of [...ranges].sort((a, b) => a.from.localeCompare(b.from))) {
    const last = merged.at(-1);
    if (last && dayNumber(from) <= dayNumber(last.to) + 1) {
      if (to > last.to) last.to = to;
    } else {
      merged.push({ from, to });
    }
  }
  return merged;
}

export function addClosedDates(grid, from, to = from) {
  return { ...grid, closedDates: mergeDates([...grid.closedDates, { from, to: to || from }]) };
}

export function datesWords({ from, to }) {
  const first = dateWords(from, { withDay: true });
  return from === to ? first : `${first} to ${dateWords(to, { withDay: true })}`;
}

// --- reading a value back -------------------------------------------------------------

const TIME = String.raw`\d{1,2}:\d\d`;
const SPANS = new RegExp(String.raw`^${TIME}-${TIME}(?:,${TIME}-${TIME})*$`);
const DAY_ITEM = new RegExp(String.raw`^(${DAYS.join("|")})(?:-(${DAYS.join("|")}))?$`);
const DATE = String.raw`(\d{4}) (${MONTHS.join("|")}) (\d{1,2})`;
const DATE_ITEM = new RegExp(String.raw`^${DATE}(?:-(?:${DATE}|(\d{1,2})))?$`);
// A rule ends in times, "off" or "closed"; ", " then a letter starts an additional rule.
const ADDITIONAL = /(?<=\d|\boff|\bclosed)\s*,\s+(?=[A-Z])/;

// Minutes since the day began, or NaN for a time like "9:75".
function minutes(time) {
  const [hours, mins] = time.split(":").map(Number);
  return mins < 60 ? hours * 60 + mins : NaN;
}

function clock(total) {
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

// "9:00-12:30,13:30-25:00" → { spans: [{ opens: "09:00", closes: "12:30" },
// { opens: "13:30", closes: "01:00" }], overnight: true }, or null when the grid cannot
// show them: more than 2 spans, out of order, or past midnight anywhere but the end.
function parseSpans(text, { mayWrap }) {
  if (!SPANS.test(text)) return null;
  const parts = text.split(",");
  const spans = [];
  for (const [number, part] of parts.entries()) {
    const [opens, closes] = part.split("-").map(minutes);
    const last = number === parts.length - 1;
    if (Number.isNaN(opens) || Number.isNaN(closes) || opens >= 24 * 60 || closes > 48 * 60) return null;
    let end = closes;
    if (closes === 0 && last) end = 24 * 60; // "17:00-00:00" closes at midnight
    if (closes > 24 * 60) end = closes - 24 * 60; // "17:00-25:00" is "17:00-01:00"
    const pastMidnight = end <= opens || closes > 24 * 60;
    if (pastMidnight && !(last && mayWrap && end <= opens)) return null;
    spans.push({ opens: clock(opens), closes: clock(end) });
  }
  if (spans.length > 2) return null;
  if (spans.length === 2 && !(spans[0].closes < spans[1].opens)) return null;
  const overnight = wraps(spans);
  if (overnight && minutes(spans.at(-1).closes) > minutes(spans[0].opens)) return null;
  return { spans, overnight };
}

function parseDays(selector) {
  const indexes = new Set();
  for (const item of selector.split(",")) {
    const match = DAY_ITEM.exec(item);
    if (!match) return null;
    const first = DAYS.indexOf(match[1]);
    const last = match[2] ? DAYS.indexOf(match[2]) : first;
    for (let i = first; ; i = (i + 1) % 7) {
      indexes.add(i);
      if (i === last) break;
    }
  }
  return [...indexes];
}

function isoDate(year, month, day) {
  const date = new Date(Date.UTC(Number(year), MONTHS.indexOf(month), Number(day)));
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== MONTHS.indexOf(month)) return null;
  return date.toISOString().slice(0, 10);
}

function parseDates(selector) {
  const ranges = [];
  for (const item of selector.split(",")) {
    const match = DATE_ITEM.exec(item);
    if (!match) return null;
    const from = isoDate(match[1], match[2], match[3]);
    const to = match[4] ? isoDate(match[4], match[5], match[6])
      : match[7] ? isoDate(match[1], match[2], match[7]) : from;
    if (!from || !to || to < from) return null;
    ranges.push({ from, to });
  }
  return ranges;
}

function allDay(spans) {
  return spans.length === 1 && spans[0].opens === ALL_DAY.opens && spans[0].closes === ALL_DAY.closes;
}

// One rule, or null: { kind: "days", indexes, day, off } | { kind: "holidays", day } |
// { kind: "dates", ranges }.
function parseRule(text) {
  if (text === "24/7") return { kind: "days", indexes: ALL_WEEK, day: { mode: "all-day", spans: [], overnight: false } };
  const split = /^(.+?) (off|closed|\S+)$/.exec(text.replace(/\s+/g, " "));
  if (!split) return null;
  const [, selector, what] = split;
  const off = what === "off" || what === "closed";
  if (/^\d{4} /.test(selector)) {
    const ranges = off ? parseDates(selector) : null;
    return ranges && { kind: "dates", ranges };
  }
  const holidays = selector === "PH";
  const times = off ? null : parseSpans(what, { mayWrap: !holidays });
  if (!off && !times) return null;
  // Bank holidays open "00:00-24:00" are other hours; a day open so is open all day.
  let day = closedDay();
  if (times && allDay(times.spans) && !holidays) day = { mode: "all-day", spans: [], overnight: false };
  else if (times) day = { mode: "open", ...times };
  if (holidays) return { kind: "holidays", day };
  const indexes = parseDays(selector);
  return indexes && { kind: "days", indexes, day, off };
}

// Rules in order, each with whether it is additional (after ", ") or not (after "; ").
function splitRules(text) {
  const rules = [];
  for (const part of text.split(";")) {
    const pieces = part.split(ADDITIONAL);
    pieces.forEach((piece, number) => rules.push({ text: piece.trim(), additional: number > 0 }));
  }
  return rules;
}

const ORDER = { days: 0, holidays: 1, dates: 2 };

export function parseHours(text) {
  const value = (text ?? "").trim();
  const grid = emptyGrid();
  if (!value) return grid;
  const rules = splitRules(value).map((rule) => ({ ...rule, ...parseRule(rule.text) }));
  if (rules.some((rule) => !rule.kind)) return null;
  // Days first, then bank holidays, then dates: a later rule overrides an earlier one.
  for (const [number, rule] of rules.entries()) {
    if (number && ORDER[rule.kind] < ORDER[rules[number - 1].kind]) return null;
    if (rule.kind !== "days" && rule.additional) return null;
  }
  if (rules.filter((rule) => rule.kind === "holidays").length > 1) return null;
  const ruleOf = new Map();
  for (const [number, rule] of rules.entries()) {
    if (rule.kind === "days") {
      for (const index of rule.indexes) {
        if (ruleOf.has(index)) return null; // a day named twice: one rule overrides another
        ruleOf.set(index, number);
        grid.days[index] = structuredClone(rule.day);
      }
    } else if (rule.kind === "holidays") {
      grid.holidays = rule.day;
    } else {
      grid.closedDates = mergeDates([...grid.closedDates, ...rule.ranges]);
    }
  }
  // Hours after midnight that a later rule for the next day cuts off (one that replaces
  // the day, or closes it): not what the grid would show.
  for (const [index, day] of grid.days.entries()) {
    if (!day.overnight) continue;
    const next = ruleOf.get((index + 1) % 7);
    if (next > ruleOf.get(index) && (rules[next].off || !rules[next].additional)) return null;
  }
  return grid;
}

// --- what needs putting right before saving -------------------------------------------

// [{ row: 0..6 | "holidays", control: "opens" | "closes" | "break-starts" | "break-ends", words }]
export function gridProblems(grid) {
  const problems = [];
  const check = (row, day, name) => {
    if (day.mode !== "open" || !day.spans.length) return;
    const [first, second] = day.spans;
    const last = day.spans.at(-1);
    const add = (control, words) => problems.push({ row, control, words });
    if (second) {
      if (first.closes <= first.opens) add("break-starts", `${name}: the break must start after it opens.`);
      else if (second.opens <= first.closes) add("break-ends", `${name}: the break must end after it starts.`);
    }
    if (day.overnight) {
      if (!wraps(day.spans) || minutes(last.closes) > minutes(first.opens)) {
        add("closes", `${name}: after midnight it must close by ${clockWords(hourMinute(first.opens))}.`);
      }
    } else if (last.closes <= last.opens) {
      add("closes", second
        ? `${name}: it must close after the break ends.`
        : `${name}: it closes before it opens. Choose a later time.`);
    }
  };
  grid.days.forEach((day, index) => check(index, day, DAY_NAMES[index]));
  check("holidays", grid.holidays, "Bank holidays");
  return problems;
}

export function hourMinute(time) {
  const [hour, minute] = time.split(":").map(Number);
  return { hour, minute };
}

// "9am", "5:30pm", "midnight": a time as a person reads it.
export function timeWords(time) {
  return clockWords(hourMinute(time === "24:00" ? "00:00" : time));
}

// Every quarter of an hour, for the time lists: opening from midnight, closing up to
// midnight at the end of the day.
export function timeChoices(kind) {
  const choices = [];
  const first = kind === "opens" ? 0 : 15;
  const last = kind === "opens" ? 24 * 60 - 15 : 24 * 60;
  for (let total = first; total <= last; total += 15) choices.push(clock(total));
  return choices;
}
