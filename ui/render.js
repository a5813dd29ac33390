// @ts-check
// Draws a snapshot. It never decides a status: everything shown comes from Rust. Items are kept
// by id and updated in place, so keyboard focus stays where the user left it.
//
// Order is by what needs doing: failures, then warnings and unknowns, then tick items still
// open, then items being checked and items for information; items that pass are folded into
// one line ("7 punten in orde") that opens on request, under what they are about (the call,
// the device and network, privacy); the guides' knowledge to keep in mind is folded the same
// way ("Goed om te weten"). Within a group the catalogue's order holds; each card names its
// phase (before / during / after the call).

/** @typedef {import("./ipc.js").Snapshot} Snapshot */
/** @typedef {import("./ipc.js").Item} Item */

/** A symbol for each status; the status word beside it carries the meaning, not the colour. */
const SYMBOLS = { pass: "✔", warn: "!", fail: "✘", unknown: "?", manual: "☐", info: "i" };
const VERDICT_SYMBOLS = { ready: "✔", attention: "!", not_ready: "✘", none: "…" };

/** The groups shown open, in order. Tick items stay in their group when ticked, so a box does
 * not move away under the person's hand; other items that pass are folded. */
const OPEN_GROUPS = [
  (/** @type {Item} */ i) => i.kind === "automatic" && i.status === "fail",
  (/** @type {Item} */ i) => i.kind === "automatic" && (i.status === "warn" || i.status === "unknown"),
  (/** @type {Item} */ i) => i.kind === "manual",
  (/** @type {Item} */ i) => i.kind === "automatic" && i.status === "info",
];

/** @param {string} template @param {Record<string, string>} args */
export function fill(template, args) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in args ? args[name] : whole));
}

/** @param {Snapshot} s @param {string} key */
const text = (s, key) => s.texts[key] ?? key;

/** @param {string} id @returns {HTMLTemplateElement} */
const template = (id) => /** @type {HTMLTemplateElement} */ (document.getElementById(id));

/** @param {string} css @returns {HTMLElement} */
const $ = (css) => /** @type {HTMLElement} */ (document.querySelector(css));

/** @param {Snapshot} s */
export function render(s) {
  const focus = whereFocusIs();
  document.documentElement.lang = s.lang;
  for (const el of document.querySelectorAll("[data-text]")) {
    el.textContent = text(s, /** @type {string} */ (el.getAttribute("data-text")));
  }
  for (const el of document.querySelectorAll("[data-title]")) {
    el.setAttribute("title", text(s, /** @type {string} */ (el.getAttribute("data-title"))));
  }
  for (const language of /** @type {NodeListOf<HTMLSelectElement>} */ (
    document.querySelectorAll("[data-testid=language], [data-testid=welcome-language]"))) {
    language.value = s.lang;
  }
  renderVerdict(s);
  renderReminder(s);
  renderNotices(s);
  renderCalendarSettings(s);
  renderPreferences(s);
  renderChecklist(s);
  renderApps(s);
  putFocusBack(focus);
}

/** The item and control that hold the keyboard focus, if any. */
function whereFocusIs() {
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const item = /** @type {HTMLElement | null | undefined} */ (active?.closest("[data-id]"));
  if (!active || !item) return null;
  return { id: item.dataset.id, testid: active.dataset.testid };
}

/** An item that moved (checked again, now folded) or was replaced by its "being checked" row
 * would drop the focus to the page: put it back on the same control, else on the item, else on
 * the fold that now holds it.
 * @param {{id?: string, testid?: string} | null} focus */
function putFocusBack(focus) {
  if (!focus || (document.activeElement && document.activeElement !== document.body)) return;
  const item = /** @type {HTMLElement | null} */ (document.querySelector(`[data-id="${focus.id}"]`));
  if (!item) return;
  const fold = /** @type {HTMLDetailsElement | null} */ (item.closest("details"));
  if (fold && !fold.open) {
    /** @type {HTMLElement} */ (fold.querySelector("summary")).focus();
    return;
  }
  const control = /** @type {HTMLElement | null} */ (
    focus.testid ? item.querySelector(`[data-testid="${focus.testid}"]`) : null
  );
  (control && !control.closest("[hidden]") ? control : item).focus();
}

/** @param {Snapshot} s */
function renderVerdict(s) {
  const banner = $("[data-testid=verdict]");
  const checking = s.pending.length > 0;
  const line = checking ? null : s.verdict_line;
  banner.dataset.verdict = checking ? "checking" : line?.verdict ?? "none";
  /** @type {HTMLElement} */ (banner.querySelector(".verdict-symbol")).textContent =
    checking ? "…" : VERDICT_SYMBOLS[line?.verdict ?? "none"];
  const words = /** @type {HTMLElement} */ (banner.querySelector(".verdict-text"));
  // Rewritten only when it changes: a screen reader reads the live region again on each change.
  const said = JSON.stringify([checking, line, s.lang]);
  if (words.dataset.said === said) {
    // unchanged
  } else if (!line) {
    words.textContent = text(s, checking ? "ui.checking" : "ui.not_checked");
  } else {
    // "Nog niet klaar: Zoom is open · geen microfoon", each name a link to its item.
    const parts = [];
    line.blockers.forEach((blocker, i) => {
      if (i > 0) parts.push(" · ");
      const link = document.createElement("a");
      link.href = `#item-${blocker.id}`;
      link.dataset.testid = "blocker";
      link.dataset.target = blocker.id;
      link.textContent = blocker.label;
      parts.push(link);
    });
    if (line.tail) parts.push(`${line.blockers.length ? " · " : ""}${line.tail}`);
    words.replaceChildren(line.lead, ...(parts.length ? [" ", ...parts] : []));
  }
  words.dataset.said = said;
  /** @type {HTMLElement} */ (banner.querySelector(".verdict-time")).textContent =
    s.checked_at && !checking ? fill(text(s, "ui.checked_at"), { time: s.checked_at }) : "";
  const check = /** @type {HTMLButtonElement} */ ($("[data-testid=check]"));
  check.textContent = text(s, s.verdict ? "ui.check_again" : "ui.check");
  check.setAttribute("aria-busy", String(checking));
}

/** @param {Snapshot} s */
function renderReminder(s) {
  const due = $("[data-testid=reminder-due]");
  due.hidden = !s.reminder_due;
  /** @type {HTMLElement} */ (due.querySelector(".reminder-due-text")).textContent = s.reminder_due
    ? fill(text(s, "ui.reminder_due"), { time: s.reminder_due })
    : "";
  // The reminder floats over the page, so it never pushes it down; "OK" puts it away.
  const panel = $("[data-testid=reminder]");
  panel.hidden = !s.reminder || panel.dataset.dismissed === String(s.reminder.id);
  if (!s.reminder) return;
  panel.dataset.id = String(s.reminder.id);
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
function renderNotices(s) {
  // The organisation's policy: in force, or with mistakes (the details name each one).
  const policy = $("[data-testid=policy-notice]");
  policy.hidden = !s.policy_notice;
  /** @type {HTMLElement} */ (policy.querySelector(".notice-text")).textContent = s.policy_notice?.text ?? "";
  /** @type {HTMLElement} */ (policy.querySelector(".notice-details")).textContent =
    s.policy_notice?.details ?? "";
  const problem = $("[data-testid=settings-problem]");
  problem.hidden = !s.settings_problem;
  /** @type {HTMLElement} */ (problem.querySelector(".notice-text")).textContent = s.settings_problem?.text ?? "";
  /** @type {HTMLElement} */ (problem.querySelector(".notice-details")).textContent =
    s.settings_problem?.details ?? "";
  $("[data-testid=no-tray]").hidden = s.tray;
  const next = $("[data-testid=next-meeting]");
  next.hidden = !s.next_meeting;
  next.textContent = s.next_meeting ?? "";
  const calendars = $("[data-testid=calendars]");
  calendars.hidden = s.calendars.length === 0;
  calendars.replaceChildren(
    ...s.calendars.map((c) => {
      const li = document.createElement("li");
      li.dataset.problem = String(c.problem);
      // The word says it is a problem; the colour only repeats it.
      const label = text(s, c.problem ? "ui.calendar_problem" : "ui.calendar");
      li.textContent = `${fill(label, { name: c.name })} ${c.text}`;
      return li;
    }),
  );
}

/** The calendars added, each with a button to remove it; the outcome of the last change.
 * @param {Snapshot} s */
function renderCalendarSettings(s) {
  const settings = s.calendar_settings;
  $("[data-testid=no-calendars]").hidden = settings.calendars.length > 0;
  // Drawn again only when it changed, so a focused button stays where it is.
  const list = $("[data-testid=calendar-list]");
  const drawn = JSON.stringify([s.lang, settings.calendars]);
  if (list.dataset.drawn === drawn) return renderCalendarNotice(s);
  list.dataset.drawn = drawn;
  list.replaceChildren(
    ...settings.calendars.map((c) => {
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = c.name;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.dataset.testid = "remove-calendar";
      remove.dataset.name = c.name;
      remove.textContent = text(s, "ui.remove_calendar");
      remove.setAttribute("aria-label", fill(text(s, "ui.remove_calendar_named"), { name: c.name }));
      li.append(name, " ", remove);
      return li;
    }),
  );
  renderCalendarNotice(s);
}

/** The welcome at first start, and the profile and the items that do not apply to this person.
 * @param {Snapshot} s */
function renderPreferences(s) {
  const p = s.preferences;
  $("[data-testid=welcome]").hidden = p.welcomed;
  for (const select of /** @type {NodeListOf<HTMLSelectElement>} */ (
    document.querySelectorAll("[data-testid=profile], [data-testid=welcome-profile]"))) {
    const drawn = JSON.stringify(p.profiles);
    if (select.dataset.drawn !== drawn) {
      select.dataset.drawn = drawn;
      select.replaceChildren(...p.profiles.map((choice) => {
        const option = document.createElement("option");
        option.value = choice.key;
        option.textContent = choice.label;
        return option;
      }));
    }
    if (document.activeElement !== select) select.value = p.profile;
    select.disabled = p.profile_by_organisation;
  }
  for (const note of document.querySelectorAll("[data-testid=profile-by-organisation]")) {
    /** @type {HTMLElement} */ (note).hidden = !p.profile_by_organisation;
  }
  const minutes = /** @type {HTMLSelectElement} */ ($("[data-testid=remind-minutes]"));
  minutes.disabled = p.remind_minutes_by_organisation !== null;
  // The organisation may choose minutes the menu does not offer (1 to 60): show them as such.
  const chosen = String(p.remind_minutes_by_organisation ?? "");
  if (chosen && ![...minutes.options].some((o) => o.value === chosen)) {
    const option = document.createElement("option");
    option.value = chosen;
    option.textContent = fill(text(s, "ui.remind_minutes_n"), { minutes: chosen });
    minutes.append(option);
  }
  if (chosen) minutes.value = chosen;
  const byOrganisation = $("[data-testid=remind-minutes-by-organisation]");
  byOrganisation.hidden = p.remind_minutes_by_organisation === null;
  byOrganisation.textContent = p.remind_minutes_by_organisation === null ? "" : fill(
    text(s, "ui.remind_minutes_by_organisation"), { minutes: String(p.remind_minutes_by_organisation) });
  // Drawn again only when it changed, so a focused box stays where it is.
  const list = $("[data-testid=not-applicable-list]");
  const drawn = JSON.stringify([s.lang, p.items]);
  if (list.dataset.drawn === drawn) return;
  list.dataset.drawn = drawn;
  list.replaceChildren(...p.items.map((item) => {
    const li = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.testid = "not-applicable";
    box.dataset.id = item.id;
    box.checked = item.not_applicable;
    box.disabled = item.locked !== null;
    label.append(box, " ", item.title);
    li.append(label);
    if (item.locked !== null) {
      const why = document.createElement("span");
      why.className = "hint";
      why.dataset.testid = "locked";
      why.dataset.id = item.id;
      why.textContent = ` (${item.locked})`;
      li.append(why);
    }
    return li;
  }));
}

/** How the last change went, and the reminder minutes.
 * @param {Snapshot} s */
function renderCalendarNotice(s) {
  const settings = s.calendar_settings;
  // The same notice below the form in the settings and in the welcome.
  for (const notice of /** @type {HTMLElement[]} */ (Array.from(
    document.querySelectorAll("[data-testid=calendar-notice], [data-testid=welcome-calendar-notice]")))) {
    notice.hidden = !settings.notice;
    notice.dataset.problem = String(settings.notice?.problem ?? false);
    notice.textContent = settings.notice?.text ?? "";
  }
  const dnd = /** @type {HTMLInputElement} */ ($("[data-testid=do-not-disturb]"));
  const unavailable = settings.do_not_disturb_unavailable;
  dnd.checked = settings.do_not_disturb && !unavailable;
  dnd.disabled = Boolean(unavailable);
  $("[data-testid=dnd-hint]").hidden = Boolean(unavailable);
  const why = $("[data-testid=dnd-unavailable]");
  why.hidden = !unavailable;
  why.textContent = unavailable ?? "";
  const minutes = /** @type {HTMLSelectElement} */ ($("[data-testid=remind-minutes]"));
  if (document.activeElement !== minutes) minutes.value = String(settings.remind_minutes);
}

/** @param {Snapshot} s */
function renderChecklist(s) {
  const open = $("[data-testid=checklist]");
  const fold = /** @type {HTMLDetailsElement} */ ($("[data-testid=passed]"));
  const [fails, warnings, ticks, infos] = OPEN_GROUPS.map((group) => s.items.filter(group));
  const shown = [
    ...fails.map((item) => itemNode(item, s)),
    ...warnings.map((item) => itemNode(item, s)),
    ...ticks.map((item) => itemNode(item, s)),
    ...s.pending.map((item) => pendingNode(item, s)),
    ...infos.map((item) => itemNode(item, s)),
  ];
  // Every node is looked up (or made) before any is moved, so an item going from the open list
  // into a fold is moved, not made again (its open details and focus stay).
  const passed = s.items.filter((i) => i.kind === "automatic" && i.status === "pass");
  const toKnow = s.items.filter((i) => i.kind === "information");
  const passedNodes = passed.map((item) => itemNode(item, s));
  const knowNodes = toKnow.map((item) => itemNode(item, s));
  place(open, shown);
  placeGrouped(fold, passed, passedNodes, s);
  /** @type {HTMLElement} */ (fold.querySelector(".passed-summary")).textContent = fill(
    text(s, passed.length === 1 ? "ui.passed_one" : "ui.passed"),
    { n: String(passed.length) },
  );
  const knowFold = /** @type {HTMLDetailsElement} */ ($("[data-testid=to-know]"));
  placeGrouped(knowFold, toKnow, knowNodes, s);
  /** @type {HTMLElement} */ (knowFold.querySelector(".to-know-summary")).textContent = fill(
    text(s, "ui.to_know"),
    { n: String(toKnow.length) },
  );
}

/** Puts `items` (drawn as `nodes`) into the fold's three groups (a heading each; an empty
 * group hidden), and hides the fold when it holds nothing.
 * @param {HTMLDetailsElement} fold @param {Item[]} items @param {HTMLElement[]} nodes
 * @param {Snapshot} s */
function placeGrouped(fold, items, nodes, s) {
  fold.hidden = items.length === 0;
  const groups = /** @type {HTMLElement} */ (fold.querySelector(".groups"));
  if (!groups.firstElementChild) groups.append(template("groups-template").content.cloneNode(true));
  for (const section of groups.querySelectorAll("section[data-group]")) {
    const group = /** @type {HTMLElement} */ (section).dataset.group;
    const heading = /** @type {HTMLElement} */ (section.querySelector("h3"));
    heading.textContent = text(s, `group.${group}`);
    const mine = nodes.filter((_, index) => items[index].group === group);
    /** @type {HTMLElement} */ (section).hidden = mine.length === 0;
    place(/** @type {HTMLElement} */ (section.querySelector(".items")), mine);
  }
}

/** The guides' table of video-call apps: each app with its rating in words (never colour
 * alone), what the other side needs and the table's remark; then the consumer apps and the
 * caution. Drawn again only when the language changes.
 * @param {Snapshot} s */
function renderApps(s) {
  const view = $("[data-testid=apps]");
  // Drawn again when the language, the profile (which guide leads) or the organisation's word
  // on an app changes.
  const drawn = JSON.stringify([s.lang, s.preferences.profile, s.apps.rows.map((r) => r.organisation_text)]);
  if (view.dataset.drawn === drawn) return;
  view.dataset.drawn = drawn;
  const body = /** @type {HTMLElement} */ (view.querySelector("tbody"));
  body.replaceChildren(
    ...s.apps.rows.map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.testid = "apps-row";
      tr.dataset.app = row.app;
      tr.dataset.avg = row.avg;
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = row.label;
      // The guide's rating, and what the organisation decided beside it.
      const rating = row.organisation_text ? `${row.rating} · ${row.organisation_text}` : row.rating;
      const cells = [rating, row.needs ?? "", row.remark ?? ""].map((value) => {
        const td = document.createElement("td");
        td.textContent = value;
        return td;
      });
      tr.append(name, ...cells);
      return tr;
    }),
  );
  /** @type {HTMLElement} */ (view.querySelector(".apps-caption")).textContent = text(s, "ui.apps_caption");
  /** @type {HTMLElement} */ (view.querySelector(".apps-advice")).textContent = s.apps.advice;
  /** @type {HTMLElement} */ (view.querySelector(".apps-consumer-title")).textContent = text(s, "ui.apps_consumer");
  /** @type {HTMLElement} */ (view.querySelector(".apps-consumer")).replaceChildren(
    ...s.apps.consumer.apps.map((app) => {
      const li = document.createElement("li");
      li.dataset.avg = app.avg;
      li.textContent = app.organisation_text
        ? `${app.name}: ${app.rating} · ${app.organisation_text}`
        : `${app.name}: ${app.rating}`;
      return li;
    }),
  );
  /** @type {HTMLElement} */ (view.querySelector(".apps-caution")).textContent = s.apps.consumer.caution;
  /** @type {HTMLElement} */ (view.querySelector(".apps-sources")).textContent = s.apps.sources
    .map((src) => `${text(s, "ui.source")}: ${citation(src, s)}`)
    .join(" · ");
}

/** Puts `nodes` into `list` in this order, moving nodes only where needed (focus stays).
 * @param {HTMLElement} list @param {HTMLElement[]} nodes */
function place(list, nodes) {
  for (const child of [...list.children]) {
    if (!nodes.includes(/** @type {HTMLElement} */ (child))) child.remove();
  }
  nodes.forEach((node, index) => {
    if (list.children[index] !== node) list.insertBefore(node, list.children[index] ?? null);
  });
}

/** @param {{id: string, phase: string, title: string}} item @param {Snapshot} s */
function pendingNode(item, s) {
  let node = /** @type {HTMLElement | null} */ (document.querySelector(`[data-testid=pending][data-id="${item.id}"]`));
  if (!node) {
    node = /** @type {HTMLElement} */ (template("pending-template").content.firstElementChild?.cloneNode(true));
    node.dataset.id = item.id;
  }
  /** @type {HTMLElement} */ (node.querySelector(".pending-title")).textContent = item.title;
  /** @type {HTMLElement} */ (node.querySelector(".pending-text")).textContent = text(s, "ui.pending");
  return node;
}

/** @param {Item} item @param {Snapshot} s */
function itemNode(item, s) {
  let node = /** @type {HTMLElement | null} */ (document.querySelector(`[data-testid=item][data-id="${item.id}"]`));
  if (!node) {
    node = /** @type {HTMLElement} */ (template("item-template").content.firstElementChild?.cloneNode(true));
    node.dataset.id = item.id;
    node.id = `item-${item.id}`;
    const title = /** @type {HTMLElement} */ (node.querySelector(".title"));
    title.id = `title-${item.id}`;
    node.setAttribute("aria-labelledby", title.id);
    const box = /** @type {HTMLInputElement} */ (node.querySelector("[data-testid=tick]"));
    box.id = `tick-${item.id}`;
  }
  node.dataset.status = item.status;
  node.dataset.kind = item.kind;
  const set = (/** @type {string} */ selector, /** @type {string} */ value) => {
    /** @type {HTMLElement} */ (node?.querySelector(selector)).textContent = value;
  };
  const manual = item.kind === "manual";
  // Knowledge to keep in mind: its advice is its main line, and there is nothing to check again.
  const knowledge = item.kind === "information";
  set(".symbol", manual ? "" : SYMBOLS[/** @type {keyof SYMBOLS} */ (item.status)] ?? "");
  set(".status-word", text(s, `status.${item.status}`));
  set(".title-label", item.title);
  set(".phase-label", text(s, `phase.${item.phase}`));
  set(".group-label", text(s, `group.${item.group}`));
  set(".detail", item.detail);
  // Which parts come from the organisation, or the person's own "not applicable".
  const tailoring = item.tailoring ?? [];
  set(".tailoring", tailoring.join(" · "));
  /** @type {HTMLElement} */ (node.querySelector(".tailoring")).hidden = tailoring.length === 0;
  set(".advice-label", text(s, "ui.advice") + ":");
  set(".advice-text", item.advice);
  /** @type {HTMLElement} */ (node.querySelector(".advice")).hidden = knowledge;
  set(".why summary", text(s, "ui.why"));

  // Figures (dBm, dBFS, interface names, paths) only when asked for.
  const figures = /** @type {HTMLDetailsElement} */ (node.querySelector("[data-testid=details]"));
  figures.hidden = item.details.length === 0;
  set(".figures summary", text(s, "ui.details"));
  /** @type {HTMLElement} */ (figures.querySelector(".figure-lines")).replaceChildren(
    ...item.details.map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }),
  );

  // When Klaar could not tell, the person can pass the details on to their helpdesk.
  // Not where Klaar cannot check this on this system at all: there is nothing to pass on.
  const helpdesk = /** @type {HTMLElement} */ (node.querySelector(".helpdesk"));
  helpdesk.hidden = !s.helpdesk || item.status !== "unknown" || item.reason?.kind === "unsupported";
  set("[data-testid=helpdesk]", text(s, "ui.helpdesk_copy"));
  node.querySelector("[data-testid=helpdesk-text]")?.setAttribute("aria-label", text(s, "ui.helpdesk_label"));

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

  // A tick item's box is the control, named by the item's title through its label.
  const box = /** @type {HTMLInputElement} */ (node.querySelector("[data-testid=tick]"));
  box.hidden = !manual;
  box.checked = manual && item.status === "pass";
  const label = /** @type {HTMLLabelElement} */ (node.querySelector(".title-label"));
  if (manual) label.htmlFor = box.id;
  else label.removeAttribute("for");
  const recheck = /** @type {HTMLButtonElement} */ (node.querySelector("[data-testid=recheck]"));
  recheck.hidden = manual || knowledge;
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

/** The device pickers. First "as your computer chooses" (the default, which follows the
 * system when a headset is plugged in later), then every device by name; the chosen one
 * selected.
 * @param {import("./ipc.js").DeviceView} view @param {Record<string, string>} texts */
export function renderDevices(view, texts) {
  const lists = { camera: view.available.cameras, microphone: view.available.microphones, speakers: view.available.speakers };
  for (const [kind, devices] of Object.entries(lists)) {
    const select = /** @type {HTMLSelectElement} */ ($(`[data-testid=pick-${kind}]`));
    const chosen = /** @type {Record<string, string | null>} */ (view.chosen)[kind] ?? "";
    const option = (/** @type {string} */ value, /** @type {string} */ label) => {
      const element = document.createElement("option");
      element.value = value;
      element.textContent = label;
      element.selected = value === chosen;
      return element;
    };
    const automatic = kind === "camera" ? "ui.default_camera" : "ui.default_device";
    const options = devices.length === 0
      ? [option("", texts[`ui.no_${kind}`] ?? "")]
      : [
        option("", fill(texts[automatic] ?? "{name}", { name: devices[0].name })),
        ...devices.filter((d) => d.id !== "").map((d) => option(d.id, d.name)),
      ];
    select.replaceChildren(...options);
    select.disabled = devices.length === 0;
    if (!options.some((o) => o.selected)) select.selectedIndex = 0;
  }
}
