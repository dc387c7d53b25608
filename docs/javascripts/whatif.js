// What-if figures: controls above a block's output show the output of one of the
// runs the build made (the snippet as written, or a variant of it with another
// learning rate, seed, ...). Every panel is already in the page
// (snippet_exec/whatif.py); here we only show the one of the combination chosen,
// keep the choice in the page's address, and tell screen readers what the newly
// shown figure shows. Without this script the page shows the run as written.
//
// The address: each control whose choice is not the snippet's own value adds
// key=value to the query (?learning-rate=0.03&seed=2), the key being the constant's
// name (the block's id and the name, learning-curves.seed, when two blocks of the
// page vary the same constant). The query rather than the fragment: heading
// anchors keep the fragment, and Material's instant navigation fetches no page
// when only the query changes. Each change adds a history entry, so that the back
// button goes back to the last view; a link with a query opens its view.
(function () {
  "use strict";

  let boxes = []; // the what-ifs of the page on show
  let path = ""; // its path, and the query it came with
  let loaded = "";

  function setUp(box) {
    if (box.whatif) {
      return box.whatif;
    }
    const status = box.querySelector(".snippet-exec-whatif-status");
    const panels = new Map(
      Array.from(box.querySelectorAll(".snippet-exec-whatif-panel"), (panel) => [
        panel.dataset.choice,
        panel,
      ]),
    );
    const controls = Array.from(
      box.querySelectorAll(".snippet-exec-whatif-control"),
      (element) => ({
        element,
        key: element.dataset.key,
        name: element.dataset.key,
        kind: element.dataset.kind,
        written: Number(element.dataset.written),
        index: Number(element.dataset.written),
        choices: JSON.parse(element.dataset.choices),
        field: element.querySelector("input, select, output"),
      }),
    );

    function show(announce) {
      const choice = controls.map((control) => control.index).join(" ");
      panels.forEach((panel, key) => {
        panel.hidden = key !== choice;
      });
      controls.forEach((control) => {
        const text = control.choices[control.index].text;
        if (control.kind === "run") {
          control.field.textContent = text;
        } else {
          control.field.value = String(control.index);
        }
        if (control.kind === "slider") {
          control.field.setAttribute("aria-valuetext", text);
          control.element.querySelector("output").textContent = text;
        }
      });
      if (announce) {
        const panel = panels.get(choice);
        const figure = panel.querySelector("svg[aria-label]");
        const said = figure ? ` ${figure.getAttribute("aria-label")}` : "";
        status.textContent = `${panel.dataset.label}.${said}`;
      }
    }

    function choose(control, index) {
      control.index = index;
      show(true);
    }

    controls.forEach((control) => {
      const count = control.choices.length;
      if (control.kind === "run") {
        control.element.querySelectorAll("button[data-step]").forEach((button) => {
          const step = Number(button.dataset.step);
          button.addEventListener("click", () => {
            choose(control, (control.index + step + count) % count);
            remember();
          });
        });
        return;
      }
      // A slider shows each value it passes; the address keeps where it stops.
      if (control.kind === "slider") {
        control.field.addEventListener("input", () =>
          choose(control, control.field.valueAsNumber),
        );
      }
      control.field.addEventListener("change", () => {
        choose(control, Number(control.field.value));
        remember();
      });
    });
    box.querySelector(".snippet-exec-whatif-controls").hidden = false;
    box.whatif = { box, controls, show };
    return box.whatif;
  }

  // Each control's key in the address: its constant's, or the block's and its
  // constant's where two blocks of the page vary the same one.
  function name(whatifs) {
    const counts = {};
    const every = whatifs.flatMap((whatif) => whatif.controls);
    every.forEach((control) => {
      counts[control.key] = (counts[control.key] || 0) + 1;
    });
    whatifs.forEach((whatif) =>
      whatif.controls.forEach((control) => {
        control.name =
          counts[control.key] > 1
            ? `${whatif.box.dataset.block}.${control.key}`
            : control.key;
        control.element.dataset.param = control.name; // for tests and styles
      }),
    );
  }

  // Show what the address ``href`` asks for (the run as written where it asks
  // for nothing, or for a value no control has).
  function read(href, announce) {
    const url = new URL(href, location.href);
    if (url.pathname !== path) {
      return; // another page: its own set-up reads its address
    }
    boxes.forEach((whatif) => {
      let changed = false;
      whatif.controls.forEach((control) => {
        const token = url.searchParams.get(control.name);
        let index = control.choices.findIndex((choice) => choice.token === token);
        if (index < 0) {
          index = control.written;
        }
        if (index !== control.index) {
          control.index = index;
          changed = true;
        }
      });
      if (changed) {
        whatif.show(announce);
      }
    });
  }

  // Put every control's choice in the address, as a new history entry.
  function remember() {
    const params = new URLSearchParams(location.search);
    boxes.forEach((whatif) =>
      whatif.controls.forEach((control) => {
        if (control.index === control.written) {
          params.delete(control.name);
        } else {
          params.set(control.name, control.choices[control.index].token);
        }
      }),
    );
    const query = params.toString();
    const url = `${location.pathname}${query ? `?${query}` : ""}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) {
      // The scroll offset, as Material keeps it, for its scroll restoration.
      history.pushState({ x: window.scrollX, y: window.scrollY }, "", url);
    }
  }

  function setUpAll() {
    boxes = Array.from(document.querySelectorAll(".snippet-exec-whatif"), setUp);
    path = location.pathname;
    loaded = location.search;
    name(boxes);
    read(location.href, false);
  }

  // Links to places on this page keep its view: Material made their addresses
  // absolute, with the query the page was loaded with, so they get today's.
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target instanceof Element && event.target.closest("a[href]");
      if (!link || !boxes.length) {
        return;
      }
      const url = new URL(link.href);
      const here = url.origin === location.origin && url.pathname === path;
      if (here && url.hash && (url.search === loaded || link.dataset.whatifView)) {
        link.dataset.whatifView = "1";
        link.search = location.search;
      }
    },
    true, // before Material's instant navigation reads the link
  );
  // Back and forward; and, with instant navigation, links to another view of this
  // page (Material's location$ announces both).
  window.addEventListener("popstate", () => read(location.href, true));
  if (typeof location$ !== "undefined") {
    location$.subscribe((url) => read(url.href, true));
  }
  // Material's instant navigation swaps pages without reloading scripts: its
  // document$ announces each new page.
  if (typeof document$ !== "undefined") {
    document$.subscribe(setUpAll);
  } else {
    document.addEventListener("DOMContentLoaded", setUpAll);
  }
})();
