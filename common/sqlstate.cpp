#include "common/sqlstate.h"

namespace activestore {

std::string_view SqlStateCode(SqlState s) {
  switch (s) {
    case SqlState::kSuccessfulCompletion: return "00000";
    case SqlState::kWarning: return "01000";
    case SqlState::kNoData: return "02000";
    case SqlState::kConnectionException: return "08000";
    case SqlState::kProtocolViolation: return "08P01";
    case SqlState::kFeatureNotSupported: return "0A000";
    case SqlState::kCardinalityViolation: return "21000";
    case SqlState::kDataException: return "22000";
    case SqlState::kStringDataRightTruncation: return "22001";
    case SqlState::kNumericValueOutOfRange: return "22003";
    case SqlState::kInvalidDatetimeFormat: return "22007";
    case SqlState::kDatetimeFieldOverflow: return "22008";
    case SqlState::kInvalidParameterValue: return "22023";
    case SqlState::kDivisionByZero: return "22012";
    case SqlState::kInvalidTextRepresentation: return "22P02";
    case SqlState::kInvalidEscapeSequence: return "22025";
    case SqlState::kInvalidCharacterValueForCast: return "22018";
    case SqlState::kIntegrityConstraintViolation: return "23000";
    case SqlState::kNotNullViolation: return "23502";
    case SqlState::kForeignKeyViolation: return "23503";
    case SqlState::kUniqueViolation: return "23505";
    case SqlState::kCheckViolation: return "23514";
    case SqlState::kInvalidCursorState: return "24000";
    case SqlState::kInvalidTransactionState: return "25000";
    case SqlState::kActiveSqlTransaction: return "25001";
    case SqlState::kNoActiveSqlTransaction: return "25P01";
    case SqlState::kInFailedSqlTransaction: return "25P02";
    case SqlState::kReadOnlySqlTransaction: return "25006";
    case SqlState::kInvalidSqlStatementName: return "26000";
    case SqlState::kInvalidAuthorizationSpecification: return "28000";
    case SqlState::kInvalidPassword: return "28P01";
    case SqlState::kInvalidCatalogName: return "3D000";
    case SqlState::kInvalidSchemaName: return "3F000";
    case SqlState::kSerializationFailure: return "40001";
    case SqlState::kDeadlockDetected: return "40P01";
    case SqlState::kSyntaxError: return "42601";
    case SqlState::kInsufficientPrivilege: return "42501";
    case SqlState::kUndefinedColumn: return "42703";
    case SqlState::kUndefinedFunction: return "42883";
    case SqlState::kUndefinedTable: return "42P01";
    case SqlState::kUndefinedParameter: return "42P02";
    case SqlState::kUndefinedObject: return "42704";
    case SqlState::kDuplicateColumn: return "42701";
    case SqlState::kDuplicateDatabase: return "42P04";
    case SqlState::kDuplicateSchema: return "42P06";
    case SqlState::kDuplicateTable: return "42P07";
    case SqlState::kDuplicateObject: return "42710";
    case SqlState::kDuplicatePreparedStatement: return "42P05";
    case SqlState::kAmbiguousColumn: return "42702";
    case SqlState::kAmbiguousFunction: return "42725";
    case SqlState::kGroupingError: return "42803";
    case SqlState::kDatatypeMismatch: return "42804";
    case SqlState::kWrongObjectType: return "42809";
    case SqlState::kInvalidColumnReference: return "42P10";
    case SqlState::kUndefinedObjectDependent: return "2BP01";
    case SqlState::kObjectInUse: return "55006";
    case SqlState::kCannotCoerce: return "42846";
    case SqlState::kInvalidTableDefinition: return "42P16";
    case SqlState::kInvalidColumnDefinition: return "42611";
    case SqlState::kInvalidFunctionDefinition: return "42P13";
    case SqlState::kInvalidName: return "42602";
    case SqlState::kNameTooLong: return "42622";
    case SqlState::kProgramLimitExceeded: return "54000";
    case SqlState::kTooManyConnections: return "53300";
    case SqlState::kDiskFull: return "53100";
    case SqlState::kOutOfMemory: return "53200";
    case SqlState::kQueryCanceled: return "57014";
    case SqlState::kAdminShutdown: return "57P01";
    case SqlState::kCannotConnectNow: return "57P03";
    case SqlState::kIoError: return "58030";
    case SqlState::kInternalError: return "XX000";
    case SqlState::kDataCorrupted: return "XX001";
  }
  return "XX000";
}

}  // namespace activestore
