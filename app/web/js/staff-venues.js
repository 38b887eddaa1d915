// My venues (staff) / Venues (officers): a page at a time from /api/venues/editable/page,
// which sorts, filters and counts on the server (100,000 venues read like 100). Withdrawn
// and closed venues are marked, and so are the ones due a check or a confirmation: a
// venue never checked counts from the day it was added. The choices live in the address,
// so Back, a refresh or a shared link shows the same page.
import { CHECK_EVERY_MONTHS } from "./constants.js";
import { h, picture } from "./dom.js";
import { call } from "./staff-api.js";
import { act, clearProblem, dateWords, isClosedNow, say, startPage } from "./staff-page.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const form = document.getElementById("search-form");
const list = document.getElementById("venues");
const count = document.getElementById("count");
const pager = document.getElementById("pager");
const pageWords = document.getElementById("page-words");
const previous = document.getElementById("previous-page");
const next = document.getElementById("next-page");
const inputs = {
  search: document.getElementById("search"),
  town: document.getElementById("town"),
  unchecked: document.getElementById("only-unchecked"),
  unconfirmed: document.getElementById("only-unconfirmed"),
  problems: document.getElementById("only-problems"),
  sort: document.getElementById("sort"),
};
const SORTS = [...inputs.sort.options].map((option) => option.value);
let officer = false;
let page = 1;
let asked = 0; // answers that come back after a newer question are dropped

function plural(number, one, many) {
  return `${number} ${number === 1 ? one : many}`;
}

function badges(venue, answer) {
  const said = [
    !venue.active && ["badge-withdrawn", "Withdrawn"],
    isClosedNow(venue) && ["badge-closed", `Closed until ${dateWords(venue.closed_until)}`],
    venue.check_due && ["badge-unchecked", `Not checked for ${answer.check_every_months} months`],
    venue.confirm_due && ["badge-unchecked", `Not confirmed for ${answer.confirm_every_months} months`],
  ].filter(Boolean);
  return said.length ? h("ul", { class: "badges" }, said.map(([kind, words]) => h("li", { class: `badge ${kind}`, text: words }))) : null;
}

function freshness(venue) {
  return [
    venue.last_checked ? `Last checked on ${dateWords(venue.last_checked)}.` : `Not checked yet. Added on ${dateWords(venue.added_on)}.`,
    venue.last_confirmed ? `Staff said it is right on ${dateWords(venue.last_confirmed)}.` : "Staff have not said it is right yet.",
    venue.open_problems === 1 ? "1 problem report is open." : `${venue.open_problems || "No"} problem reports are open.`,
  ].map((sentence) => h("p", { text: sentence }));
}

function link(href, words, pictureName, hiddenWords) {
  return h("a", { class: "button button-secondary", href }, picture(pictureName),
    h("span", {}, words, h("span", { class: "visually-hidden", text: hiddenWords })));
}

function card(venue, answer) {
  return h("li", { class: `card${venue.active ? "" : " card-withdrawn"}` },
    h("h2", { text: venue.name }),
    h("p", { text: `${venue.ref}, ${venue.town}` }),
    badges(venue, answer),
    freshness(venue),
    h("div", { class: "card-actions" },
      link(`/staff/edit?id=${venue.id}`, "Change", "edit", ` ${venue.name}`),
      link(`/staff/visit?venue=${venue.id}`, "Someone came to us", "hand-up", ` at ${venue.name}`),
      link(`/staff/poster?venue=${venue.id}`, "Window poster", "printer", ` for ${venue.name}`),
      link(`/staff/history?id=${venue.id}`, "History", "history", ` of ${venue.name}`)));
}

// --- the choices, as the API and the address name them ----------------------------

function choices() {
  const [sort, order] = inputs.sort.value.split(" ");
  return {
    page: String(page),
    sort,
    order,
    search: inputs.search.value.trim(),
    town: inputs.town.value.trim(),
    not_checked_months: inputs.unchecked.checked ? inputs.unchecked.dataset.months : "",
    not_confirmed_months: inputs.unconfirmed.checked ? inputs.unconfirmed.dataset.months : "",
    has_open_problems: inputs.problems.checked ? "true" : "",
  };
}

function given(params) {
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== ""));
}

function fromAddress() {
  const wanted = new URLSearchParams(location.search);
  const number = Number(wanted.get("page"));
  page = Number.isInteger(number) && number >= 1 ? number : 1;
  const sort = `${wanted.get("sort")} ${wanted.get("order")}`;
  inputs.sort.value = SORTS.includes(sort) ? sort : SORTS[0];
  inputs.search.value = wanted.get("search") ?? "";
  inputs.town.value = wanted.get("town") ?? "";
  inputs.unchecked.checked = wanted.has("not_checked_months");
  const confirmMonths = wanted.get("not_confirmed_months") ?? "";
  inputs.unconfirmed.checked = /^\d{1,3}$/.test(confirmMonths);
  if (inputs.unconfirmed.checked) inputs.unconfirmed.dataset.months = confirmMonths;
  inputs.problems.checked = wanted.get("has_open_problems") === "true";
}

function countWords(answer) {
  const all = plural(answer.all_venues, "venue", "venues");
  const filtered = answer.total !== answer.all_venues;
  const said = [filtered ? `Showing ${answer.total} of ${all}.` : `${all}.`];
  if (!answer.total && answer.all_venues) said.push("No venue matches. Change the search or the choices.");
  if (answer.pages > 1) said.push(`Page ${answer.page} of ${answer.pages}.`);
  return said.join(" ");
}

function show(answer) {
  list.replaceChildren(...answer.venues.map((venue) => card(venue, answer)));
  count.textContent = countWords(answer);
  pager.hidden = answer.pages <= 1;
  pageWords.textContent = `Page ${answer.page} of ${answer.pages}`;
  previous.hidden = answer.page <= 1;
  next.hidden = answer.page >= answer.pages;
  inputs.unchecked.dataset.months = answer.check_every_months;
  inputs.unconfirmed.dataset.months = answer.confirm_every_months;
  document.getElementById("only-unconfirmed-words").textContent = `Only venues not confirmed for ${answer.confirm_every_months} months`;
  form.hidden = !officer && answer.all_venues <= answer.per_page;
}

// A choice the officer made (a page, a sort, a filter) is a step Back can undo; typing
// in the search boxes, the first load and Back itself only rewrite the address.
function remember(params, step) {
  const address = `${location.pathname}?${new URLSearchParams(params)}`;
  if (step && address !== `${location.pathname}${location.search}`) history.pushState(null, "", address);
  else history.replaceState(null, "", address);
}

async function load({ focus = false, step = false } = {}) {
  const question = ++asked;
  const params = given(choices());
  await act(null, problem, async () => {
    const { data: answer } = await call("/api/venues/editable/page", { params });
    if (question !== asked) return;
    if (answer.page > answer.pages) { // fewer venues now: show the last page
      page = answer.pages;
      await load({ focus, step });
      return;
    }
    clearProblem(problem);
    remember(params, step);
    show(answer);
    say(status, answer.all_venues ? "" : (officer ? "There are no venues yet." : "No venue is linked to your account yet. Ask your council officer."));
    if (focus) {
      count.focus();
      count.scrollIntoView({ block: "start" });
    }
  });
  if (!problem.hidden) say(status);
}

// A new choice starts again at page 1.
function chosen(step = true) {
  page = 1;
  load({ step });
}

let typing = null;
for (const input of [inputs.search, inputs.town]) {
  input.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => chosen(false), 300);
  });
}
for (const input of [inputs.unchecked, inputs.unconfirmed, inputs.problems, inputs.sort]) {
  input.addEventListener("change", () => chosen());
}
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  chosen();
});
previous.addEventListener("click", () => {
  page = Math.max(1, page - 1);
  load({ focus: true, step: true });
});
next.addEventListener("click", () => {
  page += 1;
  load({ focus: true, step: true });
});
window.addEventListener("popstate", () => {
  clearTimeout(typing);
  fromAddress();
  load();
});

async function start() {
  const me = await startPage();
  if (!me) return;
  officer = me.role === "officer";
  document.getElementById("heading").textContent = officer ? "Venues" : "My venues";
  document.title = `${officer ? "Venues" : "My venues"} - Safe Places`;
  // Each answer says how many months each box means; the first asks with the usual ones.
  inputs.unchecked.dataset.months = CHECK_EVERY_MONTHS;
  fromAddress();
  await load();
}

start();
