import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse as parseToml } from "smol-toml";
import { tomlString, writeToml } from "../../server/modules/okh/index.ts";

/** smol-toml builds objects without a prototype; compare their plain JSON form. */
const parse = (text: string): unknown => JSON.parse(JSON.stringify(parseToml(text)));

// Every case is parsed back with smol-toml (an independent TOML 1.0 parser): what we write must read as what we meant.
describe("writeToml", () => {
  test("strings with quotes, backslashes, newlines, control characters and Unicode read back unchanged", () => {
    const values = ['say "hi"', "C:\\path\\file", "line 1\nline 2\r\n\ttabbed", "bell\u0007 nul\u0000 del\u007f esc\u001b", "Séchoir ☀ 日本語 🚲", "'single' and \"\"\" triple", ""];
    for (const value of values) {
      assert.deepEqual(parse(`v = ${tomlString(value)}`), { v: value }, JSON.stringify(value));
    }
    assert.equal(tomlString("a\u0007b"), '"a\\u0007b"');
    assert.equal(tomlString("x\ny"), '"x\\ny"', "a newline is escaped, so a basic string stays on one line");
  });

  test("a lone surrogate, which TOML cannot hold, becomes U+FFFD", () => {
    assert.deepEqual(parse(`v = ${tomlString("a\ud800b")}`), { v: "a\ufffdb" });
  });

  test("keys that are not bare are quoted", () => {
    const document = { "plain-key_1": 1, "with space": 2, "dotted.key": 3, "": 4, "ünï": 5, 'quote"d': 6 };
    assert.deepEqual(parse(writeToml(document)), document);
    assert.match(writeToml(document), /^plain-key_1 = 1$/m);
    assert.match(writeToml(document), /^"dotted\.key" = 3$/m);
  });

  test("numbers, booleans, arrays, tables and arrays of tables, with keys before sub-tables", () => {
    const document = {
      name: "x",
      count: 3,
      ratio: 2.5,
      big: 1e21,
      small: -0.000001,
      yes: true,
      list: ["a", "b"],
      nested: [[1, 2], ["c"]],
      empty: [],
      inline: [{ a: 1 }, "not a table"] as never,
      skipped: undefined,
      nothing: null,
      table: { key: "v", deeper: { k: 1 } },
      part: [{ name: "leg", quantity: 4 }, { name: "top", sub: { x: "y" } }],
      after: "a key after the tables still belongs to the root",
    };
    const written = writeToml(document);
    const { skipped, nothing, ...expected } = document;
    assert.deepEqual(parse(written), expected);
    assert.equal(typeof (parse(written) as { ratio: number }).ratio, "number");
    assert.match(written, /^\[\[part\]\]$/m);
    assert.match(written, /^\[part\.sub\]$/m);
    assert.ok(written.indexOf("after = ") < written.indexOf("[table]"), "plain keys come before any [table]");
  });
});
