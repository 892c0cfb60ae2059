import type { SecretBox } from "../platform/secret-box.ts";

/** How a sealed message is stored in the jsonb column. */
interface SealedMessage {
  readonly $sealed: string;
}

/** The message as stored: sealed with `box` when there is one, else as it is. */
export function sealMessage(box: Pick<SecretBox, "seal"> | undefined, message: unknown): unknown {
  return box ? ({ $sealed: box.seal(JSON.stringify(message)) } satisfies SealedMessage) : message;
}

/** The message a stored row holds; a sealed one needs the box it was sealed with. */
export function openMessage(box: Pick<SecretBox, "open"> | undefined, stored: unknown): unknown {
  const sealed = (stored as Partial<SealedMessage> | null)?.$sealed;
  if (typeof sealed !== "string") return stored;
  if (!box) throw new Error("A sealed message needs the node secret to open");
  return JSON.parse(box.open(sealed));
}
