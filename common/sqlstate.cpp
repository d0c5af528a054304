#include "common/sqlstate.h"

#include <mutex>
#include <string>
#include <unordered_map>

namespace activestore {

std::string_view SqlStateCode(SqlState s) {
  switch (s) {
    case SqlState::kSuccessfulCompletion:
      return "00000";
    case SqlState::kWarning:
      return "01000";
    case SqlState::kNoData:
      return "02000";
    case SqlState::kConnectionException:
      return "08000";
    case SqlState::kProtocolViolation:
      return "08P01";
    case SqlState::kFeatureNotSupported:
      return "0A000";
    case SqlState::kCardinalityViolation:
      return "21000";
    case SqlState::kDataException:
      return "22000";
    case SqlState::kStringDataRightTruncation:
      return "22001";
    case SqlState::kStringDataLengthMismatch:
      return "22026";
    case SqlState::kNumericValueOutOfRange:
      return "22003";
    case SqlState::kInvalidDatetimeFormat:
      return "22007";
    case SqlState::kDatetimeFieldOverflow:
      return "22008";
    case SqlState::kIntervalFieldOverflow:
      return "22015";
    case SqlState::kInvalidTimeZoneDisplacementValue:
      return "22009";
    case SqlState::kInvalidParameterValue:
      return "22023";
    case SqlState::kDivisionByZero:
      return "22012";
    case SqlState::kInvalidTextRepresentation:
      return "22P02";
    case SqlState::kUntranslatableCharacter:
      return "22P05";
    case SqlState::kArraySubscriptError:
      return "2202E";
    case SqlState::kNullValueNotAllowed:
      return "22004";
    case SqlState::kInvalidRegularExpression:
      return "2201B";
    case SqlState::kInvalidUseOfEscapeCharacter:
      return "2200C";
    case SqlState::kInvalidJsonDatetimeArgument:
      return "22031";
    case SqlState::kInvalidSqlJsonSubscript:
      return "22033";
    case SqlState::kNonNumericSqlJsonItem:
      return "22036";
    case SqlState::kSingletonSqlJsonItemRequired:
      return "22038";
    case SqlState::kSqlJsonArrayNotFound:
      return "22039";
    case SqlState::kSqlJsonMemberNotFound:
      return "2203A";
    case SqlState::kSqlJsonNumberNotFound:
      return "2203B";
    case SqlState::kSqlJsonObjectNotFound:
      return "2203C";
    case SqlState::kInvalidEscapeSequence:
      return "22025";
    case SqlState::kCharacterNotInRepertoire:
      return "22021";
    case SqlState::kSubstringError:
      return "22011";
    case SqlState::kInvalidArgumentForLogarithm:
      return "2201E";
    case SqlState::kInvalidArgumentForPowerFunction:
      return "2201F";
    case SqlState::kInvalidArgumentForWidthBucket:
      return "2201G";
    case SqlState::kInvalidPrecedingOrFollowingSize:
      return "22013";
    case SqlState::kInvalidArgumentForNtile:
      return "22014";
    case SqlState::kInvalidArgumentForNthValue:
      return "22016";
    case SqlState::kInvalidTablesampleArgument:
      return "2202H";
    case SqlState::kInvalidTablesampleRepeat:
      return "2202G";
    case SqlState::kWindowingError:
      return "42P20";
    case SqlState::kInvalidRowCountInLimitClause:
      return "2201W";
    case SqlState::kInvalidRowCountInResultOffsetClause:
      return "2201X";
    case SqlState::kInvalidCharacterValueForCast:
      return "22018";
    case SqlState::kSequenceGeneratorLimitExceeded:
      return "2200H";
    case SqlState::kIntegrityConstraintViolation:
      return "23000";
    case SqlState::kNotNullViolation:
      return "23502";
    case SqlState::kForeignKeyViolation:
      return "23503";
    case SqlState::kUniqueViolation:
      return "23505";
    case SqlState::kCheckViolation:
      return "23514";
    case SqlState::kWithCheckOptionViolation:
      return "44000";
    case SqlState::kInvalidCursorState:
      return "24000";
    case SqlState::kBadCopyFileFormat:
      return "22P04";
    case SqlState::kInvalidCursorName:
      return "34000";
    case SqlState::kDuplicateCursor:
      return "42P03";
    case SqlState::kInvalidBinaryRepresentation:
      return "22P03";
    case SqlState::kObjectNotInPrerequisiteState:
      return "55000";
    case SqlState::kInvalidTransactionState:
      return "25000";
    case SqlState::kActiveSqlTransaction:
      return "25001";
    case SqlState::kNoActiveSqlTransaction:
      return "25P01";
    case SqlState::kInvalidSavepointSpecification:
      return "3B001";
    case SqlState::kIdleInTransactionSessionTimeout:
      return "25P03";
    case SqlState::kInFailedSqlTransaction:
      return "25P02";
    case SqlState::kReadOnlySqlTransaction:
      return "25006";
    case SqlState::kInvalidSqlStatementName:
      return "26000";
    case SqlState::kInvalidCursorDefinition:
      return "42P11";
    case SqlState::kInvalidAuthorizationSpecification:
      return "28000";
    case SqlState::kInvalidPassword:
      return "28P01";
    case SqlState::kInvalidCatalogName:
      return "3D000";
    case SqlState::kInvalidSchemaName:
      return "3F000";
    case SqlState::kSerializationFailure:
      return "40001";
    case SqlState::kDeadlockDetected:
      return "40P01";
    case SqlState::kSyntaxError:
      return "42601";
    case SqlState::kInsufficientPrivilege:
      return "42501";
    case SqlState::kUndefinedColumn:
      return "42703";
    case SqlState::kUndefinedFunction:
      return "42883";
    case SqlState::kUndefinedTable:
      return "42P01";
    case SqlState::kUndefinedParameter:
      return "42P02";
    case SqlState::kUndefinedObject:
      return "42704";
    case SqlState::kDuplicateColumn:
      return "42701";
    case SqlState::kDuplicateDatabase:
      return "42P04";
    case SqlState::kDuplicateSchema:
      return "42P06";
    case SqlState::kDuplicateTable:
      return "42P07";
    case SqlState::kDuplicateObject:
      return "42710";
    case SqlState::kDuplicatePreparedStatement:
      return "42P05";
    case SqlState::kAmbiguousColumn:
      return "42702";
    case SqlState::kAmbiguousAlias:
      return "42P09";
    case SqlState::kDuplicateAlias:
      return "42712";
    case SqlState::kAmbiguousFunction:
      return "42725";
    case SqlState::kGroupingError:
      return "42803";
    case SqlState::kDatatypeMismatch:
      return "42804";
    case SqlState::kWrongObjectType:
      return "42809";
    case SqlState::kIndeterminateDatatype:
      return "42P18";
    case SqlState::kGeneratedAlways:
      return "428C9";
    case SqlState::kInvalidColumnReference:
      return "42P10";
    case SqlState::kInvalidForeignKey:
      return "42830";
    case SqlState::kUndefinedObjectDependent:
      return "2BP01";
    case SqlState::kObjectInUse:
      return "55006";
    case SqlState::kReservedName:
      return "42939";
    case SqlState::kInvalidGrantOperation:
      return "0LP01";
    case SqlState::kDependentPrivilegeDescriptorsStillExist:
      return "2B000";

    case SqlState::kCantChangeRuntimeParam:
      return "55P02";
    case SqlState::kLockNotAvailable:
      return "55P03";
    case SqlState::kCannotCoerce:
      return "42846";
    case SqlState::kInvalidTableDefinition:
      return "42P16";
    case SqlState::kInvalidSchemaDefinition:
      return "42P15";
    case SqlState::kInvalidColumnDefinition:
      return "42611";
    case SqlState::kInvalidFunctionDefinition:
      return "42P13";
    case SqlState::kStatementTooComplex:
      return "54001";
    case SqlState::kDuplicateFunction:
      return "42723";
    case SqlState::kInvalidRecursion:
      return "42P19";
    case SqlState::kInvalidObjectDefinition:
      return "42P17";
    case SqlState::kInvalidName:
      return "42602";
    case SqlState::kNameTooLong:
      return "42622";
    case SqlState::kProgramLimitExceeded:
      return "54000";
    case SqlState::kTooManyArguments:
      return "54023";
    case SqlState::kTooManyColumns:
      return "54011";
    case SqlState::kTooManyConnections:
      return "53300";
    case SqlState::kDiskFull:
      return "53100";
    case SqlState::kOutOfMemory:
      return "53200";
    case SqlState::kQueryCanceled:
      return "57014";
    case SqlState::kAdminShutdown:
      return "57P01";
    case SqlState::kCannotConnectNow:
      return "57P03";
    case SqlState::kIoError:
      return "58030";
    case SqlState::kInternalError:
      return "XX000";
    case SqlState::kDataCorrupted:
      return "XX001";
    case SqlState::kRaiseException:
      return "P0001";
    case SqlState::kNoDataFound:
      return "P0002";
    case SqlState::kTooManyRows:
      return "P0003";
    case SqlState::kAssertFailure:
      return "P0004";
    case SqlState::kFirstOtherCode:
      break;
  }
  const auto v = static_cast<uint32_t>(s);
  if (v >= static_cast<uint32_t>(SqlState::kFirstOtherCode)) {
    // Five characters of 6 bits each (0-9, A-Z), kept in a table of stable strings.
    static std::mutex mu;
    static std::unordered_map<uint32_t, std::string> codes;
    std::lock_guard lock(mu);
    auto [it, added] = codes.try_emplace(v);
    if (added) {
      for (int i = 4; i >= 0; --i) {
        const uint32_t d = (v >> (6 * i)) & 63;
        it->second.push_back(static_cast<char>(d < 10 ? '0' + d : 'A' + (d - 10)));
      }
    }
    return it->second;
  }
  return "XX000";
}

SqlState SqlStateFromCode(std::string_view code) {
  for (uint32_t i = 0; i <= static_cast<uint32_t>(SqlState::kAssertFailure); ++i) {
    if (SqlStateCode(static_cast<SqlState>(i)) == code) return static_cast<SqlState>(i);
  }
  uint32_t v = 0;
  for (char c : code) {
    v = (v << 6) | static_cast<uint32_t>(c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10);
  }
  return static_cast<SqlState>(static_cast<uint32_t>(SqlState::kFirstOtherCode) | v);
}

}  // namespace activestore
