// SQLSTATE codes, modelled on PostgreSQL's errcodes.txt. Add codes here as they are needed;
// the five-character text is what goes on the wire.
#pragma once

#include <string_view>

namespace activestore {

enum class SqlState {
  kSuccessfulCompletion,                     // 00000
  kWarning,                                  // 01000
  kNoData,                                   // 02000
  kConnectionException,                      // 08000
  kProtocolViolation,                        // 08P01
  kFeatureNotSupported,                      // 0A000
  kCardinalityViolation,                     // 21000
  kDataException,                            // 22000
  kStringDataRightTruncation,                // 22001
  kStringDataLengthMismatch,                 // 22026
  kNumericValueOutOfRange,                   // 22003
  kInvalidDatetimeFormat,                    // 22007
  kDatetimeFieldOverflow,                    // 22008
  kIntervalFieldOverflow,                    // 22015
  kInvalidTimeZoneDisplacementValue,         // 22009
  kInvalidParameterValue,                    // 22023
  kDivisionByZero,                           // 22012
  kInvalidTextRepresentation,                // 22P02
  kUntranslatableCharacter,                  // 22P05
  kInvalidEscapeSequence,                    // 22025
  kCharacterNotInRepertoire,                 // 22021
  kSubstringError,                           // 22011
  kArraySubscriptError,                      // 2202E
  kInvalidArgumentForLogarithm,              // 2201E
  kInvalidArgumentForPowerFunction,          // 2201F
  kInvalidArgumentForWidthBucket,            // 2201G
  kInvalidPrecedingOrFollowingSize,          // 22013
  kInvalidArgumentForNtile,                  // 22014
  kInvalidArgumentForNthValue,               // 22016
  kInvalidTablesampleArgument,               // 2202H
  kInvalidTablesampleRepeat,                 // 2202G
  kWindowingError,                           // 42P20
  kInvalidRowCountInLimitClause,             // 2201W
  kInvalidRowCountInResultOffsetClause,      // 2201X
  kInvalidCharacterValueForCast,             // 22018
  kSequenceGeneratorLimitExceeded,           // 2200H
  kNullValueNotAllowed,                      // 22004
  kInvalidRegularExpression,                 // 2201B
  kInvalidUseOfEscapeCharacter,              // 2200C
  kInvalidJsonDatetimeArgument,              // 22031
  kInvalidSqlJsonSubscript,                  // 22033
  kNonNumericSqlJsonItem,                    // 22036
  kSingletonSqlJsonItemRequired,             // 22038
  kSqlJsonArrayNotFound,                     // 22039
  kSqlJsonMemberNotFound,                    // 2203A
  kSqlJsonNumberNotFound,                    // 2203B
  kSqlJsonObjectNotFound,                    // 2203C
  kIntegrityConstraintViolation,             // 23000
  kNotNullViolation,                         // 23502
  kForeignKeyViolation,                      // 23503
  kUniqueViolation,                          // 23505
  kCheckViolation,                           // 23514
  kWithCheckOptionViolation,                 // 44000
  kInvalidCursorState,                       // 24000
  kBadCopyFileFormat,                        // 22P04
  kInvalidCursorName,                        // 34000
  kDuplicateCursor,                          // 42P03
  kInvalidBinaryRepresentation,              // 22P03
  kObjectNotInPrerequisiteState,             // 55000
  kInvalidTransactionState,                  // 25000
  kActiveSqlTransaction,                     // 25001
  kNoActiveSqlTransaction,                   // 25P01
  kInFailedSqlTransaction,                   // 25P02
  kInvalidSavepointSpecification,            // 3B001
  kIdleInTransactionSessionTimeout,          // 25P03
  kReadOnlySqlTransaction,                   // 25006
  kInvalidSqlStatementName,                  // 26000
  kInvalidCursorDefinition,                  // 42P11
  kInvalidAuthorizationSpecification,        // 28000
  kInvalidPassword,                          // 28P01
  kInvalidCatalogName,                       // 3D000
  kInvalidSchemaName,                        // 3F000
  kSerializationFailure,                     // 40001
  kDeadlockDetected,                         // 40P01
  kSyntaxError,                              // 42601
  kInsufficientPrivilege,                    // 42501
  kUndefinedColumn,                          // 42703
  kUndefinedFunction,                        // 42883
  kUndefinedTable,                           // 42P01
  kUndefinedParameter,                       // 42P02
  kUndefinedObject,                          // 42704
  kDuplicateColumn,                          // 42701
  kDuplicateDatabase,                        // 42P04
  kDuplicateSchema,                          // 42P06
  kDuplicateTable,                           // 42P07
  kDuplicateObject,                          // 42710
  kDuplicatePreparedStatement,               // 42P05
  kAmbiguousColumn,                          // 42702
  kAmbiguousAlias,                           // 42P09
  kDuplicateAlias,                           // 42712
  kAmbiguousFunction,                        // 42725
  kGroupingError,                            // 42803
  kDatatypeMismatch,                         // 42804
  kWrongObjectType,                          // 42809
  kIndeterminateDatatype,                    // 42P18
  kInvalidColumnReference,                   // 42P10
  kInvalidForeignKey,                        // 42830
  kGeneratedAlways,                          // 428C9
  kUndefinedObjectDependent,                 // 2BP01 dependent_objects_still_exist
  kObjectInUse,                              // 55006
  kReservedName,                             // 42939
  kInvalidGrantOperation,                    // 0LP01
  kDependentPrivilegeDescriptorsStillExist,  // 2B000
  kCantChangeRuntimeParam,                   // 55P02
  kLockNotAvailable,                         // 55P03
  kCannotCoerce,                             // 42846
  kInvalidTableDefinition,                   // 42P16
  kInvalidSchemaDefinition,                  // 42P15
  kInvalidColumnDefinition,                  // 42611
  kInvalidFunctionDefinition,                // 42P13
  kInvalidRecursion,                         // 42P19
  kInvalidObjectDefinition,                  // 42P17
  kInvalidName,                              // 42602
  kNameTooLong,                              // 42622
  kProgramLimitExceeded,                     // 54000
  kStatementTooComplex,                      // 54001
  kDuplicateFunction,                        // 42723
  kTooManyArguments,                         // 54023
  kTooManyColumns,                           // 54011
  kTooManyConnections,                       // 53300
  kDiskFull,                                 // 53100
  kOutOfMemory,                              // 53200
  kQueryCanceled,                            // 57014
  kAdminShutdown,                            // 57P01
  kCannotConnectNow,                         // 57P03
  kIoError,                                  // 58030
  kInternalError,                            // XX000
  kDataCorrupted,                            // XX001
  kRaiseException,                           // P0001
  kNoDataFound,                              // P0002
  kTooManyRows,                              // P0003
  kAssertFailure,                            // P0004
  // Any other five-character code (PL/pgSQL's RAISE ... USING ERRCODE = 'U0001'): values from
  // kFirstOtherCode on are such codes, packed by SqlStateFromCode.
  kFirstOtherCode = 1 << 30,
};

// The five-character code sent in the ErrorResponse 'C' field.
std::string_view SqlStateCode(SqlState s);

// The SqlState of a five-character code of digits and upper-case letters: the named one, or
// one packed above kFirstOtherCode. REQUIRES: code is five such characters.
SqlState SqlStateFromCode(std::string_view code);

}  // namespace activestore
