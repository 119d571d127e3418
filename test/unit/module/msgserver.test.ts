/**
 * The msg server table (src/baseapp/msgserver.ts): registration from the table, the parsed value
 * of validateBasic reaching the handler, and the compile-time completeness check (the
 * `@ts-expect-error` lines fail `tsc` if a table missing a handler ever type-checks).
 */
import { MsgSend, MsgSendResponse, type Msg as BankMsg } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Context } from "../../../src/baseapp/context";
import { type MsgTable, msgSpec, registerMsgServer } from "../../../src/baseapp/msgserver";
import { MsgRouter, QueryRouter, registrarFor } from "../../../src/baseapp/router";
import type { Msg as DcertMsg } from "../../../src/generated/dcert/v1/tx";

const send = msgSpec({
  codec: MsgSend,
  response: MsgSendResponse,
  signers: (m: MsgSend) => [m.fromAddress],
  validateBasic: (m: MsgSend) => m.amount.length,
  handle: (_ctx: Context, _m: MsgSend, n: number): MsgSendResponse => {
    handled.push(n);
    return {};
  },
});
const handled: number[] = [];

describe("msg server table", () => {
  it("registers each entry under /<package>.Msg<method> and hands validateBasic's value to the handler", () => {
    const msgs = new MsgRouter();
    const table: MsgTable<BankMsg, "MultiSend" | "UpdateParams" | "SetSendEnabled"> = { Send: send };
    registerMsgServer(registrarFor(msgs, new QueryRouter()), "cosmos.bank.v1beta1", "bank", table);
    expect(msgs.typeUrls()).toEqual(["/cosmos.bank.v1beta1.MsgSend"]);
    const value = MsgSend.encode({ fromAddress: "a", toAddress: "b", amount: [{ denom: "x", amount: "1" }, { denom: "y", amount: "2" }] }).finish();
    const any: Any = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value };
    const decoded = msgs.decode(any);
    expect(decoded.parsed).toBe(2);
    const res = msgs.execute({} as Context, decoded);
    expect(handled).toEqual([2]);
    expect(res).toEqual({ typeUrl: "/cosmos.bank.v1beta1.MsgSendResponse", value: MsgSendResponse.encode({}).finish() });
  });

  it("fails to compile when a method of the service has no handler", () => {
    // @ts-expect-error MultiSend, UpdateParams and SetSendEnabled have no entry and are not listed as not served.
    const missing: MsgTable<BankMsg> = { Send: send };
    // @ts-expect-error a dCERT table needs all 13 methods of dcert.v1.Msg.
    const dcert: MsgTable<DcertMsg> = {};
    // @ts-expect-error an entry for another message type (MsgSend is not MsgVote).
    const wrong: MsgTable<DcertMsg, Exclude<keyof DcertMsg, "Vote">> = { Vote: send };
    const mismatched = msgSpec({
      codec: MsgSend,
      response: MsgSendResponse,
      signers: (m: MsgSend) => [m.fromAddress],
      validateBasic: (m: MsgSend) => m.amount.length,
      // @ts-expect-error the handler takes a string but validateBasic returns a number.
      handle: (_ctx: Context, _m: MsgSend, n: string): MsgSendResponse => (n === "" ? {} : {}),
    });
    expect([missing, dcert, wrong, mismatched]).toHaveLength(4);
  });
});
