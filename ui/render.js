// @ts-check
// Draws a snapshot. It never decides a status: everything shown comes from Rust. Items are kept
// by id and updated in place, so keyboard focus stays where the user left it.

/** @typedef {import("./ipc.js").Snapshot} Snapshot */
/** @typedef {import("./ipc.js").Item} Item */

const PHASES = ["before", "during", "after"];

/** A symbol for each status; the status word beside it carries the meaning, not the colour. */
const SYMBOLS = { pass: "✔", warn: "!", fail: "✘", unknown: "?", manual: "☐", info: "i" };
const VERDICT_SYMBOLS = { ready: "✔", attention: "!", not_ready: "✘", none: "…" };

/** @param {string} template @param {Record<string, string>} args */
export function fill(template, args) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in args ? args[name] : whole));
}

/** @param {Snapshot} s @param {string} key */
const text = (s, key) => s.texts[key] ?? key;

/** @param {string} id @returns {HTMLTemplateElement} */
const template = (id) => /** @type {HTMLTemplateElement} */ (document.getElementById(id));

/** @param {Snapshot} s */
export function render(s) {
  document.documentElement.lang = s.lang;
  for (const el of document.querySelectorAll("[data-text]")) {
    el.textContent = text(s, /** @type {string} */ (el.getAttribute("data-text")));
  }
  for (const el of document.querySelectorAll("[data-title]")) {
    el.setAttribute("title", text(s, /** @type {string} */ (el.getAttribute("data-title"))));
  }
  const language = /** @type {HTMLSelectElement} */ (document.querySelector("[data-testid=language]"));
  language.value = s.lang;
  renderVerdict(s);
  renderReminder(s);
  renderPhases(s);
}

/** @param {Snapshot} s */
function renderVerdict(s) {
  const banner = /** @type {HTMLElement} */ (document.querySelector("[data-testid=verdict]"));
  const checking = s.pending.length > 0;
  const verdict = checking ? "checking" : s.verdict ?? "none";
  banner.dataset.verdict = verdict;
  /** @type {HTMLElement} */ (banner.querySelector(".verdict-symbol")).textContent =
    checking ? "…" : VERDICT_SYMBOLS[s.verdict ?? "none"];
  /** @type {HTMLElement} */ (banner.querySelector(".verdict-text")).textContent = checking
    ? text(s, "ui.checking")
    : s.verdict_text ?? text(s, "ui.not_checked");
  /** @type {HTMLElement} */ (banner.querySelector(".verdict-time")).textContent =
    s.checked_at && !checking ? fill(text(s, "ui.checked_at"), { time: s.checked_at }) : "";
  const check = /** @type {HTMLButtonElement} */ (document.querySelector("[data-testid=check]"));
  check.textContent = text(s, s.verdict ? "ui.check_again" : "ui.check");
  check.setAttribute("aria-busy", String(checking));
}

/** @param {Snapshot} s */
function renderReminder(s) {
  const panel = /** @type {HTMLElement} */ (document.querySelector("[data-testid=reminder]"));
  panel.hidden = !s.reminder;
  if (!s.reminder) return;
  panel.dataset.delivered = String(s.reminder.delivered);
  const list = /** @type {HTMLElement} */ (panel.querySelector(".reminder-lines"));
  // Delivered reminders are on the desktop already; here only the note says so.
  list.replaceChildren(
    ...(s.reminder.delivered ? [] : s.reminder.lines).map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }),
  );
  /** @type {HTMLElement} */ (panel.querySelector(".reminder-note")).textContent = s.reminder.note;
}

/** @param {Snapshot} s */
function renderPhases(s) {
  const root = /** @type {HTMLElement} */ (document.querySelector("[data-testid=checklist]"));
  for (const phase of PHASES) {
    let section = /** @type {HTMLElement | null} */ (root.querySelector(`[data-phase=${phase}]`));
    if (!section) {
      section = /** @type {HTMLElement} */ (template("phase-template").content.firstElementChild?.cloneNode(true));
      section.dataset.phase = phase;
      const heading = /** @type {HTMLElement} */ (section.querySelector("h2"));
      heading.id = `phase-${phase}`;
      section.setAttribute("aria-labelledby", heading.id);
      root.append(section);
    }
    /** @type {HTMLElement} */ (section.querySelector("h2")).textContent = text(s, `phase.${phase}`);
    const list = /** @type {HTMLElement} */ (section.querySelector(".items"));
    const wanted = s.items.filter((item) => item.phase === phase);
    const pending = s.pending.filter((item) => item.phase === phase);
    const nodes = [
      ...pending.map((item) => pendingNode(list, item, s)),
      ...wanted.map((item) => itemNode(list, item, s)),
    ];
    for (const child of [...list.children]) {
      if (!nodes.includes(/** @type {HTMLElement} */ (child))) child.remove();
    }
    nodes.forEach((node, index) => {
      if (list.children[index] !== node) list.insertBefore(node, list.children[index] ?? null);
    });
    section.hidden = nodes.length === 0;
  }
}

/** @param {HTMLElement} list @param {{id: string, title: string}} item @param {Snapshot} s */
function pendingNode(list, item, s) {
  let node = /** @type {HTMLElement | null} */ (list.querySelector(`[data-testid=pending][data-id="${item.id}"]`));
  if (!node) {
    node = /** @type {HTMLElement} */ (template("pending-template").content.firstElementChild?.cloneNode(true));
    node.dataset.id = item.id;
  }
  /** @type {HTMLElement} */ (node.querySelector(".pending-title")).textContent = item.title;
  /** @type {HTMLElement} */ (node.querySelector(".pending-text")).textContent = text(s, "ui.pending");
  return node;
}

/** @param {HTMLElement} list @param {Item} item @param {Snapshot} s */
function itemNode(list, item, s) {
  let node = /** @type {HTMLElement | null} */ (list.querySelector(`[data-testid=item][data-id="${item.id}"]`));
  if (!node) {
    node = /** @type {HTMLElement} */ (template("item-template").content.firstElementChild?.cloneNode(true));
    node.dataset.id = item.id;
    const title = /** @type {HTMLElement} */ (node.querySelector(".title"));
    title.id = `title-${item.id}`;
    node.setAttribute("aria-labelledby", title.id);
  }
  node.dataset.status = item.status;
  node.dataset.kind = item.kind;
  const set = (/** @type {string} */ selector, /** @type {string} */ value) => {
    /** @type {HTMLElement} */ (node?.querySelector(selector)).textContent = value;
  };
  set(".symbol", SYMBOLS[/** @type {keyof SYMBOLS} */ (item.status)] ?? "");
  set(".status-word", text(s, `status.${item.status}`));
  set(".title", item.title);
  set(".detail", item.detail);
  set(".advice-label", text(s, "ui.advice") + ":");
  set(".advice-text", item.advice);
  set(".source-label", text(s, "ui.source"));
  set(".source-text", item.sources.map((src) => citation(src, s)).join("; "));
  set("summary", text(s, "ui.why"));
  const quotes = /** @type {HTMLElement} */ (node.querySelector(".quotes"));
  quotes.replaceChildren(
    ...item.sources.map((src) => {
      const figure = document.createElement("figure");
      const quote = document.createElement("blockquote");
      quote.lang = "nl";
      quote.textContent = src.quote;
      const caption = document.createElement("figcaption");
      caption.textContent = citation(src, s);
      figure.append(quote, caption);
      return figure;
    }),
  );

  const manual = item.kind === "manual";
  const tick = /** @type {HTMLElement} */ (node.querySelector(".tick"));
  tick.hidden = !manual;
  const box = /** @type {HTMLInputElement} */ (node.querySelector("[data-testid=tick]"));
  box.checked = item.status === "pass" && manual;
  box.setAttribute("aria-label", item.title);
  set(".tick-label", text(s, "ui.tick"));
  const recheck = /** @type {HTMLButtonElement} */ (node.querySelector("[data-testid=recheck]"));
  recheck.hidden = manual;
  recheck.textContent = text(s, "ui.recheck_item");
  recheck.setAttribute("aria-label", fill(text(s, "ui.recheck_item_label"), { title: item.title }));
  return node;
}

/** "CED-Groep, Beeldbellen en thuiswerken: do's en don'ts — Overige adviezen …"
 * @param {{seed: string, section: string}} src @param {Snapshot} s */
function citation(src, s) {
  const seed = s.seeds[src.seed];
  return seed ? `${seed.publisher}, ${seed.title} — ${src.section}` : src.section;
}
