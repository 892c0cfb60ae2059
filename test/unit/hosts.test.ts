import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { canonicalHost, canonicalHosts, isHostWithin, isSameHost } from "../../server/platform/hosts.ts";

describe("canonicalHost", () => {
  test("drops case, port and one root dot; writes Unicode as punycode and IPs in their canonical form", () => {
    assert.equal(canonicalHost("City.Example:8443"), "city.example");
    assert.equal(canonicalHost("localhost.:3000"), "localhost");
    assert.equal(canonicalHost("Bücher.example"), "xn--bcher-kva.example");
    assert.equal(canonicalHost("0x7f.0.0.1:80"), "127.0.0.1");
    assert.equal(canonicalHost("[0:0:0:0:0:0:0:1]:8080"), "[::1]");
    assert.equal(canonicalHost("https://A.example.:444/users/x"), "a.example");
    assert.equal(canonicalHost(new URL("http://[::1]:3000/")), "[::1]");
  });

  test("is null for what is no host", () => {
    for (const value of ["", " ", "a/b", "user@host", "a b", "exa mple.com", "http://", "[::1"]) assert.equal(canonicalHost(value), null, value);
  });

  test("canonicalHosts drops non-hosts and repeats", () => {
    assert.deepEqual(canonicalHosts(["A.example", "a.example:1", "not a host", "b.example."]), ["a.example", "b.example"]);
  });
});

describe("isHostWithin and isSameHost", () => {
  test("a domain covers itself and its subdomains, not names that merely end alike", () => {
    assert.equal(isHostWithin("x.y.Spam.example:1", "spam.example"), true);
    assert.equal(isHostWithin("spam.example.", "SPAM.example:9"), true);
    assert.equal(isHostWithin("notspam.example", "spam.example"), false);
    assert.equal(isHostWithin("spam.example", "x.spam.example"), false);
  });

  test("IP addresses match only themselves", () => {
    assert.equal(isHostWithin("127.0.0.1:4000", "127.0.0.1"), true);
    assert.equal(isHostWithin("10.127.0.0.1", "127.0.0.1"), false);
    assert.equal(isHostWithin("[::1]:80", "[::1]"), true);
  });

  test("two spellings of one host are the same host", () => {
    assert.equal(isSameHost("localhost.:3000", "LOCALHOST"), true);
    assert.equal(isSameHost("a.example", "b.a.example"), false);
    assert.equal(isSameHost("not a host", "not a host"), false);
  });
});
