// Building DOM elements in one call, so that views read as the markup they make.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Set an element's attributes and append its children; see h(). */
function fill(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith("on")) {
      element.addEventListener(name.slice(2), value);
    } else if (name === "style") {
      for (const [property, setting] of Object.entries(value)) {
        element.style.setProperty(property, setting);
      }
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  element.append(
    ...children
      .flat(Infinity)
      .filter((child) => child !== null && child !== undefined && child !== false),
  );
  return element;
}

/**
 * A new element: h("a", { href: "/" }, "Home").
 * Attributes named on… become event listeners; `style` takes an object of properties
 * (custom properties such as --at included); null, undefined and false are left out.
 */
export function h(tag, attributes = {}, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

/** A new SVG element, as h() makes HTML ones: svg("path", { d: "M0,0h4" }). */
export function svg(tag, attributes = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attributes, children);
}

/** A list of items, or nothing when there are none. */
export function listOf(items, render, attributes = {}) {
  return items.length
    ? h(
        "ul",
        attributes,
        items.map((item) => h("li", {}, render(item))),
      )
    : null;
}
