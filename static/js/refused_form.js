// A refused form shown again (status 400, the address of the POST): move focus to its error summary,
// which scrolls it into view, and put the page's own address back, so a refresh shows the page
// rather than posting the form again. Loaded only by pages that show such a summary.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  const address = summary.dataset.pageAddress;
  if (address && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", address + "#" + summary.id);
  }
  summary.focus();
});
