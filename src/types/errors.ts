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

/**
 * gRPC status codes (google.rpc.Code) a registered error can carry, as in the SDK's
 * `errorsmod.RegisterWithGRPCCode`: the API servers answer a failed query with its error's code, so
 * the status never depends on the log's wording. Plain numbers, because types/ is also compiled
 * into the client library and must not import the server (whose GrpcCode enum has the same values).
 */
export const GrpcStatus = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
} as const;

/** A registered error kind: call `.wrap("details")` to make a throwable error with context. */
export interface RegisteredError {
  readonly codespace: string;
  readonly code: number;
  readonly description: string;
  /** The gRPC status a failed query with this error answers; absent means UNKNOWN (2). */
  readonly grpcCode?: number;
  wrap(detail?: string): ChainError;
  is(err: unknown): boolean;
}

const registry = new Map<string, RegisteredError>();

/**
 * Registers (codespace, code) once. `grpcCode` is the gRPC status clients of the API servers see
 * (a `GrpcStatus` value); leave it out for errors without a fitting one.
 */
export function registerError(codespace: string, code: number, description: string, grpcCode?: number): RegisteredError {
  if (code <= 1) throw new Error(`error code ${code} is reserved (codespace ${codespace})`);
  const id = `${codespace}:${code}`;
  if (registry.has(id)) throw new Error(`error ${id} registered twice`);
  // 0 is OK and 2 UNKNOWN (what no code means); google.rpc.Code ends at 16.
  if (grpcCode !== undefined && (!Number.isInteger(grpcCode) || grpcCode < 1 || grpcCode === 2 || grpcCode > 16)) {
    throw new Error(`error ${id}: ${grpcCode} is not a gRPC status code for an error`);
  }
  const e: RegisteredError = {
    codespace,
    code,
    description,
    ...(grpcCode === undefined ? {} : { grpcCode }),
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

/** The gRPC status registered for (codespace, code); undefined for an unregistered pair or an error without one. */
export function grpcCodeOfError(codespace: string, code: number): number | undefined {
  return registry.get(`${codespace}:${code}`)?.grpcCode;
}

/** All registered errors, sorted by codespace then code (for docs and tests). */
export function registeredErrors(): RegisteredError[] {
  return [...registry.values()].sort((a, b) =>
    a.codespace === b.codespace ? a.code - b.code : a.codespace < b.codespace ? -1 : 1,
  );
}

/**
 * Codespace and codes of the Cosmos SDK's root errors (types/errors), which clients rely on. The
 * gRPC codes of 2–4, 6, 7, 10–12, 18, 22, 26, 29 and 38 are the ones the API servers have always
 * answered; the rest follow what each error says (bad input, a missing account, state that forbids
 * the tx). A logic error stays UNKNOWN.
 */
export const SDK = "sdk";
const { INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, UNIMPLEMENTED } = GrpcStatus;
export const ErrTxDecode = registerError(SDK, 2, "tx parse error", INVALID_ARGUMENT);
export const ErrInvalidSequence = registerError(SDK, 3, "invalid sequence", INVALID_ARGUMENT);
export const ErrUnauthorized = registerError(SDK, 4, "unauthorized", PERMISSION_DENIED);
export const ErrInsufficientFunds = registerError(SDK, 5, "insufficient funds", FAILED_PRECONDITION);
export const ErrUnknownRequest = registerError(SDK, 6, "unknown request", UNIMPLEMENTED);
export const ErrInvalidAddress = registerError(SDK, 7, "invalid address", INVALID_ARGUMENT);
export const ErrInvalidPubKey = registerError(SDK, 8, "invalid pubkey", INVALID_ARGUMENT);
export const ErrUnknownAddress = registerError(SDK, 9, "unknown address", NOT_FOUND);
export const ErrInvalidCoins = registerError(SDK, 10, "invalid coins", INVALID_ARGUMENT);
export const ErrOutOfGas = registerError(SDK, 11, "out of gas", RESOURCE_EXHAUSTED);
export const ErrMemoTooLarge = registerError(SDK, 12, "memo too large", INVALID_ARGUMENT);
export const ErrInsufficientFee = registerError(SDK, 13, "insufficient fee", INVALID_ARGUMENT);
export const ErrTooManySignatures = registerError(SDK, 14, "maximum number of signatures exceeded", INVALID_ARGUMENT);
export const ErrNoSignatures = registerError(SDK, 15, "no signatures supplied", INVALID_ARGUMENT);
export const ErrJSONUnmarshal = registerError(SDK, 17, "failed to unmarshal JSON bytes", INVALID_ARGUMENT);
export const ErrInvalidRequest = registerError(SDK, 18, "invalid request", INVALID_ARGUMENT);
export const ErrTxTooLarge = registerError(SDK, 21, "tx too large", INVALID_ARGUMENT);
export const ErrKeyNotFound = registerError(SDK, 22, "key not found", NOT_FOUND);
export const ErrInvalidSigner = registerError(SDK, 24, "tx intended signer does not match the given signer", PERMISSION_DENIED);
export const ErrInvalidHeight = registerError(SDK, 26, "invalid height", INVALID_ARGUMENT);
export const ErrInvalidChainID = registerError(SDK, 28, "invalid chain-id", INVALID_ARGUMENT);
export const ErrInvalidType = registerError(SDK, 29, "invalid type", INVALID_ARGUMENT);
export const ErrTxTimeoutHeight = registerError(SDK, 30, "tx timeout height", FAILED_PRECONDITION);
export const ErrUnknownExtensionOptions = registerError(SDK, 31, "unknown extension options", INVALID_ARGUMENT);
export const ErrWrongSequence = registerError(SDK, 32, "incorrect account sequence", INVALID_ARGUMENT);
export const ErrUnpackAny = registerError(SDK, 34, "failed unpacking protobuf message from Any", INVALID_ARGUMENT);
export const ErrLogic = registerError(SDK, 35, "internal logic error");
export const ErrNotSupported = registerError(SDK, 37, "feature not supported", UNIMPLEMENTED);
export const ErrNotFound = registerError(SDK, 38, "not found", NOT_FOUND);
export const ErrInvalidGasLimit = registerError(SDK, 41, "invalid gas limit", INVALID_ARGUMENT);
