import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import request from "supertest";
import type { WebFingerLookup } from "../../federation/remote-follow.ts";
import { REMOTE_FOLLOW_LIMITS } from "../../server/modules/accounts/remote-follow-throttle.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { authorizeFollowApp } from "../timeline/helpers/authorize-follow-app.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";

const TOKEN = "t".repeat(43);
let node: TestNode;
let app: ReturnType<typeof request>;
/** Every host the node would have connected to. */
const lookups: string[] = [];
const countingLookup: WebFingerLookup = async (resource) => {
  lookups.push(resource);
  return null;
};

before(async () => {
  node = await createTestNode();
  app = authorizeFollowApp(node, countingLookup);
});
after(async () => {
  await node.close();
});

function submit(acct: string) {
  return app
    .post("/authorize_follow")
    .set("Cookie", `cn_csrf=${TOKEN}`)
    .type("form")
    .send({ _csrf: TOKEN, acct, target: `${node.config.publicUrl.origin}/@bikekitchen` });
}

describe(`remote-follow lookups by anonymous visitors on ${ENGINE_LABEL}`, () => {
  test(`after ${REMOTE_FOLLOW_LIMITS.perAddress} lookups from one address, the next gets 429 and no connection is made`, async () => {
    for (let i = 0; i < REMOTE_FOLLOW_LIMITS.perAddress; i++) {
      const res = await submit(`probe${i}@target-${i}.example`);
      assert.equal(res.status, 422, `lookup ${i + 1} is answered (no account found), not throttled`);
    }
    assert.equal(lookups.length, REMOTE_FOLLOW_LIMITS.perAddress);

    const throttled = await submit("one-more@target-x.example");
    assert.equal(throttled.status, 429);
    assert.match(throttled.headers["retry-after"] ?? "", /^\d+$/);
    const { document } = parseHTML(throttled.text);
    const messages = [...document.querySelectorAll(".error-summary li")].map((e) => e.textContent?.trim() ?? "");
    assert.ok(messages.some((m) => /Too many accounts looked up from your address\. Try again in \d+ (seconds|minutes)\./.test(m)), messages.join(" | "));
    assert.equal(lookups.length, REMOTE_FOLLOW_LIMITS.perAddress, "the throttled request looked nothing up");
  });

  test("a form that fails validation makes no lookup and does not count", async () => {
    const before = lookups.length;
    const res = await submit("not a handle");
    assert.equal(res.status, 422);
    assert.equal(lookups.length, before);
  });
});
