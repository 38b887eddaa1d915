// Import and export (/staff/files, officers). Import: choose a file, see what it would
// change (a dry run, or every problem by line), then import it. Export: three downloads,
// fetched with the sign-in token and saved from memory.
import { h } from "./dom.js";
import { ApiError, call } from "./staff-api.js";
import { act, clearFieldErrors, clearProblem, fieldError, say, showProblem, startPage } from "./staff-page.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const fileInput = document.getElementById("venue-file");
const result = document.getElementById("check-result");
const words = document.getElementById("check-words");
const importButton = document.getElementById("import-file");
let checkedFile = null;

function send(file, dryRun) {
  return call("/api/venues/import", {
    method: "POST", params: { dry_run: dryRun }, body: file, contentType: "text/csv", timeoutMs: 120000,
  });
}

function counts({ added, updated, unchanged }) {
  return h("ul", { class: "counts" },
    h("li", { text: `${added} new ${added === 1 ? "venue" : "venues"}` }),
    h("li", { text: `${updated} changed ${updated === 1 ? "venue" : "venues"}` }),
    h("li", { text: `${unchanged} unchanged` }));
}

function showProblems(error) {
  const rows = (Array.isArray(error.detail) ? error.detail : []).filter((row) => row.line);
  words.replaceChildren(
    h("p", { text: "Nothing can be imported until these are put right in the file:" }),
    rows.length
      ? h("ul", {}, rows.map((row) => h("li", { text: `Line ${row.line}: ${row.message}` })))
      : h("p", { text: error.message }),
    h("p", { text: "Put them right, save the file, then choose it again." }));
}

function reset() {
  checkedFile = null;
  importButton.hidden = true;
  result.hidden = true;
  words.replaceChildren();
}

fileInput.addEventListener("change", () => {
  clearFieldErrors(document.getElementById("import-form"));
  reset();
});

document.getElementById("import-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem(problem);
  clearFieldErrors(event.currentTarget);
  reset();
  const file = fileInput.files[0];
  if (!file) {
    fieldError(fileInput, "Choose a venue file first.");
    showProblem(problem, "Choose a venue file first.", { links: [{ id: fileInput.id, words: "Choose a venue file" }] });
    return;
  }
  say(status, "Checking the file.");
  await act(document.getElementById("check-file"), problem, async () => {
    try {
      // The bytes checked are the bytes imported, even if the file changes on disk.
      const bytes = await file.arrayBuffer();
      const { data } = await send(bytes, true);
      checkedFile = bytes;
      words.replaceChildren(h("p", { text: "The file is fine. Importing it would make:" }), counts(data),
        h("p", { text: data.added || data.updated ? "Nothing is changed yet." : "Importing it would change nothing." }));
      importButton.hidden = !(data.added || data.updated);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 422)) throw error;
      showProblems(error);
    } finally {
      say(status);
    }
    result.hidden = false;
    result.focus();
  });
});

importButton.addEventListener("click", async () => {
  clearProblem(problem);
  if (!checkedFile) return;
  await act(importButton, problem, async () => {
    try {
      const { data } = await send(checkedFile, false);
      words.replaceChildren(h("p", { text: "The file is imported. It made:" }), counts(data));
      importButton.hidden = true;
      checkedFile = null;
      fileInput.value = "";
      say(status, "The file is imported.");
      result.focus();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 422)) throw error;
      showProblems(error); // the venues changed since the check
      importButton.hidden = true;
      result.focus();
    }
  });
});

function filename(response, format) {
  const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "");
  return match ? match[1] : `safe-places.${format === "csv" ? "csv" : "json"}`;
}

async function download(event) {
  const control = event.currentTarget;
  const format = control.dataset.format;
  clearProblem(problem);
  await act(control, problem, async () => {
    const { response } = await call("/api/venues/export", { params: { format }, raw: true, timeoutMs: 120000 });
    const blob = await response.blob();
    const link = h("a", { href: URL.createObjectURL(blob), download: filename(response, format), hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    say(status, `The file ${link.download} is downloaded.`);
  });
}

for (const control of document.querySelectorAll("[data-format]")) control.addEventListener("click", download);

async function load() {
  if (!(await startPage({ officersOnly: true }))) return;
  document.getElementById("files-page").hidden = false;
}

load();
