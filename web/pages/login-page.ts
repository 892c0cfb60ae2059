import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";

export interface LoginPageProps {
  readonly page: PageContext;
  readonly username: string;
  /** Where to go after signing in (already checked to be a path on this node). */
  readonly next: string;
  readonly errors: FieldErrors;
}

const LABELS = { username: "Username", password: "Password" };

export function LoginPage(props: LoginPageProps) {
  return Layout({
    title: `Log in · ${props.page.nodeName}`,
    page: props.page,
    body: html`<section class="login">
      <h1>Log in</h1>
      ${ErrorSummary({ errors: props.errors, labels: LABELS })}
      <form method="post" action="/login" class="stacked" novalidate>
        ${CsrfField({ token: props.page.csrfToken })}
        <input type="hidden" name="next" value="${props.next}">
        ${Field({ name: "username", label: LABELS.username, value: props.username, errors: props.errors, required: true, autocomplete: "username" })}
        ${Field({ name: "password", label: LABELS.password, type: "password", errors: props.errors, required: true, autocomplete: "current-password" })}
        <button type="submit">Log in</button>
      </form>
      <p>New here? <a href="/register">Register</a>.</p>
    </section>`,
  });
}
