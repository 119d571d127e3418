/**
 * The client package as another project uses it: `npm pack` of packages/client (its prepack
 * builds it), the tarball installed into a scratch project next to stock CosmJS 0.39.0 from the
 * registry, and from there:
 * - one copy of each CosmJS package (peer dependencies), so SigningDcertClient takes the project's
 *   GasPrice ("Gas price must be a GasPrice instance" was the symptom of two copies), and no native
 *   dependency in the tree;
 * - a plain CommonJS script run with node bonds a candidate, sends a dCERT vote and reads it back
 *   with the typed client and the query extension, and checks addresses with the client's bech32
 *   wrapper (CosmJS's own fromBech32 throws with the @scure/base npm resolves);
 * - an ES module imports it, TypeScript (node16 and bundler resolution) type-checks against its
 *   declarations, and an esbuild browser bundle of it decodes query responses recorded from the
 *   devnet in a context without Node's globals.
 *
 * Needs `npm run build` first (the devnet runs from dist/) and the npm cache or registry.
 */
import { connectComet, type CometClient } from "@cosmjs/tendermint-rpc";
import * as esbuild from "esbuild";
import { webcrypto } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import { QueryParamsResponse, QueryVoteRequest, QueryVoteResponse } from "../../src/generated/dcert/v1/query";
import { DEVNET_MIN_GAS_PRICES, findRepoRoot } from "../../src/localnet/devnet";
import { startDevnet, type Devnet } from "./harness";
import { run } from "./install-harness";

jest.setTimeout(900_000);

const ROOT = findRepoRoot(__dirname);
const COSMJS = ["amino", "crypto", "encoding", "proto-signing", "stargate", "tendermint-rpc"].map((p) => `@cosmjs/${p}@0.39.0`);

/** The consumer: CommonJS, only the installed packages, everything it learns printed as JSON. */
const VOTE_SCRIPT = `
const { DcertClient, SigningDcertClient, decimalToFixed18, isDcertAddress, setupDcertExtension } = require("@dcert/client");
const { DirectSecp256k1HdWallet } = require("@cosmjs/proto-signing");
const { GasPrice, QueryClient } = require("@cosmjs/stargate");
const { connectComet } = require("@cosmjs/tendermint-rpc");
const encoding = require("@cosmjs/encoding");

function ok(res) {
  if (res.code !== 0) throw new Error("tx " + res.transactionHash + " failed with code " + res.code + ": " + res.rawLog);
  return res;
}

async function main() {
  const { RPC, GAS_PRICE, VOTER_MNEMONIC, CANDIDATE_MNEMONIC } = process.env;
  const options = { gasPrice: GasPrice.fromString(GAS_PRICE), broadcastPollIntervalMs: 300, broadcastTimeoutMs: 60000 };
  const voterWallet = await DirectSecp256k1HdWallet.fromMnemonic(VOTER_MNEMONIC, { prefix: "dcert" });
  const candidateWallet = await DirectSecp256k1HdWallet.fromMnemonic(CANDIDATE_MNEMONIC, { prefix: "dcert" });
  const [voter] = await voterWallet.getAccounts();
  const [candidate] = await candidateWallet.getAccounts();

  let stockFromBech32;
  try {
    encoding.fromBech32(candidate.address);
    stockFromBech32 = "ok";
  } catch (e) {
    stockFromBech32 = e.message;
  }
  const addressChecks = [isDcertAddress(candidate.address), isDcertAddress(candidate.address.slice(0, -1) + (candidate.address.endsWith("q") ? "p" : "q")), isDcertAddress("cosmos1xyz")];

  const candidateClient = await SigningDcertClient.connectWithSigner(RPC, candidateWallet, options);
  const voterClient = await SigningDcertClient.connectWithSigner(RPC, voterWallet, options);
  ok(await candidateClient.bond(candidate.address, candidate.address, { denom: "udcert", amount: "2000000" }, "auto"));
  ok(await candidateClient.acceptAdmission(candidate.address, "auto"));
  const vote = ok(await voterClient.vote(voter.address, [{ candidate: candidate.address, share: decimalToFixed18("1") }], "auto"));

  const reader = await DcertClient.connect(RPC);
  const record = await reader.getVote(voter.address);
  const comet = await connectComet(RPC);
  const q = QueryClient.withExtensions(comet, setupDcertExtension);
  const member = await q.dcert.member(candidate.address);
  console.log(JSON.stringify({
    voter: voter.address,
    candidate: candidate.address,
    voteTx: vote.transactionHash,
    entries: record.entries.map((e) => [e.candidate, e.share]),
    power: record.power,
    bond: member.status.bond,
    accepted: member.status.accepted,
    stockFromBech32,
    addressChecks,
  }));
  for (const c of [candidateClient, voterClient, reader]) c.disconnect();
  comet.disconnect();
}
main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
`;

const ESM_SCRIPT = `
import { SigningDcertClient, dcertQueryTypes, isDcertAddress, moduleAddress } from "@dcert/client";
import { QueryParamsResponse } from "@dcert/client/generated/dcert/v1/query";
console.log(JSON.stringify([typeof SigningDcertClient.connectWithSigner, dcertQueryTypes.QueryParamsResponse === QueryParamsResponse, isDcertAddress(moduleAddress("gov"))]));
`;

const TYPECHECK = `
import { GasPrice } from "@cosmjs/stargate";
import { SigningDcertClient, decimalToFixed18, isDcertAddress, type DcertExtension } from "@dcert/client";
import { QueryParamsResponse } from "@dcert/client/generated/dcert/v1/query";
export const valid: boolean = isDcertAddress("dcert1");
export const share: string = decimalToFixed18("0.5");
export const decode: (bytes: Uint8Array) => QueryParamsResponse = QueryParamsResponse.decode;
export type ParamsQuery = DcertExtension["dcert"]["params"];
export const connect: typeof SigningDcertClient.connectWithSigner = SigningDcertClient.connectWithSigner;
export const price = GasPrice.fromString("0.025udcert");
`;

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

const BROWSER_ENTRY = `
import { dcertQueryTypes } from "@dcert/client";
import { QueryParamsResponse } from "@dcert/client/generated/dcert/v1/query";
${PLAIN_SRC}
globalThis.decodeRecorded = (params, vote) => JSON.stringify({
  params: plain(QueryParamsResponse.decode(Uint8Array.from(params))),
  vote: plain(dcertQueryTypes.QueryVoteResponse.decode(Uint8Array.from(vote))),
});
`;

describe("@dcert/client from an npm pack tarball, next to stock CosmJS", () => {
  let devnet: Devnet;
  let comet: CometClient | undefined;
  let scratch = "";
  let packs = "";

  beforeAll(async () => {
    packs = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-client-pack-"));
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-client-consumer-"));
    const packed = await run("npm", ["pack", "--pack-destination", packs], { cwd: path.join(ROOT, "packages", "client"), timeoutMs: 600_000 });
    const tarball = path.join(packs, packed.stdout.trim().split("\n").pop()!.trim());
    expect(fs.existsSync(tarball)).toBe(true);
    fs.writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "dcert-client-consumer", version: "1.0.0", private: true }));
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, ...COSMJS], { cwd: scratch, timeoutMs: 600_000 });
    devnet = await startDevnet();
  });

  afterAll(async () => {
    comet?.disconnect();
    await devnet?.stop();
    if (process.env["KEEP_DEVNET"] !== "1") {
      for (const d of [scratch, packs]) if (d !== "") fs.rmSync(d, { recursive: true, force: true });
    }
  });

  test("the tree has one copy of each CosmJS package and no native dependency", async () => {
    const ls = JSON.parse((await run("npm", ["ls", "--all", "--json"], { cwd: scratch })).stdout) as unknown;
    const seen = new Map<string, Set<string>>();
    (function walk(node: { dependencies?: Record<string, { version?: string; dependencies?: unknown }> }) {
      for (const [name, dep] of Object.entries(node.dependencies ?? {})) {
        if (dep.version !== undefined) seen.set(name, (seen.get(name) ?? new Set()).add(dep.version));
        walk(dep as never);
      }
    })(ls as never);
    expect(seen.get("@dcert/client")).toEqual(new Set(["0.1.0"]));
    for (const p of COSMJS) expect(seen.get(p.replace(/@0\.39\.0$/, ""))).toEqual(new Set(["0.39.0"]));
    const installed = fs.readdirSync(path.join(scratch, "node_modules", "@cosmjs"));
    expect(installed).toEqual(expect.arrayContaining(["stargate", "proto-signing"]));
    expect(fs.existsSync(path.join(scratch, "node_modules", "@dcert", "client", "node_modules"))).toBe(false);
    for (const native of ["lmdb", "secp256k1", "msgpackr-extract", "node-gyp-build", "node-gyp-build-optional-packages"]) expect(seen.has(native)).toBe(false);
    const gyp = (await run("find", ["node_modules", "-name", "binding.gyp"], { cwd: scratch })).stdout.trim();
    expect(gyp).toBe("");
  });

  test("a CommonJS script sends a dCERT vote with the packed client and reads it back", async () => {
    const [validator, , bob] = devnet.accounts;
    fs.writeFileSync(path.join(scratch, "vote.js"), VOTE_SCRIPT);
    const env = { ...process.env, RPC: devnet.rpc, GAS_PRICE: DEVNET_MIN_GAS_PRICES, VOTER_MNEMONIC: validator!.mnemonic, CANDIDATE_MNEMONIC: bob!.mnemonic };
    const out = await run(process.execPath, ["vote.js"], { cwd: scratch, env, timeoutMs: 300_000 });
    expect(out.stderr).not.toContain("GasPrice instance");
    const result = JSON.parse(out.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
    expect(result).toMatchObject({
      voter: validator!.address,
      candidate: bob!.address,
      entries: [[bob!.address, "1000000000000000000"]],
      bond: "2000000",
      accepted: true,
      addressChecks: [true, false, false],
    });
    expect(BigInt(result["power"] as string)).toBeGreaterThan(0n);
    // What the wrapper protects against, with the @scure/base this install resolved.
    const scure = JSON.parse(fs.readFileSync(path.join(scratch, "node_modules", "@scure", "base", "package.json"), "utf8")) as { version: string };
    if (/^2\.(?:[3-9]|\d\d)\./.test(scure.version)) expect(result["stockFromBech32"]).toMatch(/limit/);

    // The same vote, through the chain's own encoding, as recorded bytes for the browser test below.
    comet = await connectComet(devnet.rpc);
    const voteQuery = await comet.abciQuery({ path: "/dcert.v1.Query/Vote", data: QueryVoteRequest.encode({ voter: validator!.address }).finish() });
    expect(voteQuery.code).toBe(0);
    expect(QueryVoteResponse.decode(voteQuery.value).vote?.entries.map((e) => e.candidate)).toEqual([bob!.address]);
  });

  test("an ES module imports it and TypeScript type-checks against its declarations", async () => {
    fs.writeFileSync(path.join(scratch, "esm.mjs"), ESM_SCRIPT);
    const esm = await run(process.execPath, ["esm.mjs"], { cwd: scratch });
    expect(JSON.parse(esm.stdout)).toEqual(["function", true, true]);

    fs.writeFileSync(path.join(scratch, "check.ts"), TYPECHECK);
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    for (const [module, moduleResolution] of [["node16", "node16"], ["esnext", "bundler"]] as const) {
      const tsconfig = { compilerOptions: { module, moduleResolution, target: "ES2022", lib: ["ES2022", "DOM"], strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["check.ts"] };
      fs.writeFileSync(path.join(scratch, "tsconfig.json"), JSON.stringify(tsconfig));
      await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: scratch });
    }
    // And it does check: a wrong type is an error.
    fs.appendFileSync(path.join(scratch, "check.ts"), `export const wrong: number = isDcertAddress("x");\n`);
    const failed = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: scratch, allowFailure: true });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).toContain("TS2322");
  });

  test("bundled for a browser from the installed package, it decodes query responses recorded from the devnet", async () => {
    const [validator] = devnet.accounts;
    comet ??= await connectComet(devnet.rpc);
    const params = await comet.abciQuery({ path: "/dcert.v1.Query/Params", data: new Uint8Array() });
    const vote = await comet.abciQuery({ path: "/dcert.v1.Query/Vote", data: QueryVoteRequest.encode({ voter: validator!.address }).finish() });
    expect([params.code, vote.code]).toEqual([0, 0]);

    const built = await esbuild.build({
      stdin: { contents: BROWSER_ENTRY, resolveDir: scratch, loader: "js", sourcefile: "entry.js" },
      bundle: true,
      platform: "browser",
      format: "iife",
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    const context = vm.createContext({ TextEncoder, TextDecoder, atob, btoa, crypto: webcrypto, URL, console });
    vm.runInContext("globalThis.self = globalThis; globalThis.window = globalThis;", context);
    expect(vm.runInContext("[typeof Buffer, typeof process, typeof require]", context)).toEqual(["undefined", "undefined", "undefined"]);
    vm.runInContext(built.outputFiles[0]!.text, context);
    const decodeRecorded = vm.runInContext("globalThis.decodeRecorded", context) as (p: number[], v: number[]) => string;
    const decoded = JSON.parse(decodeRecorded(Array.from(params.value), Array.from(vote.value))) as { params: unknown; vote: unknown };
    expect(decoded.params).toEqual(plain(QueryParamsResponse.decode(params.value)));
    expect(decoded.vote).toEqual(plain(QueryVoteResponse.decode(vote.value)));
    expect(decoded.params).toMatchObject({ params: { circuitBreakEnabled: true, minMemberBond: { denom: "udcert" } } });
  });
});
