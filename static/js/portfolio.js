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

// Evidence upload: files chosen or dropped gather in a list the candidate can see and change; the
// form then goes up with a progress bar. If the server refuses a file, only the messages change:
// the words typed and the files chosen stay in the page.
function setUpEvidenceUpload() {
  const form = document.querySelector("#evidence-form");
  if (!form || !window.FormData || !window.DataTransfer) return;
  const input = form.querySelector('input[type="file"][name="files"]');
  const zone = form.querySelector("[data-drop-zone]");
  const queue = form.querySelector("[data-file-queue]");
  const progress = form.querySelector("[data-upload-progress]");
  const bar = progress.querySelector(".progress-bar");
  let chosen = [];

  // As the server words sizes in its messages: a small photo is "186.6 KB", not "0.2 MB".
  function sizeWords(bytes) {
    if (bytes >= 1048576) return `${(bytes / 1048576).toFixed(1).replace(/\.0$/, "")} MB`;
    if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, "")} KB`;
    return `${bytes} bytes`;
  }

  function showQueue(problems = {}) {
    queue.replaceChildren();
    chosen.forEach((file, index) => {
      const item = document.createElement("li");
      item.className = "d-flex flex-wrap align-items-center gap-2 py-1";
      const name = document.createElement("span");
      name.textContent = `${file.name} (${sizeWords(file.size)})`;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-link btn-sm p-0";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove ${file.name}`);
      remove.addEventListener("click", () => { chosen.splice(index, 1); syncInput(); showQueue(); });
      item.append(name, remove);
      if (problems[file.name]) {
        const problem = document.createElement("span");
        // The emphasis shade: plain text-danger on the drop zone's tint falls short of 4.5:1 contrast.
        problem.className = "text-danger-emphasis small w-100";
        problem.textContent = problems[file.name];
        item.append(problem);
      }
      queue.append(item);
    });
  }

  function syncInput() {
    const transfer = new DataTransfer();
    chosen.forEach((file) => transfer.items.add(file));
    input.files = transfer.files;
  }

  function add(files) {
    for (const file of files) {
      if (!chosen.some((c) => c.name === file.name && c.size === file.size)) chosen.push(file);
    }
    syncInput();
    showQueue();
  }

  input.addEventListener("change", () => { add([...input.files]); });
  ["dragenter", "dragover"].forEach((type) => zone.addEventListener(type, (event) => {
    event.preventDefault();
    zone.classList.add("drop-zone-active");
  }));
  ["dragleave", "drop"].forEach((type) => zone.addEventListener(type, () => zone.classList.remove("drop-zone-active")));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    add([...event.dataTransfer.files]);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    progress.classList.remove("d-none");
    request.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.style.width = `${percent}%`;
      bar.textContent = `${percent}%`;
      progress.setAttribute("aria-valuenow", String(percent));
    });
    request.addEventListener("load", () => {
      if (request.status < 400) {
        // The server names the next page rather than redirecting, so its message is still waiting there.
        window.location.assign(request.getResponseHeader("X-Next-Page") || request.responseURL);
        return;
      }
      // Refused: take the new messages and field errors, keep the chosen files.
      const page = new DOMParser().parseFromString(request.responseText, "text/html");
      const fresh = page.querySelector("#evidence-form-container");
      const refusal = page.querySelector("[data-refusal]");
      if (!fresh && refusal) {
        // Refused before the form was read (too long): say so above it and keep everything typed.
        const container = document.querySelector("#evidence-form-container");
        const oldSummary = container.querySelector("[data-error-summary]");
        if (oldSummary) oldSummary.remove();
        const summary = document.createElement("div");
        summary.className = "alert alert-danger";
        summary.setAttribute("role", "alert");
        summary.setAttribute("tabindex", "-1");
        summary.dataset.errorSummary = "";
        summary.textContent = refusal.dataset.refusal;
        container.prepend(summary);
        button.disabled = false;
        progress.classList.add("d-none");
        form.dispatchEvent(new CustomEvent("portfolio:refused"));
        summary.focus();
        return;
      }
      if (!fresh) { document.documentElement.innerHTML = request.responseText; return; }
      swapEvidenceCentre(page, form);
      const problems = {};
      fresh.querySelectorAll("[data-error-summary] [data-file-name]").forEach((li) => {
        problems[li.dataset.fileName] = li.textContent.trim();
      });
      const container = document.querySelector("#evidence-form-container");
      const freshForm = fresh.querySelector("#evidence-form");
      // The error summary, at the top: what the whole form and each field were refused for.
      const oldSummary = container.querySelector("[data-error-summary]");
      if (oldSummary) oldSummary.remove();
      const newSummary = fresh.querySelector("[data-error-summary]");
      if (newSummary) container.prepend(newSummary);
      // Field errors: swap every field wrapper except the file box, which holds the chosen files.
      freshForm.querySelectorAll(".row > [class*='col']").forEach((col, i) => {
        const current = form.querySelectorAll(".row > [class*='col']")[i];
        if (current && !current.querySelector("[data-drop-zone]")) current.replaceWith(col);
      });
      button.disabled = false;
      progress.classList.add("d-none");
      showQueue(problems);
      form.dispatchEvent(new CustomEvent("portfolio:refused"));
      if (newSummary) focusErrorSummary(newSummary);
      else (form.querySelector(".is-invalid") || form).focus();
    });
    request.addEventListener("error", () => {
      form.dispatchEvent(new CustomEvent("portfolio:refused"));
      button.disabled = false;
      progress.classList.add("d-none");
      window.alert("The upload did not reach the server. Check your connection and try again: nothing was lost.");
    });
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.send(new FormData(form));
  });
}

// The centre a refused evidence form is for now (the one it named is no longer the candidate's): the
// line naming it above the form and the field carrying it, or the choice among their centres.
function swapEvidenceCentre(page, form) {
  ["line", "choice"].forEach((part) => {
    const fresh = page.querySelector(`[data-evidence-centre="${part}"]`);
    const current = document.querySelector(`[data-evidence-centre="${part}"]`);
    if (current && fresh) current.replaceWith(fresh);
    else if (current) current.remove();
    else if (fresh && part === "choice") form.querySelector(".row").before(fresh);
    else if (fresh) document.querySelector("#evidence-form-container").before(fresh);
  });
}

// The mapping page: a filter box narrows the tree to matching criteria, and a count of what is ticked.
function setUpMappingFilter() {
  const form = document.querySelector("[data-mapping-form]");
  if (!form) return;
  const filter = form.querySelector("[data-mapping-filter]");
  const rows = [...form.querySelectorAll(".mapping-row")];
  const status = document.getElementById("mapping-filter-count");
  const chosenCount = form.querySelector("[data-chosen-count]");
  const empty = form.querySelector("[data-mapping-empty]");
  function countChosen() {
    const n = form.querySelectorAll(".mapping-row input:checked").length;
    chosenCount.textContent = `${n} ticked`;
  }
  filter.addEventListener("input", () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    rows.forEach((row) => {
      const text = row.dataset.mappingText.toLowerCase();
      const match = words.every((w) => text.includes(w));
      row.hidden = !match;
      if (match) shown += 1;
    });
    form.querySelectorAll(".mapping-group").forEach((group) => {
      group.hidden = !group.querySelector(".mapping-row:not([hidden])");
    });
    form.querySelectorAll(".mapping-unit").forEach((unit) => {
      unit.hidden = !unit.querySelector(".mapping-row:not([hidden])");
      // A unit shown closed (the candidate came from another unit) opens when the filter finds in it.
      if (words.length && !unit.hidden) unit.open = true;
    });
    empty.classList.toggle("d-none", shown > 0);
    status.textContent = words.length ? `${shown} of ${rows.length} shown` : "";
  });
  // The filter filters as it is typed; Enter in it must not submit the whole mapping and leave the page.
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  form.addEventListener("change", countChosen);
  countChosen();
}

document.addEventListener("DOMContentLoaded", setUpEvidenceUpload);
document.addEventListener("DOMContentLoaded", setUpMappingFilter);

// The Content-Security-Policy refuses inline <style>, which htmx would otherwise add for its
// request indicators (this site uses none). This runs before htmx starts, at DOMContentLoaded.
if (window.htmx) htmx.config.includeIndicatorStyles = false;

// Progress bars: the width comes from data-percent rather than a style attribute, which the
// Content-Security-Policy is meant to refuse. A script setting a style property is allowed.
function showPercentWidths(root) {
  const bars = [...root.querySelectorAll("[data-percent]")];
  if (root.matches && root.matches("[data-percent]")) bars.push(root);
  bars.forEach((bar) => {
    const percent = Math.min(100, Math.max(0, Number(bar.dataset.percent) || 0));
    bar.style.width = `${percent}%`;
  });
}

document.addEventListener("DOMContentLoaded", () => showPercentWidths(document));
// Parts of a page that htmx puts in later (an export's progress, say).
document.addEventListener("htmx:load", (event) => showPercentWidths(event.target));

// A refused form's error summary (templates/error_summary.html): focused as the page opens, so the
// person hears and sees what to fix, however far down the page the form is. Following one of its
// links focuses the field and brings its label or legend into view with it (a box in a closed
// <details> is opened first), as the GOV.UK error summary does.
function focusErrorSummary(summary) {
  if (!summary) return;
  summary.focus();
  summary.scrollIntoView({ block: "start" });
}

function fieldOf(target) {
  if (target.matches("input, select, textarea, button")) return target;
  return target.querySelector("input:not([type=hidden]):not([disabled]), select, textarea") || target;
}

function labelOf(field) {
  const legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
  const isBox = field.matches("input[type=checkbox], input[type=radio]");
  if (legend && isBox) return legend;
  return (field.id && document.querySelector(`label[for="${CSS.escape(field.id)}"]`)) || field;
}

function setUpErrorSummaries() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    for (let open = target.closest("details:not([open])"); open; open = open.parentElement.closest("details:not([open])")) {
      open.open = true;
    }
    // A field in a tab not shown (the unit page's tabs): show its tab first.
    const panel = target.closest("[role=tabpanel]:not(.active)");
    const tab = panel && document.getElementById(panel.getAttribute("aria-labelledby"));
    if (tab && window.bootstrap) bootstrap.Tab.getOrCreateInstance(tab).show();
    const field = fieldOf(target);
    if (!field.matches("input, select, textarea, button") && !field.hasAttribute("tabindex")) {
      field.setAttribute("tabindex", "-1");
    }
    labelOf(field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
  const summary = document.querySelector("[data-error-summary]");
  focusErrorSummary(summary);
  // A browser going to the address's #fragment takes the focus off anything it does not point at.
  window.addEventListener("load", () => {
    if (summary && document.activeElement === document.body) focusErrorSummary(summary);
  });
}

document.addEventListener("DOMContentLoaded", setUpErrorSummaries);

// Leaving a changed form warns: a form marked data-warn-unsaved that differs from how the page
// opened (or that came back refused, data-warn-unsaved="unsaved": what it holds was never saved)
// makes the browser ask before the page is left. Sending that form does not warn; a second changed
// form on the same page still does. The browser words the question itself.
function formState(form) {
  const entries = [];
  for (const [name, value] of new FormData(form)) {
    if (name === "csrfmiddlewaretoken") continue;
    entries.push([name, value instanceof File ? `${value.name}:${value.size}` : value]);
  }
  return JSON.stringify(entries);
}

function setUpUnsavedWarning() {
  const forms = [...document.querySelectorAll("form[data-warn-unsaved]")];
  if (!forms.length) return;
  const opened = new Map(forms.map((form) => [form, form.dataset.warnUnsaved === "unsaved" ? null : formState(form)]));
  let sending = null;
  forms.forEach((form) => {
    form.addEventListener("submit", () => { sending = form; });
    // The upload script sends its form itself and may be refused: the page stays, unsaved.
    form.addEventListener("portfolio:refused", () => { if (sending === form) sending = null; });
  });
  window.addEventListener("beforeunload", (event) => {
    const changed = forms.some((form) => form !== sending && form.isConnected && formState(form) !== opened.get(form));
    if (!changed) return;
    event.preventDefault();
    event.returnValue = "";
  });
}

document.addEventListener("DOMContentLoaded", setUpUnsavedWarning);

// Tabs (the unit page): Bootstrap's tabs, which follow the WAI-ARIA tabs pattern (arrow keys, Home
// and End move between the tabs). The page is written with every part shown, one after another,
// and the tab list hidden: without this script it still reads from top to bottom. The address's
// #fragment names the tab shown (#criteria), or anything inside a tab (#HSC331a-1, #iqa-heading),
// which opens that tab and scrolls to it; choosing a tab puts its name in the address, so a
// reload or a shared link opens the same tab.
function setUpTabs() {
  document.querySelectorAll("[data-tabs]").forEach((list) => {
    const container = document.querySelector(`[data-tab-panels="${list.dataset.tabs}"]`);
    if (!container || !window.bootstrap) return;
    const buttons = [...list.querySelectorAll('[data-bs-toggle="tab"]')];
    const panels = buttons.map((button) => document.getElementById(button.getAttribute("aria-controls")));
    if (panels.some((panel) => !panel)) return;
    panels.forEach((panel, index) => {
      panel.classList.add("tab-pane");
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", buttons[index].id);
      panel.tabIndex = 0;
    });
    container.classList.add("tab-content", "tabs-ready");
    list.hidden = false;
    buttons.forEach((button) => bootstrap.Tab.getOrCreateInstance(button));

    function show(index) {
      buttons.forEach((button, i) => {
        const active = i === index;
        button.classList.toggle("active", active);
        button.setAttribute("aria-selected", String(active));
        button.tabIndex = active ? 0 : -1;
        panels[i].classList.toggle("active", active);
      });
    }

    // Opens the tab holding the fragment's target, if the fragment is on this page. A tab's own
    // name opens it where the page begins (a message above the tabs stays in sight) when the page
    // loads, at the tabs when a link on the page is followed; anything inside a tab is scrolled to.
    function openFragment(loading) {
      const id = decodeURIComponent(window.location.hash.slice(1));
      const target = id && document.getElementById(id);
      const index = target ? panels.findIndex((panel) => panel.contains(target)) : -1;
      if (index < 0) return false;
      show(index);
      if (!panels.includes(target)) target.scrollIntoView();
      else if (loading) window.scrollTo(0, 0);
      else list.scrollIntoView();
      return true;
    }

    if (!openFragment(true)) show(0);
    window.addEventListener("hashchange", () => openFragment(false));
    list.addEventListener("shown.bs.tab", (event) => {
      const panel = document.getElementById(event.target.getAttribute("aria-controls"));
      if (panel && window.history.replaceState) window.history.replaceState(null, "", `#${panel.id}`);
    });
  });
}

document.addEventListener("DOMContentLoaded", setUpTabs);

// The decisions page's "Tick all shown" is a link (?tick=all: the page again with every box shown
// ticked), so it works without a script; with one, it ticks the boxes where they are, and offers
// to untick them, without loading the page again.
function setUpTickAll() {
  for (const link of document.querySelectorAll("a[data-tick-all]")) {
    const form = link.closest("form");
    if (!form) continue;
    const boxes = () => form.querySelectorAll('input[type="checkbox"][name^="cite-"]');
    const label = link.textContent;
    link.setAttribute("role", "button");
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const ticking = link.dataset.ticked !== "yes";
      for (const box of boxes()) box.checked = ticking;
      link.dataset.ticked = ticking ? "yes" : "no";
      link.textContent = ticking ? "Untick all" : label;
      form.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
}
document.addEventListener("DOMContentLoaded", setUpTickAll);

// A long list of tick boxes (the candidates of a registration): a filter box narrows it as it is
// typed. Without JavaScript the box stays hidden and every candidate is listed; ticked ones stay
// ticked while hidden, and the count says how many are ticked in all.
function setUpChoiceFilters() {
  document.querySelectorAll("[data-choice-filter-area]").forEach((area) => {
    const box = area.querySelector("[data-choice-filter-box]");
    const filter = area.querySelector("[data-choice-filter]");
    const count = area.querySelector("[data-choice-filter-count]");
    const choices = [...area.querySelectorAll("[data-choice-list] .form-check")];
    if (!box || !filter || !choices.length) return;
    box.hidden = false;
    function say(shown) {
      const ticked = choices.filter((c) => c.querySelector("input:checked")).length;
      const showing = filter.value.trim() ? `${shown} of ${choices.length} shown; ` : "";
      count.textContent = `${showing}${ticked} ticked`;
    }
    filter.addEventListener("input", () => {
      const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      choices.forEach((choice) => {
        const match = words.every((w) => choice.textContent.toLowerCase().includes(w));
        choice.hidden = !match;
        if (match) shown += 1;
      });
      say(shown);
    });
    // Enter in the filter must not send the form half-chosen.
    filter.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
    // "Tick all shown": every candidate the filter shows, ticked or unticked at once (without a
    // script, the page's own "Show and tick them all" does it).
    const tickAll = area.querySelector("[data-tick-all-shown]");
    if (tickAll) {
      tickAll.addEventListener("change", () => {
        choices.filter((c) => !c.hidden).forEach((c) => {
          const box = c.querySelector("input[type=checkbox]");
          if (box) box.checked = tickAll.checked;
        });
        say(choices.filter((c) => !c.hidden).length);
      });
      filter.addEventListener("input", () => { tickAll.checked = false; });
    }
    area.addEventListener("change", () => say(choices.filter((c) => !c.hidden).length));
    say(choices.length);
  });
}

document.addEventListener("DOMContentLoaded", setUpChoiceFilters);
// A report's filters are a <details>, folded on a phone so the report comes first; wider screens
// have room for them, so they open there. Without a script they stay folded behind "Filter".
function openFiltersOnWideScreens() {
  if (!window.matchMedia("(min-width: 576px)").matches) return;
  for (const details of document.querySelectorAll("details[data-open-wide]")) details.open = true;
}
document.addEventListener("DOMContentLoaded", openFiltersOnWideScreens);
