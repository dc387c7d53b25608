// What-if figures: a slider or a select above a block's output shows the output of
// one of the runs the build made (the snippet as written, or a variant of it with
// another learning rate, seed, ...). Every panel is already in the page
// (snippet_exec/whatif.py); here we only show one and hide the others, and tell
// screen readers what the newly shown figure shows.
(function () {
  "use strict";

  function setUp(box) {
    if (box.dataset.ready) {
      return;
    }
    box.dataset.ready = "1";
    const bar = box.querySelector(".snippet-exec-whatif-control");
    const field = bar.querySelector("input, select");
    const output = bar.querySelector("output");
    const status = box.querySelector(".snippet-exec-whatif-status");
    const panels = Array.from(box.querySelectorAll(".snippet-exec-whatif-panel"));

    function show(choice, announce) {
      panels.forEach((panel, n) => {
        panel.hidden = n !== choice;
      });
      const panel = panels[choice];
      const value = panel.dataset.label;
      if (output) {
        output.textContent = value;
        field.setAttribute("aria-valuetext", value);
      }
      if (announce) {
        const figure = panel.querySelector("svg[aria-label]");
        const said = figure ? ` ${figure.getAttribute("aria-label")}` : "";
        status.textContent = `${box.dataset.name} ${value}.${said}`;
      }
    }

    field.addEventListener(field.tagName === "SELECT" ? "change" : "input", () =>
      show(Number(field.value), true),
    );
    show(Number(field.value), false);
    bar.hidden = false; // without this script, the page shows the run as written
  }

  function setUpAll() {
    document.querySelectorAll(".snippet-exec-whatif").forEach(setUp);
  }

  // Material's instant navigation swaps pages without reloading scripts: its
  // document$ announces each new page.
  if (typeof document$ !== "undefined") {
    document$.subscribe(setUpAll);
  } else {
    document.addEventListener("DOMContentLoaded", setUpAll);
  }
})();
