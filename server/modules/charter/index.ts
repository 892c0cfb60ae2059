/** The charter module's entry: what other layers and modules may use. */
export { type CharterHistoryEntry, type CharterVersion, charterVersion, currentCharter, listCharterHistory } from "./charter.repository.ts";
