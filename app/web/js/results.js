// The results list: the nearest open Safe Place at the top, then the rest, nearest first.
// If nothing open is within a short walk (NEARBY_MINUTES), we say so and offer 101.
import { NEARBY_MINUTES } from "./constants.js";
import { h, buttonLink, picture } from "./dom.js";
import { fillHelpLinks, savedContacts } from "./help-numbers.js";
import { telHref } from "./help-numbers.js";
import {
  directionsUrl, line, openingPicture, openingWords, openWhenYouArrive, placePicture, sampleNotice, walkWords,
} from "./places.js";
import { savedOnWords } from "./opening.js";

function placeCard(venue, best = false) {
  return h("li", { class: best ? "place place-best" : "place" },
    best ? h("p", { class: "place-best-label", text: "Nearest open Safe Place" }) : null,
    h("a", { class: "place-link", href: `/venues/${venue.id}` },
      placePicture(venue, "place-pic"),
      h("span", {},
        h("span", { class: "place-name", text: venue.name }),
        line("walk", walkWords(venue)),
        line(openingPicture(venue), openingWords(venue)),
        venue.open_now === true && !openWhenYouArrive(venue)
          ? line("warning", "It may close before you get there.") : null)),
    best ? h("div", { class: "place-actions" },
      buttonLink(directionsUrl(venue), "Get directions", "map", "button-primary"),
      venue.phone ? buttonLink(telHref(venue.phone), `Call ${venue.name}`, "phone") : null) : null);
}

function nothingOpenNearby() {
  const box = h("div", { class: "notice notice-strong" }, picture("closed", 48),
    h("div", {},
      h("p", { text: `No Safe Place is open within a ${NEARBY_MINUTES} minute walk.` }),
      h("p", { text: "You can call the police on 101 for help." }),
      h("a", { class: "button button-primary button-big", href: "tel:101", "data-help": "1" },
        picture("police-officer", 48), h("span", {}, "Call ", h("span", { "data-help-number": "", text: "101" }))),
      h("p", { text: "If you are in danger now, call 999." })));
  fillHelpLinks(savedContacts(), box);
  return box;
}

// `found`: {venues, nearestOpen}. `where`: words for the heading, or null for "you".
export function renderResults(section, found, { where = null, savedAt = null } = {}) {
  const { venues, nearestOpen } = found;
  const heading = section.querySelector("h2");
  heading.textContent = where ? `Safe Places near ${where}` : "Safe Places near you";
  const body = section.querySelector("#results-body");
  const parts = [];
  if (savedAt) {
    parts.push(h("p", { class: "notice" }, picture("signal", 48), h("span", {},
      h("span", { text: "You have no signal, or it is weak. " }),
      h("span", { text: `We used the list ${savedOnWords(savedAt).replace("Saved", "saved")}` }))));
  }
  if (venues.some((venue) => venue.sample) || nearestOpen?.sample) parts.push(sampleNotice());
  if (!venues.length) {
    parts.push(h("p", { text: "We could not find any Safe Places." }));
  } else {
    if (!nearestOpen?.nearby) parts.push(nothingOpenNearby());
    const rest = venues.filter((venue) => venue.id !== nearestOpen?.id);
    parts.push(h("ol", { class: "places" },
      // Too far to walk is not "the place to go": then it is one of the list.
      nearestOpen?.nearby ? placeCard(nearestOpen, true) : null,
      (nearestOpen?.nearby ? rest : venues).map((venue) => placeCard(venue))));
  }
  body.replaceChildren(...parts);
  section.hidden = false;
  heading.focus();
}
