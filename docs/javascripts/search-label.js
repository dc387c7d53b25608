// Material's search dialog has no accessible name, which axe-core requires of a
// dialog: give it one. (Set here rather than in a copy of Material's template, which
// would have to be copied again at every upgrade.) The header, and so the dialog,
// stays in place across instant navigation: once is enough.
document.addEventListener("DOMContentLoaded", () => {
  const dialog = document.querySelector('.md-search[role="dialog"]');
  const label = document.querySelector(".md-search__input")?.getAttribute("aria-label");
  if (dialog && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", label || "Search");
  }
});
