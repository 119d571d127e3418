/**
 * `dcertd tx slashing unjail` and `dcertd q slashing params|signing-info|signing-infos`.
 *
 * signing-info takes the validator as its consensus address (…valcons1…), its operator address
 * (…valoper1…, looked up on chain) or its consensus public key (the JSON `cometbft show-validator`
 * prints, or a priv_validator_key.json path).
 */
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import type { Params, ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import type { DcertClient } from "../client/dcertclient";
import { collectPages } from "../client/dcertclient";
import { buildUnjail } from "../client/rewards/messages";
import { consensusAddress, decBytesToFixed18 } from "../client/rewards/queries";
import type { ParsedArgs } from "./args";
import { isValoperAddress } from "./clientenv";
import { CliError, type Leaf } from "./cmdtree";
import type { TxRunner } from "./coord/tx";
import { toJson, type Json } from "./output";
import { consensusPubkeyArg, decText, isConsensusAddress, notFound, operatorOf, positionalArgs, queryLeaf } from "./stakingargs";
import type { TxPlan } from "./tx";

export function unjailPlan(from: string, args: ParsedArgs): TxPlan {
  positionalArgs(args, []);
  return { msgs: [buildUnjail(operatorOf(from))] };
}

export function slashingTxLeaves(r: TxRunner): Leaf[] {
  return [
    {
      path: ["slashing", "unjail"],
      summary: "unjail your validator (after its jail period; never once tombstoned for double signing)",
      positionals: [],
      details: ["--from is the operator's key; the validator is its …valoper address. Check jailed_until with \"dcertd q slashing signing-info <valoper>\"."],
      flags: r.common,
      run: (args) => r.run(args, (from) => unjailPlan(from, args)),
    },
  ];
}

/** The consensus address a signing-info argument names (asks the chain for a valoper's key). */
export async function consensusAddressOf(text: string, lookup: (valoper: string) => Promise<{ consensusPubkey?: { typeUrl: string; value: Uint8Array } | undefined }>): Promise<string> {
  if (isConsensusAddress(text)) return text;
  if (isValoperAddress(text)) {
    let v: Awaited<ReturnType<typeof lookup>>;
    try {
      v = await lookup(text);
    } catch (e) {
      notFound(e, `validator ${text} does not exist`, 'list them with "dcertd q staking validators"');
    }
    const pk = v.consensusPubkey;
    if (pk === undefined || pk.typeUrl !== "/cosmos.crypto.ed25519.PubKey") throw new CliError(`validator ${text} has no ed25519 consensus key`, "give its consensus address (…valcons1…) instead");
    return consensusAddress(Ed25519PubKey.decode(pk.value).key);
  }
  return consensusAddress(consensusPubkeyArg(text, "<validator>"));
}

export function slashingParamsJson(p: Params | undefined): Json {
  const d = (b: Uint8Array | undefined): string => decText(decBytesToFixed18(b ?? new Uint8Array()));
  const dur = p?.downtimeJailDuration;
  return {
    signed_blocks_window: (p?.signedBlocksWindow ?? 0n).toString(),
    min_signed_per_window: d(p?.minSignedPerWindow),
    downtime_jail_duration: dur === undefined ? "0s" : `${dur.seconds}${dur.nanos === 0 ? "" : `.${dur.nanos.toString().padStart(9, "0").replace(/0+$/, "")}`}s`,
    slash_fraction_double_sign: d(p?.slashFractionDoubleSign),
    slash_fraction_downtime: d(p?.slashFractionDowntime),
  };
}

export function signingInfoJson(i: ValidatorSigningInfo): Json {
  return {
    address: i.address,
    start_height: i.startHeight.toString(),
    index_offset: i.indexOffset.toString(),
    jailed_until: toJson(i.jailedUntil),
    tombstoned: i.tombstoned,
    missed_blocks_counter: i.missedBlocksCounter.toString(),
  };
}

async function signingInfo(c: DcertClient, text: string): Promise<Json> {
  const cons = await consensusAddressOf(text, async (v) => c.getValidator(v));
  let info: ValidatorSigningInfo | undefined;
  try {
    info = (await c.queries.slashing.signingInfo(cons)).valSigningInfo;
  } catch (e) {
    notFound(e, `no signing info for ${cons}`, "a validator has one from its first bonded block; check the address");
  }
  if (info === undefined) throw new CliError(`no signing info for ${cons}`, "a validator has one from its first bonded block; check the address");
  return signingInfoJson(info);
}

export function slashingQueryLeaves(): Leaf[] {
  return [
    queryLeaf(["slashing", "params"], "the slashing parameters (downtime window, jail duration, slash fractions)", [], [], () => async (c) => ({
      json: slashingParamsJson((await c.queries.slashing.params()).params),
    })),
    queryLeaf(
      ["slashing", "signing-info"],
      "a validator's signing info: missed blocks, jailed until, tombstoned",
      ["<validator>"],
      [],
      (_a, [v]) => async (c) => ({ json: await signingInfo(c, v as string) }),
      ['<validator>: a consensus address (…valcons1…), an operator address (…valoper1…), or the consensus public key', '({"@type":"/cosmos.crypto.ed25519.PubKey","key":"…"} or a priv_validator_key.json path).'],
    ),
    queryLeaf(["slashing", "signing-infos"], "every validator's signing info", [], [], () => async (c) => ({
      json: { info: (await collectPages((key) => c.queries.slashing.signingInfos(key), (r) => r.info)).map(signingInfoJson) },
    })),
  ];
}
