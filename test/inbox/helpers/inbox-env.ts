import { createApiToken } from "../../../server/modules/accounts/credential.repository.ts";
import { registerMember } from "../../../server/modules/accounts/registration.ts";
import { CreateProjectSchema } from "../../../server/modules/projects/project.schema.ts";
import { createProject } from "../../../server/modules/projects/project.service.ts";
import { runOutboxRelay } from "../../../federation/outbox-relay.ts";
import { createTestNode, type TestNode } from "../../helpers/test-node.ts";

export const AP = "application/activity+json";

export interface LocalMember {
  readonly accountId: number;
  readonly actorId: number;
  readonly handle: string;
  readonly token: string;
}

/** A node whose remote fetches may reach loopback peers and nothing else private (PRIVATE_ADDRESS_ALLOW=127.0.0.0/8). */
export async function createInboxTestNode(): Promise<TestNode> {
  return await createTestNode({ PRIVATE_ADDRESS_ALLOW: "127.0.0.0/8", REGISTRATION: "open" });
}

export async function createMember(node: TestNode, handle: string): Promise<LocalMember> {
  const result = await registerMember(node.database.db, node.deps.box, "open", { username: handle, password: "correct horse battery" }, null);
  if (!result.ok) throw new Error(`could not register ${handle}: ${result.message}`);
  const { token } = await createApiToken(node.database.db, result.profile.accountId, "tests");
  return { accountId: result.profile.accountId, actorId: result.profile.actorId, handle, token };
}

export async function createProjectOf(node: TestNode, creator: LocalMember, handle: string): Promise<{ actorId: number; handle: string }> {
  const project = await createProject(
    { db: node.database.db, box: node.deps.box, publicUrl: node.config.publicUrl },
    creator.actorId,
    CreateProjectSchema.parse({ handle, name: `Project ${handle}` }),
  );
  return { actorId: project.actorId, handle: project.handle };
}

/** Runs the inbox/outbox queues and the outbox relay, as a worker process would, until `stop`. */
export function startWorkers(node: TestNode): { stop(): Promise<void> } {
  const controller = new AbortController();
  const running = [
    node.federation.startQueue(node.deps, { signal: controller.signal }),
    runOutboxRelay(node.federation, node.deps, { signal: controller.signal, pollIntervalMs: 100 }),
  ];
  return {
    async stop() {
      controller.abort();
      await Promise.allSettled(running);
    },
  };
}

/** Polls until `probe` returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
