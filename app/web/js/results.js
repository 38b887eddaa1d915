// The results, answer first: the place to go on top, then the other places by whether
// they are open ("Also open now", "Opening times not known", "Closed now"), nearest
// first. The place to go is the nearest place open now that is still open when the
// person gets there (js/places.js bestOpen). When it is more than a short walk away
// (`nearby`, from the server or js/distance.js), its card says how far, with 999 and
// 101 beside it; when nothing is open, a box says so. Then, in both cases, help for
// people who cannot hear or speak on the phone. Every card and box can be read aloud.
// The answer is brought into view and focused.
//
// Not here: finding the places (js/home.js asks the server, or uses the saved list).
import { h, buttonLink, picture } from "./dom.js";
import { callLink, savedContacts, savedNoVoiceContacts, telHref } from "./help-numbers.js";
import { noVoiceHelp } from "./no-voice.js";
import {
  directionsUrl, line, notice, openingPicture, openingWords, openWhenYouArrive, placePicture, sampleNotice, walkWords,
} from "./places.js";
import { savedOnWords } from "./opening.js";
import { addSpeakButtons, readable } from "./speak.js";

function placeLink(venue) {
  return h("a", { class: "place-link", href: `/venues/${venue.id}` },
    placePicture(venue, "place-pic"),
    h("span", {},
      h("span", { class: "place-name", text: venue.name }),
      line("walk", walkWords(venue)),
      line(openingPicture(venue), openingWords(venue)),
      venue.open_now === true && !openWhenYouArrive(venue)
        ? line("warning", "It may close before you get there.") : null));
}

function placeCard(venue) {
  return readable(h("li", { class: "place" }, placeLink(venue)));
}

// What to do instead: 999 in danger, 101 for help, the council's numbers.
function helpNowWords() {
  const [emergency, police] = savedContacts();
  return [
    h("p", { text: `If you are in danger now, call ${emergency.number}.` }),
    h("p", { text: `You can call the police on ${police.number} for help.` }),
  ];
}

// 999 and 101 side by side, in the call bar's order, so the same button is in the same
// place; marked like the call bar's, for js/help-numbers.js fillHelpLinks.
function helpNowCalls() {
  return h("div", { class: "help-now-calls" },
    callLink(0, "emergency", "police-light"),
    callLink(1, "police", "police-officer"));
}

function howFar(venue) {
  return venue.walking_minutes === null || venue.walking_minutes === undefined
    ? `${Math.round(venue.distance_m / 1000)} km away`
    : `${venue.walking_minutes} minutes walk`;
}

// The top card. Near: "Nearest open Safe Place", with directions and its phone.
// Further than a short walk: how far, and 999 and 101 beside it.
function placeToGo(venue, { nearerOpen }) {
  const near = venue.nearby === true;
  // Past a nearer place that closes before you could get there, it is not "the nearest open".
  const label = near ? "Nearest open Safe Place"
    : `The nearest ${nearerOpen ? "place still open when you get there" : "open Safe Place"} is ${howFar(venue)}.`;
  return readable(h("div", { class: near ? "place place-best" : "place place-best place-far", id: "place-to-go" },
    h("p", { class: "place-best-label", text: label }),
    placeLink(venue),
    h("div", { class: "place-actions" },
      buttonLink(directionsUrl(venue), "Get directions", "map", "button-primary"),
      venue.phone ? buttonLink(telHref(venue.phone), `Call ${venue.name}`, "phone") : null),
    near ? null : h("div", { class: "help-now" }, helpNowWords(), helpNowCalls())));
}

// The calls take the box's whole width: beside the picture they would not fit a phone.
// "No Safe Place is open now" only when each place listed is known to be closed: with
// places whose hours are not known (or a saved list too old to know any), it says so.
function nothingOpen(venues, tooOld) {
  const unknown = tooOld || venues.some((venue) => venue.open_now !== false);
  const words = tooOld ? ["The saved list is too old to know which places are open now.", "Phone first."]
    : unknown ? ["We do not know of a Safe Place that is open now.", "Phone first."]
      : ["No Safe Place is open now."];
  return readable(h("div", { class: "notice notice-strong nothing-open" }, picture(unknown ? "clock" : "closed", 48),
    h("div", { class: "notice-words" },
      ...words.map((text) => h("p", { class: "nothing-open-words", text })), helpNowWords()),
    helpNowCalls()));
}

function group(title, venues) {
  if (!venues.length) return [];
  return [h("h3", { text: title }), h("ol", { class: "places" }, venues.map(placeCard))];
}

// `found`: {venues, nearestOpen}, as the server (or the saved list) gives them.
// `where`: words for the heading, or null for "you". `areaWords`: sentences saying the
// place is outside the scheme's area, or null.
// `roughly`: the postcode typed when, with no signal, only its district could be found:
// distances are from the district's middle, so no directions are given.
export function renderResults(section, found, { where = null, savedAt = null, areaWords = null, roughly = null } = {}) {
  const { tooOld = false } = found;
  const asFound = (venue) => (roughly && venue ? { ...venue, direction: null, rough: true } : venue);
  const venues = found.venues.map(asFound);
  const nearestOpen = asFound(found.nearestOpen);
  const heading = section.querySelector("h2");
  heading.textContent = where ? `Safe Places near ${where}` : "Safe Places near you";
  const parts = [];
  // Far from every Safe Place: js/home.js says so, with the scheme's area.
  if (areaWords?.length) parts.push(notice("map", ...areaWords));
  if (!venues.length && !nearestOpen) {
    parts.push(h("p", { text: "We could not find any Safe Places." }));
  } else {
    const rest = venues.filter((venue) => venue.id !== nearestOpen?.id);
    const nearerOpen = rest.some((venue) => venue.open_now === true && venue.distance_m < nearestOpen?.distance_m);
    parts.push(nearestOpen ? placeToGo(nearestOpen, { nearerOpen }) : nothingOpen(venues, tooOld));
    if (savedAt) parts.push(notice("signal", "You have no signal, or it is weak.", `We used the list ${savedOnWords(savedAt).replace("Saved", "saved")}`));
    if (roughly) {
      parts.push(notice("map", `With no signal we can find the area ${where}, but not ${roughly}.`,
        `The walks are from the middle of ${where}, not from you.`));
    }
    // Not a short walk: 999 and 101 are on the card or in the box; after them, help
    // for someone who cannot hear or speak on the phone (js/no-voice.js).
    if (!nearestOpen?.nearby) parts.push(noVoiceHelp(savedNoVoiceContacts(), 3));
    if (venues.some((venue) => venue.sample) || nearestOpen?.sample) parts.push(sampleNotice());
    parts.push(
      ...group("Also open now", rest.filter((venue) => venue.open_now === true)),
      ...group("Opening times not known", rest.filter((venue) => venue.open_now !== true && venue.open_now !== false)),
      ...group("Closed now", rest.filter((venue) => venue.open_now === false)));
  }
  const body = section.querySelector("#results-body");
  body.replaceChildren(...parts);
  addSpeakButtons(body);
  section.hidden = false;
  showAnswer(section, heading);
}

// The answer in view, at the top of the screen below the call bar (html's
// scroll-padding-top), and focused, so a screen reader reads it next.
function showAnswer(section, heading) {
  heading.focus({ preventScroll: true });
  section.scrollIntoView({ block: "start", behavior: "instant" });
}
