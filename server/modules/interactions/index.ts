/** The interactions module's entry: what other layers and modules may use. */
export { type InteractionKind, recordInteraction, removeInteraction, removeInteractionByActivityIri } from "./interaction.repository.ts";
