// One Safe Place, in easy read: /venues/{id}, which works when opened directly.
// Online from GET /api/venues/{id}; with no signal, from the copy kept when it was
// last seen, or else from the saved list (fewer details, said plainly).
import { ApiError, getJSON } from "./api.js";
import { buttonLink, h, idea, paragraphs, picture, setStatus } from "./dom.js";
import { telHref } from "./help-numbers.js";
import { dateWords, dayAndMonth, openingFromSpans, savedOnWords } from "./opening.js";
import { directionsUrl, notice, openingPicture, openingWords, photoUrl, sampleNotice } from "./places.js";
import { listOnPhone, savedList, savedVenue, saveVenue } from "./saved-list.js";
import { addSpeakButtons } from "./speak.js";

const status = document.getElementById("status");
const article = document.getElementById("venue");
const venueId = decodeURIComponent(location.pathname.split("/")[2] ?? "");

// A picture for each step of "when you get there", by what it talks about.
function stepPicture(step) {
  const words = step.toLowerCase();
  if (words.includes("sticker")) return "sticker";
  if (words.includes("card")) return "help-card";
  if (words.includes("sit")) return "chair";
  if (words.includes("call") || words.includes("phone")) return "phone";
  if (words.includes("tell") || words.includes("say")) return "say";
  if (words.includes("inside") || words.includes("staff")) return "staff";
  return "checked";
}

function accessSentences({ step_free, accessible_toilet, quiet_space }) {
  const said = [
    step_free === true && "There are no steps at the way in.",
    step_free === false && "There are steps at the way in.",
    accessible_toilet === true && "There is an accessible toilet.",
    accessible_toilet === false && "There is no accessible toilet.",
    quiet_space === true && "There is a quiet place to sit.",
    quiet_space === false && "There is no quiet place to sit.",
  ].filter(Boolean);
  return said.length ? said : ["We do not know about steps, toilets or quiet places yet."];
}

// What the person came for comes first: is it open, and the way there. A closed place
// offers the way to one that is open. The photo, and notices, come after.
function openAndWayThere(venue) {
  const closed = venue.open_now === false;
  return [
    idea(openingPicture(venue), h("h2", { text: "Is it open now?" }), ...paragraphs(openingWords(venue))),
    h("div", { class: "actions" },
      closed ? buttonLink("/#near", "Find a place that is open now", "pin", "button-primary") : null,
      buttonLink(directionsUrl(venue), "Get directions", "map", closed ? "button-secondary" : "button-primary button-big"),
      venue.phone ? buttonLink(telHref(venue.phone), `Call ${venue.phone}`, "phone", "button-secondary") : null),
  ];
}

function blocks(venue) {
  const parts = openAndWayThere(venue);
  parts.push(h("p", { class: "venue-kind", text: `${venue.kind} in ${venue.town}` }));
  if (venue.savedAt) {
    parts.push(notice("signal", "You have no signal, or it is weak.",
      `${venue.fromList ? "We used the list" : "This page was"} ${savedOnWords(venue.savedAt).replace("Saved", "saved")}`));
  }
  const photo = photoUrl(venue.photo);
  if (photo) {
    const image = h("img", { src: photo, alt: `The way in to ${venue.name}.`, width: 640, height: 360 });
    image.addEventListener("error", () => image.parentElement.remove(), { once: true });
    parts.push(h("figure", { class: "entrance" }, image));
  }
  if (venue.sample) parts.push(sampleNotice());
  parts.push(idea("pin", h("h2", { text: "Where it is" }),
    h("p", {}, venue.address, h("br"), venue.town, h("br"), venue.postcode)));
  if (venue.easy_read_sentences?.length) {
    parts.push(idea("info", h("h2", { text: "About this place" }), ...paragraphs(...venue.easy_read_sentences)));
  }
  if (venue.when_you_arrive?.length) {
    parts.push(idea("door", h("h2", { text: "When you get there" }),
      h("ol", { class: "steps" }, venue.when_you_arrive.map((step) =>
        h("li", {}, picture(stepPicture(step)), h("span", { text: step }))))));
  }
  if (venue.opening_week !== undefined) {
    parts.push(idea("calendar", h("h2", { text: "Opening times" }), venue.opening_week
      ? h("table", { class: "week" }, h("tbody", {}, venue.opening_week.map((day) =>
        // Each day with its date, so a closed bank holiday reads as one, not as a mistake.
        h("tr", {}, h("th", { scope: "row" }, h("span", { text: day.day }),
          day.date ? h("span", { class: "date", text: ` ${dayAndMonth(day.date)}` }) : null),
          h("td", {}, day.holiday ? h("span", { class: "holiday", text: `${day.holiday}, a bank holiday.` }) : null,
            h("span", { text: day.hours }))))))
      : h("p", { text: "We do not know the opening times." })));
  }
  if (venue.accessibility) {
    parts.push(idea("wheelchair", h("h2", { text: "Getting in" }), ...paragraphs(...accessSentences(venue.accessibility))));
  }
  if (venue.last_checked !== undefined) {
    // A tick only when someone has checked: otherwise a question mark, not a false promise.
    parts.push(idea(venue.last_checked ? "checked" : "question", h("h2", { text: "Last checked" }), ...paragraphs(venue.last_checked
      ? `We checked this page on ${dateWords(venue.last_checked)}.`
      : "We have not checked this page yet.")));
  } else {
    parts.push(idea("signal", ...paragraphs("Some details need signal.", "Open this page again when you have signal.")));
  }
  return parts;
}

function show(venue) {
  document.title = `${venue.name} - Safe Places`;
  document.getElementById("venue-name").textContent = venue.name;
  document.getElementById("venue-body").replaceChildren(...blocks(venue));
  addSpeakButtons(article);
  setStatus(status);
  article.hidden = false;
  offerProblemReport();
}

// "Something is wrong with this place": its form's script is fetched only when opened.
function offerProblemReport() {
  const part = document.getElementById("report-problem");
  if (!part.hidden) return;
  part.hidden = false;
  part.addEventListener("toggle", async () => {
    if (!part.open || part.dataset.started) return;
    part.dataset.started = "yes";
    try {
      const { startProblemReport } = await import("./venue-problem.js");
      startProblemReport(document.getElementById("report-problem-body"), venueId);
    } catch {
      delete part.dataset.started;
      setStatus(document.getElementById("report-problem-body"), "You have no signal. Open this again when you have signal.");
    }
  });
}

// With no signal: the page kept when it was last seen, or the saved list's entry. Open
// now is worked out again from the list's times, so a kept page never says "Open now"
// because it was open when it was kept.
async function fromThePhone() {
  const kept = await savedVenue(venueId);
  const list = kept ? await savedList() : await listOnPhone();
  const listed = list?.venues.find((venue) => String(venue.id) === venueId);
  const opening = listed ? openingFromSpans(listed, Date.now(), list) : null;
  if (kept) return { ...kept, ...(opening ?? { open_now: null, opening_status: null }), savedAt: kept.saved_at };
  if (!listed) return null;
  return { ...listed, ...opening, when_you_arrive: list.when_you_arrive, savedAt: list.saved_at, fromList: true };
}

async function load() {
  try {
    const venue = await getJSON(`/api/venues/${encodeURIComponent(venueId)}`);
    show(venue);
    saveVenue(venue);
    return;
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      setStatus(status, "We cannot find this Safe Place.", "It may not be a Safe Place any more.");
      return;
    }
  }
  const kept = await fromThePhone();
  if (kept) show(kept);
  else setStatus(status, "You have no signal. We cannot show this Safe Place now.");
}

load();
