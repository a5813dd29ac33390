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

ipc.onSnapshot(show);
run(ipc.snapshot());
