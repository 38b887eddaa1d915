// The list of every Safe Place, kept on the phone (Cache Storage) so "near me" works
// with no signal. Fetched in the background when the app opens, at most once an hour;
// the server answers "not changed" cheaply when it has not (ETag).
import { getJSON } from "./api.js";
import { savedOnWords } from "./opening.js";

const CACHE = "safe-places-saved";
const LIST_KEY = "/saved/venues.json";
// The centre of every GB postcode district (GET /api/places/districts: 25 KB gzipped),
// kept beside the list so a typed district ("CV34") is found with no signal.
const DISTRICTS_KEY = "/saved/districts.json";
// The scheme's area (GET /api/area: its outline, and the words for a place outside it),
// kept beside the list so "near me" can say "this app shows Safe Places in …" without
// asking the network at search time.
const AREA_KEY = "/saved/area.json";
const REFRESH_MS = 60 * 60 * 1000;
// The list is bigger than an answer about one place: allow it longer.
const LIST_TIMEOUT_MS = 30000;

async function readSaved(key) {
  if (!("caches" in window)) return null;
  const cache = await caches.open(CACHE);
  const response = await cache.match(key);
  return response ? response.json() : null;
}

async function writeSaved(key, value) {
  if (!("caches" in window)) return;
  const cache = await caches.open(CACHE);
  await cache.put(key, new Response(JSON.stringify(value), { headers: { "Content-Type": "application/json" } }));
}

// {…the list, saved_at: ms} or null when the phone has none.
export function savedList() {
  return readSaved(LIST_KEY).catch(() => null);
}

// How "near me" and "Text … where I am" ask the phone where it is, before looking in
// the list (or asking the server): a fresh, exact fix, but a minute-old one will do,
// and 20 seconds for a phone indoors to find itself.
export const POSITION_OPTIONS = { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 };

// The list on the phone, or, when it has none yet, the list fetched now; null with
// neither.
export async function listOnPhone() {
  return (await savedList()) ?? (await refreshSavedList());
}

export async function refreshSavedList({ force = false } = {}) {
  const saved = await savedList();
  if (!force && saved && Date.now() - saved.saved_at < REFRESH_MS) {
    if (!(await savedArea())) refreshArea(); // a phone that kept its list before the area
    return saved;
  }
  try {
    const list = await getJSON("/api/venues/offline", { timeoutMs: LIST_TIMEOUT_MS });
    const fresh = { ...list, saved_at: Date.now() };
    await writeSaved(LIST_KEY, fresh);
    // After the list, in the background: never part of the first view. The area
    // follows the venues, so it is asked again whenever the list is.
    refreshDistricts();
    refreshArea();
    document.dispatchEvent(new CustomEvent("safe-places:list-saved", { detail: fresh }));
    return fresh;
  } catch {
    return saved; // no signal: keep what we have
  }
}

async function refreshDistricts() {
  try {
    await writeSaved(DISTRICTS_KEY, await getJSON("/api/places/districts", { timeoutMs: LIST_TIMEOUT_MS }));
  } catch {
    // no signal: keep what we have
  }
}

// {attribution, districts: {"CV34": [latitude, longitude], …}} or null.
export function savedDistricts() {
  return readSaved(DISTRICTS_KEY).catch(() => null);
}

// The last area the server gave this page, for a phone that cannot keep it (storage
// full, or none): the fresh answer still serves until the page closes.
let areaHere = null;

async function refreshArea() {
  try {
    areaHere = await getJSON("/api/area");
  } catch {
    return; // no signal: keep what we have
  }
  await writeSaved(AREA_KEY, areaHere).catch(() => {});
}

// {outline, outside, …} as GET /api/area gives it, or null when the phone has never had
// it. Never asks the network.
export async function savedArea() {
  return areaHere ?? readSaved(AREA_KEY).catch(() => null);
}

// One venue's full page, kept once seen, for opening it again with no signal.
export function saveVenue(venue) {
  return writeSaved(`/saved/venue/${venue.id}`, { ...venue, saved_at: Date.now() }).catch(() => {});
}

export function savedVenue(id) {
  return readSaved(`/saved/venue/${id}`).catch(() => null);
}

// Fill every [data-saved-note] with "Saved on Tuesday 24 November at 4pm.".
export function showSavedNote(list, root = document) {
  if (!list) return;
  for (const note of root.querySelectorAll("[data-saved-note]")) {
    note.querySelector("[data-saved-words]").textContent =
      `${savedOnWords(list.saved_at)} The app can find Safe Places with no signal.`;
    note.hidden = false;
  }
}
