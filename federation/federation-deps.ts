import type { Config } from "../server/platform/config.ts";
import type { Db } from "../server/db/database.ts";
import type { SecretBox } from "../server/platform/secret-box.ts";
import type { OutboxForwardOrder } from "./outbox-forwarding.ts";

/** What Fedify's dispatchers and listeners receive as context data. */
export interface FederationDeps {
  readonly db: Db;
  readonly box: SecretBox;
  readonly config: Config;
  /** Only on the outbox relay's in-process POST: the recipients of the activity it hands over. */
  readonly outboxForward?: OutboxForwardOrder;
}
