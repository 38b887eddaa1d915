// Accounts (/staff/accounts, officers): everyone who can sign in; add an account with
// its venues, disable or enable it, change its venues, give it a new password. A new
// password is shown once, here, and kept nowhere. A change sends the account's ETag (If-Match),
// so it never undoes a change another officer made since this page read the list.
import { h, picture } from "./dom.js";
import { ApiError, call } from "./staff-api.js";
import {
  act, button, clearFieldErrors, clearProblem, fieldError, fieldMessage, oneTimePassword, say, showProblem,
  startPage,
} from "./staff-page.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const passwordBox = document.getElementById("password-once");
const list = document.getElementById("accounts");
const addForm = document.getElementById("add-form");
let me = null;
let accounts = [];
let venues = new Map(); // id -> venue
let byRef = new Map(); // ref (upper case) -> venue

function venueWords(ids) {
  return ids.map((id) => venues.get(id)).filter(Boolean).map((venue) => `${venue.name} (${venue.ref})`);
}

// "SAMPLE-0001, sample-0002" -> the venues' ids, or the refs that name no venue.
function readRefs(text) {
  const refs = text.split(/[\s,;]+/).filter(Boolean);
  const unknown = refs.filter((ref) => !byRef.has(ref.toUpperCase()));
  const ids = [...new Set(refs.filter((ref) => byRef.has(ref.toUpperCase())).map((ref) => byRef.get(ref.toUpperCase()).id))];
  return { ids, unknown };
}

function refsOf(ids) {
  return ids.map((id) => venues.get(id)?.ref).filter(Boolean).join(", ");
}

// Under a refs box, the names of the venues it names, so a typo shows at once.
function watchRefs(input, names) {
  const show = () => {
    const { ids, unknown } = readRefs(input.value);
    names.replaceChildren(...[
      ids.length && h("p", { text: `That is: ${venueWords(ids).join(", ")}.` }),
      unknown.length && h("p", { text: `No venue has the ref ${unknown.join(", ")}.` }),
    ].filter(Boolean));
  };
  input.addEventListener("input", show);
  show();
}

function showPassword(sentence, account, password) {
  passwordBox.replaceChildren(
    h("h2", { text: "The password, shown once" }),
    h("p", { text: sentence }),
    ...oneTimePassword(password),
    h("p", { text: `Give it to ${account.email} yourself. We will not show it again.` }),
    h("p", { text: "They choose their own password when they sign in." }),
    button("I have given it to them. Hide it.", "checked", "button-secondary", { id: "hide-password", on: { click: () => {
      passwordBox.replaceChildren();
      passwordBox.hidden = true;
      document.getElementById("heading").focus();
    } } }));
  passwordBox.hidden = false;
  passwordBox.focus();
}

function accountFacts(account) {
  const facts = [
    account.role === "officer" ? "Council officer. Can change every venue." : "Staff at a Safe Place.",
    account.active ? null : "Disabled: cannot sign in.",
    account.must_change_password ? "Has not chosen their own password yet." : null,
  ];
  if (account.role === "staff") {
    const looked = venueWords(account.venue_ids);
    facts.push(looked.length ? `Looks after: ${looked.join(", ")}.` : "Looks after no venue yet.");
  }
  return facts.filter(Boolean).map((sentence) => h("p", { text: sentence }));
}

function card(account) {
  const self = account.id === me.id;
  const label = (words) => [h("span", { text: words }), h("span", { class: "visually-hidden", text: ` for ${account.email}` })];
  const item = h("li", { class: `card${account.active ? "" : " card-withdrawn"}`, id: `account-${account.id}` },
    h("h3", { text: account.email }),
    ...accountFacts(account),
    self ? h("p", { text: "This is you." }) : null,
    self ? null : h("button", { type: "button", class: "button button-secondary", on: { click: (event) => setActive(event, account) } },
      picture(account.active ? "closed" : "open"), ...label(account.active ? "Disable" : "Enable")),
    account.role === "staff" ? h("button", { type: "button", class: "button button-secondary", "aria-expanded": "false",
      on: { click: (event) => openRelink(event, account, item) } }, picture("staff"), ...label("Change their venues")) : null,
    self ? null : h("button", { type: "button", class: "button button-secondary", on: { click: (event) => resetPassword(event, account) } },
      picture("key"), ...label("Give a new password")));
  return item;
}

function show() {
  list.replaceChildren(...accounts.map(card));
}

function replaced(account) {
  accounts = accounts.map((old) => (old.id === account.id ? account : old));
  show();
  document.querySelector(`#account-${account.id} h3`)?.setAttribute("tabindex", "-1");
}

async function setActive(event, account) {
  clearProblem(problem);
  const active = !account.active;
  await act(event.currentTarget, problem, async () => {
    const { data } = await call(`/api/accounts/${account.id}`, { method: "PATCH", json: { active }, etag: account.etag });
    replaced(data);
    say(status, active ? `${data.email} can sign in again.` : `${data.email} is disabled. Their sign-in has ended.`);
    status.focus();
  });
}

function openRelink(event, account, item) {
  const opener = event.currentTarget;
  if (item.querySelector(".inline-form")) return;
  opener.setAttribute("aria-expanded", "true");
  const id = `refs-${account.id}`;
  const input = h("input", { id, type: "text", autocomplete: "off", spellcheck: "false", maxlength: 2000,
    value: refsOf(account.venue_ids), "aria-describedby": `${id}-hint ${id}-names` });
  const names = h("div", { id: `${id}-names`, class: "refs-names", "aria-live": "polite" });
  const form = h("form", { class: "inline-form staff-form", method: "dialog", novalidate: true },
    h("label", { for: id, text: `The venues ${account.email} looks after` }),
    h("p", { class: "hint", id: `${id}-hint`, text: "Refs with a comma between them. Leave it empty for none." }),
    input, names,
    h("button", { type: "submit", class: "button button-primary" }, picture("checked"), h("span", { text: "Save their venues" })));
  form.addEventListener("submit", (submitted) => relink(submitted, account, input));
  opener.after(form);
  watchRefs(input, names);
  input.focus();
}

async function relink(event, account, input) {
  event.preventDefault();
  clearProblem(problem);
  clearFieldErrors(event.currentTarget);
  const { ids, unknown } = readRefs(input.value);
  if (unknown.length) {
    fieldError(input, `No venue has the ref ${unknown.join(", ")}. Check the refs on the Venues page.`);
    input.focus();
    return;
  }
  await act(event.submitter, problem, async () => {
    const { data } = await call(`/api/accounts/${account.id}`, { method: "PATCH", json: { venue_ids: ids }, etag: account.etag });
    replaced(data);
    say(status, `${data.email} now looks after ${venueWords(data.venue_ids).join(", ") || "no venue"}.`);
    status.focus();
  });
}

async function resetPassword(event, account) {
  if (!confirm(`Give ${account.email} a new password? Their old password stops working now.`)) return;
  clearProblem(problem);
  await act(event.currentTarget, problem, async () => {
    const { data } = await call(`/api/accounts/${account.id}/password-reset`, { method: "POST" });
    const { one_time_password: password, ...shown } = data;
    replaced(shown);
    showPassword(`The new password for ${data.email} is:`, data, password);
  });
}

addForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem(problem);
  clearFieldErrors(addForm);
  const email = document.getElementById("new-email");
  const refs = document.getElementById("new-refs");
  const role = addForm.querySelector('input[name="new-role"]:checked').value;
  const { ids, unknown } = readRefs(role === "staff" ? refs.value : "");
  const problems = [
    !email.value.includes("@") && [email, "Type their email, like sam@example.org."],
    unknown.length && [refs, `No venue has the ref ${unknown.join(", ")}. Check the refs on the Venues page.`],
  ].filter(Boolean);
  if (problems.length) {
    for (const [input, message] of problems) fieldError(input, message);
    showProblem(problem, problems.map(([, message]) => message), { links: problems.map(([input, message]) => ({ id: input.id, words: message })) });
    return;
  }
  await act(document.getElementById("add-account"), problem, async () => {
    try {
      const { data } = await call("/api/accounts", { method: "POST", json: { email: email.value.trim(), role, venue_ids: ids } });
      const { one_time_password: password, ...shown } = data;
      accounts = [...accounts, shown];
      show();
      addForm.reset();
      document.getElementById("new-refs-names").replaceChildren();
      showRefsField();
      showPassword(`The account for ${data.email} is added. Their first password is:`, data, password);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 422)) throw error;
      // Every refusal here is about the email (its shape, or an account that has it).
      const message = fieldMessage("email", error.message, "The email");
      fieldError(email, message);
      showProblem(problem, [message], { links: [{ id: email.id, words: message }] });
    }
  });
});

function showRefsField() {
  const staff = addForm.querySelector('input[name="new-role"]:checked').value === "staff";
  document.getElementById("new-refs-field").hidden = !staff;
}

for (const radio of addForm.querySelectorAll('input[name="new-role"]')) radio.addEventListener("change", showRefsField);

async function load() {
  me = await startPage({ officersOnly: true });
  if (!me) return;
  await act(null, problem, async () => {
    const [{ data: all }, { data: editable }] = await Promise.all([call("/api/accounts"), call("/api/venues/editable")]);
    accounts = all;
    venues = new Map(editable.map((venue) => [venue.id, venue]));
    byRef = new Map(editable.map((venue) => [venue.ref.toUpperCase(), venue]));
    watchRefs(document.getElementById("new-refs"), document.getElementById("new-refs-names"));
    show();
    say(status);
    document.getElementById("accounts-page").hidden = false;
  });
}

load();
