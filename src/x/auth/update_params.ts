/**
 * The one MsgUpdateParams handler of every module that has the message (auth, bank, distribution,
 * staking, gov, dcert): governance-only, so the authority is checked first (the gov module account,
 * authority.ts), then the new params are validated, then stored (the store function emits the
 * module's event, if it has one). Every MsgUpdateParamsResponse is empty.
 */
import type { Context } from "../../baseapp/context";
import type { RegisteredError } from "../../baseapp/errors";
import type { ProtoCodec } from "../../baseapp/module";
import type { MsgSpec, ResponseCodec } from "../../baseapp/msgserver";
import { requireGovAuthority } from "./authority";

type Empty = Record<string, never>;

export interface UpdateParamsOptions<M extends { authority: string }, P, Params> {
  readonly codec: ProtoCodec<M>;
  readonly response: ResponseCodec<Empty>;
  /** The authority check is requireGovAuthority(authority, what, err)... */
  readonly what: string;
  readonly err?: RegisteredError;
  /** ...unless the module's keeper owns it (its own error text): then this replaces it. */
  readonly authorize?: (authority: string) => void;
  /** Stateless check at decode (CheckTx too); what it returns reaches `validate`. */
  readonly validateBasic?: (m: M) => P;
  /** Checks the new params after the authority check and returns them. */
  readonly validate: (m: M, parsed: P) => Params;
  /** Stores the params (and emits the module's event, if any). */
  readonly store: (ctx: Context, params: Params, m: M) => void;
}

/** The msg server entry for a module's MsgUpdateParams. */
export function updateParamsSpec<M extends { authority: string }, P, Params>(o: UpdateParamsOptions<M, P, Params>): MsgSpec<M, P, Empty> {
  const authorize = o.authorize ?? ((authority: string) => requireGovAuthority(authority, o.what, o.err));
  return {
    codec: o.codec,
    response: o.response,
    signers: (m) => [m.authority],
    ...(o.validateBasic === undefined ? {} : { validateBasic: o.validateBasic }),
    handle(ctx: Context, m: M, parsed: P): Empty {
      authorize(m.authority);
      o.store(ctx, o.validate(m, parsed), m);
      return {};
    },
  };
}
