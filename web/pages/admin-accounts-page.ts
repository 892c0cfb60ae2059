import { html } from "hono/html";
import type { RegistrationMode } from "../../server/platform/config.ts";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField } from "./account-form.ts";
import { DeliveryHealthSection, type DeliveryHealthSectionProps } from "../components/delivery-health-section.ts";

export interface PendingAccountView {
  readonly id: number;
  readonly handle: string;
  readonly displayName: string;
  readonly registeredAt: Date;
}

export interface MemberAccountView {
  readonly id: number;
  readonly handle: string;
  readonly displayName: string;
}

export interface AdminAccountsPageProps {
  readonly page: PageContext;
  readonly mode: RegistrationMode;
  readonly pending: readonly PendingAccountView[];
  readonly active: readonly MemberAccountView[];
  readonly suspended: readonly MemberAccountView[];
  /** A code just created: shown once, here. */
  readonly invite?: { readonly code: string; readonly expiresAt: Date };
  readonly deliveryHealth: DeliveryHealthSectionProps;
}

/** Admins approve pending members, make invite codes and see how deliveries to other servers fare. */
export function AdminAccountsPage(props: AdminAccountsPageProps) {
  const csrf = CsrfField({ token: props.page.csrfToken });
  return Layout({
    title: `Accounts · ${props.page.nodeName}`,
    page: props.page,
    body: html`<section class="admin-accounts">
      <h1>Accounts</h1>
      <p>Registration mode: <strong class="registration-mode">${props.mode}</strong> (set in the node's <a href="/admin/charter">charter</a>).</p>
      <h2>Waiting for approval</h2>
      ${props.pending.length === 0
        ? html`<p class="muted">No account is waiting.</p>`
        : html`<ul class="pending-accounts">
            ${props.pending.map(
              (a) => html`<li class="card" data-account-id="${a.id}">
                <strong>${a.displayName}</strong> <span class="handle">@${a.handle}</span>
                <span class="muted">registered <time datetime="${a.registeredAt.toISOString()}">${a.registeredAt.toISOString().slice(0, 16).replace("T", " ")}</time></span>
                <form method="post" action="/admin/accounts/${a.id}/approve" class="inline">
                  ${csrf}
                  <button type="submit">Approve @${a.handle}</button>
                </form>
              </li>`,
            )}
          </ul>`}
      <h2>Members</h2>
      <p class="muted">Suspending a member ends their sessions and revokes their API tokens; reinstated, they sign in again with their password.</p>
      <ul class="active-accounts">
        ${props.active.map(
          (a) => html`<li data-account-id="${a.id}"><strong>${a.displayName}</strong> <span class="handle">@${a.handle}</span>
            ${a.handle === props.page.viewer?.handle
              ? html`<span class="muted">(you)</span>`
              : html`<form method="post" action="/admin/accounts/${a.id}/suspend" class="inline">${csrf}<button type="submit">Suspend @${a.handle}</button></form>`}
          </li>`,
        )}
      </ul>
      ${props.suspended.length === 0
        ? ""
        : html`<h3>Suspended</h3>
            <ul class="suspended-accounts">
              ${props.suspended.map(
                (a) => html`<li data-account-id="${a.id}"><strong>${a.displayName}</strong> <span class="handle">@${a.handle}</span>
                  <form method="post" action="/admin/accounts/${a.id}/reinstate" class="inline">${csrf}<button type="submit">Reinstate @${a.handle}</button></form>
                </li>`,
              )}
            </ul>`}
      <h2>Invite codes</h2>
      ${props.invite
        ? html`<p class="notice" role="status">New invite code (shown only now): <code class="invite-code">${props.invite.code}</code>,
            valid until <time datetime="${props.invite.expiresAt.toISOString()}">${props.invite.expiresAt.toISOString().slice(0, 10)}</time>.</p>`
        : ""}
      <form method="post" action="/admin/invites" class="inline">
        ${csrf}
        <button type="submit">Create an invite code</button>
      </form>
    </section>
    ${DeliveryHealthSection(props.deliveryHealth)}`,
  });
}
