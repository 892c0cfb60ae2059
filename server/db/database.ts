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
  accounts: AccountTable;
  invites: InviteTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  rate_limits: RateLimitTable;
  media: MediaTable;
  projects: ProjectTable;
  project_maintainers: ProjectMaintainerTable;
  notes: NoteTable;
  note_media: NoteMediaTable;
  remote_actors: RemoteActorTable;
  followers: FollowerTable;
  following: FollowingTable;
  remote_posts: RemotePostTable;
  note_interactions: NoteInteractionTable;
  charter_versions: CharterVersionTable;
  peers: PeerTable;
  directory_entries: DirectoryEntryTable;
  undone_activities: UndoneActivityTable;
  delivery_hosts: DeliveryHostTable;
  delivery_rejections: DeliveryRejectionTable;
  designs: DesignTable;
  design_maintainers: DesignMaintainerTable;
  design_releases: DesignReleaseTable;
  release_files: ReleaseFileTable;
  design_forks: DesignForkTable;
  made_reports: MadeReportTable;
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
  kind: "node" | "person" | "group" | "service";
  name: string;
  summary: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  avatar_media_id: ColumnType<string | null, string | null | undefined, string | null>;
  banner_media_id: ColumnType<string | null, string | null | undefined, string | null>;
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

export interface AccountTable {
  id: Generated<number>;
  actor_id: number;
  password_hash: string;
  role: ColumnType<"member" | "admin", "member" | "admin" | undefined, "member" | "admin">;
  status: "active" | "pending" | "disabled";
  created_at: CreatedAt;
  last_active_at: NullableTimestamp;
}

export interface InviteTable {
  id: Generated<number>;
  code_hash: string;
  created_by: number | null;
  used_by: ColumnType<number | null, number | null | undefined, number | null>;
  used_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface SessionTable {
  id_hash: string;
  account_id: number;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface ApiTokenTable {
  id: Generated<number>;
  account_id: number;
  token_hash: string;
  name: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface RateLimitTable {
  key: string;
  window_start: Timestamp;
  hits: number;
}

export interface MediaTable {
  id: string;
  owner_actor_id: number;
  purpose: "avatar" | "banner" | "attachment";
  content_type: string;
  width: number;
  height: number;
  bytes: number;
  blurhash: string;
  alt: ColumnType<string, string | undefined, string>;
  focal_x: ColumnType<number, number | undefined, number>;
  focal_y: ColumnType<number, number | undefined, number>;
  data: Uint8Array;
  created_at: CreatedAt;
}

export interface ProjectTable {
  actor_id: number;
  summary_markdown: ColumnType<string, string | undefined, string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  location_name: string | null;
  latitude: number | null;
  longitude: number | null;
  website: string | null;
  created_by: number | null;
  archived_at: NullableTimestamp;
  directory_listed: ColumnType<boolean, boolean | undefined, boolean>;
  locality: ColumnType<string | null, string | null | undefined, string | null>;
  region: ColumnType<string | null, string | null | undefined, string | null>;
  country: ColumnType<string | null, string | null | undefined, string | null>;
  bioregion: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ProjectMaintainerTable {
  project_actor_id: number;
  member_actor_id: number;
  added_at: CreatedAt;
}

export interface NoteTable {
  id: string;
  author_actor_id: number;
  content_source: string;
  content_html: string;
  in_reply_to_iri: string | null;
  published_at: CreatedAt;
  edited_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  pinned_at: NullableTimestamp;
}

export interface NoteMediaTable {
  note_id: string;
  media_id: string;
  position: number;
}

export interface RemoteActorTable {
  id: Generated<number>;
  iri: string;
  type: string;
  /** `user@host`, without a leading @. */
  handle: string;
  name: ColumnType<string, string | undefined, string>;
  summary_html: ColumnType<string, string | undefined, string>;
  url: string | null;
  icon_url: string | null;
  inbox: string;
  shared_inbox: string | null;
  followers_url: string | null;
  fetched_at: ColumnType<Date, Date | string | undefined, Date | string>;
  deleted_at: NullableTimestamp;
}

export interface FollowerTable {
  id: Generated<number>;
  local_actor_id: number;
  remote_actor_id: number;
  follow_iri: string;
  created_at: CreatedAt;
}

export interface FollowingTable {
  id: Generated<number>;
  local_actor_id: number;
  remote_actor_id: number;
  follow_iri: string;
  state: "pending" | "accepted";
  created_at: CreatedAt;
}

export interface RemotePostTable {
  id: Generated<number>;
  iri: string;
  author_remote_actor_id: number;
  in_reply_to_iri: string | null;
  reply_to_note_id: string | null;
  url: string | null;
  content_html: string;
  summary: string | null;
  sensitive: ColumnType<boolean, boolean | undefined, boolean>;
  attachments: Jsonb<RemoteAttachment[]>;
  published_at: Timestamp;
  edited_at: NullableTimestamp;
  received_at: CreatedAt;
  deleted_at: NullableTimestamp;
}

/** A remote post's media, as received (URLs are the remote server's). */
export interface RemoteAttachment {
  readonly url: string;
  readonly mediaType: string | null;
  readonly alt: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly blurhash: string | null;
}

export interface NoteInteractionTable {
  id: Generated<number>;
  activity_iri: string;
  kind: "like" | "announce";
  note_id: string;
  remote_actor_id: number;
  created_at: CreatedAt;
}

export interface CharterVersionTable {
  version: number;
  document: Jsonb<unknown>;
  note: ColumnType<string, string | undefined, string>;
  created_by: number | null;
  created_at: CreatedAt;
}

export type FollowState = "none" | "pending" | "accepted";

export interface PeerTable {
  id: Generated<number>;
  host: string;
  actor_iri: string;
  inbox: string;
  shared_inbox: string | null;
  name: ColumnType<string, string | undefined, string>;
  we_follow: ColumnType<FollowState, FollowState | undefined, FollowState>;
  they_follow: ColumnType<FollowState, FollowState | undefined, FollowState>;
  our_follow_iri: string | null;
  their_follow_iri: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DirectoryEntryTable {
  id: Generated<number>;
  iri: string;
  kind: string;
  name: string;
  summary: ColumnType<string, string | undefined, string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  location_name: string | null;
  latitude: number | null;
  longitude: number | null;
  locality: string | null;
  region: string | null;
  country: string | null;
  bioregion: string | null;
  url: string;
  origin: string;
  origin_host: string;
  local_actor_id: number | null;
  received_from_peer_id: number | null;
  hops: ColumnType<number, number | undefined, number>;
  max_hops: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
  received_at: CreatedAt;
  search: ColumnType<string, never, never>;
  /** A design listing's SPDX licence id (canonical spelling); null for other kinds. */
  licence: ColumnType<string | null, string | null | undefined, string | null>;
  latest_version: ColumnType<string | null, string | null | undefined, string | null>;
  made_count: ColumnType<number, number | undefined, number>;
  /** [latitude, longitude] pairs where the design was made, at most 500. */
  made_points: Jsonb<[number, number][]>;
}

export interface UndoneActivityTable {
  activity_iri: string;
  actor_iri: string;
  undone_at: CreatedAt;
  expires_at: Timestamp;
}

export interface DeliveryHostTable {
  host: string;
  last_success_at: NullableTimestamp;
  last_failure_at: NullableTimestamp;
  last_failure_status: number | null;
  last_failure_error: string | null;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  total_failures: ColumnType<number, number | undefined, number>;
  permanent_failures: ColumnType<number, number | undefined, number>;
  circuit_state: ColumnType<"closed" | "open" | "half-open", "closed" | "open" | "half-open" | undefined, "closed" | "open" | "half-open">;
  circuit_changed_at: NullableTimestamp;
}

export interface DeliveryRejectionTable {
  id: Generated<number>;
  host: string;
  inbox: string;
  activity_id: string | null;
  activity_type: string;
  reason: "http" | "circuit-breaker-ttl";
  status: number;
  response_excerpt: string;
  created_at: CreatedAt;
}

/** One link of a fork chain, oldest first: the release forked and its design, where, under which licence. */
export interface ForkLink {
  readonly release: string;
  readonly design: string;
  readonly name: string;
  readonly host: string;
  readonly licence: string;
}

/** One line of a bill of materials. */
export interface BomLine {
  readonly part: string;
  readonly quantity: number;
  readonly unit: string;
  readonly material: string | null;
  readonly source: string | null;
  readonly link: string | null;
}

export interface DesignTable {
  actor_id: number;
  summary_markdown: ColumnType<string, string | undefined, string>;
  function: ColumnType<string, string | undefined, string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  licence: string;
  documentation_licence: string | null;
  licensor: ColumnType<string, string | undefined, string>;
  project_actor_id: number | null;
  fork_of: string | null;
  fork_chain: Jsonb<ForkLink[]>;
  created_by: number | null;
  directory_listed: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DesignMaintainerTable {
  design_actor_id: number;
  member_actor_id: number;
  added_at: CreatedAt;
}

export interface DesignReleaseTable {
  id: string;
  design_actor_id: number;
  version: string;
  version_order: string;
  notes_markdown: ColumnType<string, string | undefined, string>;
  notes_html: ColumnType<string, string | undefined, string>;
  trl: string | null;
  drl: string | null;
  bom: Jsonb<BomLine[]>;
  licence: string;
  documentation_licence: string | null;
  fork_of: string | null;
  total_bytes: ColumnType<number, number | undefined, number>;
  published_at: CreatedAt;
}

export interface ReleaseFileTable {
  release_id: string;
  position: number;
  name: string;
  sha256: string;
  size: number;
  media_type: string;
  role: string | null;
  preview_sha256: string | null;
  preview_width: number | null;
  preview_height: number | null;
}

export interface DesignForkTable {
  id: Generated<number>;
  design_actor_id: number;
  depth: ColumnType<number, number | undefined, number>;
  source_release_iri: string;
  parent_design_iri: string;
  fork_design_iri: string;
  fork_url: string | null;
  fork_name: string;
  fork_release_iri: string | null;
  licence: string;
  node_host: string;
  city: string | null;
  activity_iri: string;
  recorded_at: CreatedAt;
}

/** A photo of a build, as stored with a made-here report. */
export interface MadePhoto {
  readonly url: string;
  readonly mediaType: string;
  readonly alt: string;
  readonly width: number | null;
  readonly height: number | null;
}

export interface MadeReportTable {
  id: string;
  iri: string;
  release_iri: string;
  design_actor_id: number | null;
  local_release_id: string | null;
  reporter_iri: string;
  reporter_name: ColumnType<string, string | undefined, string>;
  place: string;
  latitude: number;
  longitude: number;
  facility: string | null;
  directory_entry_iri: string | null;
  made_at: Timestamp;
  notes_html: ColumnType<string, string | undefined, string>;
  deviations: ColumnType<string, string | undefined, string>;
  photos: Jsonb<MadePhoto[]>;
  chain: Jsonb<ForkLink[]>;
  origin_host: string;
  received_at: CreatedAt;
  /** Added by 2026_12_02_0614: the design's name and the version, as the report named them. */
  design_name: ColumnType<string, string | undefined, string>;
  release_version: ColumnType<string, string | undefined, string>;
}

export type Db = Kysely<Database>;
/** Module functions take either the pool or an open transaction as their first argument. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
