// Opening hours in the venue form, so staff never type the code: each day closed,
// open (with a break if it has one, past midnight if it is late) or open all day;
// bank holidays; dates when closed. The grid writes the OpenStreetMap value into the
// form's `opening_hours` box, and the server's check says it back in words before
// saving. A value the grid cannot show stays in that box, to change as text.
//
// Times are chosen from lists (every 15 minutes, "9am", "5:30pm"), not typed into
// <input type="time">: a list is 1 control a screen reader names the same way
// everywhere ("Monday opens at, 9am"), a keyboard moves by arrow keys or by typing
// "5p", it fits 320px, and it reads as the public page does. A time field is 2 or 3
// spin buttons (hours, minutes, am/pm) that readers name differently, whose 12 or
// 24 hour look follows the browser, not the page.
import { h, idea, picture } from "./dom.js";
import { DAY_NAMES } from "./constants.js";
import { ApiError, call } from "./staff-api.js";
import { button, clearFieldErrors, fieldError, fieldMessage } from "./staff-page.js";
import {
  DAYS, addClosedDates, datesWords, emptyGrid, gridProblems, parseHours, timeChoices, timeWords, writeHours,
} from "./hours-grid.js";

const CHECK_WAIT_MS = 400;
const DAY_MODES = [["closed", "Closed"], ["open", "Open"], ["all-day", "Open all day"]];
const HOLIDAY_MODES = [["usual", "Open as usual"], ["closed", "Closed"], ["open", "Other hours"]];
const STARTING = { opens: "09:00", closes: "17:00", "break-starts": "12:30", "break-ends": "13:30" };

function ensureChoice(select, value) {
  if ([...select.options].some((option) => option.value === value)) return;
  const after = [...select.options].find((option) => option.value > value);
  select.insertBefore(h("option", { value, text: timeWords(value) }), after ?? null);
}

function timeField(id, words, kind) {
  return h("div", { class: "hours-time" },
    h("label", { for: id, text: words }),
    h("select", { id }, timeChoices(kind).map((time) => h("option", { value: time, text: timeWords(time) }))));
}

function checkOption(id, words) {
  return h("label", { class: "check-option", for: id }, h("input", { type: "checkbox", id }), h("span", { text: words }));
}

// One row of the grid: a day, or bank holidays.
class HoursRow {
  constructor(key, { legend, pictureName, modes, words, overnight, extra = [] }) {
    this.id = `hours-${key}`;
    const control = (name) => `${this.id}-${name}`;
    this.element = h("fieldset", { class: "hours-row", id: this.id },
      h("legend", {}, pictureName ? picture(pictureName) : null, h("span", { text: legend })),
      h("div", { class: "choice-row" }, modes.map(([value, text]) =>
        h("label", { class: "choice-option", for: control(value) },
          h("input", { type: "radio", id: control(value), name: control("mode"), value }), h("span", { text })))),
      h("div", { class: "hours-times", id: control("times"), hidden: true },
        h("div", { class: "hours-pair" },
          timeField(control("opens"), words.opens, "opens"),
          timeField(control("closes"), words.closes, "closes")),
        overnight ? checkOption(control("overnight"), words.overnight) : null,
        checkOption(control("break"), words.break),
        h("div", { class: "hours-pair hours-break", id: control("break-times"), hidden: true },
          timeField(control("break-starts"), words.breakStarts, "closes"),
          timeField(control("break-ends"), words.breakEnds, "opens"))),
      ...extra);
    this.control = (name) => this.element.querySelector(`#${control(name)}`);
    for (const [name, time] of Object.entries(STARTING)) this.control(name).value = time;
    this.element.addEventListener("change", () => this.showParts());
  }

  mode() {
    return this.element.querySelector("input[type=radio]:checked")?.value;
  }

  read() {
    const mode = this.mode();
    if (mode !== "open") return { mode, spans: [], overnight: false };
    const time = (name) => this.control(name).value;
    const spans = this.control("break").checked
      ? [{ opens: time("opens"), closes: time("break-starts") }, { opens: time("break-ends"), closes: time("closes") }]
      : [{ opens: time("opens"), closes: time("closes") }];
    return { mode, spans, overnight: Boolean(this.control("overnight")?.checked) };
  }

  show(day) {
    for (const radio of this.element.querySelectorAll("input[type=radio]")) radio.checked = radio.value === day.mode;
    if (day.mode === "open" && day.spans.length) {
      const [first, second] = day.spans;
      const times = second
        ? { opens: first.opens, "break-starts": first.closes, "break-ends": second.opens, closes: second.closes }
        : { opens: first.opens, closes: first.closes };
      for (const [name, time] of Object.entries(times)) {
        ensureChoice(this.control(name), time);
        this.control(name).value = time;
      }
      this.control("break").checked = Boolean(second);
      if (this.control("overnight")) this.control("overnight").checked = day.overnight;
    } else {
      // A day that opens later in this visit starts from the usual times.
      for (const [name, time] of Object.entries(STARTING)) this.control(name).value = time;
      this.control("break").checked = false;
      if (this.control("overnight")) this.control("overnight").checked = false;
    }
    this.showParts();
  }

  showParts() {
    this.control("times").hidden = this.mode() !== "open";
    this.control("break-times").hidden = !this.control("break").checked;
  }

  firstControl() {
    return this.element.querySelector("input[type=radio]:checked") ?? this.element.querySelector("input");
  }
}

function dayRow(index, extra) {
  const day = DAY_NAMES[index];
  return new HoursRow(DAYS[index].toLowerCase(), {
    legend: day, modes: DAY_MODES, overnight: true, extra,
    words: {
      opens: `${day} opens at`, closes: `${day} closes at`, overnight: `${day} closes after midnight`,
      break: `${day} has a break, like lunch`, breakStarts: `${day}'s break starts at`, breakEnds: `${day}'s break ends at`,
    },
  });
}

function holidayRow() {
  return new HoursRow("ph", {
    legend: "Bank holidays", pictureName: "calendar", modes: HOLIDAY_MODES, overnight: false,
    words: {
      opens: "On bank holidays it opens at", closes: "On bank holidays it closes at",
      break: "On bank holidays it has a break", breakStarts: "The bank holiday break starts at",
      breakEnds: "The bank holiday break ends at",
    },
  });
}

// The words region: updated line by line, so a screen reader says only what changed.
function setLines(list, lines) {
  lines.forEach((line, index) => {
    const item = list.children[index];
    if (!item) list.append(h("li", { text: line }));
    else if (item.textContent !== line) item.textContent = line;
  });
  while (list.children.length > lines.length) list.lastElementChild.remove();
  list.hidden = !lines.length;
}

export class HoursForm {
  // `id`: the opening_hours box's id, as the venue form names its fields; `position`:
  // the venue's latitude and longitude when known (the check uses them for sunrise).
  constructor({ id, label, max, position }) {
    this.label = label;
    this.position = position;
    this.asked = 0;
    this.pause = null;
    this.closedDates = [];
    this.loaded = { text: "", written: null };
    this.textarea = h("textarea", {
      id, rows: 3, maxlength: max, spellcheck: "false", "aria-describedby": `${id}-hint ${id}-check`,
      on: { input: () => this.codeChanged() },
    });
    this.rows = DAYS.map((_, index) => dayRow(index, index === 0
      ? [button("Copy Monday's hours to Tuesday to Friday", "edit", "button-secondary", {
        id: "hours-copy-monday", on: { click: () => this.copyMonday() },
      })]
      : []));
    this.holidays = holidayRow();
    this.grid = h("div", { id: "hours-grid" },
      idea("clock", h("p", { text: "Choose the hours for each day." }),
        h("p", { text: "The words below show what people will see." })),
      this.rows.map((row) => row.element),
      this.holidays.element,
      this.datesSection());
    this.grid.addEventListener("change", (event) => this.gridChanged(event));
    this.codeCheck = h("p", { class: "advice", id: `${id}-check`, "data-ok": "false", hidden: true });
    this.back = button("Choose the hours day by day", "clock", "button-secondary", {
      id: "hours-to-grid", hidden: true, on: { click: () => this.backToGrid() },
    });
    this.code = h("div", { id: "hours-code", hidden: true },
      idea("warning", h("h3", { id: "hours-code-heading", text: "These hours are complex. Change them here." }),
        h("p", { text: "They are in the code that maps use." })),
      h("label", { for: id, text: label }),
      h("p", { class: "hint", id: `${id}-hint`, text: "Write them like this: Mo-Fr 09:00-17:00; Sa 10:00-16:00. Days are Mo Tu We Th Fr Sa Su. PH means bank holidays." }),
      this.textarea, this.codeCheck, this.back);
    this.wordsTitle = h("p", { class: "hours-words-title" });
    this.weekLines = h("ul", { hidden: true });
    this.holidayTitle = h("p", { text: "Bank holidays:", hidden: true });
    this.holidayLines = h("ul", { hidden: true });
    this.words = h("div", { class: "hours-words", id: "hours-words", "aria-live": "polite" },
      this.wordsTitle, this.weekLines, this.holidayTitle, this.holidayLines);
    this.element = h("fieldset", { class: "hours", id: "hours" },
      h("legend", { text: label }), this.grid, this.code, this.words);
  }

  get inGrid() {
    return !this.grid.hidden;
  }

  // --- a value in, and the grid's value out -------------------------------------------

  // The venue's value: the grid when it can show it, otherwise the box.
  load(text) {
    this.quiet = true;
    clearTimeout(this.pause);
    clearFieldErrors(this.element);
    this.textarea.value = text;
    const grid = parseHours(text);
    this.loaded = { text, written: grid && writeHours(grid) };
    if (grid) this.showGrid(grid);
    else this.showCode();
    this.check();
  }

  showGrid(grid) {
    this.rows.forEach((row, index) => row.show(grid.days[index]));
    this.holidays.show(grid.holidays);
    this.closedDates = grid.closedDates;
    this.showDates();
    this.grid.hidden = false;
    this.code.hidden = true;
  }

  showCode() {
    this.grid.hidden = true;
    this.code.hidden = false;
    this.back.hidden = this.textarea.value.trim() !== "";
  }

  read() {
    return {
      days: this.rows.map((row) => row.read()),
      holidays: this.holidays.read(),
      closedDates: this.closedDates,
    };
  }

  gridChanged(event) {
    if (event?.target?.closest?.(".hours-dates")) return; // dates change when added, not as typed
    const row = event?.target?.closest?.(".hours-row");
    if (row) clearFieldErrors(row);
    this.write();
  }

  write() {
    const written = writeHours(this.read());
    // Back to what was there: keep the venue's own text, so nothing counts as changed.
    this.textarea.value = written === this.loaded.written ? this.loaded.text : written;
    this.checkSoon();
  }

  copyMonday() {
    const monday = this.rows[0].read();
    for (const row of this.rows.slice(1, 5)) {
      clearFieldErrors(row.element);
      row.show(structuredClone(monday));
    }
    this.write();
  }

  codeChanged() {
    this.back.hidden = this.textarea.value.trim() !== "";
    this.checkSoon();
  }

  backToGrid() {
    this.showGrid(emptyGrid());
    this.write();
    this.rows[0].firstControl().focus();
  }

  // --- dates when closed ----------------------------------------------------------------

  datesSection() {
    const from = h("input", { type: "date", id: "hours-date-from" });
    const to = h("input", { type: "date", id: "hours-date-to", "aria-describedby": "hours-date-to-hint" });
    for (const input of [from, to]) {
      // Enter adds the dates; it must not save the whole form.
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        this.addDates();
      });
    }
    this.dateList = h("ul", { class: "hours-date-list", id: "hours-date-list" });
    this.noDates = h("p", { text: "There are no dates yet." });
    this.datesStatus = h("p", { class: "hours-dates-status", id: "hours-dates-status", role: "status" });
    return h("fieldset", { class: "hours-dates", id: "hours-dates" },
      h("legend", {}, picture("closed"), h("span", { text: "Dates when it is closed" })),
      h("p", { class: "hint", text: "Like Christmas Day. Add 1 day, or the first and last day." }),
      this.dateList, this.noDates,
      h("label", { for: from.id, text: "First day it is closed" }), from,
      h("label", { for: to.id, text: "Last day it is closed" }),
      h("p", { class: "hint", id: "hours-date-to-hint", text: "Leave this empty for 1 day." }), to,
      button("Add the dates", "add", "button-secondary", { id: "hours-add-dates", on: { click: () => this.addDates() } }),
      this.datesStatus);
  }

  showDates() {
    this.dateList.replaceChildren(...this.closedDates.map((dates, index) => {
      const words = datesWords(dates);
      return h("li", { class: "hours-date" },
        h("span", { text: words }),
        h("button", {
          type: "button", class: "button button-plain", id: `hours-remove-date-${index}`,
          on: { click: () => this.removeDates(index) },
        }, picture("closed"), h("span", { text: "Remove" }), h("span", { class: "visually-hidden", text: ` ${words}` })));
    }));
    this.dateList.hidden = !this.closedDates.length;
    this.noDates.hidden = Boolean(this.closedDates.length);
  }

  addDates() {
    const from = document.getElementById("hours-date-from");
    const to = document.getElementById("hours-date-to");
    clearFieldErrors(this.grid.querySelector(".hours-dates"));
    if (!from.value) {
      fieldError(from, "Choose the first day it is closed.");
      from.focus();
      return;
    }
    if (to.value && to.value < from.value) {
      fieldError(to, "The last day must be on or after the first day.");
      to.focus();
      return;
    }
    const dates = { from: from.value, to: to.value || from.value };
    this.closedDates = addClosedDates(this.read(), dates.from, dates.to).closedDates;
    from.value = "";
    to.value = "";
    this.showDates();
    this.datesStatus.textContent = `Added: ${datesWords(dates)}.`;
    this.write();
  }

  removeDates(index) {
    const [gone] = this.closedDates.splice(index, 1);
    this.closedDates = [...this.closedDates];
    this.showDates();
    this.datesStatus.textContent = `Removed: ${datesWords(gone)}.`;
    const next = this.dateList.querySelectorAll("button")[Math.min(index, this.closedDates.length - 1)];
    (next ?? document.getElementById("hours-date-from")).focus();
    this.write();
  }

  // --- problems -------------------------------------------------------------------------

  rowOf(problem) {
    return problem.row === "holidays" ? this.holidays : this.rows[problem.row];
  }

  // What must be put right before saving, each beside its time: [{ id, words }].
  problems() {
    if (!this.inGrid) return [];
    clearFieldErrors(this.grid);
    return gridProblems(this.read()).map((problem) => {
      const control = this.rowOf(problem).control(problem.control);
      fieldError(control, problem.words);
      return { id: control.id, words: problem.words };
    });
  }

  // Where the server's word on the hours goes: the box, or the grid's first choice.
  errorInput() {
    return this.inGrid ? this.element : this.textarea;
  }

  focusId() {
    return this.inGrid ? this.rows[0].firstControl().id : this.textarea.id;
  }

  // --- the hours in words, from the server ----------------------------------------------

  checkSoon() {
    clearTimeout(this.pause);
    this.pause = setTimeout(() => this.check(), CHECK_WAIT_MS);
  }

  async check() {
    const mine = ++this.asked;
    // Each problem is shown beside its time as soon as it is made (the words below the
    // grid are off screen on a phone), and goes when it is put right.
    const problems = this.problems();
    const value = this.textarea.value.trim().replace(/\s*\n\s*/g, " ");
    if (problems.length) {
      this.say("Put this right first:", problems.map((problem) => problem.words), [], false);
      return;
    }
    this.showCodeProblem(null);
    if (!value) {
      this.say("There are no opening hours yet. People will read that the hours are not known.");
      return;
    }
    try {
      const { data } = await call("/api/opening-hours/check", {
        method: "POST", json: { opening_hours: value, ...this.position() }, signedIn: false,
      });
      if (mine !== this.asked) return; // a newer check is on its way
      this.say("What people will see:", data.week, data.holidays ?? [], true);
    } catch (error) {
      if (mine !== this.asked) return;
      if (error instanceof ApiError && error.status === 422) {
        if (this.inGrid) this.say(error.message, [], [], false);
        else {
          this.say("Put the hours right to see them in words.", [], [], false);
          // The check names the field as the API does; the person knows it by its label.
          this.showCodeProblem(fieldMessage("opening_hours", error.message, this.label));
        }
      } else {
        this.say("We cannot check the hours just now. They are checked when you save.");
      }
    }
  }

  // `ok`: true for the server's words (a green line), false for what to put right (a red
  // one), undefined for neither.
  say(title, lines = [], holidays = [], ok = undefined) {
    if (this.quiet) {
      // The words a page opens with are there to read, not to be read out at once.
      this.quiet = false;
      this.words.setAttribute("aria-live", "off");
      setTimeout(() => this.words.setAttribute("aria-live", "polite"), 1000);
    }
    if (ok === undefined) delete this.words.dataset.ok;
    else this.words.dataset.ok = String(ok);
    this.wordsTitle.textContent = title;
    setLines(this.weekLines, lines);
    setLines(this.holidayLines, holidays);
    this.holidayTitle.hidden = !holidays.length;
  }

  showCodeProblem(message) {
    this.codeCheck.textContent = message ?? "";
    this.codeCheck.hidden = !message;
  }
}
