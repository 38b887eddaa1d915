// How a place is shown in words and pictures, on the results list and the venue page.
import { h, picture } from "./dom.js";
import { readable } from "./speak.js";

const CATEGORY_PICTURES = {
  library: "library", shop: "shop", cafe: "cafe", pharmacy: "pharmacy",
  community_centre: "community-centre", leisure_centre: "leisure-centre",
  council_office: "council-office", bank: "bank", church: "church", other: "house",
};

export function categoryPicture(category) {
  return CATEGORY_PICTURES[category] ?? "house";
}

// Only our own paths or https: a photo link never runs anything.
export function photoUrl(photo) {
  return photo && (/^\/[^/\\]/.test(photo) || /^https:\/\//i.test(photo)) ? photo : null;
}

// The venue's photo if it has one, else its category's picture (also if the photo fails).
export function placePicture(venue, className, alt = "") {
  const fallback = `/icons/${categoryPicture(venue.category)}.svg`;
  const image = h("img", { src: photoUrl(venue.photo) ?? fallback, alt, class: className, width: 72, height: 72 });
  image.addEventListener("error", () => {
    if (!image.src.endsWith(fallback)) {
      image.src = fallback;
      image.alt = "";
    }
  }, { once: true });
  return image;
}

// "5 minutes walk, north", "It is right here.", "It is 12 km away. That is too far to walk."
// `rough`: measured from the middle of an area, not from the person: no direction.
export function walkWords(venue) {
  const minutes = venue.walking_minutes;
  if (venue.rough) {
    return minutes === null || minutes === undefined
      ? `About ${Math.round(venue.distance_m / 1000)} km from the middle of the area.`
      : `About ${minutes} ${minutes === 1 ? "minute" : "minutes"} walk from the middle of the area.`;
  }
  if (venue.direction === "here") return "It is right here.";
  if (minutes === null || minutes === undefined) {
    return `It is ${Math.round(venue.distance_m / 1000)} km away. That is too far to walk.`;
  }
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"} walk, ${venue.direction}`;
}

export function openingWords(venue) {
  return venue.opening_status ?? "We do not know if it is open now. Phone first.";
}

export function openingPicture(venue) {
  if (venue.open_now === true) return "open";
  if (venue.open_now === false) return "closed";
  return "clock";
}

// A link that opens the phone's map app with walking directions. Google's "universal"
// link opens the Maps app on Android and iPhone (or the website without it); geo: links
// do nothing on iPhones. Only the place is sent, never where the person is.
export function directionsUrl(venue) {
  const destination = `${venue.latitude},${venue.longitude}`;
  return `https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(destination)}&travelmode=walking`;
}

// A box to notice: a picture, its sentences (or elements), and "Read this to me".
export function notice(pictureName, ...words) {
  const said = h("div", { class: "notice-words" },
    words.map((word) => (typeof word === "string" ? h("p", { text: word }) : word)));
  return readable(h("div", { class: "notice" }, picture(pictureName, 48), said), said);
}

export function sampleNotice() {
  return notice("warning", "These places are examples for testing. They are not real Safe Places.");
}

export function line(pictureName, words) {
  return h("span", { class: "place-line" }, picture(pictureName, 32), h("span", { text: words }));
}

// The walk there and a few minutes inside: a place that closes sooner is no help.
const ARRIVAL_MARGIN_MINUTES = 10;

// Open now, and still open when you get there on foot (or open with no closing time known).
export function openWhenYouArrive(venue, nowMs = Date.now()) {
  if (venue.open_now !== true) return false;
  if (!venue.closes_at) return true;
  const walk = venue.walking_minutes ?? 0;
  return Date.parse(venue.closes_at) - nowMs >= (walk + ARRIVAL_MARGIN_MINUTES) * 60000;
}

// Of places nearest first, the one to go to: open when you arrive, else just open now.
export function bestOpen(venues, nowMs = Date.now()) {
  return venues.find((venue) => openWhenYouArrive(venue, nowMs))
    ?? venues.find((venue) => venue.open_now === true) ?? null;
}
