import { z } from "zod";

/** An admin connects to another node by its address: `https://city.example` (a path is ignored). */
export const ConnectPeerSchema = z.object({
  url: z
    .string({ error: "must be the other node's address, such as https://city.example" })
    .trim()
    .max(2000, { error: "must be at most 2000 characters" })
    .transform((v) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`))
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: "must be an http or https address, such as https://city.example" })
    .transform((v) => new URL(v))
    .refine((u) => u.username === "" && u.password === "", { error: "must not contain a user name or password" })
    .transform((u) => new URL(u.origin)),
});
export type ConnectPeerInput = z.output<typeof ConnectPeerSchema>;

export const PeerIdSchema = z.coerce
  .number({ error: "must be a peer id" })
  .int({ error: "must be a peer id" })
  .positive({ error: "must be a peer id" })
  .max(Number.MAX_SAFE_INTEGER, { error: "must be a peer id" });
