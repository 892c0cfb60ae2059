import { createRequire } from "node:module";
import { z } from "zod";

// The SPDX licence list (https://spdx.org/licenses/) as the spdx-license-ids package publishes it,
// current and deprecated ids, matched case-insensitively (SPDX spec annex D.2), as the charter does.
const require = createRequire(import.meta.url);
const SPDX_IDS = new Map(
  [...(require("spdx-license-ids/index.json") as string[]), ...(require("spdx-license-ids/deprecated.json") as string[])].map((id) => [id.toLowerCase(), id]),
);
const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;

/**
 * A manifest's licence: one SPDX id in its canonical spelling, or a LicenseRef-…. OKH-LOSH allows an
 * SPDX expression (`A OR B`); a design here carries one licence, so an expression is refused by name.
 */
export const OkhLicenceSchema = z
  .string({ error: "must be an SPDX licence identifier" })
  .trim()
  .transform((v) => SPDX_IDS.get(v.toLowerCase()) ?? v)
  .refine((v) => SPDX_IDS.has(v.toLowerCase()) || LICENSE_REF.test(v), {
    error: (issue) =>
      /\s(OR|AND|WITH)\s/i.test(String(issue.input))
        ? `“${String(issue.input)}” is an SPDX expression: a design here has one licence, name one SPDX identifier`
        : `“${String(issue.input)}” is not an SPDX licence identifier (see https://spdx.org/licenses/) or a LicenseRef-…`,
  });
