/**
 * The x/bank msg server: MsgSend, MsgMultiSend and MsgUpdateParams (governance-only).
 * MsgSetSendEnabled (per-denom send switches) is not served: only the default switch exists.
 */
import {
  type Msg,
  MsgMultiSend,
  MsgMultiSendResponse,
  MsgSend,
  MsgSendResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { type Coin, coinsFromProto } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { ErrInvalidCoins, ErrInvalidRequest, ErrUnauthorized } from "./errors";
import { type MsgTable, msgSpec } from "../../baseapp/msgserver";
import { addrBytes } from "../auth/keeper";
import { updateParamsSpec } from "../auth/update_params";
import type { BankKeeper } from "./keeper";

export const BANK_MSG_PACKAGE = "cosmos.bank.v1beta1";

function validateSendCoins(amount: readonly { denom: string; amount: string }[]): Coin[] {
  const coins = coinsFromProto(amount);
  if (coins.length === 0) throw ErrInvalidCoins.wrap("amount must not be empty");
  return coins;
}

/** Stateless checks of MsgSend; returns the amount. */
function validateSend(m: MsgSend): Coin[] {
  addrBytes(m.fromAddress);
  addrBytes(m.toAddress);
  return validateSendCoins(m.amount);
}

function validateMultiSend(m: MsgMultiSend): void {
  if (m.inputs.length !== 1) throw ErrInvalidRequest.wrap("multi-send takes exactly one input");
  if (m.outputs.length === 0) throw ErrInvalidRequest.wrap("multi-send needs at least one output");
  const total = new Map<string, bigint>();
  for (const o of m.outputs) {
    addrBytes(o.address);
    for (const c of validateSendCoins(o.coins)) total.set(c.denom, (total.get(c.denom) ?? 0n) + c.amount);
  }
  const input = m.inputs[0];
  if (input === undefined) throw ErrInvalidRequest.wrap("missing input");
  addrBytes(input.address);
  const inCoins = validateSendCoins(input.coins);
  const same = inCoins.length === total.size && inCoins.every((c) => total.get(c.denom) === c.amount);
  if (!same) throw ErrInvalidCoins.wrap("sum of outputs does not equal the input");
}

export class BankMsgServer {
  constructor(private readonly bank: BankKeeper) {}

  send(ctx: Context, m: MsgSend, amount: Coin[]): MsgSendResponse {
    const bank = this.bank;
    if (!bank.sendEnabled(ctx)) throw ErrInvalidRequest.wrap("sends are disabled by the bank params");
    if (bank.isBlocked(m.toAddress)) throw ErrUnauthorized.wrap(`${m.toAddress} is not allowed to receive funds`);
    bank.sendCoins(ctx, m.fromAddress, m.toAddress, amount);
    ctx.events.emit("message", [["sender", m.fromAddress]]);
    return {};
  }

  multiSend(ctx: Context, m: MsgMultiSend): MsgMultiSendResponse {
    const bank = this.bank;
    if (!bank.sendEnabled(ctx)) throw ErrInvalidRequest.wrap("sends are disabled by the bank params");
    const input = m.inputs[0];
    if (input === undefined) throw ErrInvalidRequest.wrap("missing input");
    for (const o of m.outputs) {
      if (bank.isBlocked(o.address)) throw ErrUnauthorized.wrap(`${o.address} is not allowed to receive funds`);
      bank.sendCoins(ctx, input.address, o.address, coinsFromProto(o.coins));
    }
    ctx.events.emit("message", [["sender", input.address]]);
    return {};
  }

  table(): MsgTable<Msg, "SetSendEnabled"> {
    return {
      Send: msgSpec({
        codec: MsgSend,
        response: MsgSendResponse,
        signers: (m) => [m.fromAddress],
        validateBasic: validateSend,
        handle: (ctx, m, amount) => this.send(ctx, m, amount),
      }),
      MultiSend: msgSpec({
        codec: MsgMultiSend,
        response: MsgMultiSendResponse,
        signers: (m) => m.inputs.map((i) => i.address),
        validateBasic: validateMultiSend,
        handle: (ctx, m) => this.multiSend(ctx, m),
      }),
      UpdateParams: updateParamsSpec({
        codec: MsgUpdateParams,
        response: MsgUpdateParamsResponse,
        what: "bank MsgUpdateParams",
        validate: (m) => m.params.defaultSendEnabled,
        store: (ctx, enabled) => this.bank.setSendEnabled(ctx, enabled),
      }),
    };
  }
}
