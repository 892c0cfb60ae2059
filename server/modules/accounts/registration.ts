import { getLogger } from "@logtape/logtape";
import { z } from "zod";
import { hashPassword } from "./password.ts";
import type { RegistrationMode } from "../../platform/config.ts";
import type { Db, DbOrTrx } from "../../db/database.ts";
import type { SecretBox } from "../../platform/secret-box.ts";
import { insertActor } from "../actors/index.ts";
import { ensureActorKeys } from "../actors/actor-keys.ts";
import { HandleSchema } from "../actors/handle.schema.ts";
import { type AccountRole, type AccountStatus, findAccountById, insertAccount, updateAccount } from "./account.repository.ts";
import { PasswordSchema, type RegistrationInput } from "./account.schemas.ts";
import { consumeInvite } from "./invite.repository.ts";
import { findMemberProfileByAccountId, type MemberProfile } from "./member-profile.repository.ts";
import { admitRegistration } from "./registration-limits.ts";

const logger = getLogger(["commonsnet", "accounts"]);

/** Why a registration was refused, with the form field it concerns (null: the whole form). */
export interface RegistrationRefusal {
  readonly ok: false;
  readonly kind: "forbidden" | "conflict" | "invalid_input" | "rate_limited";
  readonly field: "username" | "inviteCode" | null;
  readonly message: string;
  /** With kind `rate_limited`: when the client may try again. */
  readonly retryAfterSeconds?: number;
}
export type RegistrationResult = { readonly ok: true; readonly profile: MemberProfile } | RegistrationRefusal;

export const REGISTRATION_CLOSED_MESSAGE = "Registration is closed on this node. Ask its admins if you would like to join.";
const HANDLE_TAKEN = "is already taken";
const INVITE_INVALID = "is not valid: it is unknown, was already used or has expired";

/**
 * Registers a member in the node's REGISTRATION mode: `open` makes an active account, `approval` a
 * pending one an admin approves, `invite` needs an unused invite code (spent in the same
 * transaction), `closed` refuses. The member is a `person` actor with its own keys. Sign-ups are
 * limited per client address and per node (registration-limits.ts) before the password is hashed;
 * `clientAddress` is null only for callers that are not a network client (fixtures, scripts).
 */
export async function registerMember(
  db: Db,
  box: SecretBox,
  mode: RegistrationMode,
  input: RegistrationInput,
  clientAddress: string | null,
): Promise<RegistrationResult> {
  if (mode === "closed") return { ok: false, kind: "forbidden", field: null, message: REGISTRATION_CLOSED_MESSAGE };
  if (mode === "invite" && !input.inviteCode) {
    return { ok: false, kind: "invalid_input", field: "inviteCode", message: "is required: this node registers members by invitation" };
  }
  const allowance = clientAddress === null ? { ok: true as const } : await admitRegistration(db, clientAddress);
  if (!allowance.ok) return { ok: false, kind: "rate_limited", field: null, message: allowance.message, retryAfterSeconds: allowance.retryAfterSeconds };
  const status: AccountStatus = mode === "approval" ? "pending" : "active";
  const result = await createMember(db, box, { ...input, role: "member", status });
  if (result.ok) logger.info("Member {handle} registered ({status})", { handle: result.profile.handle, status });
  return result;
}

export const AdminCreationSchema = z.object({ username: HandleSchema, password: PasswordSchema });
export type AdminCreationInput = z.output<typeof AdminCreationSchema>;

/** The first admin (and later ones) come from the command line; an existing handle is refused, never promoted. */
export async function createAdmin(db: Db, box: SecretBox, input: AdminCreationInput): Promise<RegistrationResult> {
  const result = await createMember(db, box, { username: input.username, password: input.password, role: "admin", status: "active" });
  if (result.ok) logger.info("Admin {handle} created (account {id})", { handle: result.profile.handle, id: result.profile.accountId });
  return result;
}

interface NewMember {
  readonly username: string;
  readonly password: string;
  readonly displayName?: string | undefined;
  readonly inviteCode?: string | undefined;
  readonly role: AccountRole;
  readonly status: AccountStatus;
}

/** Thrown inside the transaction to roll it back when the invite turns out to be spent. */
class InviteRejected extends Error {}

async function createMember(db: Db, box: SecretBox, member: NewMember): Promise<RegistrationResult> {
  const passwordHash = await hashPassword(member.password);
  let accountId: number | undefined;
  try {
    accountId = await db.transaction().execute(async (trx) => {
      const actor = await insertActor(trx, { handle: member.username, kind: "person", name: member.displayName || member.username, summary: "" });
      if (actor === undefined) return undefined;
      const id = await insertAccount(trx, { actorId: actor.id, passwordHash, role: member.role, status: member.status });
      if (member.inviteCode && !(await consumeInvite(trx, member.inviteCode, id))) throw new InviteRejected();
      await ensureActorKeys(trx, box, actor.id);
      return id;
    });
  } catch (error) {
    if (error instanceof InviteRejected) return { ok: false, kind: "forbidden", field: "inviteCode", message: INVITE_INVALID };
    throw error;
  }
  if (accountId === undefined) return { ok: false, kind: "conflict", field: "username", message: HANDLE_TAKEN };
  const profile = await findMemberProfileByAccountId(db, accountId);
  if (profile === undefined) throw new Error(`Account ${accountId} vanished right after it was created`);
  return { ok: true, profile };
}

export type ApprovalResult = "approved" | "already_active" | "not_found" | "disabled";

/** An admin lets a pending member in; approving an active account changes nothing. */
export async function approveAccount(db: DbOrTrx, accountId: number, approvedBy: string): Promise<ApprovalResult> {
  const account = await findAccountById(db, accountId);
  if (account === undefined) return "not_found";
  if (account.status === "active") return "already_active";
  if (account.status === "disabled") return "disabled";
  await updateAccount(db, accountId, { status: "active" });
  logger.info("Account {handle} approved by {admin}", { handle: account.handle, admin: approvedBy });
  return "approved";
}

/** A refusal's message with its field, as `DomainError` issues name it. */
export function refusalText(refusal: RegistrationRefusal): string {
  return refusal.field === null ? refusal.message : `${refusal.field}: ${refusal.message}`;
}
