// Home: find the nearest Safe Places by the phone's position, or by a town or postcode.
// Online, the server answers (it is the authority on what is open); when the request
// fails or the signal is too weak to answer in 4 seconds, the saved list does.
// js/results.js shows the answer; the button shows it is busy while the phone finds
// where it is, and the wait message sits right under it.
import { getJSON, ApiError } from "./api.js";
import { h, picture, sentences, setStatus } from "./dom.js";
import { insideOutline, nearestFromList } from "./distance.js";
import { bestOpen } from "./places.js";
import { listOnPhone, POSITION_OPTIONS, savedArea, savedDistricts, savedList } from "./saved-list.js";

const nearStatus = document.getElementById("status");
const searchStatus = document.getElementById("search-status");
const choices = document.getElementById("choices");
const results = document.getElementById("results");
const nearMe = document.getElementById("near-me");
const townForm = document.getElementById("town-form");
const townInput = document.getElementById("town");
const NEAR_ME_WORDS = nearMe.querySelector("span").textContent;

// A message in view, under the button that was pressed (or empty, to clear it).
function say(status, ...sentences) {
  setStatus(status, ...sentences);
  if (sentences.length) status.scrollIntoView({ block: "nearest", behavior: "instant" });
}

// The results' code is not part of the first view: a tap on "near me" or "Search"
// starts loading it, while the phone finds where it is or the server answers.
// A failed load is forgotten, so the next tap tries again.
let resultsCode = null;
function loadResults() {
  resultsCode ??= import("./results.js").catch((error) => {
    resultsCode = null;
    throw error;
  });
  return resultsCode;
}

const NO_SIGNAL_HELP = "If you need help, call 101. In danger, call 999.";

// While busy the button says what is happening, with a clock, and ignores more taps.
function setBusy(words) {
  const [image, label] = [nearMe.querySelector("img"), nearMe.querySelector("span")];
  if (words) {
    nearMe.setAttribute("aria-busy", "true");
    image.src = "/icons/clock.svg";
    label.textContent = words;
  } else {
    nearMe.removeAttribute("aria-busy");
    image.src = "/icons/pin.svg";
    label.textContent = NEAR_ME_WORDS;
  }
}

async function nearestOnline(lat, lon) {
  const [all, open] = await Promise.all([
    getJSON("/api/venues/nearest", { params: { lat, lon, limit: 8 } }),
    // A few, not one: the nearest may close before the person can walk there.
    getJSON("/api/venues/nearest", { params: { lat, lon, limit: 5, open_now: true } }),
  ]);
  return { venues: all.venues, nearestOpen: bestOpen(open.venues) };
}

// "This app shows Safe Places in Warwickshire. The nearest one is 13 km away.", as
// sentences, when the position is outside the scheme's area; else null. The area is
// the copy kept with the saved list (js/saved-list.js), so the answer never waits on
// the network for it; the position is tested here, on the phone, and never sent.
async function outsideAreaWords(lat, lon, nearest) {
  if (!nearest || nearest.nearby) return null; // most answers never look
  const known = await savedArea();
  if (!known?.outside || insideOutline(known.outline, lat, lon)) return null;
  const km = Math.max(1, Math.round(nearest.distance_m / 1000));
  return sentences(known.outside.replace("{km}", km));
}

// `areaWords`: what the server said of a typed place's area, when it did; else the
// phone works it out.
async function showNear(lat, lon, { where = null, status = nearStatus, areaWords = null, roughly = null } = {}) {
  choices.replaceChildren();
  say(status, "Looking for Safe Places. Please wait.");
  let found = null;
  let savedAt = null;
  try {
    found = await nearestOnline(lat, lon);
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      say(status, error.message);
      return;
    }
    const list = await listOnPhone();
    if (!list) {
      say(status, "You have no signal. We cannot find Safe Places now.", NO_SIGNAL_HELP);
      return;
    }
    found = nearestFromList(list, lat, lon, Date.now());
    savedAt = list.saved_at;
  }
  areaWords ??= await outsideAreaWords(lat, lon, found.venues[0]);
  let renderResults;
  try {
    ({ renderResults } = await loadResults());
  } catch {
    // The results' code did not arrive (as js/venue.js does for its problem form).
    say(status, "You have no signal. We cannot show Safe Places now.", "Try again when you have signal.", NO_SIGNAL_HELP);
    return;
  }
  setStatus(status);
  renderResults(results, found, { where, savedAt, areaWords, roughly });
}

function findMe() {
  if (nearMe.hasAttribute("aria-busy")) return;
  if (!("geolocation" in navigator)) {
    say(nearStatus, "This phone cannot tell us where you are. Type a town or postcode.");
    townInput.focus();
    return;
  }
  setBusy("Finding where you are");
  say(nearStatus, "Finding where you are. Please wait.");
  loadResults().catch(() => {}); // started now; showNear says if it fails
  navigator.geolocation.getCurrentPosition(
    async (position) => {
      setBusy("Looking for Safe Places");
      try {
        // The position is used for this one look-up and kept nowhere.
        await showNear(position.coords.latitude, position.coords.longitude);
      } finally {
        setBusy(null);
      }
    },
    (problem) => {
      setBusy(null);
      const words = problem.code === problem.PERMISSION_DENIED
        ? ["We are not allowed to see where you are.", "Type a town or postcode instead."]
        : ["We could not find where you are.", "Try again, or type a town or postcode."];
      say(nearStatus, ...words);
      townInput.focus();
    },
    POSITION_OPTIONS,
  );
}

// A typed postcode or district, as its district: "cv34 4ab" and "CV34" -> "CV34".
const POSTCODE_OR_DISTRICT = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})?$/;

// With no signal: a postcode's district from the saved district table (a full
// postcode a Safe Place has is found exactly in the list); then the list's towns.
function placesOffline(list, districts, typed) {
  const fromList = list ? placesFromList(list, typed) : [];
  const code = typed.toUpperCase().replace(/\s+/g, "").match(POSTCODE_OR_DISTRICT);
  const centre = code && districts?.districts?.[code[1]];
  const exactInList = fromList.some((place) => place.name.replace(/\s+/g, "") === code?.[0]);
  if (!centre || exactInList) return fromList;
  const [latitude, longitude] = centre;
  // A whole postcode placed only by its district: say so, and give no directions.
  const roughly = code[2] ? `${code[1]} ${code[2]}` : null;
  return [{ name: code[1], area: "", match: "exact", latitude, longitude, roughly }];
}

// Letters to add, drop or change to make one word the other (Levenshtein's distance).
function editsBetween(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

// Places named by saved venues ([name, venue] pairs), each at the middle of its venues.
function middlesOf(named, match) {
  const sums = new Map();
  for (const [name, venue] of named) {
    const sum = sums.get(name) ?? { latitude: 0, longitude: 0, count: 0 };
    sum.latitude += venue.latitude;
    sum.longitude += venue.longitude;
    sum.count += 1;
    sums.set(name, sum);
  }
  return [...sums].slice(0, 5).map(([name, sum]) => ({
    name, area: "", match, latitude: sum.latitude / sum.count, longitude: sum.longitude / sum.count,
  }));
}

// With no signal, a town of the saved list spelt nearly right ("Warwik", "lemington"),
// as the server's search forgives: from the start of any of its words, a letter or two
// out (one for a short word). Offered as "Did you mean …?".
function nearlySpelt(town, wanted) {
  const words = town.toLowerCase().split(/[\s-]+/);
  const allowed = wanted.length < 6 ? 1 : 2;
  return words.some((_, i) => {
    const tail = words.slice(i).join("");
    return [-1, 0, 1].some((more) => editsBetween(wanted, tail.slice(0, wanted.length + more)) <= allowed);
  });
}

// With no signal: the towns and postcodes of the saved list; else towns spelt nearly so.
function placesFromList(list, typed) {
  const wanted = typed.toLowerCase().replace(/\s+/g, "");
  const named = [];
  for (const venue of list.venues) {
    const town = venue.town.toLowerCase().replace(/\s+/g, "");
    const postcode = venue.postcode.toLowerCase().replace(/\s+/g, "");
    if (postcode.startsWith(wanted)) named.push([venue.postcode, venue]);
    else if (town.startsWith(wanted)) named.push([venue.town, venue]);
  }
  if (named.length) return middlesOf(named, "exact");
  const letters = wanted.replace(/[^a-z]/g, "");
  if (letters.length < 4) return [];
  return middlesOf(list.venues.filter((venue) => nearlySpelt(venue.town, letters)).map((venue) => [venue.town, venue]), "close");
}

function placeLabel(place) {
  return place.area ? `${place.name}, ${place.area}` : place.name;
}

function showNearPlace(place, areaWords = null) {
  const { roughly = null } = place;
  return showNear(place.latitude, place.longitude, { where: place.name, status: searchStatus, areaWords, roughly });
}

function offerChoices(question, places) {
  const buttons = places.map((place) =>
    h("button", { type: "button", class: "button button-secondary", on: { click: () => showNearPlace(place) } },
      picture("pin"), h("span", { text: placeLabel(place) })));
  const heading = h("h2", { tabindex: "-1", text: question });
  choices.replaceChildren(heading, h("div", { class: "choice-buttons" }, buttons),
    h("button", { type: "button", class: "button button-plain", on: { click: () => { choices.replaceChildren(); townInput.focus(); } } },
      h("span", { text: "No. I will type it again." })));
  heading.focus();
}

async function searchTown(typed) {
  results.hidden = true;
  choices.replaceChildren();
  setStatus(nearStatus);
  if (typed.length < 2) {
    say(searchStatus, "Type the name of a town, or a postcode.");
    townInput.focus();
    return;
  }
  say(searchStatus, "Looking for that place. Please wait.");
  loadResults().catch(() => {}); // started now; showNear says if it fails
  let answer;
  try {
    answer = await getJSON("/api/places", { params: { q: typed } });
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      say(searchStatus, error.message);
      return;
    }
    const [list, districts] = await Promise.all([savedList(), savedDistricts()]);
    answer = list || districts ? { places: placesOffline(list, districts, typed) } : null;
    if (!answer) {
      say(searchStatus, "You have no signal. We cannot look up places now.");
      return;
    }
  }
  const { places, message } = answer;
  setStatus(searchStatus);
  const exact = places.filter((place) => place.match === "exact");
  if (!places.length) {
    // The server says why when it can ("We cannot find that postcode. …").
    say(searchStatus, ...(message ? [message] : ["We cannot find that place.", "Check the spelling and try again."]));
    townInput.focus();
  } else if (exact.length === 1) {
    // The server's message speaks of the first place it found: outside the area, or "".
    const said = exact[0] === places[0] && typeof message === "string" ? sentences(message) : null;
    showNearPlace(exact[0], said);
  } else if (exact.length > 1) {
    offerChoices("Which place do you mean?", exact);
  } else if (places.length === 1) {
    offerChoices(`Did you mean ${places[0].name}?`, places);
  } else {
    offerChoices("Did you mean one of these?", places);
  }
}

nearMe.addEventListener("click", findMe);
townForm.addEventListener("submit", (event) => {
  event.preventDefault();
  searchTown(townInput.value.trim());
});

// "Find a Safe Place near me" on other screens links here with #near.
if (location.hash === "#near") {
  history.replaceState(null, "", "/");
  findMe();
}
