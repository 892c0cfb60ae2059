import { html } from "hono/html";
import type { DeliveryHostHealth, DeliveryRejection } from "../../server/modules/delivery-health/index.ts";

export interface DeliveryHealthSectionProps {
  readonly hosts: readonly DeliveryHostHealth[];
  readonly rejections: readonly DeliveryRejection[];
}

const when = (date: Date | null) =>
  date === null ? html`<span class="muted">never</span>` : html`<time datetime="${date.toISOString()}">${date.toISOString().slice(0, 16).replace("T", " ")}</time>`;

/** How deliveries to each remote host fare, for the admins: the same figures as the admin API. */
export function DeliveryHealthSection(props: DeliveryHealthSectionProps) {
  return html`<section class="delivery-health" aria-labelledby="delivery-health-title">
    <h2 id="delivery-health-title">Delivery to other servers</h2>
    ${props.hosts.length === 0
      ? html`<p class="muted">Nothing has been delivered to another server yet.</p>`
      : html`<table class="delivery-hosts">
          <thead>
            <tr><th scope="col">Host</th><th scope="col">Last success</th><th scope="col">Failures in a row</th><th scope="col">Failures in all</th><th scope="col">Last failure</th><th scope="col">Refused for good</th><th scope="col">Deliveries</th></tr>
          </thead>
          <tbody>
            ${props.hosts.map(
              (h) => html`<tr data-host="${h.host}">
                <th scope="row">${h.host}</th>
                <td>${when(h.lastSuccessAt)}</td>
                <td class="consecutive-failures">${h.consecutiveFailures}</td>
                <td class="total-failures">${h.totalFailures}</td>
                <td class="last-failure">${h.lastFailureAt === null ? "—" : html`${when(h.lastFailureAt)} (${h.lastFailureStatus ?? "network error"})`}</td>
                <td class="permanent-failures">${h.permanentFailures}</td>
                <td class="held">${h.held ? html`<strong>held</strong> (${h.circuitState})` : "flowing"}</td>
              </tr>`,
            )}
          </tbody>
        </table>`}
    ${props.rejections.length === 0
      ? ""
      : html`<h3>Refused for good, not retried</h3>
          <ul class="delivery-rejections">
            ${props.rejections.map(
              (r) => html`<li data-host="${r.host}">${when(r.createdAt)} <strong>${r.host}</strong> answered
                <span class="status">${r.reason === "http" ? r.status : "nothing for a week"}</span> to ${r.activityType}
                ${r.activityId ? html`<code>${r.activityId}</code>` : ""}${r.responseExcerpt ? html`: <q>${r.responseExcerpt}</q>` : ""}</li>`,
            )}
          </ul>`}
  </section>`;
}
