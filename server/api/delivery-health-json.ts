import type { DeliveryHostHealth, DeliveryRejection } from "../modules/delivery-health/index.ts";

/** A host's delivery health as the admin API returns it. */
export function toDeliveryHostJson(h: DeliveryHostHealth) {
  return {
    host: h.host,
    lastSuccessAt: h.lastSuccessAt?.toISOString() ?? null,
    lastFailureAt: h.lastFailureAt?.toISOString() ?? null,
    lastFailureStatus: h.lastFailureStatus,
    lastFailureError: h.lastFailureError,
    consecutiveFailures: h.consecutiveFailures,
    totalFailures: h.totalFailures,
    permanentFailures: h.permanentFailures,
    held: h.held,
    circuitState: h.circuitState,
  };
}

export function toDeliveryRejectionJson(r: DeliveryRejection) {
  return {
    host: r.host,
    inbox: r.inbox,
    activityId: r.activityId,
    activityType: r.activityType,
    reason: r.reason,
    status: r.status,
    response: r.responseExcerpt,
    at: r.createdAt.toISOString(),
  };
}

const TIME = { type: ["string", "null"], format: "date-time" };

export const DELIVERY_HEALTH_SCHEMA = {
  type: "object",
  required: ["hosts", "rejections"],
  properties: {
    hosts: {
      type: "array",
      description: "Every host this node has delivered to, held and failing hosts first",
      items: {
        type: "object",
        properties: {
          host: { type: "string" },
          lastSuccessAt: TIME,
          lastFailureAt: TIME,
          lastFailureStatus: { type: ["integer", "null"], description: "HTTP status of the last failure; null for a network error" },
          lastFailureError: { type: ["string", "null"] },
          consecutiveFailures: { type: "integer" },
          totalFailures: { type: "integer" },
          permanentFailures: { type: "integer", description: "Deliveries the host refused for good (400, 403, 404, 410, 422), not retried" },
          held: { type: "boolean", description: "Deliveries are held until the host answers again (circuit open or half-open)" },
          circuitState: { type: "string", enum: ["closed", "open", "half-open"] },
        },
      },
    },
    rejections: {
      type: "array",
      description: "The latest deliveries given up for good, newest first",
      items: {
        type: "object",
        properties: {
          host: { type: "string" },
          inbox: { type: "string" },
          activityId: { type: ["string", "null"] },
          activityType: { type: "string" },
          reason: { type: "string", enum: ["http", "circuit-breaker-ttl"] },
          status: { type: "integer" },
          response: { type: "string", description: "The start of the host's answer" },
          at: { type: "string", format: "date-time" },
        },
      },
    },
  },
} as const;
