import { html } from "hono/html";
import type { FollowState } from "../../server/db/database.ts";
import type { PeerState } from "../../server/modules/peers/peer-state.ts";
import { Layout } from "../components/layout.ts";
import type { PageContext } from "../page-context.ts";
import { CsrfField, ErrorSummary, Field, type FieldErrors } from "./account-form.ts";

export interface PeerView {
  readonly id: number;
  readonly host: string;
  readonly actor: string;
  readonly name: string;
  readonly state: PeerState;
  readonly weFollow: FollowState;
  readonly theyFollow: FollowState;
}

export interface AdminPeersPageProps {
  readonly page: PageContext;
  readonly peers: readonly PeerView[];
  /** The charter's federation mode, which decides how requests are answered. */
  readonly mode: string;
  readonly url?: string;
  readonly errors?: FieldErrors;
  /** What the last action did, shown once. */
  readonly notice?: string;
}

const STATE_LABELS: Readonly<Record<PeerState, string>> = {
  connected: "Connected",
  "awaiting-approval": "Asks to connect: waiting for your approval",
  requested: "Requested: waiting for them to accept",
  pending: "Pending",
};

/** Admins connect this node to others (the federated directory), approve requests and disconnect. */
export function AdminPeersPage(props: AdminPeersPageProps) {
  const csrf = CsrfField({ token: props.page.csrfToken });
  const errors = props.errors ?? {};
  return Layout({
    title: `Peers · ${props.page.nodeName}`,
    page: props.page,
    body: html`<section class="admin-peers">
      <h1>Peer nodes</h1>
      <p>Peers share their directories with this node. Federation mode: <strong class="federation-mode">${props.mode}</strong>
        (set in the <a href="/admin/charter">charter</a>): in allowlist mode, nodes that ask to connect wait for your approval,
        and approving one adds it to the allowlist.</p>
      ${props.notice ? html`<p class="notice" role="status">${props.notice}</p>` : ""}
      <h2>Connect to a node</h2>
      ${ErrorSummary({ errors, labels: { url: "Address" } })}
      <form method="post" action="/admin/peers" class="connect-peer">
        ${csrf}
        ${Field({ name: "url", label: "Address", value: props.url ?? "", errors, hint: "The other node's address, such as https://city.example", required: true, maxlength: 2000 })}
        <button type="submit">Connect</button>
      </form>
      <h2>Peers</h2>
      ${props.peers.length === 0
        ? html`<p class="muted">No peers yet.</p>`
        : html`<ul class="peers">
            ${props.peers.map((peer) => PeerItem(peer, csrf))}
          </ul>`}
    </section>`,
  });
}

function PeerItem(peer: PeerView, csrf: ReturnType<typeof CsrfField>) {
  return html`<li class="card peer" data-peer-id="${peer.id}" data-state="${peer.state}">
    <strong>${peer.name || peer.host}</strong> <a href="${peer.actor}" class="peer-host">${peer.host}</a>
    <span class="peer-state">${STATE_LABELS[peer.state]}</span>
    <span class="muted">we follow: ${peer.weFollow}; they follow: ${peer.theyFollow}</span>
    ${peer.state === "awaiting-approval"
      ? html`<form method="post" action="/admin/peers/${peer.id}/approve" class="inline">
          ${csrf}
          <button type="submit">Approve ${peer.host}</button>
        </form>`
      : ""}
    <form method="post" action="/admin/peers/${peer.id}/disconnect" class="inline">
      ${csrf}
      <button type="submit">${peer.state === "awaiting-approval" ? "Refuse" : "Disconnect"} ${peer.host}</button>
    </form>
  </li>`;
}
