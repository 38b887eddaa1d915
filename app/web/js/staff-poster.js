// The window poster (/staff/poster?venue=ID), for the venue's staff and officers: the
// venue's name, "If you feel unsafe, come in and ask us for help.", the Safe Places
// picture and a QR code to its public page (drawn by the server: /api/venues/ID/qr.svg).
// Who may print it is who may change the venue: the listing answers 403 to anyone else.
import { call } from "./staff-api.js";
import { problemWords, say, showProblem, startPage } from "./staff-page.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");

function venueId() {
  const id = new URLSearchParams(location.search).get("venue") ?? "";
  return /^\d{1,10}$/.test(id) ? id : null;
}

// Resolves when the picture has loaded, so the poster never prints without its code.
function loaded(image, src) {
  return new Promise((resolve, reject) => {
    image.addEventListener("load", resolve, { once: true });
    image.addEventListener("error", () => reject(new Error("The QR code did not load. Please try again.")), { once: true });
    image.src = src;
  });
}

async function load() {
  const me = await startPage();
  if (!me) return;
  const id = venueId();
  if (!id) {
    say(status);
    showProblem(problem, "Choose a Safe Place first. Open it from the Venues page.");
    return;
  }
  try {
    const { data: venue } = await call(`/api/venues/${id}/listing`);
    if (!venue.active) {
      say(status);
      showProblem(problem, `${venue.name} is withdrawn. People cannot find it, so it needs no poster.`);
      return;
    }
    document.getElementById("poster-name").textContent = venue.name;
    document.title = `Window poster for ${venue.name} - Safe Places`;
    const address = new URL(`/venues/${id}`, location.origin);
    document.getElementById("poster-address").textContent = address.host + address.pathname;
    await loaded(document.getElementById("poster-qr"), `/api/venues/${id}/qr.svg`);
  } catch (error) {
    say(status);
    showProblem(problem, problemWords(error));
    return;
  }
  say(status);
  document.getElementById("poster-tools").hidden = false;
  document.getElementById("poster").hidden = false;
}

document.getElementById("print").addEventListener("click", () => window.print());

load();
