// A world map of posts: countries shaded, posts as marks told apart by shape (their kind) and
// colour (whose they are); hover or keyboard focus shows a post, a click opens it, a click on a
// country follows the link the view gives it.

import { allCountries } from "./countries.js";
import { h, svg } from "./elements.js";
import { MISSION_KINDS, markOf } from "./kinds.js";
import { language } from "./language.js";
import { postRoute } from "./links.js";
import { WIDTH, fetchWorld, loadWorld } from "./world.js";

// A mark's half-size in px at the whole-world scale.
const MARK_SIZE = 4;
// How far apart posts without coordinates sit around their country's centre.
const SPREAD = 3.2;

const SHAPES = {
  embassy: (r) => `M${-r},0a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`,
  consulate: (r) => `M${-r * 0.9},${-r * 0.9}h${r * 1.8}v${r * 1.8}h${-r * 1.8}Z`,
  honorary: (r) => `M0,${-r * 1.15}L${r * 1.1},${r * 0.8}L${-r * 1.1},${r * 0.8}Z`,
  other: (r) =>
    `M${-r * 0.35},${-r}h${r * 0.7}v${r * 0.65}h${r * 0.65}v${r * 0.7}h${-r * 0.65}v${r * 0.65}` +
    `h${-r * 0.7}v${-r * 0.65}h${-r * 0.65}v${-r * 0.7}h${r * 0.65}Z`,
};

/** A small picture of a mark, for legends and tables. */
export function markSample(mark, layer) {
  return svg(
    "svg",
    { class: "mark-sample", viewBox: "-6 -6 12 12", width: 12, height: 12, "aria-hidden": "true" },
    svg("path", { d: SHAPES[mark](4.5), class: `mark ${layer}` }),
  );
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ESCAPES[c]);

/** Attributes as markup, those that are null left out. */
const attributes = (pairs) =>
  Object.entries(pairs)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => ` ${name}="${escape(value)}"`)
    .join("");

function postText(point) {
  const where = [point.city, point.countryName].filter(Boolean).join(", ");
  const parts = [point.name, MISSION_KINDS[point.kind] ?? point.kind];
  if (where) {
    parts.push(where);
  }
  if (!point.location) {
    parts.push("no coordinates: placed in its country");
  }
  return parts.join(" · ");
}

/** Which country (ISO alpha-2 code) each shape is: by ISO numeric code, else by English name. */
function ownersOfShapes(shapes, countries) {
  const byNumeric = new Map(countries.map((country) => [country.numeric, country]));
  const byName = new Map(countries.map((country) => [country.english, country]));
  return shapes.map((shape) => byNumeric.get(shape.numeric) ?? byName.get(shape.english) ?? null);
}

/** Where each post goes: its coordinates, else a spiral around its country's centre. */
function placePoints(points, project, centres) {
  const placedIn = new Map();
  const drawn = [];
  const left = [];
  for (const point of points) {
    let at = null;
    if (point.location) {
      at = project(point.location.longitude, point.location.latitude);
    } else if (centres.has(point.country)) {
      const k = placedIn.get(point.country) ?? 0;
      placedIn.set(point.country, k + 1);
      const [x, y] = centres.get(point.country).centre();
      const [angle, radius] = [k * 2.39996, SPREAD * Math.sqrt(k)];
      at = [x + Math.cos(angle) * radius, y + Math.sin(angle) * radius];
    }
    if (at && Number.isFinite(at[0]) && Number.isFinite(at[1])) {
      drawn.push({ point, at });
    } else {
      left.push(point);
    }
  }
  // West to east, then north to south: the order the arrow keys follow.
  drawn.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1]);
  return { drawn, left };
}

/** The map's SVG as markup: hundreds of elements are made far faster by the parser. */
function mapMarkup({ shapes, owners, height, shade, countryHref, drawn, layers, label }) {
  const countries = shapes
    .map((shape, index) => {
      const code = owners[index]?.code ?? null;
      const href = code ? countryHref(code) : null;
      const classes = ["country", code ? shade.get(code) : null, href ? "linked" : null];
      const title = owners[index]?.name ?? shape.english;
      return `<path${attributes({
        d: shape.d,
        class: classes.filter(Boolean).join(" "),
        "data-code": code,
        "data-href": href,
      })}><title>${escape(title)}</title></path>`;
    })
    .join("");
  const marks = (layer) =>
    drawn
      .filter(({ point }) => point.layer === layer)
      .map(({ point, at: [x, y] }, index) => {
        const mark = markOf(point.kind);
        return `<a${attributes({
          href: postRoute(point.id),
          class: "point",
          "data-post": point.id,
          "data-layer": layer,
          "data-mark": mark,
          "data-placed": point.location ? null : "country",
          "data-x": x.toFixed(1),
          "data-y": y.toFixed(1),
          "aria-label": postText(point),
          tabindex: index === 0 && layer === drawn[0].point.layer ? "0" : "-1",
        })}><path class="mark ${layer}" d="${SHAPES[mark](MARK_SIZE)}"` +
          ` transform="translate(${x.toFixed(1)},${y.toFixed(1)})"/></a>`;
      })
      .join("");
  const group = (layer) =>
    `<g class="layer ${layer}" data-layer="${layer}"${layers[layer] === false ? " hidden" : ""}>` +
    `${marks(layer)}</g>`;
  return `<svg${attributes({
    viewBox: `0 0 ${WIDTH} ${height}`,
    class: "map",
    role: "group",
    "aria-label": `${label}. Arrow keys move between the posts; Enter opens one.`,
  })}><g class="countries">${countries}</g>${group("hosted")}${group("abroad")}</svg>`;
}

/** Keyboard moves between the marks: one tab stop, arrow keys to the next or previous mark. */
function moveBetweenMarks(event) {
  const steps = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
  const current = event.target.closest?.(".point");
  if (!current || !(event.key in steps || event.key === "Home" || event.key === "End")) {
    return;
  }
  const map = current.ownerSVGElement;
  const visible = [...map.querySelectorAll("g.layer:not([hidden]) .point")].sort(
    (a, b) => a.dataset.x - b.dataset.x || a.dataset.y - b.dataset.y,
  );
  const at = visible.indexOf(current);
  let next;
  if (event.key === "Home") {
    next = visible[0];
  } else if (event.key === "End") {
    next = visible.at(-1);
  } else {
    next = visible[(at + steps[event.key] + visible.length) % visible.length];
  }
  event.preventDefault();
  current.setAttribute("tabindex", "-1");
  next.setAttribute("tabindex", "0");
  next.focus();
}

/** The buttons that frame the map on the view's countries, or on the whole world. */
function zoomControls(map, marks, height, framed, names, figure) {
  const zoom = ([[x0, y0], [x1, y1]]) => {
    const margin = Math.max(x1 - x0, y1 - y0) * 0.25 + 8;
    let [width, tall] = [x1 - x0 + 2 * margin, y1 - y0 + 2 * margin];
    // The frame keeps the map's proportions, so that the figure does not change size.
    if (width / tall > WIDTH / height) {
      tall = (width * height) / WIDTH;
    } else {
      width = (tall * WIDTH) / height;
    }
    const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
    setFrame(`${cx - width / 2} ${cy - tall / 2} ${width} ${tall}`, width / WIDTH);
  };
  const setFrame = (viewBox, scale) => {
    map.setAttribute("viewBox", viewBox);
    // Marks keep their size on screen as the map grows.
    for (const mark of marks) {
      const { x, y } = mark.dataset;
      mark
        .querySelector("path")
        .setAttribute("transform", `translate(${x},${y}) scale(${scale.toFixed(4)})`);
    }
    figure.dataset.zoom = scale === 1 ? "world" : "country";
  };
  const around = [
    [Math.min(...framed.map((b) => b[0][0])), Math.min(...framed.map((b) => b[0][1]))],
    [Math.max(...framed.map((b) => b[1][0])), Math.max(...framed.map((b) => b[1][1]))],
  ];
  const whole = h("button", { type: "button", "aria-pressed": "true" }, "Whole world");
  const near = h("button", { type: "button", "aria-pressed": "false" }, `Zoom to ${names}`);
  whole.addEventListener("click", () => {
    setFrame(`0 0 ${WIDTH} ${height}`, 1);
    whole.setAttribute("aria-pressed", "true");
    near.setAttribute("aria-pressed", "false");
  });
  near.addEventListener("click", () => {
    zoom(around);
    whole.setAttribute("aria-pressed", "false");
    near.setAttribute("aria-pressed", "true");
  });
  return h("div", { class: "map-controls" }, whole, near);
}

function draw({ figure, canvas, tip }, world, countries, options) {
  const { label, shade, points, countryHref, focus, layers } = options;
  const { shapes, height, project } = world;
  const owners = ownersOfShapes(shapes, countries);
  const centres = new Map();
  owners.forEach((owner, index) => {
    if (owner && !centres.has(owner.code)) {
      centres.set(owner.code, shapes[index]);
    }
  });
  const { drawn, left } = placePoints(points, project, centres);
  canvas.innerHTML = mapMarkup({
    shapes,
    owners,
    height,
    shade,
    countryHref,
    drawn,
    layers,
    label,
  });
  const map = canvas.firstElementChild;
  const marks = [...map.querySelectorAll(".point")];

  const showTip = (target) => {
    const point = target.closest?.(".point");
    if (!point) {
      tip.hidden = true;
      return;
    }
    tip.textContent = point.getAttribute("aria-label");
    const box = point.getBoundingClientRect();
    const frame = figure.getBoundingClientRect();
    tip.style.left = `${box.left - frame.left + box.width / 2}px`;
    tip.style.top = `${box.top - frame.top}px`;
    tip.hidden = false;
  };
  map.addEventListener("pointerover", (event) => showTip(event.target));
  map.addEventListener("pointerleave", () => {
    tip.hidden = !map.contains(document.activeElement);
  });
  map.addEventListener("focusin", (event) => showTip(event.target));
  map.addEventListener("focusout", () => {
    tip.hidden = true;
  });
  map.addEventListener("keydown", moveBetweenMarks);
  map.addEventListener("click", (event) => {
    const country = event.target.closest?.(".country[data-href]");
    if (country) {
      // A country is a shape, not a link: it goes to the router as a link would.
      const link = h("a", { href: country.dataset.href, hidden: true });
      figure.append(link);
      link.click();
      link.remove();
    }
  });

  const framed = focus.map((code) => centres.get(code)?.bounds()).filter(Boolean);
  if (framed.length) {
    const names = focus.map((code) => countries.find((c) => c.code === code)?.name ?? code);
    figure.insertBefore(
      zoomControls(map, marks, height, framed, names.join(" and "), figure),
      canvas,
    );
  }
  if (left.length) {
    figure.append(
      h(
        "p",
        { class: "map-note" },
        `${left.length} post${left.length === 1 ? " is" : "s are"} not on the map: no ` +
          "coordinates, and no shape for their country in Natural Earth's map. The table " +
          "lists them.",
      ),
    );
  }
  figure.dataset.state = "drawn";
  figure.dataset.points = String(marks.length);
  performance.mark("map-drawn");
  // Drawn, laid out and painted, with the main thread free again: the map answers the reader.
  requestAnimationFrame(() => setTimeout(() => performance.mark("map-interactive"), 0));
}

/**
 * A world map, drawn as soon as the map's data and the list of countries are in.
 *
 * - `shade`: Map of country code → class ("home", "resident", "non-resident", "pair").
 * - `points`: posts [{id, kind, name, city, location, country: code of the country it is in,
 *   countryName, layer: "abroad" | "hosted"}]; a post without coordinates is placed near its
 *   country's centre and marked as placed so.
 * - `countryHref(code)`: where a click on a country leads (null: nowhere).
 * - `focus`: codes of the countries the zoom button frames.
 */
export function worldMap({ label, shade, points, countryHref, focus = [], layers = {} }) {
  const figure = h("figure", { class: "world-map", "data-state": "loading" });
  const drawing = h("p", { class: "loading" }, "Drawing the map…");
  const canvas = h("div", { class: "map-canvas" }, drawing);
  const tip = h("div", { class: "map-tip", role: "status", hidden: true });
  figure.append(canvas, tip, h("figcaption", { class: "visually-hidden" }, label));
  const options = { label, shade, points, countryHref, focus, layers };
  Promise.all([loadWorld(), allCountries(language())])
    .then(([world, countries]) => draw({ figure, canvas, tip }, world, countries, options))
    .catch((error) => {
      figure.dataset.state = "failed";
      canvas.replaceChildren(h("p", { class: "notice" }, `No map: ${error.message}`));
    });
  return figure;
}

/** Show or hide one layer of posts on a drawn map. */
export function showLayer(figure, layer, shown) {
  figure.querySelector(`g.layer[data-layer="${layer}"]`)?.toggleAttribute("hidden", !shown);
}

// The map's files load with the page, while the view's data is on its way. They are projected
// once the list of countries is in: projecting holds the main thread for a while, which would
// hold up the list's next page, and a map needs both.
if (window.d3 && window.topojson) {
  fetchWorld().catch(() => {});
  allCountries(language())
    .then(loadWorld)
    .catch(() => {});
}
