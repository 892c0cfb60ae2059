import { sql } from "kysely";
import type { Db, DbOrTrx } from "../../db/database.ts";

export type CircuitState = "closed" | "open" | "half-open";

/** One host as the admins see it. */
export interface DeliveryHostHealth {
  readonly host: string;
  readonly lastSuccessAt: Date | null;
  readonly lastFailureAt: Date | null;
  /** The HTTP status of the last failure; null for a network error (or no failure yet). */
  readonly lastFailureStatus: number | null;
  readonly lastFailureError: string | null;
  readonly consecutiveFailures: number;
  readonly totalFailures: number;
  /** Deliveries the host refused for good (not retried). */
  readonly permanentFailures: number;
  /** Open or half-open: deliveries to the host are held until it answers again. */
  readonly held: boolean;
  readonly circuitState: CircuitState;
}

export interface DeliveryRejection {
  readonly host: string;
  readonly inbox: string;
  readonly activityId: string | null;
  readonly activityType: string;
  readonly reason: "http" | "circuit-breaker-ttl";
  readonly status: number;
  readonly responseExcerpt: string;
  readonly createdAt: Date;
}

const ERROR_EXCERPT_CHARS = 500;

export async function recordDeliverySuccess(db: DbOrTrx, host: string): Promise<void> {
  await db
    .insertInto("delivery_hosts")
    .values({ host, last_success_at: sql<Date>`now()` })
    .onConflict((oc) => oc.column("host").doUpdateSet({ last_success_at: sql<Date>`now()`, consecutive_failures: 0 }))
    .execute();
}

export async function recordDeliveryFailure(db: DbOrTrx, host: string, status: number | null, error: string): Promise<void> {
  const excerpt = error.slice(0, ERROR_EXCERPT_CHARS);
  await db
    .insertInto("delivery_hosts")
    .values({ host, last_failure_at: sql<Date>`now()`, last_failure_status: status, last_failure_error: excerpt, consecutive_failures: 1, total_failures: 1 })
    .onConflict((oc) =>
      oc.column("host").doUpdateSet({
        last_failure_at: sql<Date>`now()`,
        last_failure_status: status,
        last_failure_error: excerpt,
        consecutive_failures: sql<number>`delivery_hosts.consecutive_failures + 1`,
        total_failures: sql<number>`delivery_hosts.total_failures + 1`,
      }),
    )
    .execute();
}

/** A delivery given up for good: kept for the operator, and counted on its host. */
export async function recordDeliveryRejection(db: Db, rejection: Omit<DeliveryRejection, "createdAt">): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("delivery_rejections")
      .values({
        host: rejection.host,
        inbox: rejection.inbox,
        activity_id: rejection.activityId,
        activity_type: rejection.activityType,
        reason: rejection.reason,
        status: rejection.status,
        response_excerpt: rejection.responseExcerpt.slice(0, ERROR_EXCERPT_CHARS),
      })
      .execute();
    await trx
      .insertInto("delivery_hosts")
      .values({ host: rejection.host, permanent_failures: 1 })
      .onConflict((oc) => oc.column("host").doUpdateSet({ permanent_failures: sql<number>`delivery_hosts.permanent_failures + 1` }))
      .execute();
  });
}

export async function recordCircuitState(db: DbOrTrx, host: string, state: CircuitState): Promise<void> {
  await db
    .insertInto("delivery_hosts")
    .values({ host, circuit_state: state, circuit_changed_at: sql<Date>`now()` })
    .onConflict((oc) => oc.column("host").doUpdateSet({ circuit_state: state, circuit_changed_at: sql<Date>`now()` }))
    .execute();
}

/** Every host we have delivered to, the troubled ones first. */
export async function listDeliveryHealth(db: DbOrTrx): Promise<DeliveryHostHealth[]> {
  const rows = await db
    .selectFrom("delivery_hosts")
    .selectAll()
    .orderBy(sql`circuit_state <> 'closed'`, "desc")
    .orderBy("consecutive_failures", "desc")
    .orderBy("permanent_failures", "desc")
    .orderBy("host")
    .execute();
  return rows.map((r) => ({
    host: r.host,
    lastSuccessAt: r.last_success_at,
    lastFailureAt: r.last_failure_at,
    lastFailureStatus: r.last_failure_status,
    lastFailureError: r.last_failure_error,
    consecutiveFailures: Number(r.consecutive_failures),
    totalFailures: Number(r.total_failures),
    permanentFailures: Number(r.permanent_failures),
    held: r.circuit_state !== "closed",
    circuitState: r.circuit_state,
  }));
}

/** The latest refusals, newest first (all hosts, or one). */
export async function listDeliveryRejections(db: DbOrTrx, limit: number, host?: string): Promise<DeliveryRejection[]> {
  let query = db.selectFrom("delivery_rejections").selectAll().orderBy("id", "desc").limit(limit);
  if (host !== undefined) query = query.where("host", "=", host);
  const rows = await query.execute();
  return rows.map((r) => ({
    host: r.host,
    inbox: r.inbox,
    activityId: r.activity_id,
    activityType: r.activity_type,
    reason: r.reason,
    status: r.status,
    responseExcerpt: r.response_excerpt,
    createdAt: r.created_at,
  }));
}

/** Drops refusals older than `olderThanSeconds`, so the log stays bounded. */
export async function pruneDeliveryRejections(db: DbOrTrx, olderThanSeconds: number): Promise<number> {
  const result = await db
    .deleteFrom("delivery_rejections")
    .where("created_at", "<", sql<Date>`now() - make_interval(secs => ${olderThanSeconds}::float8)`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
