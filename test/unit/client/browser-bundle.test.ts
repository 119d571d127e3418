/**
 * The client library in a browser: esbuild bundles an entry that imports @dcert/client (platform
 * browser, no Node polyfills), and the bundle runs in a node:vm context that has only what a
 * browser page has (TextEncoder, atob, crypto, ...) and no Buffer, process, require or global.
 * There the client's own query extensions (dCERT and coord) decode responses recorded here with
 * the generated encoders, through a stand-in for CosmJS's QueryClient; the decoded values must
 * equal the node-side decoding. The installed-package version of this check runs in
 * test/e2e/package-install.test.ts.
 */
import * as esbuild from "esbuild";
import fc from "fast-check";
import * as path from "node:path";
import * as vm from "node:vm";
import { webcrypto } from "node:crypto";
import {
  QueryCandidatesRequest,
  QueryCandidatesResponse,
  QueryGroupResponse,
  QueryParamsResponse,
  QueryVoteRequest,
  QueryVoteResponse,
} from "../../../src/generated/dcert/v1/query";
import { GroupStatus } from "../../../src/generated/dcert/v1/types";
import { QueryNoticeRequest, QueryNoticeResponse } from "../../../src/generated/coord/v1/query";
import { NoticeKind } from "../../../src/generated/coord/v1/types";
import { toBech32 } from "../../../src/client";

const ROOT = path.resolve(__dirname, "../../..");

/** A canonical, realm-independent JSON form of a decoded message (sorted keys, bigints and bytes tagged). */
const PLAIN_SRC = `function plain(v) {
  if (typeof v === "bigint") return { bigint: v.toString() };
  if (v instanceof Uint8Array) return { bytes: Array.from(v) };
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = plain(v[k]);
    return out;
  }
  return v;
}`;
const plain = new Function(`return ${PLAIN_SRC}`)() as (v: unknown) => unknown;

const ENTRY = `
import { isDcertAddress, setupCoordExtension, setupDcertExtension } from "@dcert/client";
${PLAIN_SRC}
function client(recorded, seen) {
  const base = {
    async queryAbci(path, request) {
      seen.push({ path, request: Array.from(request) });
      const value = recorded[path];
      if (value === undefined) throw new Error("no recorded response for " + path);
      return { value: Uint8Array.from(value), height: 7 };
    },
  };
  return { dcert: setupDcertExtension(base).dcert, coord: setupCoordExtension(base).coord };
}
globalThis.dcertBrowser = {
  async decodeAll(recorded) {
    const seen = [];
    const { dcert, coord } = client(recorded, seen);
    const out = {
      params: plain(await dcert.params()),
      group: plain(await dcert.group()),
      candidates: plain(await dcert.candidates(Uint8Array.of(1, 2, 3))),
      vote: plain(await dcert.vote("${"dcert1"}voter")),
      notice: plain(await coord.notice(5n)),
    };
    return JSON.stringify({ out, seen });
  },
  async decodeVote(bytes) {
    const { dcert } = client({ "/dcert.v1.Query/Vote": bytes }, []);
    return JSON.stringify(plain(await dcert.vote("x")));
  },
  isDcertAddress,
};
`;

interface BrowserApi {
  decodeAll(recorded: Record<string, number[]>): Promise<string>;
  decodeVote(bytes: number[]): Promise<string>;
  isDcertAddress(address: string): boolean;
}

/**
 * What a browser page has that the client may use (Web APIs, `self` and `window` naming the global
 * object, which cosmjs-types looks up), and no Node globals.
 */
function browserContext(): vm.Context {
  const context = vm.createContext({ TextEncoder, TextDecoder, atob, btoa, crypto: webcrypto, URL, console });
  vm.runInContext("globalThis.self = globalThis; globalThis.window = globalThis;", context);
  return context;
}

let bundle = "";
let api: BrowserApi;
let context: vm.Context;

beforeAll(async () => {
  const result = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: "js", sourcefile: "browser-entry.js" },
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    write: false,
    logLevel: "silent",
    alias: { "@dcert/client": path.join(ROOT, "src", "client", "index.ts") },
  });
  bundle = result.outputFiles[0]!.text;
  context = browserContext();
  vm.runInContext(bundle, context, { filename: "dcert-client.bundle.js" });
  api = vm.runInContext("globalThis.dcertBrowser", context) as BrowserApi;
}, 120_000);

const ADDR = toBech32("dcert", Uint8Array.from({ length: 20 }, (_, i) => i * 3));
const OTHER = toBech32("dcert", new Uint8Array(20).fill(0xab));

function roundTrip<T>(codec: { encode(m: T): { finish(): Uint8Array }; decode(b: Uint8Array): T }, m: T): { bytes: number[]; decoded: T } {
  const bytes = codec.encode(m).finish();
  return { bytes: Array.from(bytes), decoded: codec.decode(bytes) };
}

describe("the client bundled for a browser", () => {
  test("the context really lacks Node's globals", () => {
    expect(vm.runInContext("[typeof Buffer, typeof process, typeof require, typeof global, typeof module]", context)).toEqual([
      "undefined",
      "undefined",
      "undefined",
      "undefined",
      "undefined",
    ]);
    expect(bundle.length).toBeGreaterThan(10_000);
  });

  test("the dCERT and coord query extensions decode recorded responses exactly as Node does", async () => {
    const params = roundTrip(QueryParamsResponse, {
      params: {
        maxMembers: 7,
        minMemberBond: { denom: "udcert", amount: "1000000" },
        stipendPerBlock: { denom: "udcert", amount: "10" },
        suspensionQuorum: "500000000000000000",
        disbandWager: { denom: "udcert", amount: "5000000" },
        disbandSlashFraction: "100000000000000000",
        stabilizationPeriod: 100n,
        maxVoteEntries: 16,
        circuitBreakEnabled: true,
      },
    });
    const group = roundTrip(QueryGroupResponse, {
      status: GroupStatus.GROUP_STATUS_ACTIVE,
      description: { name: "dCERT", details: "emergency response", website: "https://dcert.example", securityContact: "sec@dcert.example" },
      members: [{ address: ADDR, sequence: 18_446_744_073_709_551_615n, tally: "123456789012345678901234567890", bond: "2000000" }],
      maxMembers: 7,
      lastSequence: 42n,
      disbandPending: false,
    });
    const candidates = roundTrip(QueryCandidatesResponse, {
      candidates: [{ address: OTHER, tally: "0", acceptance: undefined, bond: "2000000", queued: true }],
      pagination: { nextKey: Uint8Array.of(0, 255, 128), total: 9n },
    });
    const vote = roundTrip(QueryVoteResponse, {
      vote: { voter: ADDR, power: "1000000000", entries: [{ candidate: OTHER, share: "500000000000000000", contribution: "500000000" }] },
    });
    const notice = roundTrip(QueryNoticeResponse, {
      notice: {
        id: 5n,
        caseId: 2n,
        sender: ADDR,
        recipient: OTHER,
        recipientKeyEpoch: 3,
        kind: NoticeKind.NOTICE_KIND_UNSPECIFIED,
        envelope: {
          version: 1,
          suite: 1,
          recipients: [{ address: OTHER, keyEpoch: 3, enc: new Uint8Array(32).fill(7), wrappedKey: new Uint8Array(48).fill(9) }],
          nonce: new Uint8Array(24).fill(1),
          ciphertext: Uint8Array.from({ length: 300 }, (_, i) => i % 256),
        },
        envelopeHash: new Uint8Array(32).fill(0xee),
        height: 77n,
        time: { seconds: 1_700_000_000n, nanos: 123_000_000 },
      },
    });
    const recorded = {
      "/dcert.v1.Query/Params": params.bytes,
      "/dcert.v1.Query/Group": group.bytes,
      "/dcert.v1.Query/Candidates": candidates.bytes,
      "/dcert.v1.Query/Vote": vote.bytes,
      "/coord.v1.Query/Notice": notice.bytes,
    };
    const { out, seen } = JSON.parse(await api.decodeAll(recorded)) as { out: Record<string, unknown>; seen: { path: string; request: number[] }[] };
    expect(out).toEqual({
      params: plain(params.decoded),
      group: plain(group.decoded),
      candidates: plain(candidates.decoded),
      vote: plain(vote.decoded),
      notice: plain(notice.decoded),
    });
    // Spot checks that do not depend on the serializer: 64-bit values and bytes survived.
    expect(out["group"]).toMatchObject({ members: [{ sequence: { bigint: "18446744073709551615" } }] });
    expect(out["candidates"]).toMatchObject({ pagination: { nextKey: { bytes: [0, 255, 128] } } });

    expect(seen.map((s) => s.path)).toEqual(Object.keys(recorded));
    const candidatesRequest = QueryCandidatesRequest.decode(Uint8Array.from(seen[2]!.request));
    expect([...(candidatesRequest.pagination?.key ?? [])]).toEqual([1, 2, 3]);
    expect(QueryVoteRequest.decode(Uint8Array.from(seen[3]!.request)).voter).toBe("dcert1voter");
    expect(QueryNoticeRequest.decode(Uint8Array.from(seen[4]!.request)).noticeId).toBe(5n);
  });

  test("any vote response decodes in the browser as in Node", async () => {
    const entry = fc.record({ candidate: fc.string(), share: fc.bigInt({ min: 0n, max: 10n ** 18n }).map(String), contribution: fc.bigInt({ min: 0n, max: 2n ** 128n }).map(String) });
    await fc.assert(
      fc.asyncProperty(fc.record({ voter: fc.string(), power: fc.bigInt({ min: 0n, max: 2n ** 200n }).map(String), entries: fc.array(entry, { maxLength: 8 }) }), async (v) => {
        const { bytes, decoded } = roundTrip(QueryVoteResponse, { vote: v });
        expect(JSON.parse(await api.decodeVote(bytes))).toEqual(plain(decoded));
      }),
      { numRuns: 200 },
    );
  });

  test("the client-side address check works in the browser (no @scure/base limit error)", () => {
    expect(api.isDcertAddress(ADDR)).toBe(true);
    expect(api.isDcertAddress(ADDR.toUpperCase())).toBe(true);
    expect(api.isDcertAddress(`${ADDR.slice(0, -1)}${ADDR.endsWith("q") ? "p" : "q"}`)).toBe(false);
    expect(api.isDcertAddress(toBech32("cosmos", new Uint8Array(20)))).toBe(false);
  });
});
