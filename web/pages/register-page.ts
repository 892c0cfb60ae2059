import { html } from "hono/html";
import type { RegistrationMode } from "../../server/platform/config.ts";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";

export interface RegisterPageProps {
  readonly page: PageContext;
  readonly mode: RegistrationMode;
  readonly host: string;
  /** What the visitor typed (never the password). */
  readonly values: { readonly username?: string; readonly displayName?: string; readonly inviteCode?: string };
  readonly errors: FieldErrors;
}

const LABELS = { username: "Username", password: "Password", displayName: "Display name", inviteCode: "Invite code" };

const MODE_TEXT: Record<RegistrationMode, string> = {
  open: "Anyone may join this node: your account is active as soon as you register.",
  approval: "An admin of this node approves each new account; you can sign in once yours is approved.",
  invite: "This node registers members by invitation: you need an invite code from one of its admins.",
  closed: "Registration is closed on this node. Ask its admins if you would like to join.",
};

/** Registration, following the node's REGISTRATION mode; closed nodes show only the notice. */
export function RegisterPage(props: RegisterPageProps) {
  const { values, errors } = props;
  const form = html`<form method="post" action="/register" class="stacked" novalidate>
      ${CsrfField({ token: props.page.csrfToken })}
      ${Field({ name: "username", label: LABELS.username, value: values.username, errors, required: true, maxlength: 30, autocomplete: "username", hint: `Your address will be @username@${props.host}. Letters, digits and underscores, with single dots or hyphens between them.` })}
      ${Field({ name: "displayName", label: LABELS.displayName, value: values.displayName, errors, maxlength: 100, autocomplete: "name", hint: "Optional." })}
      ${Field({ name: "password", label: LABELS.password, type: "password", errors, required: true, minlength: 10, maxlength: 256, autocomplete: "new-password", hint: "At least 10 characters." })}
      ${props.mode === "invite" ? Field({ name: "inviteCode", label: LABELS.inviteCode, value: values.inviteCode, errors, required: true, autocomplete: "off" }) : ""}
      <button type="submit">Register</button>
    </form>`;
  return Layout({
    title: `Register · ${props.page.nodeName}`,
    page: props.page,
    body: html`<section class="register" data-mode="${props.mode}">
      <h1>Register</h1>
      <p class="registration-mode ${props.mode === "closed" ? "notice" : ""}">${MODE_TEXT[props.mode]}</p>
      ${ErrorSummary({ errors, labels: LABELS })}
      ${props.mode === "closed" ? "" : form}
      <p>Already a member? <a href="/login">Log in</a>.</p>
    </section>`,
  });
}

export interface RegistrationPendingPageProps {
  readonly page: PageContext;
  readonly handle: string;
}

/** After registering on a node that approves accounts. */
export function RegistrationPendingPage(props: RegistrationPendingPageProps) {
  return Layout({
    title: `Registration received · ${props.page.nodeName}`,
    page: props.page,
    body: html`<section class="registration-pending">
      <h1>Thank you</h1>
      <p>Your account <span class="handle">${props.handle}</span> is waiting for an admin of this node to approve it.
        You can log in once it is approved.</p>
    </section>`,
  });
}
