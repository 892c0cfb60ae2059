import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";

export interface ForkFormValues {
  readonly source: string;
  readonly handle: string;
}

export const EMPTY_FORK_FORM: ForkFormValues = { source: "", handle: "" };

const LABELS: Record<string, string> = { source: "Release address", handle: "Handle" };

/**
 * Fork a release published on another node: this node fetches it by its URL (with the same limits
 * and address checks as every fetch), makes its own design from it and tells the origin.
 */
export function ForkFormPage(props: { page: PageContext; values: ForkFormValues; errors: FieldErrors; host: string }) {
  const { values, errors } = props;
  return Layout({
    title: "Fork a design",
    page: props.page,
    body: html`<h1>Fork a design</h1>
      <p class="muted">Paste the address of a release from its page on another node ("Fork this on your node"). Its licence must be one this node's charter accepts; a share-alike licence stays the same in the fork.</p>
      ${ErrorSummary({ errors, labels: LABELS })}
      <form class="stacked fork-form" method="post" action="/designs/fork" novalidate>
        ${CsrfField({ token: props.page.csrfToken })}
        ${Field({ name: "source", label: "Release address", value: values.source, errors, required: true, hint: "e.g. https://lyon.example/@solar-dryer/releases/1.0.0" })}
        ${Field({ name: "handle", label: "Handle (optional)", value: values.handle, errors, maxlength: 30, hint: `The fork's address here, @handle@${props.host}; by default the original's handle.` })}
        <button type="submit">Fork it here</button>
      </form>`,
  });
}
