// Gaps in cover (/staff/coverage, officers): by hour of the week, how much of the area
// has an open Safe Place within a walk (GET /api/reports/coverage), the worst gaps in
// words, a map of the places with no cover at one hour, and "what if we add a venue
// here?" (POST /api/reports/coverage/what-if). Every figure is the server's: this
// script only lays it out. Colour is never the only cue: each box says its %.
import { DAY_NAMES } from "./constants.js";
import { h, picture } from "./dom.js";
import { ApiError, SignInEnded, call } from "./staff-api.js";
import {
  act, clearFieldErrors, clearProblem, problemWords, say, showFieldErrors, showProblem, startPage,
} from "./staff-page.js";

const SVG = "http://www.w3.org/2000/svg";
const MAP_WIDTH = 300;
const status = document.getElementById("status");
const problem = document.getElementById("problem");
const ask = document.getElementById("ask");
const mapForm = document.getElementById("map-form");
const whatIf = document.getElementById("what-if");
const result = document.getElementById("what-if-result");

// "12am" … "11pm": the server's words for Monday's hours ("Monday 12am"), less the day.
function clocks(hours) {
  return hours.slice(0, 24).map((each) => each.words.slice(each.words.indexOf(" ") + 1));
}

// 5 bands of blue, each with its own text colour so the % stays readable.
function band(percent) {
  if (percent === 0) return 0;
  if (percent < 25) return 1;
  if (percent < 50) return 2;
  if (percent < 75) return 3;
  return 4;
}

// An hour with no share (the one the clocks skip in spring) says so instead.
function heatCell(each) {
  if (each.percent === null) {
    return h("td", { class: "heat-0" },
      h("span", { class: "heat-text", "aria-hidden": "true", text: "–" }),
      h("span", { class: "visually-hidden", text: each.note }));
  }
  return h("td", { class: `heat-${band(each.percent)}` }, h("span", { class: "heat-text", text: `${each.percent}%` }));
}

function heatTable(hours) {
  // Each cell's words in a block of their own, so a row reads as 24 short items,
  // not as one 25-word line.
  const head = h("tr", {}, h("td", {}), clocks(hours).map((clock) =>
    h("th", { scope: "col" }, h("span", { class: "heat-text", text: clock }))));
  const rows = DAY_NAMES.map((day, d) => h("tr", {},
    h("th", { scope: "row", text: day }),
    hours.slice(d * 24, d * 24 + 24).map(heatCell)));
  return [
    // Said to screen readers; the heading and words above say it to everyone else.
    h("caption", { class: "visually-hidden", text: "Share of postcodes with an open Safe Place near, by day and time" }),
    h("thead", {}, head),
    h("tbody", {}, rows),
  ];
}

function showGaps(id, gaps, none) {
  const list = document.getElementById(id);
  list.replaceChildren(...gaps.map((gap) => h("li", { class: "gap" }, picture("warning"), h("span", { text: gap.words }))));
  if (!gaps.length) list.append(h("li", { text: none }));
}

// Positions to the SVG's x and y, north up; a degree of longitude is shorter than one
// of latitude by the cosine of the latitude.
function projection(points) {
  const lats = points.map(([lat]) => lat);
  const lons = points.map(([, lon]) => lon);
  const [south, north] = [Math.min(...lats), Math.max(...lats)];
  const [west, east] = [Math.min(...lons), Math.max(...lons)];
  const squash = Math.cos(((south + north) / 2) * Math.PI / 180);
  const wide = Math.max((east - west) * squash, 1e-6);
  const tall = Math.max(north - south, 1e-6);
  const scale = (MAP_WIDTH - 20) / Math.max(wide, tall);
  return {
    width: Math.ceil(wide * scale) + 20,
    height: Math.ceil(tall * scale) + 20,
    at: ([lat, lon]) => [10 + (lon - west) * squash * scale, 10 + (north - lat) * scale],
  };
}

function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

function showMap(map) {
  const venues = map.venues.map((venue) => venue.position);
  const points = [...map.uncovered, ...venues];
  const open = map.venues.filter((venue) => venue.open).length;
  document.getElementById("map-words").textContent =
    `${map.words}: ${map.uncovered.length ? "the red dots have no open Safe Place near." : "every place has cover."} ` +
    `${open} of the ${map.venues.length} Safe Places shown are open.`;
  const box = document.getElementById("map");
  if (!points.length) {
    box.replaceChildren();
    return;
  }
  const { width, height, at } = projection(points);
  const drawing = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, role: "img", class: "coverage-map-svg",
    "aria-label": `Map for ${map.words}: ${map.uncovered.length} places with no cover, ${map.venues.length} Safe Places.`,
  });
  for (const point of map.uncovered) {
    const [x, y] = at(point);
    drawing.append(svg("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 2, class: "dot-gap" }));
  }
  for (const venue of map.venues) {
    const [x, y] = at(venue.position);
    drawing.append(svg("rect", {
      x: (x - 3).toFixed(1), y: (y - 3).toFixed(1), width: 6, height: 6,
      class: venue.open ? "dot-open" : "dot-shut",
    }));
  }
  box.replaceChildren(drawing);
}

function fillMapChoices(hour, hours) {
  const day = document.getElementById("map-day");
  const time = document.getElementById("map-hour");
  if (!day.options.length) {
    day.append(...DAY_NAMES.map((name, d) => h("option", { value: d, text: name })));
    time.append(...clocks(hours).map((clock, t) => h("option", { value: t, text: clock })));
  }
  day.value = String(Math.floor(hour / 24));
  time.value = String(hour % 24);
}

function show(report) {
  document.getElementById("summary").textContent =
    `${report.summary} We counted ${report.postcodes.toLocaleString("en-GB")} postcodes and ` +
    `${report.venues} Safe Places, within ${report.walk_minutes} minutes' walk.`;
  document.getElementById("heat").replaceChildren(...heatTable(report.hours));
  const skipped = report.hours.filter((each) => each.note);
  const note = document.getElementById("heat-note");
  note.textContent = skipped.map((each) => `${each.words}: ${each.note}`).join(" ");
  note.hidden = !skipped.length;
  showGaps("gaps", report.worst_gaps, "There are no gaps in places with some cover.");
  showGaps("never", report.never_covered, "Every place has cover at some hours.");
  fillMapChoices(report.map.hour, report.hours);
  showMap(report.map);
}

function question(hour = null) {
  const params = { walk_minutes: document.getElementById("walk").value };
  const week = document.getElementById("week").value;
  if (week) params.week = week;
  if (hour !== null) params.hour = hour;
  return params;
}

async function load(button, hour = null) {
  clearProblem(problem);
  say(status, "Working out the cover. This can take a few seconds.");
  await act(button, problem, async () => {
    const { data } = await call("/api/reports/coverage", { params: question(hour) });
    show(data);
  });
  say(status, "");
}

function showChange(data) {
  const gains = data.change.filter((each) => each.more_postcodes > 0)
    .sort((a, b) => b.more_postcodes - a.more_postcodes || a.hour - b.hour).slice(0, 12);
  result.replaceChildren(
    h("h3", { text: "The difference" }),
    h("p", { text: data.change_words }),
    gains.length ? h("ul", { class: "gain-list" }, gains.map((each) =>
      h("li", { text: `${each.words}: ${each.more_postcodes.toLocaleString("en-GB")} more postcodes. `
        + `From ${each.percent_before}% to ${each.percent_after}%.` }))) : null,
  );
  result.hidden = false;
  result.focus();
}

async function tryVenue(event) {
  event.preventDefault();
  clearProblem(problem);
  clearFieldErrors(whatIf);
  result.hidden = true;
  const body = {
    postcode: document.getElementById("what-if-postcode").value.trim() || null,
    opening_hours: document.getElementById("what-if-hours").value.trim(),
    walk_minutes: Number(document.getElementById("walk").value),
  };
  const week = document.getElementById("week").value;
  if (week) body.week = week;
  const button = document.getElementById("try");
  button.disabled = true;
  try {
    const { data } = await call("/api/reports/coverage/what-if", { method: "POST", json: body });
    showChange(data);
  } catch (error) {
    if (error instanceof SignInEnded) return;
    if (!(error instanceof ApiError)) {
      showProblem(problem, problemWords(error));
      return;
    }
    const inputs = { postcode: "what-if-postcode", opening_hours: "what-if-hours" };
    const labels = { postcode: "Postcode", opening_hours: "Opening hours" };
    showFieldErrors(problem, error, whatIf, {
      inputFor: (field) => (inputs[field] ? document.getElementById(inputs[field]) : null),
      labelFor: (field) => labels[field] ?? null,
    });
  } finally {
    button.disabled = false;
  }
}

async function start() {
  if (!(await startPage({ officersOnly: true }))) return;
  document.getElementById("coverage-page").hidden = false;
  ask.addEventListener("submit", (event) => {
    event.preventDefault();
    load(document.getElementById("show"));
  });
  mapForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const hour = Number(document.getElementById("map-day").value) * 24 + Number(document.getElementById("map-hour").value);
    load(document.getElementById("show-map"), hour);
  });
  whatIf.addEventListener("submit", tryVenue);
  await load(null);
}

start();
