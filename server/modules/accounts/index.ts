/** The accounts module's entry: members' accounts, their sessions and tokens, sign-up and sign-in. */
export { SESSION_TTL_DAYS } from "./credential.repository.ts";
