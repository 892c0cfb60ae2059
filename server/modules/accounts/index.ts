/** The accounts module's entry: members' accounts, their sessions and tokens, sign-up and sign-in. */
export { SESSION_TTL_DAYS } from "./credential.repository.ts";
export { type Account, findAccountById } from "./account.repository.ts";
export { createApiToken, createSession, type Credential, deleteSession, findApiToken, findSession, listApiTokens, revokeApiToken } from "./credential.repository.ts";
export { createInvite } from "./invite.repository.ts";
export { findMemberProfileByAccountId, findMemberProfileByHandle, listMemberProfilesByStatus, type MemberProfile } from "./member-profile.repository.ts";
export { pruneRateLimits } from "./rate-limit.repository.ts";
