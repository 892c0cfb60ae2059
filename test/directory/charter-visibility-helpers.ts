import { currentCharter } from "../../server/modules/charter/charter.repository.ts";
import type { CharterDocument } from "../../server/modules/charter/charter.schema.ts";
import { reviseCharter } from "../../server/modules/charter/charter.service.ts";
import type { TestNode } from "../helpers/test-node.ts";

/** A new charter version with the given parts replaced, as an admin's PUT would make it. */
export async function reviseCharterForTest(node: TestNode, changes: Partial<CharterDocument>): Promise<void> {
  const { document, version } = await currentCharter(node.database.db, node.config.registration);
  const result = await reviseCharter(node.database.db, node.config.registration, { ...document, ...changes, note: "test", basedOn: version } as never, null);
  if (result.outcome !== "created" && result.outcome !== "unchanged") throw new Error(`charter revision failed: ${JSON.stringify(result)}`);
}
