/**
 * In-process upgrade test environment: the coordination environment (a seated dCERT group, account
 * 0 the validator operator) with circuit breaking on, the upgrade messages in the signing registry,
 * helpers for governance plans and pre-approvals, and `restart(build)`: the same store under a new
 * app built for another BuildIdentity (what a node does when its binary is switched).
 */
import { createHash } from "node:crypto";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { MsgCancelUpgrade, MsgSoftwareUpgrade } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Event, RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { keepersOf } from "../../src/app/wiring";
import { createApp } from "../../src/app/node";
import { APP_VERSION } from "../../src/baseapp/app";
import { PartyKind } from "../../src/generated/coord/v1/types";
import { coordTypes } from "../../src/types/coord/messages";
import { dcertTypes } from "../../src/types/messages";
import { UPGRADE_TYPE_URLS, upgradeTypes } from "../../src/types/upgrade/messages";
import { coordParamsToJson, defaultCoordGenesisJson } from "../../src/x/coord/genesis";
import { defaultCoordParams } from "../../src/x/coord/keeper/params";
import { accountValoper } from "../../src/x/staking/keeper";
import { developmentBuild, type BuildIdentity } from "../../src/x/upgrade/build";
import type { UpgradeKeeper } from "../../src/x/upgrade/keeper/keeper";
import type { TestChain } from "../helpers/app";
import { signDirect, testRegistry, TEST_CHAIN_ID } from "../helpers/txs";
import { cm, CoordEnv, encKey } from "./coord-harness";
import { type Account, dcertEnv, GOV, m as dm, ONE } from "./dcert-harness";

export { GOV, ONE };
export const upgradeRegistry = testRegistry([...dcertTypes, ...coordTypes, ...upgradeTypes]);
export const SEND = "/cosmos.bank.v1beta1.MsgSend";
export const HASH = createHash("sha256").update("the v2 security fix").digest("hex");

/** A build carrying exactly `handlers` (none: a binary that predates every plan). */
export function buildWith(handlers: readonly string[], tag = handlers.join(",")): BuildIdentity {
  return { appVersion: APP_VERSION, buildHash: new Uint8Array(createHash("sha256").update(`build ${tag}`).digest()), upgradeHandlers: [...handlers] };
}

/** The Any of a governance plan message (for proposals). */
export function softwareUpgradeAny(name: string, height: bigint, info = "", authority = GOV): Any {
  return { typeUrl: UPGRADE_TYPE_URLS.softwareUpgrade, value: MsgSoftwareUpgrade.encode(MsgSoftwareUpgrade.fromPartial({ authority, plan: { name, height, info } })).finish() };
}

export function cancelUpgradeAny(authority = GOV): Any {
  return { typeUrl: UPGRADE_TYPE_URLS.cancelUpgrade, value: MsgCancelUpgrade.encode(MsgCancelUpgrade.fromPartial({ authority })).finish() };
}

/** Encode objects for the upgrade messages. */
export const um = {
  preApprove: (member: string, name: string, height: bigint, o: { info?: string; hash?: string; caseId?: bigint } = {}): EncodeObject => ({
    typeUrl: UPGRADE_TYPE_URLS.preApproveUpgrade,
    value: { member, name, height, info: o.info ?? "", binarySha256: o.hash ?? HASH, caseId: o.caseId ?? 0n },
  }),
  withdraw: (member: string, name: string): EncodeObject => ({ typeUrl: UPGRADE_TYPE_URLS.withdrawPreApproval, value: { member, name } }),
  softwareUpgrade: (authority: string, name: string, height: bigint): EncodeObject => ({ typeUrl: UPGRADE_TYPE_URLS.softwareUpgrade, value: { authority, plan: { name, height, info: "" } } }),
  cancel: (authority: string): EncodeObject => ({ typeUrl: UPGRADE_TYPE_URLS.cancelUpgrade, value: { authority } }),
  breakRoutes: (member: string, routes: readonly string[]): EncodeObject => ({ typeUrl: "/dcert.v1.MsgCircuitBreak", value: { member, routes: [...routes], reason: "exploit under investigation" } }),
  send: (from: string, to: string, amount: bigint): EncodeObject => ({ typeUrl: SEND, value: { fromAddress: from, toAddress: to, amount: [{ denom: "udcert", amount: amount.toString() }] } }),
};

/** A chain on `store` driven by an app built for `build` (the node restarted on another binary). */
function chainOn(prev: TestChain, build: BuildIdentity): TestChain {
  const app = createApp({ store: prev.store, build });
  const chain: TestChain = {
    app,
    store: prev.store,
    genesis: prev.genesis,
    height: prev.store.lastHeight,
    time: prev.time,
    nextBlockRequest(txs = [], seconds = 1n): RequestFinalizeBlock {
      return {
        txs: [...txs],
        decidedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: chain.height + 1n,
        time: { seconds: chain.time + seconds, nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      };
    },
    block(txs = [], o = {}) {
      const req = chain.nextBlockRequest(txs, o.seconds);
      const res = app.finalizeBlock(req);
      chain.height = req.height;
      chain.time = req.time?.seconds ?? chain.time;
      app.commit();
      return res;
    },
    deliver(tx) {
      const r = chain.block([tx]).txResults[0];
      if (r === undefined) throw new Error("no tx result");
      return r;
    },
  };
  return chain;
}

export class UpgradeEnv extends CoordEnv {
  private readonly useq = new Map<string, bigint>();

  get upgrade(): UpgradeKeeper {
    return keepersOf(this.chain.app).upgrade;
  }

  override async sign(signer: Account, msgs: readonly EncodeObject[]): Promise<Uint8Array> {
    const acc = this.app.auth.getAccount(this.ctx(), signer.address);
    if (acc === undefined) throw new Error(`account ${signer.address} does not exist`);
    const sequence = this.useq.get(signer.address) ?? acc.sequence;
    this.useq.set(signer.address, sequence + 1n);
    return signDirect(signer.direct, { msgs, fee: { amount: [], gas: "20000000" }, chainId: TEST_CHAIN_ID, accountNumber: acc.accountNumber, sequence, registry: upgradeRegistry });
  }

  override block(txs: readonly Uint8Array[] = [], seconds?: bigint): ReturnType<CoordEnv["block"]> {
    this.useq.clear();
    return super.block(txs, seconds);
  }

  /** The same store under an app built for `build` (a node restarted on another binary). */
  restart(build: BuildIdentity): UpgradeEnv {
    return new UpgradeEnv(chainOn(this.chain, build), this.accounts);
  }

  /** Runs empty blocks until the last committed height is `h`. */
  advanceTo(h: bigint): void {
    while (this.chain.height < h) this.block();
  }

  /** Sends one tx from account `i`; "ok" or [codespace, code, log]. */
  async result(i: number, msgs: readonly EncodeObject[]): Promise<"ok" | [string, number, string]> {
    return this.code(i, msgs);
  }
}

/** Typed upgrade events of a type, as attribute maps with parsed JSON values. */
export function upgradeEvents(events: readonly Event[], type: string): Record<string, unknown>[] {
  return events
    .filter((e) => e.type === `dcert.upgrade.v1.${type}`)
    .map((e) => Object.fromEntries(e.attributes.filter((a) => a.key !== "msg_index" && a.key !== "mode").map((a) => [a.key, JSON.parse(a.value) as unknown])));
}

export interface UpgradeSetup {
  /** Seated members (accounts 1..members). */
  readonly members?: number;
  /** Funded accounts after the members. */
  readonly others?: number;
  /** Upgrade params (snake_case JSON) of the genesis. */
  readonly upgradeParams?: Record<string, unknown>;
}

/**
 * A chain with `members` seated dCERT members (accounts 1..members, registered as coord parties),
 * circuit breaking on, account 0 the validator operator (all the voting power) and `others` funded
 * accounts after the members.
 */
export async function upgradeEnv(o: UpgradeSetup = {}): Promise<UpgradeEnv> {
  const n = o.members ?? 3;
  const others = o.others ?? 3;
  const balances = [100_000_000_000n, ...Array.from({ length: n + others + 1 }, () => 10_000_000_000n)];
  const base = await dcertEnv({
    balances,
    params: { stabilization_period: "0", max_members: n, circuit_break_enabled: true },
    editGenesis: (state) => {
      state["coord"] = { ...(defaultCoordGenesisJson() as Record<string, unknown>), params: coordParamsToJson(defaultCoordParams()) };
      if (o.upgradeParams !== undefined) {
        const up = (state["upgrade"] ?? {}) as Record<string, unknown>;
        state["upgrade"] = { ...up, params: { preapproval_enabled: false, preapproval_quorum: "0.666666666666666667", preapproval_min_delay_blocks: "50", ...o.upgradeParams } };
      }
    },
  });
  const e = new UpgradeEnv(base.chain, base.accounts);
  const val = accountValoper(e.addr(0));
  const voter = n + others + 1;
  const txs: Uint8Array[] = [];
  for (let i = 1; i <= n; i++) txs.push(await e.sign(e.acct(i), [dm.bond(e.addr(i), e.addr(i), 1_000_000n), dm.accept(e.addr(i))]));
  const share = ONE / BigInt(n);
  txs.push(
    await e.sign(e.acct(voter), [dm.delegate(e.addr(voter), val, 3_000_000n), dm.vote(e.addr(voter), Array.from({ length: n }, (_, j) => [e.addr(j + 1), share] as [string, bigint]))]),
  );
  e.block(txs);
  if (e.members().size !== n) throw new Error(`expected ${n} seated members, got ${e.members().size}`);
  const regs: Uint8Array[] = [];
  for (let i = 1; i <= n; i++) regs.push(await e.sign(e.acct(i), [cm.register(e.addr(i), encKey(i).publicKey, [], PartyKind.PARTY_KIND_CORE_DEVELOPER, `member ${i}`)]));
  for (const r of e.block(regs).txResults) if (r.code !== 0) throw new Error(`member registration failed: ${r.log}`);
  return e;
}

export { developmentBuild };
