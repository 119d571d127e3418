/**
 * Errors of x/auth. Like the Cosmos SDK's x/auth, the module registers no codespace of its own: it
 * uses the SDK root errors (codespace `sdk`) defined in baseapp. This file re-exports the ones the
 * module raises, so the module's errors are listed in one place.
 */
export {
  ErrInsufficientFee,
  ErrInvalidAddress,
  ErrInvalidGasLimit,
  ErrInvalidPubKey,
  ErrInvalidRequest,
  ErrKeyNotFound,
  ErrLogic,
  ErrMemoTooLarge,
  ErrNoSignatures,
  ErrNotSupported,
  ErrTooManySignatures,
  ErrTxTimeoutHeight,
  ErrTxTooLarge,
  ErrUnauthorized,
  ErrUnknownAddress,
  ErrWrongSequence,
} from "../../baseapp/errors";
