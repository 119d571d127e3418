/**
 * What the validator-accountability end-to-end suites (slashing.test.ts, double-sign.test.ts)
 * share: a 4-validator testnet of the current build driven through the compiled `dcertd` CLI
 * (UpgradeNet of upgrade-harness.ts, without releases), CometBFT's own view of the validator set,
 * the chain's views of a validator (staking, slashing signing info) and a double signer: an extra
 * node running a copy of one validator's consensus key (src/localnet/doublesign.ts) as a child of
 * the test process. Needs `npm run build` and CometBFT.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveCometbft } from "../../src/localnet/cometbft";
import { compiledDcertd, findRepoRoot, waitForNewBlock, startApp, startCometbft, stopDevnet, type DevnetProcesses, type LaunchOptions } from "../../src/localnet/devnet";
import { doubleSignerLaunch, initDoubleSigner, type DoubleSigner } from "../../src/localnet/doublesign";
import { pollUntil, reservePorts, type ExitStatus, type PortReservation } from "../../src/localnet/proc";
import { runDcertd, UpgradeNet, type Run } from "./upgrade-harness";

const repoRoot = findRepoRoot(__dirname);

/** 10^18: the chain's fixed-point decimals (LegacyDec). */
export const DEC = 10n ** 18n;
/** Tokens per unit of consensus power (x/staking POWER_REDUCTION). */
export const POWER_REDUCTION = 1_000_000n;

/** A decimal string ("0.010000000000000000", "0.05", "1") as an 18-decimal fixed-point bigint. */
export function parseDec(s: string): bigint {
  const m = /^([0-9]+)(?:\.([0-9]{1,18}))?$/.exec(s.trim());
  if (m === null) throw new Error(`"${s}" is not a non-negative decimal`);
  return BigInt(m[1] as string) * DEC + BigInt(((m[2] ?? "") as string).padEnd(18, "0"));
}

/** SDK Keeper.Slash's amount: power × POWER_REDUCTION × fraction, truncated. */
export function slashAmount(power: bigint, fraction: bigint): bigint {
  return (power * POWER_REDUCTION * fraction) / DEC;
}

/** A validator as `dcertd q staking validator -o json` prints it. */
export interface ValidatorView {
  operator_address: string;
  status: string;
  jailed: boolean;
  tokens: string;
  delegator_shares: string;
}

/** x/slashing ValidatorSigningInfo as the CLI prints it (the SDK's proto-JSON, under `val_signing_info`). */
export interface SigningInfo {
  address: string;
  start_height: string;
  index_offset: string;
  jailed_until: string;
  tombstoned: boolean;
  missed_blocks_counter: string;
}

/** x/slashing Params as the CLI prints them. */
export interface SlashingParams {
  signed_blocks_window: string;
  min_signed_per_window: string;
  downtime_jail_duration: string;
  slash_fraction_double_sign: string;
  slash_fraction_downtime: string;
}

/** A testnet of the current build (no releases) whose accounts are in the CLI keyring. */
export class ValidatorNet extends UpgradeNet {
  /** `testnet init` + the accounts imported into the keyring + `testnet start` (every node commits a block). */
  async create(validators: number): Promise<void> {
    await this.testnet(["init", "--validators", String(validators)]);
    for (const a of this.info.accounts) {
      const r = await runDcertd(["keys", "import", a.name, "--home", this.keyHome, "-o", "json"], { input: `${a.mnemonic}\n` });
      if (r.code !== 0) throw new Error(`keys import ${a.name}: ${r.stderr}`);
    }
    await this.testnet(["start"]);
  }

  valoper(i: number): string {
    const n = this.info.nodes[i];
    if (n === undefined) throw new Error(`no node ${i}`);
    return n.validatorAddress;
  }

  /** Node i's consensus address as CometBFT prints it (upper-case hex of its priv_validator_key). */
  consAddressHex(i: number): string {
    const n = this.info.nodes[i];
    if (n === undefined) throw new Error(`no node ${i}`);
    const key = JSON.parse(fs.readFileSync(path.join(n.home, "cometbft", "config", "priv_validator_key.json"), "utf8")) as { address: string };
    return key.address.toUpperCase();
  }

  /** Latest block time on `node` (RFC 3339, nanoseconds) and height. */
  async latestBlock(node = 0): Promise<{ height: number; time: string }> {
    const r = await fetch(`${this.rpc(node)}/status`, { signal: AbortSignal.timeout(10_000) });
    const body = (await r.json()) as { result: { sync_info: { latest_block_height: string; latest_block_time: string } } };
    return { height: Number(body.result.sync_info.latest_block_height), time: body.result.sync_info.latest_block_time };
  }

  /** Block `height`'s header time (RFC 3339, nanoseconds). */
  async blockTime(height: number, node = 0): Promise<string> {
    const r = await fetch(`${this.rpc(node)}/block?height=${height}`, { signal: AbortSignal.timeout(10_000) });
    return ((await r.json()) as { result: { block: { header: { time: string } } } }).result.block.header.time;
  }

  /** CometBFT's validator set at the latest height on `node`: consensus address (hex) → voting power. */
  async cometValidators(node = 0): Promise<Map<string, bigint>> {
    const r = await fetch(`${this.rpc(node)}/validators?per_page=100`, { signal: AbortSignal.timeout(10_000) });
    const body = (await r.json()) as { result: { validators: { address: string; voting_power: string }[] } };
    return new Map(body.result.validators.map((v) => [v.address.toUpperCase(), BigInt(v.voting_power)]));
  }

  /** The validators (hex consensus addresses) whose precommit for block `height` is in its commit. */
  async commitSigners(height: number, node = 0): Promise<string[]> {
    const r = await fetch(`${this.rpc(node)}/commit?height=${height}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await r.json()) as { result: { signed_header: { commit: { signatures: { block_id_flag: number; validator_address: string }[] } } } };
    // block_id_flag 2 = BLOCK_ID_FLAG_COMMIT (a precommit for the block).
    return body.result.signed_header.commit.signatures.filter((s) => s.block_id_flag === 2).map((s) => s.validator_address.toUpperCase());
  }

  /** Whether validator `consHex`'s precommit is ABSENT (block_id_flag 1) from block `height`'s commit: x/slashing's "missed". */
  async missed(height: number, consHex: string, node = 0): Promise<boolean> {
    const r = await fetch(`${this.rpc(node)}/commit?height=${height}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await r.json()) as { result: { signed_header: { commit: { signatures: { block_id_flag: number; validator_address: string | null }[] } } } };
    // Absent entries carry no address; the commit lists the validator set in order, so look the
    // validator up by its index in that height's set.
    const set = await fetch(`${this.rpc(node)}/validators?height=${height}&per_page=100`, { signal: AbortSignal.timeout(10_000) });
    const vals = ((await set.json()) as { result: { validators: { address: string }[] } }).result.validators;
    const i = vals.findIndex((v) => v.address.toUpperCase() === consHex);
    if (i < 0) throw new Error(`${consHex} is not in the validator set of height ${height}`);
    return body.result.signed_header.commit.signatures[i]?.block_id_flag === 1;
  }

  /** Heights in from..to whose FinalizeBlock events (`/block_results`) hold an event of `type` with every attribute in `attrs`. */
  async eventHeights(type: string, attrs: Record<string, string>, from: number, to: number, node = 0): Promise<number[]> {
    const out: number[] = [];
    for (let h = from; h <= to; h++) {
      const r = await fetch(`${this.rpc(node)}/block_results?height=${h}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await r.json()) as { result: { finalize_block_events: { type: string; attributes: { key: string; value: string }[] }[] | null } };
      const hit = (body.result.finalize_block_events ?? []).some(
        (e) => e.type === type && Object.entries(attrs).every(([k, v]) => e.attributes.some((a) => a.key === k && a.value === v)),
      );
      if (hit) out.push(h);
    }
    return out;
  }

  /** Waits until CometBFT's set on `node` satisfies `ok`; returns it. */
  async cometValidatorsUntil(what: string, ok: (set: Map<string, bigint>) => boolean, node = 0, timeoutMs = 60_000): Promise<Map<string, bigint>> {
    let last: Map<string, bigint> | undefined;
    return pollUntil({
      what,
      check: async () => {
        last = await this.cometValidators(node);
        return ok(last) ? last : undefined;
      },
      timeoutMs,
      intervalMs: 500,
      retryErrors: true,
      lastSeen: () => (last === undefined ? undefined : [...last].map(([a, p]) => `${a.slice(0, 8)}=${p}`).join(", ")),
    });
  }

  async validator(valoper: string, node = 0): Promise<ValidatorView> {
    return (await this.q<{ validator: ValidatorView }>(["staking", "validator", valoper], node)).validator;
  }

  async slashingParams(): Promise<SlashingParams> {
    return (await this.q<{ params: SlashingParams }>(["slashing", "params"])).params;
  }

  async signingInfo(valoper: string, node = 0): Promise<SigningInfo> {
    return (await this.q<{ val_signing_info: SigningInfo }>(["slashing", "signing-info", valoper], node)).val_signing_info;
  }

  /** The balance (token value) of `delegator`'s delegation to `valoper`. */
  async delegationBalance(delegator: string, valoper: string): Promise<bigint> {
    const d = await this.q<{ delegation_response: { balance: { amount: string } | null } | null }>(["staking", "delegation", delegator, valoper]);
    return BigInt(d.delegation_response?.balance?.amount ?? "0");
  }

  /** A voter's counted dCERT voting power (`q dcert vote`). */
  async dcertVotePower(voter: string): Promise<bigint> {
    return BigInt((await this.q<{ vote: { power: string } }>(["dcert", "vote", voter])).vote.power);
  }

  /** A candidate's dCERT tally (`q dcert member`; 0 when it has none). */
  async dcertTally(candidate: string): Promise<bigint> {
    return BigInt((await this.q<{ status: { tally?: string } | null }>(["dcert", "member", candidate])).status?.tally ?? "0");
  }

  /** Waits until `q staking validator` satisfies `ok`; returns it. */
  async validatorUntil(what: string, valoper: string, ok: (v: ValidatorView) => boolean, timeoutMs: number, abort?: () => string | undefined): Promise<ValidatorView> {
    let last: ValidatorView | undefined;
    return pollUntil({
      what,
      check: async () => {
        last = await this.validator(valoper);
        return ok(last) ? last : undefined;
      },
      timeoutMs,
      intervalMs: 1_000,
      retryErrors: true,
      lastSeen: () => (last === undefined ? undefined : `jailed ${last.jailed}, ${last.status}, tokens ${last.tokens}`),
      ...(abort === undefined ? {} : { abort }),
    });
  }

  /** A tx expected to be refused (by CheckTx or in the block): returns the CLI's output. */
  async txRefused(argv: readonly string[], node = 0): Promise<Run> {
    const r = await this.cli(["tx", ...argv, "-y", "-o", "json"], node);
    if (r.code === 0) {
      const res = JSON.parse(r.stdout) as Record<string, unknown>;
      if (res["code"] === 0) throw new Error(`dcertd tx ${argv.join(" ")} was accepted: ${r.stdout}`);
    }
    return r;
  }
}

/** The SDK's jail end for double signing (x/evidence DoubleSignJailEndTime): jailed for good. */
export const DOUBLE_SIGN_JAIL_END = "9999-12-31T23:59:59Z";

/**
 * A running copy of validator i's key (src/localnet/doublesign.ts) under the test process: its app
 * and CometBFT are children that `stop()` ends (and the process exit hook of proc.ts kills if a
 * test dies first). Its ports are reserved until its processes bind them.
 */
export class DoubleSignerNode {
  readonly procs: DevnetProcesses = {};
  private reservation: PortReservation | undefined;
  private readonly launch: LaunchOptions;

  private constructor(
    readonly signer: DoubleSigner,
    cometbftBin: string,
    log: (line: string) => void,
  ) {
    this.launch = doubleSignerLaunch(signer, this.procs, { cometbftBin, dcertdScript: compiledDcertd(repoRoot), log, blockTimeoutMs: 180_000 });
  }

  static async start(net: ValidatorNet, validator: number, log: (line: string) => void): Promise<DoubleSignerNode> {
    const reservation = await reservePorts(3);
    const [rpc, p2p, abci] = reservation.ports as [number, number, number];
    const cometbftBin = resolveCometbft(repoRoot, process.env);
    const signer = initDoubleSigner({ info: net.info, validator, home: path.join(net.root, `double-signer-${validator}`), ports: { rpc, p2p, abci }, cometbftBin });
    const node = new DoubleSignerNode(signer, cometbftBin, log);
    node.reservation = reservation;
    try {
      await startApp({ ...node.launch, reservation });
      await startCometbft({ ...node.launch, reservation });
    } catch (e) {
      await node.stop();
      throw e;
    }
    log(`${signer.moniker}: started (app pid ${node.procs.app?.pid}, CometBFT pid ${node.procs.comet?.pid}), node id ${signer.nodeId}, rpc ${signer.rpc}`);
    return node;
  }

  /** Resolves once the copy has caught up and committed a new block itself (it then signs). */
  async caughtUp(): Promise<number> {
    return waitForNewBlock(this.launch);
  }

  /** Why the copy is not running, if one of its processes exited. */
  died(): string | undefined {
    for (const c of [this.procs.app, this.procs.comet]) {
      const s = c?.exitStatus();
      if (c !== undefined && s !== undefined) return `${c.label} exited (${s.signal ?? s.code}); see ${c.logPath}`;
    }
    return undefined;
  }

  /** Stops CometBFT then the app; returns both exit statuses. Safe to call twice. */
  async stop(): Promise<{ app?: ExitStatus; comet?: ExitStatus }> {
    await stopDevnet(this.procs);
    await this.reservation?.release();
    this.reservation = undefined;
    const app = this.procs.app?.exitStatus();
    const comet = this.procs.comet?.exitStatus();
    return { ...(app === undefined ? {} : { app }), ...(comet === undefined ? {} : { comet }) };
  }

  /** The pids of the copy's processes (to check none is left). */
  pids(): number[] {
    return [this.procs.app?.pid, this.procs.comet?.pid].filter((p): p is number => p !== undefined);
  }
}

/** Whether a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Scans blocks from..to on `rpc` for committed evidence; returns the DuplicateVoteEvidence found
 * (the validator's hex address and the height of the conflicting votes) with the block holding it.
 */
export async function committedDuplicateVotes(rpc: string, from: number, to: number): Promise<{ block: number; validator: string; height: number }[]> {
  const out: { block: number; validator: string; height: number }[] = [];
  for (let h = from; h <= to; h++) {
    const r = await fetch(`${rpc}/block?height=${h}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await r.json()) as { result?: { block: { evidence: { evidence: { type: string; value: { vote_a: { height: string; validator_address: string } } }[] | null } } } };
    for (const e of body.result?.block.evidence.evidence ?? []) {
      if (e.type === "tendermint/DuplicateVoteEvidence") out.push({ block: h, validator: e.value.vote_a.validator_address.toUpperCase(), height: Number(e.value.vote_a.height) });
    }
  }
  return out;
}
