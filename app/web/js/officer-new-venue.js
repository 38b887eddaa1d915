// Add a Safe Place (/staff/new-venue, officers): the venue form, sent to POST /api/venues.
// Afterwards the new venue's own page, where a photo can be added.
import { ApiError, call, keepDraft, onSignInEnded, takeDraft } from "./staff-api.js";
import { act, clearFieldErrors, clearProblem, say, startPage } from "./staff-page.js";
import { VenueForm } from "./staff-venue-form.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const formElement = document.getElementById("venue-form");
let form = null;

onSignInEnded(() => {
  if (!form) return false;
  keepDraft("new-venue", form.snapshot());
  return true;
});

formElement.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem(problem);
  clearFieldErrors(formElement);
  if (!form.checkHours(problem)) return;
  say(status, "Adding the Safe Place.");
  await act(document.getElementById("add"), problem, async () => {
    try {
      const { data } = await call("/api/venues", { method: "POST", json: form.filled() });
      location.assign(`/staff/edit?id=${data.id}&added=1`);
    } catch (error) {
      say(status);
      if (error instanceof ApiError && [409, 422].includes(error.status)) form.showApiProblem(problem, error, formElement);
      else throw error;
    }
  });
});

async function load() {
  const me = await startPage({ officersOnly: true });
  if (!me) return;
  form = new VenueForm(document.getElementById("form-fields"), { editable: me.editable_fields });
  const draft = takeDraft("new-venue");
  if (draft) {
    form.restore(draft);
    say(status, "We put back what you typed. It is not saved yet.");
  }
  formElement.hidden = false;
}

load();
