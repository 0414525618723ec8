// Behaviour for the whole site. No inline scripts anywhere, so a strict Content-Security-Policy holds.
"use strict";

// Defined words in a standard's text: a button that shows the definition in a popover. It opens
// with a click, Enter or Space, and closes with Escape, a second press, or a click elsewhere.
function setUpDefinedTerms() {
  const buttons = document.querySelectorAll(".defined-term[data-definition]");
  buttons.forEach((button) => {
    const source = document.getElementById(button.dataset.definition);
    if (!source || !window.bootstrap) return;
    button.setAttribute("aria-expanded", "false");
    const popover = new bootstrap.Popover(button, {
      title: source.dataset.title,
      content: () => source.content.cloneNode(true),
      html: true,
      trigger: "manual",
      placement: "auto",
      customClass: "definition-popover",
    });
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") === "true";
      closeAllPopovers();
      if (!open) {
        popover.show();
        button.setAttribute("aria-expanded", "true");
      }
    });
    button.addEventListener("shown.bs.popover", () => {
      const tip = bootstrap.Popover.getInstance(button).tip;
      if (tip) {
        tip.setAttribute("role", "dialog");
        tip.setAttribute("aria-label", `Definition of ${source.dataset.title}`);
        button.setAttribute("aria-controls", tip.id);
      }
    });
  });

  function closeAllPopovers() {
    buttons.forEach((b) => {
      const instance = bootstrap.Popover.getInstance(b);
      if (instance && b.getAttribute("aria-expanded") === "true") {
        instance.hide();
        b.setAttribute("aria-expanded", "false");
      }
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = [...buttons].find((b) => b.getAttribute("aria-expanded") === "true");
    closeAllPopovers();
    if (open) open.focus();
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".defined-term, .popover")) closeAllPopovers();
  });
}

document.addEventListener("DOMContentLoaded", setUpDefinedTerms);
