/** The accounts module's entry: members' accounts, their sessions and tokens, sign-up and sign-in. */
import type { Db } from "../../db/database.ts";
import type { RegistrationMode } from "../../platform/config.ts";
import type { SecretBox } from "../../platform/secret-box.ts";
import { type Account, type AccountStatus, findAccountById } from "./account.repository.ts";
import type { LoginInput, ProfileInput, RegistrationInput } from "./account.schemas.ts";
import { createApiToken, createSession, type Credential, deleteSession, findApiToken, findSession, listApiTokens, revokeApiToken } from "./credential.repository.ts";
import { createInvite } from "./invite.repository.ts";
import { authenticate } from "./login.ts";
import { findMemberProfileByAccountId, findMemberProfileByHandle, listMemberProfilesByStatus } from "./member-profile.repository.ts";
import { type ProfileUpdatePublisher, updateMemberProfile } from "./profile.ts";
import { type AdminCreationInput, approveAccount, createAdmin, registerMember } from "./registration.ts";
import { allowRemoteFollowLookup } from "./remote-follow-throttle.ts";
import { reinstateAccount, suspendAccount } from "./suspension.ts";

export { SESSION_TTL_DAYS } from "./credential.repository.ts";
// For the workers' hourly housekeeping (server/app/node.ts), which runs beside the services, not through them.
export { pruneRateLimits } from "./rate-limit.repository.ts";
export type { Account } from "./account.repository.ts";
export type { Credential } from "./credential.repository.ts";
// For callers that hold no services; federation/ reads profiles through the accounts service (ctx.data.services).
export { findMemberProfileByHandle, type MemberProfile } from "./member-profile.repository.ts";
export type { ProfileUpdatePublisher } from "./profile.ts";
export type { LoginResult } from "./login.ts";
export type { RegistrationRefusal, RegistrationResult } from "./registration.ts";

/** What the accounts service is made with, once, when the node starts. */
export interface AccountsServiceDeps {
  readonly db: Db;
  /** Seals the keys every new member's actor gets. */
  readonly box: SecretBox;
  /** The outbox port: federation/ turns an edited profile into the `Update(Person)` followers receive. */
  readonly publisher: ProfileUpdatePublisher;
}

/**
 * The one entry to members' accounts for the API, the pages and the command line: registration,
 * sign-in and sessions, API tokens, invites, profiles and an admin's approval and suspension.
 * Outcomes a caller must tell apart are values; HTTP statuses are the edge's business.
 */
export function createAccountsService(deps: AccountsServiceDeps) {
  const { db, box, publisher } = deps;
  return {
    /** `clientAddress` is null only for callers that are not a network client (fixtures, scripts). */
    register: (mode: RegistrationMode, input: RegistrationInput, clientAddress: string | null) => registerMember(db, box, mode, input, clientAddress),
    createAdmin: (input: AdminCreationInput) => createAdmin(db, box, input),
    signIn: (input: Pick<LoginInput, "username" | "password">, clientAddress: string) => authenticate(db, input, clientAddress),

    /** A brand-new session; the one the browser brought, if any, is dropped, never promoted (docs/security.md#web, WEB-03). */
    async startSession(accountId: number, previous: string | undefined): Promise<string> {
      if (previous) await deleteSession(db, previous);
      return await createSession(db, accountId);
    },
    endSession: (token: string): Promise<void> => deleteSession(db, token),
    /** Whose unexpired session this is; undefined for an unknown or expired one. */
    sessionCredential: (token: string): Promise<Credential | undefined> => findSession(db, token),
    /** Whose API token this is; undefined for an unknown or revoked one. */
    apiTokenCredential: (token: string): Promise<Credential | undefined> => findApiToken(db, token),
    /** The account a credential stands for, when it may act: a pending or disabled account counts as signed out. */
    async activeAccount(accountId: number): Promise<Account | undefined> {
      const account = await findAccountById(db, accountId);
      return account?.status === "active" ? account : undefined;
    },

    createToken: (accountId: number, name: string) => createApiToken(db, accountId, name),
    tokens: (accountId: number) => listApiTokens(db, accountId),
    /** False when the member has no such token. */
    revokeToken: (accountId: number, tokenId: number): Promise<boolean> => revokeApiToken(db, accountId, tokenId),

    invite: (createdByAccountId: number, expiresInDays: number) => createInvite(db, createdByAccountId, expiresInDays),

    profile: (accountId: number) => findMemberProfileByAccountId(db, accountId),
    profileByHandle: (handle: string) => findMemberProfileByHandle(db, handle),
    /** One query, however many accounts have the status. */
    profilesWithStatus: (status: AccountStatus) => listMemberProfilesByStatus(db, status),
    /** Undefined when the account no longer exists; the member's followers get an `Update` when it changed. */
    editProfile: (accountId: number, input: ProfileInput) => updateMemberProfile(db, accountId, input, publisher),

    approve: (accountId: number, approvedBy: string) => approveAccount(db, accountId, approvedBy),
    suspend: (accountId: number, by: { id: number; handle: string }) => suspendAccount(db, accountId, by),
    reinstate: (accountId: number, by: { handle: string }) => reinstateAccount(db, accountId, by),

    allowRemoteFollowLookup: (clientAddress: string) => allowRemoteFollowLookup(db, clientAddress),
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
export { INVALID_CREDENTIALS_MESSAGE } from "./login.ts";
export { type AdminCreationInput, AdminCreationSchema, REGISTRATION_CLOSED_MESSAGE, refusalText } from "./registration.ts";
