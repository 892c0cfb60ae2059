import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type CharterDocument, defaultCharter } from "../../server/modules/charter/charter.schema.ts";
import { mayAcceptAtHops, mayForward } from "../../server/modules/peers/hop-rule.ts";
import { ConnectPeerSchema } from "../../server/modules/peers/peer.schema.ts";
import { decideInboundFollow, peerState, withAllowedHost } from "../../server/modules/peers/peer-state.ts";

function charter(federation: Partial<CharterDocument["federation"]>): CharterDocument {
  const base = defaultCharter("open");
  return { ...base, federation: { ...base.federation, ...federation } };
}

describe("the hop rule (hops = links from the origin: 1 at a direct peer)", () => {
  test("an entry from its origin is always within limits, whatever the limits", () => {
    assert.equal(mayAcceptAtHops(1, 0, 0), true);
    assert.equal(mayAcceptAtHops(1, 5, 0), true);
  });

  test("a forwarded entry needs both the origin's consent and the receiver's limit", () => {
    assert.equal(mayAcceptAtHops(2, 1, 1), true);
    assert.equal(mayAcceptAtHops(2, 0, 1), false, "origin consents to direct peers only");
    assert.equal(mayAcceptAtHops(2, 1, 0), false, "receiver takes direct entries only");
    assert.equal(mayAcceptAtHops(3, 1, 5), false, "two forwards exceed the origin's consent of one");
    assert.equal(mayAcceptAtHops(3, 2, 2), true);
    assert.equal(mayAcceptAtHops(4, 5, 2), false);
  });

  test("nonsense hop counts are refused", () => {
    assert.equal(mayAcceptAtHops(0, 5, 5), false);
    assert.equal(mayAcceptAtHops(-1, 5, 5), false);
    assert.equal(mayAcceptAtHops(1.5, 5, 5), false);
    assert.equal(mayAcceptAtHops(Number.NaN, 5, 5), false);
  });

  test("a node forwards what it holds only while the next node stays within the origin's consent and its own limit", () => {
    assert.equal(mayForward(1, 1, 1), true);
    assert.equal(mayForward(1, 0, 1), false, "origin consents to direct peers only");
    assert.equal(mayForward(1, 1, 0), false, "forwarder's charter forwards nothing");
    assert.equal(mayForward(2, 1, 5), false, "already forwarded once, consent is one");
    assert.equal(mayForward(2, 2, 2), true);
    assert.equal(mayForward(0, 5, 5), false, "own entries are published, not forwarded");
  });

  test("what a forwarder sends is what the receiver with the same limits accepts", () => {
    for (let hops = 1; hops <= 6; hops++) {
      for (let maxHops = 0; maxHops <= 5; maxHops++) {
        for (let limit = 0; limit <= 5; limit++) {
          if (mayForward(hops, maxHops, limit)) assert.equal(mayAcceptAtHops(hops + 1, maxHops, limit), true, `${hops}/${maxHops}/${limit}`);
        }
      }
    }
  });
});

describe("answering another node's Follow of our node actor", () => {
  test("open mode accepts anyone not blocked", () => {
    assert.equal(decideInboundFollow(charter({ mode: "open" }), "b.example"), "accept");
    assert.equal(decideInboundFollow(charter({ mode: "open", block: ["b.example"] }), "B.Example"), "reject");
  });

  test("allowlist mode accepts listed hosts (any port, not their subdomains) and holds others for an admin's approval", () => {
    const allowlist = charter({ mode: "allowlist", allow: ["a.example", "127.0.0.1:8080"] });
    assert.equal(decideInboundFollow(allowlist, "a.example"), "accept");
    assert.equal(decideInboundFollow(allowlist, "A.Example.:443"), "accept");
    assert.equal(decideInboundFollow(allowlist, "127.0.0.1:8081"), "accept", "a port does not make another host");
    assert.equal(decideInboundFollow(allowlist, "sub.a.example"), "await-approval");
    assert.equal(decideInboundFollow(allowlist, "127.0.0.2:8080"), "await-approval");
    assert.equal(decideInboundFollow({ ...allowlist, federation: { ...allowlist.federation, block: ["c.example"] } }, "c.example"), "reject");
  });

  test("blocklist mode rejects the blocked hosts and their subdomains only", () => {
    const blocklist = charter({ mode: "blocklist", block: ["b.example"] });
    assert.equal(decideInboundFollow(blocklist, "b.example"), "reject");
    assert.equal(decideInboundFollow(blocklist, "x.B.example.:8443"), "reject");
    assert.equal(decideInboundFollow(blocklist, "notb.example"), "accept");
    assert.equal(decideInboundFollow(blocklist, "a.example"), "accept");
  });

  test("approving adds the host to the allowlist once", () => {
    const allowlist = charter({ mode: "allowlist", allow: ["a.example"] });
    const approved = withAllowedHost(allowlist, "D.example");
    assert.deepEqual(approved.federation.allow, ["a.example", "d.example"]);
    assert.equal(withAllowedHost(approved, "d.example"), approved);
    assert.deepEqual(allowlist.federation.allow, ["a.example"], "the original is not changed");
  });

  test("the state an admin sees", () => {
    assert.equal(peerState("accepted", "accepted"), "connected");
    assert.equal(peerState("none", "pending"), "awaiting-approval");
    assert.equal(peerState("pending", "none"), "requested");
    assert.equal(peerState("pending", "accepted"), "pending");
    assert.equal(peerState("accepted", "none"), "pending");
    assert.equal(peerState("none", "none"), "pending");
  });
});

describe("the connect form's address", () => {
  test("keeps the origin of an http(s) address, https by default", () => {
    assert.equal(ConnectPeerSchema.parse({ url: "https://city.example/some/path?x=1" }).url.href, "https://city.example/");
    assert.equal(ConnectPeerSchema.parse({ url: "city.example" }).url.href, "https://city.example/");
    assert.equal(ConnectPeerSchema.parse({ url: "http://127.0.0.1:8080" }).url.href, "http://127.0.0.1:8080/");
  });

  test("refuses other schemes, credentials and non-addresses with a message", () => {
    for (const url of ["ftp://city.example", "javascript:alert(1)", "https://user:pw@city.example", "", "http://"]) {
      const parsed = ConnectPeerSchema.safeParse({ url });
      assert.equal(parsed.success, false, url);
      assert.match(parsed.error!.issues[0]!.message, /address|user name/);
    }
  });
});
