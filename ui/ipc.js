// @ts-check
// The only module that talks to Rust. Every call answers with a snapshot; errors arrive as
// {kind, message}.

/** @typedef {{id: string, phase: string, group: string, kind: string, status: string, title: string, detail: string,
 *   details: string[], advice: string, sources: {seed: string, section: string, quote: string}[], facts: object,
 *   reason?: {kind: string}, tailoring?: string[], organisation?: string[], not_applicable?: boolean}} Item */
/** @typedef {{verdict: string, lead: string, blockers: {id: string, label: string}[], tail: string | null,
 *   text: string}} VerdictLine */
/** @typedef {{revision: number, lang: string, texts: Record<string, string>, seeds: Record<string, {publisher: string, title: string}>,
 *   verdict: string | null, verdict_line: VerdictLine | null, items: Item[], pending: {id: string, phase: string, title: string}[],
 *   checked_at: string | null, reminder: {id: number, lines: string[], delivered: boolean, note: string} | null,
 *   reminder_due: string | null, settings_problem: {text: string, details: string} | null,
 *   policy_notice: {text: string, details: string} | null, tray: boolean,
 *   helpdesk: boolean, next_meeting: string | null, calendars: {name: string, text: string, problem: boolean}[],
 *   calendar_settings: {calendars: {name: string, address: boolean}[], remind_minutes: number,
 *   notice: {text: string, problem: boolean} | null, do_not_disturb: boolean,
 *   do_not_disturb_unavailable: string | null}, apps: AppsView, preferences: Preferences}} Snapshot */
/** @typedef {{welcomed: boolean, profile: string, profile_by_organisation: boolean,
 *   profiles: {key: string, label: string}[], items: {id: string, title: string, not_applicable: boolean,
 *   locked: string | null}[], remind_minutes_by_organisation: number | null}} Preferences */
/** @typedef {{rows: {app: string, name: string, label: string, avg: string, rating: string, needs: string | null,
 *   remark: string | null, organisation_text: string | null}[], advice: string,
 *   consumer: {apps: {app: string, name: string, avg: string, rating: string, organisation_text: string | null}[],
 *   caution: string}, sources: {seed: string, section: string, quote: string}[]}} AppsView */
/** @typedef {{id: string, name: string}} Choice */
/** @typedef {{available: {cameras: Choice[], microphones: Choice[], speakers: Choice[]},
 *   chosen: {camera: string | null, microphone: string | null, speakers: string | null}}} DeviceView */

const tauri = /** @type {any} */ (window).__TAURI__;

/** @param {string} command @param {object} [args] @returns {Promise<Snapshot>} */
function call(command, args) {
  return tauri.core.invoke(command, args);
}

export const snapshot = () => call("snapshot");
export const startCheck = () => call("start_check");
/** @param {string} id */
export const recheckItem = (id) => call("recheck_item", { id });
/** @param {string} id @param {boolean} ticked */
export const setTick = (id, ticked) => call("set_tick", { id, ticked });
export const newCall = () => call("new_call");
/** @param {string} lang */
export const setLanguage = (lang) => call("set_language", { lang });
export const remindNow = () => call("remind_now");
export const remindLater = () => call("remind_later");
export const cancelReminder = () => call("cancel_reminder");
/** A calendar file's place or a secret address, as typed or pasted.
 * @param {string} given */
export const addCalendar = (given) => call("add_calendar", { given });
/** @param {string} name */
export const removeCalendar = (name) => call("remove_calendar", { name });
/** @param {number} minutes */
export const setRemindMinutes = (minutes) => call("set_remind_minutes", { minutes });
/** @param {boolean} on */
export const setDoNotDisturb = (on) => call("set_do_not_disturb", { on });
/** @param {string} profile */
export const setProfile = (profile) => call("set_profile", { profile });
/** @param {string} id @param {boolean} on */
export const setNotApplicable = (id, on) => call("set_not_applicable", { id, on });
/** @param {boolean} startAtLogin */
export const finishWelcome = (startAtLogin) => call("finish_welcome", { startAtLogin });
/** Starts a check when the last one is old or there was none. */
export const freshen = () => call("freshen");

/** @returns {Promise<DeviceView>} */
export const devices = () => tauri.core.invoke("devices");
/** @param {string} kind @param {string | null} id @returns {Promise<DeviceView>} */
export const chooseDevice = (kind, id) => tauri.core.invoke("choose_device", { kind, id });
/** What `klaar debug capture` gathers, as text for the helpdesk.
 * @returns {Promise<string>} */
export const helpdeskText = () => tauri.core.invoke("helpdesk_text");

/** Sound tests answer with the device they played on, not with a snapshot.
 * @returns {Promise<{device: string}>} */
export const testSpeakers = () => tauri.core.invoke("test_speakers");
/** The newest self-view frame and its lighting verdict.
 * @returns {Promise<{image: string | null, light: Item | null, problem: string | null}>} */
export const selfView = () => tauri.core.invoke("self_view");
/** The microphone's level right now.
 * @returns {Promise<{dbfs: number | null, problem: string | null}>} */
export const micLevel = () => tauri.core.invoke("mic_level");
/** @returns {Promise<void>} */
export const recordYourself = () => tauri.core.invoke("record_yourself");
/** @returns {Promise<{device: string}>} */
export const playBack = () => tauri.core.invoke("play_back");

/** @param {(s: Snapshot) => void} handler */
export function onSnapshot(handler) {
  return tauri.event.listen("klaar://snapshot", (/** @type {{payload: Snapshot}} */ event) =>
    handler(event.payload));
}
