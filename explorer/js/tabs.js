// Tabs: one panel shown at a time, each built when first shown. The ARIA tabs pattern: the
// tabs are one tab stop, the arrow keys move between them.

import { h } from "./elements.js";

let made = 0;

/**
 * Tabs over panels [{key, label, build() → content}]; `selected` is the key shown first and
 * `chosen(key)` hears each change.
 */
export function tabs({ label, panels, selected, chosen = () => {} }) {
  const prefix = `tabs-${++made}`;
  const list = h("div", { class: "tabs", role: "tablist", "aria-label": label });
  const sheets = panels.map((panel) =>
    h("div", {
      class: "tab-panel",
      role: "tabpanel",
      id: `${prefix}-${panel.key}`,
      "aria-labelledby": `${prefix}-${panel.key}-tab`,
      "data-tab": panel.key,
      tabindex: "-1",
      hidden: true,
    }),
  );
  const buttons = panels.map((panel) =>
    h(
      "button",
      {
        type: "button",
        role: "tab",
        id: `${prefix}-${panel.key}-tab`,
        "aria-controls": `${prefix}-${panel.key}`,
        "data-tab": panel.key,
        onclick: () => select(panel.key),
      },
      panel.label,
    ),
  );
  list.append(...buttons);

  function select(key, { announce = true } = {}) {
    panels.forEach((panel, index) => {
      const on = panel.key === key;
      buttons[index].setAttribute("aria-selected", String(on));
      buttons[index].setAttribute("tabindex", on ? "0" : "-1");
      sheets[index].hidden = !on;
      if (on && !sheets[index].hasChildNodes()) {
        sheets[index].append(...[panel.build()].flat(Infinity).filter(Boolean));
      }
    });
    if (announce) {
      chosen(key);
    }
  }

  list.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) {
      return;
    }
    const at = buttons.indexOf(document.activeElement);
    const next = (at + step + buttons.length) % buttons.length;
    select(panels[next].key);
    buttons[next].focus();
    event.preventDefault();
  });
  select(panels.some((panel) => panel.key === selected) ? selected : panels[0].key, {
    announce: false,
  });
  return h("div", { class: "tabbed" }, list, sheets);
}
