import type { Federation, FederationOptions } from "@fedify/fedify";
import { SendActivityError } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Db } from "../server/db/database.ts";
import {
  type CircuitState,
  recordCircuitState,
  recordDeliveryFailure,
  recordDeliveryRejection,
  recordDeliverySuccess,
} from "../server/modules/delivery-health/index.ts";
import type { FederationDeps } from "./federation-deps.ts";

const logger = getLogger(["commonsnet", "federation", "delivery"]);

/**
 * Inbox answers that no retry can change, so Fedify gives up at once instead of retrying for 72
 * hours: 400 and 422 (RFC 9110 §15.5.1, §15.5.21: the inbox cannot or will not process this very
 * request, and the same bytes will get the same answer), 403 (RFC 9110 §15.5.4: the host refuses us, e.g. a
 * domain block), 404 and 410 (the inbox is gone; Fedify's defaults). 401 stays retryable (a key the
 * peer could not fetch yet), as do 408 and 429 (RFC 9110 §15.5.9, RFC 6585 §4) and every 5xx.
 * Fedify has already tried the other signature spec before a 400 or 401 counts (double knock).
 */
export const PERMANENT_FAILURE_STATUSES: readonly number[] = [400, 403, 404, 410, 422];

/** A success is written at most this often per host (a fan-out to one host makes many). */
const SUCCESS_WRITE_INTERVAL_MS = 30_000;

type MeterProvider = NonNullable<FederationOptions<FederationDeps>["meterProvider"]>;

export interface DeliveryHealthOptions {
  readonly permanentFailureStatusCodes: readonly number[];
  readonly onOutboxError: NonNullable<FederationOptions<FederationDeps>["onOutboxError"]>;
  readonly meterProvider: MeterProvider;
  readonly onCircuitStateChange: (host: string, previous: CircuitState, next: CircuitState) => Promise<void>;
}

/**
 * The Fedify options that record how deliveries fare, per host, for the admins' delivery health:
 * failures through `onOutboxError`, circuit changes (held or not) through the circuit breaker, and
 * successes through Fedify's `activitypub.delivery.sent` metric, its only per-delivery success
 * signal. Recording never fails a delivery: errors are logged.
 */
export function deliveryHealthOptions(db: Db): DeliveryHealthOptions {
  const lastSuccessWrite = new Map<string, number>();
  const record = (what: string, host: string, write: () => Promise<void>) =>
    write().catch((error: unknown) => logger.warn("Could not record a delivery {what} for {host}: {error}", { what, host, error }));

  const onSuccess = (host: string) => {
    const last = lastSuccessWrite.get(host);
    if (last !== undefined && Date.now() - last < SUCCESS_WRITE_INTERVAL_MS) return;
    lastSuccessWrite.set(host, Date.now());
    void record("success", host, () => recordDeliverySuccess(db, host));
  };

  return {
    permanentFailureStatusCodes: PERMANENT_FAILURE_STATUSES,
    async onOutboxError(error) {
      const target = error instanceof SendActivityError ? error.inbox : urlOf(error);
      if (target === undefined) return;
      // The next success must be written at once, to reset the failures in a row.
      lastSuccessWrite.delete(target.host);
      const status = error instanceof SendActivityError ? error.statusCode : null;
      const detail = error instanceof SendActivityError ? error.responseBody || error.message : error.message;
      await record("failure", target.host, () => recordDeliveryFailure(db, target.host, status, detail));
    },
    meterProvider: successReportingMeterProvider(onSuccess),
    async onCircuitStateChange(host, previous, next) {
      logger.info("Deliveries to {host}: circuit {previous} → {next}", { host, previous, next });
      await record("circuit change", host, () => recordCircuitState(db, host, next));
    },
  };
}

/** Keeps each delivery a host refused for good, with the start of its answer, for the operator. */
export function registerDeliveryRejections(federation: Federation<FederationDeps>): void {
  federation.setOutboxPermanentFailureHandler(async (ctx, failure) => {
    const host = failure.inbox.host;
    logger.warn("{host} refused {type} {id} for good ({status}); not retried", {
      host,
      type: failure.activity.constructor.name,
      id: failure.activity.id?.href,
      status: failure.statusCode,
    });
    await recordDeliveryRejection(ctx.data.db, {
      host,
      inbox: failure.inbox.href,
      activityId: failure.activity.id?.href ?? null,
      activityType: failure.activity.constructor.name,
      reason: failure.reason,
      status: failure.statusCode,
      responseExcerpt: failure.error.responseBody ?? "",
    });
  });
}

function urlOf(error: Error): URL | undefined {
  const url = (error as { url?: unknown }).url;
  if (url instanceof URL) return url;
  if (typeof url !== "string") return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * A MeterProvider whose instruments do nothing, except the delivery counter, whose successful
 * attempts are reported with their host. (Fedify's metric names: docs "OpenTelemetry" → metrics.)
 */
function successReportingMeterProvider(onSuccess: (host: string) => void): MeterProvider {
  const noop = { add() {}, record() {}, addCallback() {}, removeCallback() {} };
  const deliveries = {
    ...noop,
    add(_value: number, attributes?: Record<string, unknown>) {
      const host = attributes?.["activitypub.remote.host"];
      if (attributes?.["activitypub.delivery.success"] === true && typeof host === "string") onSuccess(host);
    },
  };
  const meter = {
    createCounter: (name: string) => (name === "activitypub.delivery.sent" ? deliveries : noop),
    createHistogram: () => noop,
    createGauge: () => noop,
    createUpDownCounter: () => noop,
    createObservableGauge: () => noop,
    createObservableCounter: () => noop,
    createObservableUpDownCounter: () => noop,
    addBatchObservableCallback() {},
    removeBatchObservableCallback() {},
  };
  return { getMeter: () => meter } as unknown as MeterProvider;
}
