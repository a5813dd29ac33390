// @ts-check
// Wires the user's intents to Rust and every snapshot to the screen.

import * as ipc from "./ipc.js";
import { fill, render } from "./render.js";

/** @type {import("./ipc.js").Snapshot | null} */
let current = null;
/** When the user last clicked "check", to measure how soon the first item shows. */
let clickedAt = 0;

/** @param {import("./ipc.js").Snapshot} snapshot */
function show(snapshot) {
  // A command's answer can arrive after the events that followed it: keep the newest.
  if (current && snapshot.revision < current.revision) return;
  current = snapshot;
  render(snapshot);
  if (clickedAt && snapshot.items.some((item) => item.kind !== "manual")) {
    // Read by `cargo xtask bench`: click to first item on screen.
    document.body.dataset.firstItemMs = String(Math.round(performance.now() - clickedAt));
    clickedAt = 0;
  }
}

/** @param {Promise<import("./ipc.js").Snapshot>} call */
async function run(call) {
  const error = /** @type {HTMLElement} */ (document.querySelector("[data-testid=error]"));
  try {
    show(await call);
    error.hidden = true;
  } catch (e) {
    const message = /** @type {{message?: string}} */ (e)?.message ?? String(e);
    error.textContent = fill(current?.texts["ui.error"] ?? "{message}", { message });
    error.hidden = false;
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
on("new-call", () => run(ipc.newCall()));
on("language", (event) => run(ipc.setLanguage(/** @type {HTMLSelectElement} */ (event.target).value)), "change");
on("checklist", (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  const id = target.closest("[data-id]")?.getAttribute("data-id");
  if (!id) return;
  if (target.matches("[data-testid=recheck]")) run(ipc.recheckItem(id));
  if (target.matches("[data-testid=tick]")) run(ipc.setTick(id, /** @type {HTMLInputElement} */ (target).checked));
});

/** Shows where a sound test is; `key` names a text in the `[ui]` section. */
function mediaStatus(/** @type {string} */ key, args = {}) {
  const status = /** @type {HTMLElement} */ (document.querySelector("[data-testid=media-status]"));
  status.dataset.stage = key;
  status.textContent = fill(current?.texts[key] ?? key, args);
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
on("hear-yourself", () =>
  soundTest(async () => {
    mediaStatus("ui.recording");
    await ipc.recordYourself();
    mediaStatus("ui.playing_back");
    const played = await ipc.playBack();
    mediaStatus("ui.hear_done", { device: played.device });
  }));

/** The self-view: asks for a frame a few times a second while shown and the window is
 * visible. When it stops asking, Klaar closes the camera by itself. */
let selfViewOn = false;
let selfViewTimer = 0;

function renderSelfViewToggle() {
  const toggle = /** @type {HTMLElement} */ (document.querySelector("[data-testid=self-view-toggle]"));
  toggle.setAttribute("aria-pressed", String(selfViewOn));
  toggle.textContent = current?.texts[selfViewOn ? "ui.self_view_hide" : "ui.self_view_show"] ?? "";
  /** @type {HTMLElement} */ (document.querySelector("[data-testid=self-view-box]")).hidden = !selfViewOn;
}

async function selfViewTick() {
  selfViewTimer = 0;
  if (!selfViewOn || document.hidden) return;
  const frame = await ipc.selfView().catch(() => null);
  const img = /** @type {HTMLImageElement} */ (document.querySelector("[data-testid=self-view]"));
  const light = /** @type {HTMLElement} */ (document.querySelector("[data-testid=self-view-light]"));
  img.alt = current?.texts["ui.self_view_alt"] ?? "";
  if (frame?.image) img.src = frame.image;
  light.dataset.status = frame?.light?.status ?? "";
  light.textContent = frame?.light?.detail
    ?? current?.texts[frame?.problem ? "ui.self_view_problem" : "ui.self_view_waiting"] ?? "";
  if (selfViewOn && !document.hidden) selfViewTimer = window.setTimeout(selfViewTick, 250);
}

on("self-view-toggle", () => {
  selfViewOn = !selfViewOn;
  renderSelfViewToggle();
  if (selfViewOn && !selfViewTimer) selfViewTick();
});
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && selfViewOn && !selfViewTimer) selfViewTick();
});

/** The live level meter: while the window is visible it asks for the level several times a
 * second; when it stops asking, Klaar closes the microphone by itself. */
let meterTimer = 0;
async function meterTick() {
  meterTimer = 0;
  if (document.hidden) return;
  const level = await ipc.micLevel().catch(() => null);
  const meter = /** @type {HTMLMeterElement} */ (document.querySelector("[data-testid=mic-level]"));
  const text = /** @type {HTMLElement} */ (document.querySelector("[data-testid=mic-level-text]"));
  if (level?.dbfs != null) {
    meter.value = Math.max(-60, level.dbfs);
    text.textContent = fill(current?.texts["ui.mic_level_value"] ?? "{dbfs}", {
      dbfs: String(Math.round(level.dbfs)),
    });
  } else if (level?.problem) {
    meter.value = -60;
    text.textContent = current?.texts[`ui.sound_${level.problem}`] ?? "";
  }
  if (!document.hidden) meterTimer = window.setTimeout(meterTick, 150);
}
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && !meterTimer) meterTick();
});
meterTick();

ipc.onSnapshot((snapshot) => {
  show(snapshot);
  renderSelfViewToggle();
});
run(ipc.snapshot()).then(renderSelfViewToggle);
