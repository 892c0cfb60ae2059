import type { Random } from "./seeded-random.ts";

/**
 * What a careless client or a hostile peer sends. Text that PostgreSQL cannot store (NUL, lone
 * surrogates), text that renders deceptively (bidi overrides, zero-width and combining marks),
 * characters outside the BMP, overlong strings, and values of the wrong type or out of range.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  "",
  " ",
  "\t\r\n",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\u202eevil\u202c.txt",
  "\u200b\u200c\u200d\ufeff",
  `e${"\u0301".repeat(500)}`,
  "🦀🏳️‍🌈👩🏽‍🔬𝕏",
  "a".repeat(100_000),
  "🦀".repeat(50_000),
  "\uffff\ufffe",
  "\u0085\u2028\u2029",
  "İǅßﬀ",
  "mаria", // Cyrillic а: a homoglyph of a handle
  "<script>alert(1)</script>",
  "../../../etc/passwd",
  "%00%ff%",
  "%_\\",
  "'; DROP TABLE accounts; --",
  "\r\nSet-Cookie: injected=1",
  "NaN",
  "-0",
  "1e309",
  "0x10",
  "99999999999999999999",
  "-2147483649",
  "null",
  "@maria@city-a.test",
  "https://city-a.test/@maria",
  "http://[::1]:0/",
  "javascript:alert(1)",
  "data:text/html,<b>x</b>",
];

/** JSON texts of values that are not strings, several of them out of any sane range. */
export const HOSTILE_JSON_VALUES: readonly string[] = [
  "null",
  "true",
  "0",
  "-1",
  "1.5",
  "-0",
  "1e308",
  "-1e308",
  "1e999",
  "2147483648",
  "9007199254740993",
  "123456789012345678901234567890",
  "[]",
  "{}",
  '["a"]',
  '{"a":1}',
  '[[[[[[[[[[[["deep"]]]]]]]]]]]]',
  `[${Array.from({ length: 1500 }, (_, i) => i).join(",")}]`,
  '{"__proto__":{"admin":true}}',
];

/** Numbers for ids and limits in paths and queries. */
export const HOSTILE_NUMBERS: readonly string[] = [
  "0", "-1", "1.5", "1e3", "1e999", "-0", "NaN", "Infinity", "0x1F", "2147483648", "9223372036854775808",
  "99999999999999999999999", " 1", "1 ", "+1", "01", "1,2", "",
];

/** A hostile value as JSON text: a string, a number, an object of the wrong kind… */
export function hostileJsonValue(random: Random): string {
  if (random.chance(0.55)) return JSON.stringify(random.pick(HOSTILE_STRINGS));
  return random.pick(HOSTILE_JSON_VALUES);
}

/**
 * Node's HTTP parser refuses a request line and headers over 16 KB (431, then the socket is closed
 * mid-upload), before the app sees anything; an overlong value in a URL is 1,000 characters, so it
 * reaches the routes.
 */
const MAX_URL_VALUE = 1_000;

/** A hostile path segment or query value, any kind. */
export function hostileText(random: Random): string {
  const text = random.chance(0.6) ? random.pick(HOSTILE_STRINGS) : random.pick(HOSTILE_NUMBERS);
  return text.slice(0, MAX_URL_VALUE);
}

/**
 * Percent-encodes text for a URL, including what encodeURIComponent refuses: a lone surrogate is
 * written as the (invalid) UTF-8 of its code unit, as a hostile client would.
 */
export function percentEncode(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    } else {
      out += encodeURIComponent(text[i]!);
    }
  }
  return out;
}

/** A JSON document that is broken, or is JSON of the wrong shape, built from a valid `json` text. */
export function malformedJson(random: Random, json: string): { label: string; text: string } {
  const cases: (() => { label: string; text: string })[] = [
    () => ({ label: "empty body", text: "" }),
    () => ({ label: "truncated", text: json.slice(0, Math.max(1, random.below(json.length))) }),
    () => ({ label: "trailing garbage", text: `${json}}]garbage` }),
    () => ({ label: "byte-order mark", text: `\ufeff${json}` }),
    () => ({ label: "single quotes", text: json.replaceAll('"', "'") }),
    () => ({ label: "comment", text: `/* hi */${json}` }),
    () => ({ label: "top-level null", text: "null" }),
    () => ({ label: "top-level array", text: `[${json}]` }),
    () => ({ label: "top-level string", text: JSON.stringify(json) }),
    () => ({ label: "top-level number", text: "1e999" }),
    () => ({ label: "10,000 levels of arrays", text: `${"[".repeat(10_000)}${"]".repeat(10_000)}` }),
    () => ({ label: "10,000 levels of objects", text: `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}` }),
    () => ({ label: "unterminated deep nesting", text: "[".repeat(50_000) }),
    () => ({ label: "duplicate keys", text: json.replace(/^\{/, '{"a":1,"a":2,') }),
    () => ({ label: "escaped NUL member name", text: json.replace(/^\{/, '{"\\u0000":1,') }),
    () => ({ label: "invalid escape", text: json.replace(/^\{/, '{"x":"\\x41",') }),
  ];
  return random.pick(cases)();
}

/** Content types a body may wrongly claim. */
export const WRONG_CONTENT_TYPES: readonly (string | undefined)[] = [
  undefined,
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=nothing",
  "multipart/form-data",
  "application/json; charset=utf-16",
  "application/xml",
  "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
  "a/b/c/d",
  `application/json; ${"x=y; ".repeat(2000)}`,
];
