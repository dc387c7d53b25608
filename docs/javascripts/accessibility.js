// Two gaps in Material's markup that axe-core reports, closed here rather than in
// copies of Material's templates (which would need copying again at each upgrade).
(function () {
  "use strict";

  // The search dialog has no accessible name. The header, and so the dialog,
  // stays in place across instant navigation: naming it once is enough.
  function nameSearch() {
    const dialog = document.querySelector('.md-search[role="dialog"]');
    const input = document.querySelector(".md-search__input");
    if (dialog && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", input?.getAttribute("aria-label") || "Search");
    }
  }

  // A table wider than the page scrolls sideways in its wrapper, which keyboards
  // cannot reach unless it can take the focus. (The site's CSS fits most tables
  // on a phone; this covers the rest, and any page on any screen.)
  function reachTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach((wrap) => {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table, scrolls sideways");
      } else {
        ["tabindex", "role", "aria-label"].forEach((a) => wrap.removeAttribute(a));
      }
    });
  }

  function setUp() {
    nameSearch();
    reachTables();
  }

  window.addEventListener("resize", reachTables);
  if (typeof document$ !== "undefined") {
    document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
