// How a form tells a person what to put right, on every form (staff screens, /join, a
// venue's "Something is wrong"): a problem box that takes focus, so a screen reader
// reads it at once, with links to the boxes at fault; and beside each of those boxes
// its own message, which the box points at. css/forms.css styles them. Public pages
// use it too, so it is kept for use with no signal: not a staff-… file.
import { h } from "./dom.js";

// The problem box: a heading, what went wrong, and links to the fields to put right.
export function showProblem(box, sentences, { links = [], actions = [], focus = true } = {}) {
  box.replaceChildren(...[
    h("h2", { text: "There is a problem" }),
    ...[sentences].flat().filter(Boolean).map((sentence) => h("p", { text: sentence })),
    links.length && h("ul", { class: "problem-links" }, links.map(({ id, words }) =>
      h("li", {}, h("a", { href: `#${id}`, on: { click: (event) => {
        event.preventDefault();
        document.getElementById(id)?.focus();
      } } }, words)))),
    ...actions,
  ].filter(Boolean));
  box.hidden = false;
  if (focus) box.focus();
}

export function clearProblem(box) {
  box.hidden = true;
  box.replaceChildren();
}

// The message goes just above the input (or its group of choices), and the input says
// it is wrong and points at it (aria-describedby keeps any hint too).
export function fieldError(input, message) {
  const id = `${input.id}-error`;
  let note = document.getElementById(id);
  if (!note) {
    note = h("p", { class: "field-error", id });
    const anchor = input.closest(".choice-group") ?? input;
    anchor.before(note);
  }
  note.replaceChildren(h("span", { class: "visually-hidden", text: "Error: " }), message);
  if (input.tagName !== "FIELDSET") input.setAttribute("aria-invalid", "true");
  const described = (input.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
  if (!described.includes(id)) input.setAttribute("aria-describedby", [id, ...described].join(" "));
}

export function clearFieldErrors(root) {
  for (const note of root.querySelectorAll(".field-error")) {
    for (const input of root.querySelectorAll(`[aria-describedby~="${note.id}"]`)) {
      const rest = input.getAttribute("aria-describedby").split(" ").filter((id) => id && id !== note.id);
      if (rest.length) input.setAttribute("aria-describedby", rest.join(" "));
      else input.removeAttribute("aria-describedby");
      input.removeAttribute("aria-invalid");
    }
    note.remove();
  }
}

// "postcode 'X' is not a UK postcode" -> "Postcode 'X' is not a UK postcode.": the API
// names a field as programs do; the person knows it by the words on its label.
export function fieldMessage(field, message, label) {
  const named = label && field && message.startsWith(field) && !/[\w-]/.test(message.charAt(field.length));
  const said = named ? label + message.slice(field.length) : message;
  return /[.!?]$/.test(said) ? said : `${said}.`;
}

// The first choice of a group, which a link to the group moves to; or the input itself.
export function focusable(input) {
  return input.tagName === "FIELDSET" ? input.querySelector("input") ?? input : input;
}

// Errors by field ({field, message}: an ApiError's `errors`, or what a page finds
// before sending), each beside its field's input and all in the problem box, linked
// to those inputs. `inputFor(field)` gives the input (or a group of choices), or null
// when this form has none: then, like an error about the request as a whole (field
// null), it is said in the box itself. `labelFor(field)` gives the field's words;
// `focusIdFor(field, input)` what its link in the box moves to. An answer with no
// errors listed is said as it came (`error.message`).
export function showFieldErrors(box, error, root, {
  inputFor, labelFor = () => null, focusIdFor = (_field, input) => focusable(input).id,
}) {
  clearFieldErrors(root);
  const byField = new Map();
  const general = [];
  for (const { field, message } of error.errors) {
    const input = field ? inputFor(field) : null;
    const said = fieldMessage(field, message, labelFor(field));
    if (!input) general.push(said);
    else byField.set(field, { input, said: [...(byField.get(field)?.said ?? []), said] });
  }
  const links = [...byField].map(([field, { input, said }]) => {
    fieldError(input, said.join(" "));
    return { id: focusIdFor(field, input), words: said.join(" ") };
  });
  showProblem(box, general.length || links.length ? general : error.message, { links });
}
