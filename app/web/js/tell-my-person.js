// "Text Mum where I am": a text message to the person on the help card, sent from the
// person's own phone. "I need help. I am near <a Safe Place, its street>. I am going
// to <the place to go, its address>. This map shows where I am: <link>". The phone's
// messages app sends it (an sms: link); where there is none (a tablet, a laptop), any
// app the person picks does (the Web Share API).
//
// Nothing of it reaches the server: not the contact, not their number, not the words,
// not even the position. The places come from the list of Safe Places kept on the
// phone (js/saved-list.js: GET /api/venues/offline, the same for everyone), worked out
// here as with no signal (js/distance.js), so the position never leaves the phone.
// Nothing is kept either: the words live on the page until it closes.
//
// Not here: the help card itself (js/help-card.js, js/card-store.js).
import { h, picture, setStatus } from "./dom.js";
import { nearestFromList } from "./distance.js";
import { dialable } from "./help-numbers.js";
import { listOnPhone, POSITION_OPTIONS } from "./saved-list.js";

// Close enough to a Safe Place to say "near" it by its name and street, in metres;
// further, the town. The map link says exactly where, either way.
const NEAR_M = 1000;

// One link for every phone. Android reads `body` from the query after "?"; iPhones
// (since iOS 8) read the words after "&body=". "?&body=" is both: Android sees an
// empty first field, then `body`. Guessing the phone from its user agent would fail
// where it matters (iPads say they are Macs; apps' own browsers say many things).
export function smsHref(number, message) {
  return `sms:${dialable(number)}?&body=${encodeURIComponent(message)}`;
}

// Google's universal link opens the Maps app on Android and iPhone, or the website;
// it is as js/places.js directionsUrl does for directions.
export function mapLink({ latitude, longitude }) {
  return `https://www.google.com/maps/search/?api=1&query=${latitude.toFixed(5)},${longitude.toFixed(5)}`;
}

function placeWords(venue) {
  return [venue.name, venue.address, venue.town].filter(Boolean).join(", ");
}

// The words of the text. `position` is {latitude, longitude} or null; `nearest` is the
// nearest Safe Place (a landmark the contact can find), `goingTo` the place to go.
export function messageFor({ position = null, nearest = null, goingTo = null } = {}) {
  const sentences = ["I need help."];
  if (nearest && nearest.distance_m <= NEAR_M) sentences.push(`I am near ${placeWords(nearest)}.`);
  else if (nearest && nearest.walking_minutes !== null) sentences.push(`I am near ${nearest.town}.`);
  // Too far to walk is no place to go.
  if (goingTo && goingTo.walking_minutes !== null) sentences.push(`I am going to ${placeWords(goingTo)}.`);
  sentences.push(position ? `This map shows where I am: ${mapLink(position)}` : "Please call or text me.");
  return sentences.join(" ");
}

function currentPosition() {
  return new Promise((resolve) => {
    if (!("geolocation" in navigator)) {
      resolve(null);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => resolve({ latitude: coords.latitude, longitude: coords.longitude }),
      () => resolve(null),
      POSITION_OPTIONS,
    );
  });
}

// The nearest Safe Place and the place to go, from the list on the phone (fetched now
// if the phone has none yet); nulls when there is no list at all.
export async function placesNear(position) {
  const list = await listOnPhone();
  if (!list) return { nearest: null, goingTo: null };
  const found = nearestFromList(list, position.latitude, position.longitude, Date.now());
  return { nearest: found.venues[0] ?? null, goingTo: found.nearestOpen };
}

function readyToSend(result, { who, number, message }) {
  const share = "share" in navigator
    ? h("button", { type: "button", class: "button button-secondary" }, picture("talk"),
      h("span", { text: "Send it another way" }))
    : null;
  share?.addEventListener("click", () => navigator.share({ text: message }).catch(() => {}));
  // The button first: the words are there to check, under it.
  result.replaceChildren(...[
    h("a", { class: "button button-primary", href: smsHref(number, message) }, picture("talk"),
      h("span", { text: `Send the text to ${who}` })),
    share,
    h("p", { text: `Your text to ${who} says:` }),
    h("p", { class: "say", text: message }),
    h("p", { text: "The text goes from your phone. We never see it." }),
  ].filter(Boolean));
  result.hidden = false;
  result.focus({ preventScroll: true });
  result.scrollIntoView({ block: "start" });
}

// The button, its wait message and the text it makes, for a card with a phone number;
// null for a card without one.
export function tellMyPerson(card) {
  if (!card?.number) return null;
  const who = card.contact || card.number;
  const status = h("div", { class: "status", role: "status", "aria-live": "polite" });
  const result = h("div", { tabindex: "-1", hidden: true });
  const button = h("button", { type: "button", class: "button button-primary" }, picture("talk"),
    h("span", { text: `Text ${who} where I am` }));
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    result.hidden = true;
    setStatus(status, "Finding where you are. Please wait.");
    status.scrollIntoView({ block: "nearest" });
    const position = await currentPosition();
    const places = position ? await placesNear(position) : {};
    button.removeAttribute("aria-busy");
    setStatus(status, ...(position ? [] : ["We could not find where you are.", "The text does not say where you are."]));
    readyToSend(result, { who, number: card.number, message: messageFor({ position, ...places }) });
  });
  return h("div", {}, button, status, result);
}
