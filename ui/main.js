// @ts-check
// Wires the user's intents to Rust and every snapshot to the screen.

import * as ipc from "./ipc.js";
import { fill, render, renderDevices } from "./render.js";

/** @type {import("./ipc.js").Snapshot | null} */
let current = null;
/** When the user last clicked "check", to measure how soon the first item shows. */
let clickedAt = 0;

/** @param {string} key @param {Record<string, string>} [args] */
const say = (key, args = {}) => fill(current?.texts[key] ?? key, args);

/** @param {string} testid @returns {HTMLElement} */
const byTestId = (testid) => /** @type {HTMLElement} */ (document.querySelector(`[data-testid=${testid}]`));

/** @param {import("./ipc.js").Snapshot} snapshot */
function show(snapshot) {
  // A command's answer can arrive after the events that followed it: keep the newest.
  if (current && snapshot.revision < current.revision) return;
  const languageChanged = current?.lang !== snapshot.lang;
  current = snapshot;
  render(snapshot);
  if (languageChanged) {
    renderSelfViewToggle();
    refreshDevices();
  }
  if (clickedAt && snapshot.items.some((item) => item.kind !== "manual")) {
    // Read by `cargo xtask bench`: click to first item on screen.
    document.body.dataset.firstItemMs = String(Math.round(performance.now() - clickedAt));
    clickedAt = 0;
  }
}

/** @param {unknown} e */
function showError(e) {
  const error = byTestId("error");
  const message = /** @type {{message?: string}} */ (e)?.message ?? String(e);
  error.textContent = say("ui.error", { message });
  error.hidden = false;
}

/** @param {Promise<import("./ipc.js").Snapshot>} call */
async function run(call) {
  try {
    show(await call);
    byTestId("error").hidden = true;
  } catch (e) {
    showError(e);
  }
}

/** @param {string} testid @param {(event: Event) => void} handler */
function on(testid, handler, type = "click") {
  document.querySelector(`[data-testid=${testid}]`)?.addEventListener(type, handler);
}

on("check", () => {
  clickedAt = performance.now();
  delete document.body.dataset.firstItemMs;
  run(ipc.startCheck());
});
on("remind-now", () => run(ipc.remindNow()));
on("remind-later", () => run(ipc.remindLater()));
on("cancel-reminder", () => run(ipc.cancelReminder()));
on("dismiss-reminder", () => {
  const panel = byTestId("reminder");
  panel.dataset.dismissed = panel.dataset.id ?? "";
  panel.hidden = true;
});
on("new-call", () => run(ipc.newCall()));
/** Adds the address in `${prefix}calendar-address`, if any: the field is emptied first (the
 * address is a password and should not stay on screen, while sharing it, say), and `buttons`
 * wait while it is fetched, which may take a few seconds. Resolves to whether it was added.
 * @param {string} prefix "" or "welcome-" @param {string[]} buttons */
async function addCalendar(prefix, buttons) {
  const field = /** @type {HTMLInputElement} */ (byTestId(`${prefix}calendar-address`));
  const given = field.value.trim();
  if (!given) return false;
  field.value = "";
  for (const b of buttons) byTestId(b).setAttribute("disabled", "");
  try {
    const snapshot = await ipc.addCalendar(given);
    show(snapshot);
    return !snapshot.calendar_settings.notice?.problem;
  } catch (e) {
    showError(e);
    return false;
  } finally {
    for (const b of buttons) byTestId(b).removeAttribute("disabled");
  }
}
const WELCOME_BUTTONS = ["welcome-add-calendar", "welcome-done", "welcome-skip"];
on("add-calendar-form", (event) => {
  event.preventDefault();
  addCalendar("", ["add-calendar"]);
}, "submit");
on("welcome-add-calendar-form", (event) => {
  event.preventDefault();
  addCalendar("welcome-", WELCOME_BUTTONS);
}, "submit");
on("calendar-list", (event) => {
  const button = /** @type {HTMLElement} */ (event.target).closest("[data-testid=remove-calendar]");
  if (button) run(ipc.removeCalendar(/** @type {string} */ (button.getAttribute("data-name"))));
});
on("remind-minutes", (event) =>
  run(ipc.setRemindMinutes(Number(/** @type {HTMLSelectElement} */ (event.target).value))), "change");
on("do-not-disturb", (event) =>
  run(ipc.setDoNotDisturb(/** @type {HTMLInputElement} */ (event.target).checked)), "change");
for (const id of ["language", "welcome-language"]) {
  on(id, (event) => run(ipc.setLanguage(/** @type {HTMLSelectElement} */ (event.target).value)), "change");
}
for (const id of ["profile", "welcome-profile"]) {
  on(id, (event) => run(ipc.setProfile(/** @type {HTMLSelectElement} */ (event.target).value)), "change");
}
on("not-applicable-list", (event) => {
  const box = /** @type {HTMLInputElement} */ (event.target);
  if (box.matches("[data-testid=not-applicable]")) run(ipc.setNotApplicable(/** @type {string} */ (box.dataset.id), box.checked));
}, "change");
on("welcome-done", async () => {
  const login = /** @type {HTMLInputElement} */ (byTestId("welcome-login")).checked;
  // An address pasted but not yet added is added now; while that fails, the welcome stays
  // open with the reason beside the field.
  const pasted = /** @type {HTMLInputElement} */ (byTestId("welcome-calendar-address")).value.trim();
  if (pasted && !(await addCalendar("welcome-", WELCOME_BUTTONS))) return;
  run(ipc.finishWelcome(login));
});
on("welcome-skip", () => {
  /** @type {HTMLInputElement} */ (byTestId("welcome-calendar-address")).value = "";
  run(ipc.finishWelcome(false));
});

/** Clicks inside the checklist (open and folded items alike). */
document.querySelector(".checklist")?.addEventListener("click", (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  const id = target.closest("[data-id]")?.getAttribute("data-id");
  if (!id) return;
  if (target.matches("[data-testid=recheck]")) run(ipc.recheckItem(id));
  if (target.matches("[data-testid=tick]")) run(ipc.setTick(id, /** @type {HTMLInputElement} */ (target).checked));
  if (target.matches("[data-testid=helpdesk]")) copyForHelpdesk(/** @type {HTMLElement} */ (target.closest(".helpdesk")));
});

/** A name in the verdict takes the person to its item, and the keyboard focus with it. */
on("verdict", (event) => {
  const link = /** @type {HTMLElement} */ (event.target).closest("[data-testid=blocker]");
  if (!link) return;
  event.preventDefault();
  const item = document.getElementById(`item-${link.getAttribute("data-target")}`);
  const fold = item?.closest("details");
  if (fold) /** @type {HTMLDetailsElement} */ (fold).open = true;
  item?.scrollIntoView({ block: "center" });
  item?.focus();
});

/** "Kopieer gegevens voor de helpdesk": puts the text on the clipboard where the page may, and
 * shows it selected in any case, so Ctrl+C copies it.
 * @param {HTMLElement} box */
async function copyForHelpdesk(box) {
  const status = /** @type {HTMLElement} */ (box.querySelector(".helpdesk-status"));
  const area = /** @type {HTMLTextAreaElement} */ (box.querySelector(".helpdesk-text"));
  status.textContent = say("ui.helpdesk_gathering");
  try {
    const details = await ipc.helpdeskText();
    area.value = details;
    area.hidden = false;
    area.focus();
    area.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(details);
      copied = true;
    } catch {
      copied = document.execCommand?.("copy") ?? false;
    }
    status.textContent = say(copied ? "ui.helpdesk_copied" : "ui.helpdesk_select");
  } catch {
    status.textContent = say("ui.helpdesk_failed");
  }
}

/** Shows where a sound test is; `key` names a text in the `[ui]` section. */
function mediaStatus(/** @type {string} */ key, args = {}) {
  const status = byTestId("media-status");
  status.dataset.stage = key;
  status.textContent = say(key, args);
}

/** @param {unknown} e */
function mediaFailed(e) {
  const error = /** @type {{kind?: string, message?: string}} */ (e);
  mediaStatus(`ui.sound_${error?.kind ?? "sound_failed"}`, { message: error?.message ?? "" });
}

/** Runs one sound test at a time; the buttons wait meanwhile. */
async function soundTest(/** @type {() => Promise<void>} */ steps) {
  const buttons = document.querySelectorAll(".media button");
  buttons.forEach((b) => b.setAttribute("disabled", ""));
  try {
    await steps();
  } catch (e) {
    mediaFailed(e);
  } finally {
    buttons.forEach((b) => b.removeAttribute("disabled"));
  }
}

on("test-speakers", () =>
  soundTest(async () => {
    mediaStatus("ui.speakers_playing");
    const played = await ipc.testSpeakers();
    mediaStatus("ui.speakers_done", { device: played.device });
  }));

/** Seconds "hear yourself" records; Rust records exactly this long. */
const RECORD_SECONDS = 5;
on("hear-yourself", () =>
  soundTest(async () => {
    let left = RECORD_SECONDS;
    const tell = () => mediaStatus(left === 1 ? "ui.recording_one" : "ui.recording", { seconds: String(left) });
    tell();
    const countdown = window.setInterval(() => {
      left = Math.max(1, left - 1);
      tell();
    }, 1000);
    try {
      await ipc.recordYourself();
    } finally {
      window.clearInterval(countdown);
    }
    mediaStatus("ui.playing_back");
    const played = await ipc.playBack();
    mediaStatus("ui.hear_done", { device: played.device });
  }));

/** The device pickers: a choice is remembered and used from then on. */
async function refreshDevices() {
  try {
    renderDevices(await ipc.devices(), current?.texts ?? {});
  } catch (e) {
    showError(e);
  }
}
for (const kind of ["camera", "microphone", "speakers"]) {
  on(`pick-${kind}`, async (event) => {
    const select = /** @type {HTMLSelectElement} */ (event.target);
    try {
      renderDevices(await ipc.chooseDevice(kind, select.value || null), current?.texts ?? {});
    } catch (e) {
      showError(e);
    }
  }, "change");
}

/** The self-view: asks for a frame a few times a second while shown and the window is
 * visible. When it stops asking, Klaar closes the camera by itself. */
let selfViewOn = false;
let selfViewTimer = 0;

function renderSelfViewToggle() {
  const toggle = byTestId("self-view-toggle");
  toggle.setAttribute("aria-pressed", String(selfViewOn));
  toggle.textContent = say(selfViewOn ? "ui.self_view_hide" : "ui.self_view_show");
  byTestId("self-view-box").hidden = !selfViewOn;
}

async function selfViewTick() {
  selfViewTimer = 0;
  if (!selfViewOn || document.hidden) return;
  const frame = await ipc.selfView().catch(() => null);
  const img = /** @type {HTMLImageElement} */ (byTestId("self-view"));
  const light = byTestId("self-view-light");
  img.alt = say("ui.self_view_alt");
  if (frame?.image) img.src = frame.image;
  img.hidden = !frame?.image;
  light.dataset.status = frame?.light?.status ?? "";
  light.textContent = frame?.light?.detail
    ?? say(frame?.problem ? `ui.self_view_${frame.problem}` : "ui.self_view_waiting");
  if (selfViewOn && !document.hidden) selfViewTimer = window.setTimeout(selfViewTick, 250);
}

on("self-view-toggle", () => {
  selfViewOn = !selfViewOn;
  renderSelfViewToggle();
  if (selfViewOn && !selfViewTimer) selfViewTick();
});

/** The live level meter: while the window is visible it asks for the level several times a
 * second; when it stops asking, Klaar closes the microphone by itself. The level shows as a bar
 * and a word; the figure stays out of sight. */
let meterTimer = 0;
async function meterTick() {
  meterTimer = 0;
  if (document.hidden) return;
  const level = await ipc.micLevel().catch(() => null);
  const meter = /** @type {HTMLMeterElement} */ (byTestId("mic-level"));
  const words = byTestId("mic-level-text");
  if (level?.dbfs != null) {
    meter.value = Math.max(-60, level.dbfs);
    words.dataset.dbfs = String(level.dbfs);
    words.textContent = say(levelWord(level.dbfs));
  } else if (level?.problem) {
    meter.value = -60;
    words.textContent = say(`ui.sound_${level.problem}`);
  }
  if (!document.hidden) meterTimer = window.setTimeout(meterTick, 150);
}

/** The level in a word. Bands: below −55 dBFS hardly a sound; below −35 soft; above −6 near
 * distortion (WebRTC's own target range for speech is −50 to −30 dBFS with headroom above). */
function levelWord(/** @type {number} */ dbfs) {
  if (dbfs < -55) return "ui.level_silent";
  if (dbfs < -35) return "ui.level_soft";
  if (dbfs < -6) return "ui.level_good";
  return "ui.level_loud";
}

/** Coming back into view: a check older than a few minutes is done again. */
document.addEventListener("visibilitychange", () => {
  if (document.hidden) return;
  if (selfViewOn && !selfViewTimer) selfViewTick();
  if (!meterTimer) meterTick();
  run(ipc.freshen());
  refreshDevices();
});
meterTick();

ipc.onSnapshot(show);
// The window checks by itself when it opens (a check takes about a second), unless one ran
// moments ago; it never shows an old verdict as if it were current.
run(ipc.freshen()).then(() => current || run(ipc.snapshot()));
