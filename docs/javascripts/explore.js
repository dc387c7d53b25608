// Explorable figures: a slider under the figure moves a marker along its lines and
// shows their values at that point. Everything comes from the build: the lines' data
// and where the axes sit in the SVG are written next to the figure as JSON
// (snippet_exec/figures.py, `explore`; a block opts in with explore="1"). Here we
// only place the marker and format the numbers.
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  let count = 0;

  // As figures.number writes numbers in Python: thousands separated and no
  // decimals from 100 up, three significant digits below; ties round to even.
  function number(value) {
    if (value === null) {
      return "no value";
    }
    const big = Number.isInteger(value) || Math.abs(value) >= 100;
    return value.toLocaleString("en-US", {
      roundingMode: "halfEven",
      ...(big ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: 3 }),
    });
  }

  // A function from data to SVG coordinates along one axis (linear or log scale).
  function scale(axis) {
    const f = axis.scale === "log" ? Math.log10 : (value) => value;
    const [d0, d1] = axis.data.map(f);
    const [s0, s1] = axis.svg;
    return (value) => s0 + ((f(value) - d0) / (d1 - d0)) * (s1 - s0);
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) {
      element.setAttribute(key, value);
    }
    return element;
  }

  function setUp(figure) {
    const script = figure.querySelector("script.snippet-exec-explore");
    const svg = figure.querySelector("svg");
    if (!script || !svg || figure.querySelector(".snippet-exec-explorer")) {
      return;
    }
    const data = JSON.parse(script.textContent);
    const toX = scale(data.mapping.x);
    const toY = scale(data.mapping.y);
    const [top, bottom] = data.mapping.y.svg;

    const marker = svgElement("g", { class: "snippet-exec-marker" });
    const rule = svgElement("line", { y1: top, y2: bottom });
    const dots = data.lines.map((line) =>
      svgElement("circle", { r: 4, fill: line.colour }),
    );
    marker.append(rule, ...dots);
    svg.append(marker);

    count += 1;
    const id = `snippet-exec-explore-${count}`;
    const control = document.createElement("div");
    control.className = "snippet-exec-explorer";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = data.xlabel || "Point";
    const slider = document.createElement("input");
    Object.assign(slider, { type: "range", id, min: 1, max: data.x.length, step: 1 });
    // The slider's aria-valuetext says the same to screen readers.
    const output = document.createElement("output");
    output.htmlFor = id;
    output.setAttribute("aria-live", "off");
    control.append(label, slider, output);
    svg.after(control);

    function show(index) {
      const x = toX(data.x[index]);
      rule.setAttribute("x1", x);
      rule.setAttribute("x2", x);
      data.lines.forEach((line, i) => {
        const y = line.y[index];
        dots[i].setAttribute("visibility", y === null ? "hidden" : "visible");
        dots[i].setAttribute("cx", x);
        dots[i].setAttribute("cy", y === null ? top : toY(y));
      });
      const values = data.lines.map((line) => `${line.label} ${number(line.y[index])}`);
      const text = `${label.textContent} ${number(data.x[index])}: ${values.join("; ")}`;
      output.textContent = text;
      slider.setAttribute("aria-valuetext", text);
    }

    // Start where the last line (the validation loss, say) is lowest, which the
    // build found from the exact values: the point the figure is about.
    const start = data.start ?? 0;
    slider.value = start + 1;
    slider.addEventListener("input", () => show(slider.valueAsNumber - 1));
    show(start);
  }

  function setUpAll() {
    document.querySelectorAll("figure.snippet-exec").forEach(setUp);
  }

  // Material's instant navigation swaps pages without reloading scripts: its
  // document$ announces each new page.
  if (typeof document$ !== "undefined") {
    document$.subscribe(setUpAll);
  } else {
    document.addEventListener("DOMContentLoaded", setUpAll);
  }
})();
