// Home: find the nearest Safe Places by the phone's position, or by a town or postcode.
// Online, the server answers (it is the authority on what is open); when the request
// fails or the signal is too weak to answer in 4 seconds, the saved list does.
import { getJSON, ApiError } from "./api.js";
import { h, picture, setStatus } from "./dom.js";
import { nearestFromList } from "./distance.js";
import { bestOpen } from "./places.js";
import { renderResults } from "./results.js";
import { refreshSavedList, savedList } from "./saved-list.js";
import { addSpeakButtons } from "./speak.js";

const status = document.getElementById("status");
const choices = document.getElementById("choices");
const results = document.getElementById("results");
const nearMe = document.getElementById("near-me");
const townForm = document.getElementById("town-form");
const townInput = document.getElementById("town");

async function nearestOnline(lat, lon) {
  const [all, open] = await Promise.all([
    getJSON("/api/venues/nearest", { params: { lat, lon, limit: 8 } }),
    // A few, not one: the nearest may close before the person can walk there.
    getJSON("/api/venues/nearest", { params: { lat, lon, limit: 5, open_now: true } }),
  ]);
  return { venues: all.venues, nearestOpen: bestOpen(open.venues) };
}

async function showNear(lat, lon, where = null) {
  choices.replaceChildren();
  setStatus(status, "Looking for Safe Places. Please wait.");
  try {
    renderResults(results, await nearestOnline(lat, lon), { where });
    setStatus(status);
    return;
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      setStatus(status, error.message);
      return;
    }
  }
  const list = (await savedList()) ?? (await refreshSavedList());
  if (!list) {
    setStatus(status, "You have no signal. We cannot find Safe Places now.", "If you need help, call 101. In danger, call 999.");
    return;
  }
  renderResults(results, nearestFromList(list, lat, lon, Date.now()), { where, savedAt: list.saved_at });
  setStatus(status);
}

function findMe() {
  if (!("geolocation" in navigator)) {
    setStatus(status, "This phone cannot tell us where you are. Type a town or postcode.");
    townInput.focus();
    return;
  }
  setStatus(status, "Finding where you are. Please wait.");
  nearMe.setAttribute("aria-busy", "true");
  navigator.geolocation.getCurrentPosition(
    (position) => {
      nearMe.removeAttribute("aria-busy");
      // The position is used for this one look-up and kept nowhere.
      showNear(position.coords.latitude, position.coords.longitude);
    },
    (problem) => {
      nearMe.removeAttribute("aria-busy");
      const words = problem.code === problem.PERMISSION_DENIED
        ? ["We are not allowed to see where you are.", "Type a town or postcode instead."]
        : ["We could not find where you are.", "Try again, or type a town or postcode."];
      setStatus(status, ...words);
      townInput.focus();
    },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
  );
}

// With no signal: the towns and postcodes of the saved list.
function placesFromList(list, typed) {
  const wanted = typed.toLowerCase().replace(/\s+/g, "");
  const matches = new Map();
  for (const venue of list.venues) {
    const town = venue.town.toLowerCase().replace(/\s+/g, "");
    const postcode = venue.postcode.toLowerCase().replace(/\s+/g, "");
    if (!town.startsWith(wanted) && !postcode.startsWith(wanted)) continue;
    const name = postcode.startsWith(wanted) ? venue.postcode : venue.town;
    const sums = matches.get(name) ?? { latitude: 0, longitude: 0, count: 0 };
    sums.latitude += venue.latitude;
    sums.longitude += venue.longitude;
    sums.count += 1;
    matches.set(name, sums);
  }
  return [...matches].slice(0, 5).map(([name, sums]) => ({
    name, area: "", match: "exact", latitude: sums.latitude / sums.count, longitude: sums.longitude / sums.count,
  }));
}

function placeLabel(place) {
  return place.area ? `${place.name}, ${place.area}` : place.name;
}

function offerChoices(question, places) {
  const buttons = places.map((place) =>
    h("button", { type: "button", class: "button button-secondary", on: { click: () => showNear(place.latitude, place.longitude, place.name) } },
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
  if (typed.length < 2) {
    setStatus(status, "Type the name of a town, or a postcode.");
    townInput.focus();
    return;
  }
  setStatus(status, "Looking for that place. Please wait.");
  let places;
  try {
    places = (await getJSON("/api/places", { params: { q: typed } })).places;
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      setStatus(status, error.message);
      return;
    }
    const list = await savedList();
    places = list ? placesFromList(list, typed) : null;
    if (!places) {
      setStatus(status, "You have no signal. We cannot look up places now.");
      return;
    }
  }
  setStatus(status);
  const exact = places.filter((place) => place.match === "exact");
  if (!places.length) {
    setStatus(status, "We cannot find that place.", "Check the spelling and try again.");
    townInput.focus();
  } else if (exact.length === 1) {
    showNear(exact[0].latitude, exact[0].longitude, exact[0].name);
  } else if (exact.length > 1) {
    offerChoices("Which place do you mean?", exact);
  } else if (places.length === 1) {
    offerChoices(`Did you mean ${places[0].name}?`, places);
  } else {
    offerChoices("Did you mean one of these?", places);
  }
}

addSpeakButtons(document.querySelector("main"));
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
