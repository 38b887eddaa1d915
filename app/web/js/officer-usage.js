// Use of the scheme (/staff/usage, officers): visits counted by month, by why people
// came and by town, over the days chosen, as bars; and the counts as a spreadsheet.
// Each chart is a table (a row a month, reason or town; the count in words and a bar),
// so a screen reader reads the counts and a person at a glance sees the bars.
import { VISIT_REASON_WORDS } from "./constants.js";
import { h } from "./dom.js";
import { MONTH_NAMES } from "./opening.js";
import { call } from "./staff-api.js";
import { act, clearFieldErrors, clearProblem, dateWords, say, showFieldErrors, showProblem, startPage } from "./staff-page.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const form = document.getElementById("period-form");
const inputs = { from: document.getElementById("from"), to: document.getElementById("to") };
const publicBox = document.getElementById("public");
// Months are drawn one by one (with the empty ones) up to this many; past it, only those with visits.
const MOST_MONTHS_DRAWN = 60;

function asked() {
  const params = {};
  for (const [name, input] of Object.entries(inputs)) if (input.value) params[name] = input.value;
  if (publicBox.checked) params.public = "true";
  return params;
}

function report(group, extra = {}) {
  return call("/api/reports/visits", { params: { ...asked(), group, ...extra } });
}

// The total as the server says it ("12", "fewer than 5"), as a sentence starts.
function totalWords(report) {
  const words = report.total_words;
  return `${words[0].toUpperCase()}${words.slice(1)} ${report.total === 1 ? "visit" : "visits"}`;
}

// Every month of the period, those with no visits too: a gap is news.
function everyMonth(period, rows) {
  const [firstYear, firstMonth] = period.from.split("-").map(Number);
  const [lastYear, lastMonth] = period.to.split("-").map(Number);
  const months = (lastYear - firstYear) * 12 + lastMonth - firstMonth + 1;
  if (months > MOST_MONTHS_DRAWN) return rows;
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return Array.from({ length: months }, (_, index) => {
    const year = firstYear + Math.floor((firstMonth - 1 + index) / 12);
    const month = ((firstMonth - 1 + index) % 12) + 1;
    const key = `${year}-${String(month).padStart(2, "0")}`;
    return byKey.get(key) ?? { key, label: `${MONTH_NAMES[month - 1]} ${year}`, count: 0, count_words: "0" };
  });
}

// Every reason, those nobody came for too, most visits first.
function everyReason(rows) {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const missing = Object.entries(VISIT_REASON_WORDS)
    .filter(([key]) => !byKey.has(key))
    .map(([key, label]) => ({ key, label, count: 0, count_words: "0" }));
  return [...rows, ...missing];
}

function bars(rows, heading, caption) {
  if (!rows.length) return h("p", { text: "No visits were recorded on these days." });
  const most = Math.max(1, ...rows.map((row) => row.count ?? 0));
  return h("table", { class: "bars" },
    h("caption", { class: "visually-hidden", text: caption }),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col", text: heading }), h("th", { scope: "col", text: "Visits" }))),
    h("tbody", {}, rows.map((row) => {
      const bar = h("span", { class: "bar", "aria-hidden": "true" });
      // Through the CSSOM: the page's CSP allows no style attributes.
      bar.style.width = `${((row.count ?? 0) / most) * 100}%`;
      return h("tr", {},
        h("th", { scope: "row", text: row.label }),
        h("td", {}, h("span", { class: "bar-count", text: row.count_words }), h("span", { class: "bar-track" }, bar)));
    })));
}

async function show() {
  clearProblem(problem);
  clearFieldErrors(form);
  say(status, "Loading the counts.");
  const answers = await act(document.getElementById("show"), problem, async () => {
    try {
      return await Promise.all([report("month"), report("reason"), report("town")]);
    } catch (error) {
      if (error.errors?.length) {
        showFieldErrors(problem, error, form, {
          inputFor: (field) => inputs[field] ?? null,
          labelFor: (field) => ({ from: "First day", to: "Last day" })[field] ?? null,
        });
        return undefined;
      }
      throw error;
    }
  });
  say(status);
  if (!answers) return;
  const [{ data: byMonth }, { data: byReason }, { data: byTown }] = answers;
  const { period } = byMonth;
  inputs.from.value = period.from;
  inputs.to.value = period.to;
  document.getElementById("total").textContent =
    `${totalWords(byMonth)} from ${dateWords(period.from)} to ${dateWords(period.to)}.`;
  document.getElementById("by-month").replaceChildren(
    bars(everyMonth(period, byMonth.rows), "Month", "Visits by month"));
  document.getElementById("by-reason").replaceChildren(
    bars(everyReason(byReason.rows), "Why they came", "Why people came"));
  document.getElementById("by-town").replaceChildren(bars(byTown.rows, "Town", "Visits by town"));
}

function filename(response) {
  const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "");
  return match ? match[1] : "visits.csv";
}

async function download(event) {
  clearProblem(problem);
  const group = document.querySelector("input[name=group]:checked")?.value ?? "month";
  await act(event.currentTarget, problem, async () => {
    const { response } = await call("/api/reports/visits", {
      params: { ...asked(), group, format: "csv" }, raw: true,
    });
    const link = h("a", { href: URL.createObjectURL(await response.blob()), download: filename(response), hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    say(status, `The file ${link.download} is downloaded.`);
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  show().then(() => {
    if (problem.hidden) document.getElementById("total").focus();
  });
});
document.getElementById("download").addEventListener("click", download);

async function load() {
  if (!(await startPage({ officersOnly: true }))) return;
  document.getElementById("usage-page").hidden = false;
  await show();
}

load().catch((error) => showProblem(problem, error.message));
