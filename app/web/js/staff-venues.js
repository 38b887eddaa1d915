// My venues (staff) / Venues (officers): /api/venues/editable, with withdrawn and
// closed ones marked; officers can search, and see what has not been checked for a year (CHECK_EVERY_MONTHS).
import { CHECK_EVERY_MONTHS } from "./constants.js";
import { h } from "./dom.js";
import { call } from "./staff-api.js";
import { act, dateWords, isClosedNow, say, startPage } from "./staff-page.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const list = document.getElementById("venues");
const count = document.getElementById("count");
const search = document.getElementById("search");
const onlyUnchecked = document.getElementById("only-unchecked");
let venues = [];
let unchecked = new Set();

function badges(venue) {
  const said = [
    !venue.active && ["badge-withdrawn", "Withdrawn"],
    isClosedNow(venue) && ["badge-closed", `Closed until ${dateWords(venue.closed_until)}`],
    unchecked.has(venue.id) && ["badge-unchecked", `Not checked for ${CHECK_EVERY_MONTHS} months`],
  ].filter(Boolean);
  return said.length ? h("ul", { class: "badges" }, said.map(([kind, words]) => h("li", { class: `badge ${kind}`, text: words }))) : null;
}

function card(venue) {
  return h("li", { class: `card${venue.active ? "" : " card-withdrawn"}` },
    h("h2", { text: venue.name }),
    h("p", { text: `${venue.ref}, ${venue.town}` }),
    badges(venue),
    h("p", { text: venue.last_checked ? `Last checked on ${dateWords(venue.last_checked)}.` : "Never checked." }),
    h("a", { class: "button button-secondary", href: `/staff/edit?id=${venue.id}` },
      h("img", { src: "/icons/edit.svg", alt: "", width: 40, height: 40 }),
      h("span", {}, "Change ", h("span", { class: "visually-hidden", text: venue.name }))),
    h("a", { class: "button button-plain", href: `/staff/history?id=${venue.id}` },
      h("img", { src: "/icons/history.svg", alt: "", width: 40, height: 40 }),
      h("span", {}, "History", h("span", { class: "visually-hidden", text: ` of ${venue.name}` }))));
}

function matches(venue, words) {
  const text = `${venue.name} ${venue.ref} ${venue.town}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

function show() {
  const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = venues.filter((venue) => matches(venue, words) && (!onlyUnchecked.checked || unchecked.has(venue.id)));
  list.replaceChildren(...shown.map(card));
  count.textContent = shown.length === venues.length
    ? `${venues.length} ${venues.length === 1 ? "venue" : "venues"}.`
    : `Showing ${shown.length} of ${venues.length} venues.`;
}

let typing = null;
search.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(show, 250);
});
onlyUnchecked.addEventListener("change", show);
document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  show();
});

async function load() {
  const me = await startPage();
  if (!me) return;
  const officer = me.role === "officer";
  document.getElementById("heading").textContent = officer ? "Venues" : "My venues";
  document.title = `${officer ? "Venues" : "My venues"} - Safe Places`;
  await act(null, problem, async () => {
    const [{ data: editable }, stale] = await Promise.all([
      call("/api/venues/editable"),
      officer ? call("/api/venues/unchecked", { params: { months: CHECK_EVERY_MONTHS } }) : Promise.resolve({ data: [] }),
    ]);
    venues = editable;
    unchecked = new Set(stale.data.map((venue) => venue.id));
    document.getElementById("search-form").hidden = !officer;
    say(status, venues.length ? "" : (officer ? "There are no venues yet." : "No venue is linked to your account yet. Ask your council officer."));
    show();
  });
  if (!problem.hidden) say(status);
}

load();
