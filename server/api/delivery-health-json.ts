import { z } from "zod";
import type { DeliveryHostHealth, DeliveryRejection } from "../modules/delivery-health/index.ts";
import { type JsonOf, Timestamp } from "./openapi-registry.ts";

export const DeliveryHostJson = z
  .object({
    host: z.string(),
    lastSuccessAt: Timestamp.nullable(),
    lastFailureAt: Timestamp.nullable(),
    lastFailureStatus: z.number().int().nullable().meta({ description: "HTTP status of the last failure; null for a network error" }),
    lastFailureError: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    totalFailures: z.number().int(),
    permanentFailures: z.number().int().meta({ description: "Deliveries the host refused for good (400, 403, 404, 410, 422), not retried" }),
    held: z.boolean().meta({ description: "Deliveries are held until the host answers again (circuit open or half-open)" }),
    circuitState: z.enum(["closed", "open", "half-open"]),
  })
  .meta({ id: "DeliveryHost" });

export const DeliveryRejectionJson = z
  .object({
    host: z.string(),
    inbox: z.string(),
    activityId: z.string().nullable(),
    activityType: z.string(),
    reason: z.enum(["http", "circuit-breaker-ttl"]),
    status: z.number().int(),
    response: z.string().meta({ description: "The start of the host's answer" }),
    at: Timestamp,
  })
  .meta({ id: "DeliveryRejection" });

export const DeliveryHealthJson = z
  .object({
    hosts: z.array(DeliveryHostJson).meta({ description: "Every host this node has delivered to, held and failing hosts first" }),
    rejections: z.array(DeliveryRejectionJson).meta({ description: "The latest deliveries given up for good, newest first" }),
  })
  .meta({ id: "DeliveryHealth" });

/** A host's delivery health as the admin API returns it. */
export function toDeliveryHostJson(h: DeliveryHostHealth): JsonOf<typeof DeliveryHostJson> {
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

export function toDeliveryRejectionJson(r: DeliveryRejection): JsonOf<typeof DeliveryRejectionJson> {
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
