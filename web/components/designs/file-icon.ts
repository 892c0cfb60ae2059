import { html } from "hono/html";
import type { IconKind } from "../../../server/modules/design-files/index.ts";

const LABELS: Readonly<Record<IconKind, string>> = {
  image: "Image", cad: "CAD", document: "Doc", spreadsheet: "Sheet", archive: "Zip", code: "Code", text: "Text", other: "File",
};

/** A small labelled box standing for the file's kind (design-files' iconKind); decorative, as the file's name says the rest. */
export function FileIcon(props: { kind: IconKind }) {
  return html`<span class="file-icon file-icon-${props.kind}" data-kind="${props.kind}" aria-hidden="true">${LABELS[props.kind]}</span>`;
}
