import type { ColumnType, Generated, Kysely, Transaction } from "kysely";

/**
 * The schema as Kysely sees it, assembled from the tables each module owns. `int8` columns arrive as
 * JS numbers on both engines (normalised in open-database.ts).
 */
export interface Database {
  node_meta: NodeMetaTable;
  actors: ActorTable;
  actor_keys: ActorKeyTable;
  fedify_kv: FedifyKvTable;
  fedify_queue: FedifyQueueTable;
  outbox: OutboxTable;
}

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A timestamp column with a database default: optional on insert. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb is written through the `jsonb()` helper (server/db/json.ts) and read back as parsed JSON. */
type Jsonb<T> = ColumnType<T, unknown, unknown>;

export interface NodeMetaTable {
  key: string;
  value: Jsonb<unknown>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ActorTable {
  id: Generated<number>;
  handle: string;
  kind: "node" | "person" | "group";
  name: string;
  summary: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ActorKeyTable {
  actor_id: number;
  algorithm: "RSASSA-PKCS1-v1_5" | "Ed25519";
  public_jwk: Jsonb<JsonWebKey>;
  /** AES-256-GCM ciphertext of the private JWK, keyed from the node secret (server/secret-box.ts). */
  private_jwk_sealed: string;
  created_at: CreatedAt;
}

export interface FedifyKvTable {
  key: string;
  value: Jsonb<unknown>;
  expires_at: NullableTimestamp;
}

export interface FedifyQueueTable {
  id: Generated<number>;
  queue: string;
  message: Jsonb<unknown>;
  ordering_key: string | null;
  run_at: Timestamp;
  attempts: Generated<number>;
  locked_until: NullableTimestamp;
  locked_by: string | null;
  last_error: string | null;
  created_at: CreatedAt;
}

export interface OutboxTable {
  id: Generated<number>;
  sender: string;
  recipients: Jsonb<unknown>;
  activity: Jsonb<unknown>;
  ordering_key: string | null;
  created_at: CreatedAt;
  relayed_at: NullableTimestamp;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: Timestamp;
}

export type Db = Kysely<Database>;
/** Module functions take either the pool or an open transaction as their first argument. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
