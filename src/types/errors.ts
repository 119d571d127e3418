/**
 * Registered errors, the wire-level part: every rejection the chain produces carries a
 * (codespace, code) pair that is registered exactly once, as in the Cosmos SDK's
 * `errors.Register`. Code 1 is reserved for internal errors; code 0 is success. Here in types/
 * because the codes are part of the contract with clients and the amino registry throws them;
 * the runtime's handling of thrown errors (`errorResult`) is in baseapp/errors.ts.
 */
export class ChainError extends Error {
  constructor(
    readonly codespace: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "ChainError";
  }
}

/** A registered error kind: call `.wrap("details")` to make a throwable error with context. */
export interface RegisteredError {
  readonly codespace: string;
  readonly code: number;
  readonly description: string;
  wrap(detail?: string): ChainError;
  is(err: unknown): boolean;
}

const registry = new Map<string, RegisteredError>();

export function registerError(codespace: string, code: number, description: string): RegisteredError {
  if (code <= 1) throw new Error(`error code ${code} is reserved (codespace ${codespace})`);
  const id = `${codespace}:${code}`;
  if (registry.has(id)) throw new Error(`error ${id} registered twice`);
  const e: RegisteredError = {
    codespace,
    code,
    description,
    wrap(detail?: string): ChainError {
      return new ChainError(codespace, code, detail === undefined ? description : `${detail}: ${description}`);
    },
    is(err: unknown): boolean {
      return err instanceof ChainError && err.codespace === codespace && err.code === code;
    },
  };
  registry.set(id, e);
  return e;
}

/** All registered errors, sorted by codespace then code (for docs and tests). */
export function registeredErrors(): RegisteredError[] {
  return [...registry.values()].sort((a, b) =>
    a.codespace === b.codespace ? a.code - b.code : a.codespace < b.codespace ? -1 : 1,
  );
}

/** Codespace and codes of the Cosmos SDK's root errors (types/errors), which clients rely on. */
export const SDK = "sdk";
export const ErrTxDecode = registerError(SDK, 2, "tx parse error");
export const ErrInvalidSequence = registerError(SDK, 3, "invalid sequence");
export const ErrUnauthorized = registerError(SDK, 4, "unauthorized");
export const ErrInsufficientFunds = registerError(SDK, 5, "insufficient funds");
export const ErrUnknownRequest = registerError(SDK, 6, "unknown request");
export const ErrInvalidAddress = registerError(SDK, 7, "invalid address");
export const ErrInvalidPubKey = registerError(SDK, 8, "invalid pubkey");
export const ErrUnknownAddress = registerError(SDK, 9, "unknown address");
export const ErrInvalidCoins = registerError(SDK, 10, "invalid coins");
export const ErrOutOfGas = registerError(SDK, 11, "out of gas");
export const ErrMemoTooLarge = registerError(SDK, 12, "memo too large");
export const ErrInsufficientFee = registerError(SDK, 13, "insufficient fee");
export const ErrTooManySignatures = registerError(SDK, 14, "maximum number of signatures exceeded");
export const ErrNoSignatures = registerError(SDK, 15, "no signatures supplied");
export const ErrJSONUnmarshal = registerError(SDK, 17, "failed to unmarshal JSON bytes");
export const ErrInvalidRequest = registerError(SDK, 18, "invalid request");
export const ErrTxTooLarge = registerError(SDK, 21, "tx too large");
export const ErrKeyNotFound = registerError(SDK, 22, "key not found");
export const ErrInvalidSigner = registerError(SDK, 24, "tx intended signer does not match the given signer");
export const ErrInvalidHeight = registerError(SDK, 26, "invalid height");
export const ErrInvalidChainID = registerError(SDK, 28, "invalid chain-id");
export const ErrInvalidType = registerError(SDK, 29, "invalid type");
export const ErrTxTimeoutHeight = registerError(SDK, 30, "tx timeout height");
export const ErrUnknownExtensionOptions = registerError(SDK, 31, "unknown extension options");
export const ErrWrongSequence = registerError(SDK, 32, "incorrect account sequence");
export const ErrUnpackAny = registerError(SDK, 34, "failed unpacking protobuf message from Any");
export const ErrLogic = registerError(SDK, 35, "internal logic error");
export const ErrNotSupported = registerError(SDK, 37, "feature not supported");
export const ErrNotFound = registerError(SDK, 38, "not found");
export const ErrInvalidGasLimit = registerError(SDK, 41, "invalid gas limit");
