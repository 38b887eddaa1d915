// Building the page from data without innerHTML: venue text is never read as HTML.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") element.textContent = value;
    else if (name === "on") for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

// Every picture sits beside words that say the same: decorative for screen readers.
export function picture(name, size = 40, className = null) {
  return h("img", { src: `/icons/${name}.svg`, alt: "", width: size, height: size, class: className });
}

// Picture on the left, words on the right: the easy-read block.
export function idea(pictureName, ...words) {
  return h("div", { class: "idea" }, picture(pictureName, 64, "idea-pic"), h("div", { class: "idea-words" }, ...words));
}

export function paragraphs(...sentences) {
  return sentences.filter(Boolean).map((sentence) => h("p", { text: sentence }));
}

// "One. Two! Three?" -> ["One.", "Two!", "Three?"]. Split by hand, not with a
// lookbehind: iPhones before Safari 16.4 cannot parse one, and a module that fails to
// parse takes every module that imports it down with it.
export function sentences(text) {
  const parts = text.split(/([.!?])\s+/);
  const said = [];
  for (let i = 0; i < parts.length; i += 2) said.push(parts[i] + (parts[i + 1] ?? ""));
  return said.filter(Boolean);
}

// [[words, value], …] as a term list: <dl><dt>words</dt><dd>value</dd>…</dl>.
export function definitionList(rows) {
  return h("dl", {}, rows.flatMap(([words, value]) => [h("dt", { text: words }), h("dd", { text: value })]));
}

export function buttonLink(href, words, pictureName, kind = "button-secondary") {
  return h("a", { class: `button ${kind}`, href }, pictureName ? picture(pictureName) : null, h("span", { text: words }));
}

export function setStatus(element, ...sentences) {
  element.replaceChildren(...paragraphs(...sentences));
}
