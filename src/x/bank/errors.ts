/**
 * Errors of x/bank. Like the Cosmos SDK's x/bank for the errors it raises here, the module uses
 * the SDK root errors (codespace `sdk`) defined in baseapp and registers none of its own. This
 * file re-exports the ones the module raises, so they are listed in one place.
 */
export { ErrInsufficientFunds, ErrInvalidCoins, ErrInvalidRequest, ErrLogic, ErrUnauthorized } from "../../baseapp/errors";
