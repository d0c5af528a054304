// Parser for ActiveStore's PostgreSQL dialect. Generated into activestore::grammar::SqlParser;
// parser/ walks the tree into the owned AST of parser/ast.h.
//
// Designed for SLL prediction: common statements are decided with a few tokens of lookahead.
// Expressions are layered rules, one per PostgreSQL precedence level (lowest first):
//   OR, AND, NOT, IS, comparison, BETWEEN/IN/LIKE/SIMILAR, other operators (||, ~, ...),
//   + -, * / %, ^, AT TIME ZONE / COLLATE, unary + -, :: and [] (postfix), primary.
// Keyword categories follow PostgreSQL: reserved keywords are never names; unreserved ones are
// names anywhere; column-name keywords (INT, TIME, POSITION...) are column or table names but not
// function or type names; type/function-name keywords (LEFT, RIGHT...) are function names only.
// Constructs that ActiveStore does not support are parsed loosely (window specs, partition
// bounds, ALTER actions) so that parser/ or the planner can answer 0A000 rather than 42601.
parser grammar SqlParser;

options { tokenVocab = SqlLexer; }

@parser::members {
// Whether token `t` is the (unreserved, not lexed as a keyword) word `w`, in any case.
static bool IsWord(antlr4::Token* t, const char* w) {
  const std::string s = t->getText();
  size_t i = 0;
  for (; w[i] != '\0'; ++i) {
    if (i == s.size() || (s[i] | 0x20) != w[i]) return false;
  }
  return i == s.size();
}
}

// ---- Statements -------------------------------------------------------------------------------

root: statement? (SEMI statement?)* EOF;

statement
  : withClause? (selectNoWith | insertStatement | updateStatement | deleteStatement | mergeStatement)
  | createTableStatement
  | createIndexStatement
  | createViewStatement
  | createMatviewStatement
  | refreshMatviewStatement
  | createSchemaStatement
  | createDatabaseStatement
  | dropStatement
  | truncateStatement
  | transactionStatement
  | setStatement
  | showStatement
  | resetStatement
  | explainStatement
  | copyStatement
  | prepareStatement
  | executeStatement
  | deallocateStatement
  | utilityStatement
  | alterOwnerStatement
  | alterSchemaStatement
  | alterTableStatement
  | alterViewOptionsStatement
  | createSequenceStatement
  | alterSequenceStatement
  | lockStatement
  | alterDatabaseStatement
  | createTypeStatement
  | createCastStatement
  | dropCastStatement
  | createOperatorStatement
  | dropOperatorStatement
  | alterTypeStatement
  | createDomainStatement
  | alterDomainStatement
  | roleStatement
  | grantStatement
  | revokeStatement
  | createFunctionStatement
  | dropFunctionStatement
  | createTriggerStatement
  | dropTriggerStatement
  | alterTriggerStatement
  | alterFunctionStatement
  | callStatement
  | doStatement
  | declareCursorStatement
  | fetchStatement
  | closeCursorStatement
  | commentStatement
  | unsupportedStatement
  | createCollectionStatement
  ;

// A statement that may appear inside PREPARE, EXPLAIN or a CTE.
preparableStatement
  : withClause? (selectNoWith | insertStatement | updateStatement | deleteStatement | mergeStatement)
  ;

// ---- SELECT -----------------------------------------------------------------------------------

selectStatement: withClause? selectNoWith;

selectNoWith
  : selectUnion sortClause? (selectLimit forLockingClause? | forLockingClause selectLimit?)?
  ;

selectUnion: selectIntersect ((UNION | EXCEPT) setQuantifier? selectIntersect)*;

selectIntersect: selectPrimary (INTERSECT setQuantifier? selectPrimary)*;

setQuantifier: ALL | DISTINCT;

selectPrimary
  : simpleSelect
  | valuesClause
  | TABLE ONLY? qualifiedName
  | LPAREN selectStatement RPAREN
  ;

simpleSelect
  : SELECT (ALL | DISTINCT (ON LPAREN exprList RPAREN)?)? targetList?
    intoClause? fromClause? whereClause? groupByClause? havingClause? windowClause?
  ;

intoClause: INTO (TEMP | TEMPORARY | UNLOGGED)? TABLE? qualifiedName;

targetList: targetItem (COMMA targetItem)*;

targetItem
  : STAR
  | expr (AS colLabel | bareColLabel)?
  ;

valuesClause: VALUES valuesRow (COMMA valuesRow)*;

valuesRow: LPAREN valuesItem (COMMA valuesItem)* RPAREN;

valuesItem: DEFAULT | expr;

fromClause: FROM fromItem (COMMA fromItem)*;

fromItem: tablePrimary joinPart*;

// PostgreSQL's joined_table: CROSS and NATURAL joins are left-associative over table_refs, but a
// qualified join waits for its ON/USING, so its right operand takes every join that follows up
// to that qualifier (`a JOIN b JOIN c USING (x) USING (y)` is `a JOIN (b JOIN c USING (x))
// USING (y)`: the qualifier belongs to the innermost pending JOIN). The right operand is a
// fromItem, whose joinPart loop can only stop at ON or USING (neither starts a joinPart).
joinPart
  : CROSS JOIN tablePrimary
  | NATURAL joinType? JOIN tablePrimary
  | joinType? JOIN fromItem joinQual
  ;

joinType: INNER | (LEFT | RIGHT | FULL) OUTER?;

joinQual: ON expr | USING LPAREN nameList RPAREN;

tablePrimary
  : ONLY? qualifiedName STAR? aliasClause? tablesampleClause?
  | LATERAL? LPAREN selectStatement RPAREN aliasClause?
  | LATERAL? (funcCall | specialFunction) (WITH ORDINALITY)? funcAliasClause?
  | LATERAL? ROWS FROM LPAREN rowsFromItem (COMMA rowsFromItem)* RPAREN (WITH ORDINALITY)?
    funcAliasClause?
  | LPAREN fromItem RPAREN aliasClause?
  ;

aliasClause: AS? colId (LPAREN nameList RPAREN)?;

// PostgreSQL's func_alias_clause: an alias, or a column definition list for a function
// returning record (`AS t(a int, b text)`, `AS (a int, b text)`).
funcAliasClause
  : aliasClause
  | AS? colId LPAREN columnDefList RPAREN
  | AS LPAREN columnDefList RPAREN
  ;

// An item of ROWS FROM (...): a call with its own column definition list.
rowsFromItem: (funcCall | specialFunction) (AS LPAREN columnDefList RPAREN)?;

columnDefList: columnDefItem (COMMA columnDefItem)*;

columnDefItem: colId typeName;

// PostgreSQL's tablesample_clause: TABLESAMPLE method(args) [REPEATABLE (seed)].
tablesampleClause: TABLESAMPLE funcName LPAREN exprList RPAREN (REPEATABLE LPAREN expr RPAREN)?;

whereClause: WHERE expr;

groupByClause: GROUP BY setQuantifier? groupByItem (COMMA groupByItem)*;

// PostgreSQL's group_by_item: `()`, CUBE/ROLLUP of expressions (a parenthesized list is one
// composite element), GROUPING SETS of items, or an expression.
groupByItem
  : LPAREN RPAREN
  | (CUBE | ROLLUP) LPAREN exprList RPAREN
  | GROUPING SETS LPAREN groupByItem (COMMA groupByItem)* RPAREN
  | expr
  ;

havingClause: HAVING expr;

windowClause: WINDOW windowDefinition (COMMA windowDefinition)*;

windowDefinition: colId AS windowSpecification;

// OVER (...) and WINDOW w AS (...): [existing window] [PARTITION BY] [ORDER BY] [frame].
windowSpecification
  : LPAREN colId? (PARTITION BY exprList)? sortClause? frameClause? RPAREN
  ;

frameClause
  : (RANGE | ROWS | GROUPS) (frameBound | BETWEEN frameBound AND frameBound) frameExclusion?
  ;

// UNBOUNDED first: `unbounded preceding` is also `expr PRECEDING` over a column "unbounded".
frameBound
  : UNBOUNDED (PRECEDING | FOLLOWING)
  | CURRENT_P ROW
  | expr (PRECEDING | FOLLOWING)
  ;

frameExclusion: EXCLUDE (CURRENT_P ROW | GROUP | TIES | NO OTHERS);

sortClause: ORDER BY sortItem (COMMA sortItem)*;

sortItem: expr (ASC | DESC | USING anyOperator)? (NULLS (FIRST | LAST))?;

selectLimit
  : LIMIT (expr | ALL) (COMMA expr)? (OFFSET expr (ROW | ROWS)?)?
  | OFFSET expr (ROW | ROWS)? (LIMIT (expr | ALL) | fetchClause)?
  | fetchClause
  ;

fetchClause: FETCH (FIRST | NEXT) expr? (ROW | ROWS) (ONLY | WITH TIES);

forLockingClause: lockingItem+;

lockingItem
  : FOR (UPDATE | NO KEY UPDATE | SHARE | KEY SHARE) (OF qualifiedName (COMMA qualifiedName)*)?
    (NOWAIT | SKIP_P LOCKED)?
  ;

withClause: WITH RECURSIVE? commonTableExpr (COMMA commonTableExpr)*;

commonTableExpr
  : colId (LPAREN nameList RPAREN)? AS (NOT? MATERIALIZED)?
    LPAREN preparableStatement RPAREN cteSearchClause? cteCycleClause?
  ;

// SEARCH { DEPTH | BREADTH } FIRST BY col, ... SET seq_col
cteSearchClause: SEARCH (DEPTH | BREADTH) FIRST BY nameList SET colId;

// CYCLE col, ... SET mark_col [TO value DEFAULT default] USING path_col
cteCycleClause: CYCLE nameList SET colId (TO primary DEFAULT primary)? USING colId;

// ---- INSERT / UPDATE / DELETE -----------------------------------------------------------------

insertStatement
  : INSERT INTO qualifiedName (AS colId)? (LPAREN insertColumn (COMMA insertColumn)* RPAREN)?
    (OVERRIDING (USER | SYSTEM_P) VALUE_P)?
    (selectStatement | DEFAULT VALUES) onConflictClause? returningClause?
  ;

onConflictClause
  : ON CONFLICT (LPAREN indexElem (COMMA indexElem)* RPAREN whereClause? | ON CONSTRAINT colId)?
    DO (NOTHING | UPDATE SET setList whereClause?)
  ;

returningClause: RETURNING targetList;

updateStatement
  : UPDATE ONLY? qualifiedName STAR? (AS? colId)? SET setList fromClause? whereClause?
    returningClause?
  ;

// col[i] or col[lo:hi]: INSERT assigns one element or slice of an array column; col.f one field
// of a composite column.
insertColumn: colId (DOT colLabel)* (LBRACKET (expr | expr? COLON expr?) RBRACKET)*;

setList: setItem (COMMA setItem)*;

// col[i][j] = x assigns one element of an array column, col[lo:hi] = array a slice; col.f = x
// one field of a composite column.
setItem: colId (DOT colLabel)* (LBRACKET (expr | expr? COLON expr?) RBRACKET)* EQ valuesItem;

deleteStatement
  : DELETE FROM ONLY? qualifiedName STAR? (AS? colId)? (USING fromItem (COMMA fromItem)*)?
    whereClause? returningClause?
  ;

// PostgreSQL 15's MERGE: the target, the data source (a table reference, joins included), the
// join condition, and the WHEN clauses in order.
mergeStatement
  : MERGE INTO ONLY? qualifiedName STAR? (AS? colId)? USING fromItem ON expr mergeWhenClause+
  ;

mergeWhenClause
  : WHEN MATCHED (AND expr)? THEN (UPDATE SET setList | DELETE | DO NOTHING)
  | WHEN NOT MATCHED (AND expr)? THEN
    ( INSERT (LPAREN insertColumn (COMMA insertColumn)* RPAREN)?
      (OVERRIDING (USER | SYSTEM_P) VALUE_P)? (VALUES valuesRow | DEFAULT VALUES)
    | DO NOTHING
    )
  ;

// ---- DDL --------------------------------------------------------------------------------------

createTableStatement
  : CREATE tempOption? TABLE (IF NOT EXISTS)? qualifiedName
    ( LPAREN (tableElement (COMMA tableElement)*)? RPAREN inheritsClause? partitionByClause?
      withOptions? onCommitClause?
    | (LPAREN nameList RPAREN)? withOptions? onCommitClause? AS selectStatement (WITH NO? DATA)?
    | PARTITION OF qualifiedName balancedTokens
    )
  ;

// INHERITS (parent [, ...]): PostgreSQL's OptInherit.
inheritsClause: INHERITS LPAREN qualifiedName (COMMA qualifiedName)* RPAREN;

tempOption: (LOCAL | GLOBAL)? (TEMP | TEMPORARY) | UNLOGGED;

tableElement: columnDef | tableConstraint | tableLikeClause;

// LIKE source [{INCLUDING | EXCLUDING} {COMMENTS | CONSTRAINTS | DEFAULTS | ... | ALL}] ...: the
// option words are checked by the AST builder.
tableLikeClause: LIKE qualifiedName tableLikeOption*;

tableLikeOption: identifier (identifier | ALL);

columnDef: colId typeName columnConstraint*;

columnConstraint
  : (CONSTRAINT colId)?
    ( NOT NULL_P
    | NULL_P
    | DEFAULT expr
    | PRIMARY KEY
    | UNIQUE nullsDistinct?
    | CHECK LPAREN expr RPAREN (NO INHERIT)?
    | REFERENCES qualifiedName (LPAREN nameList RPAREN)? referentialAction*
    | COLLATE anyName
    | GENERATED (ALWAYS | BY DEFAULT) AS (IDENTITY (LPAREN seqOptElem+ RPAREN)? | LPAREN expr RPAREN STORED)
    )
  | constraintAttr  // of the constraint before it (PostgreSQL's ConstraintAttr)
  ;

// [NOT] DEFERRABLE | INITIALLY {DEFERRED | IMMEDIATE} after a key or CHECK constraint.
constraintAttr: NOT? DEFERRABLE | INITIALLY colId;

tableConstraint
  : (CONSTRAINT colId)?
    ( PRIMARY KEY LPAREN nameList RPAREN (INCLUDE LPAREN nameList RPAREN)? constraintAttr*
    | UNIQUE nullsDistinct? LPAREN nameList RPAREN (INCLUDE LPAREN nameList RPAREN)? constraintAttr*
    | CHECK LPAREN expr RPAREN (NO INHERIT)? constraintAttr*
    | FOREIGN KEY LPAREN nameList RPAREN REFERENCES qualifiedName (LPAREN nameList RPAREN)?
      referentialAction*
    )
  ;

referentialAction
  : ON (DELETE | UPDATE) (CASCADE | RESTRICT | NO ACTION | SET NULL_P | SET DEFAULT)
  | MATCH (FULL | SIMPLE | PARTIAL)
  | NOT? DEFERRABLE
  | INITIALLY colId
  ;

partitionByClause: PARTITION BY colId LPAREN balancedTokens RPAREN;

withOptions: WITH withOptionList;
withOptionList: LPAREN optionItem (COMMA optionItem)* RPAREN;
optionName: colLabel (DOT colLabel)?;

optionItem: colLabel (DOT colLabel)? (EQ optionValue)?;

optionValue: signedNumber | STRING | colLabel;

onCommitClause: ON COMMIT (DROP | DELETE ROWS | PRESERVE ROWS);

createIndexStatement
  : CREATE UNIQUE? INDEX CONCURRENTLY? (IF NOT EXISTS)? colId? ON ONLY? qualifiedName
    (USING colId)? LPAREN indexElem (COMMA indexElem)* RPAREN
    (INCLUDE LPAREN nameList RPAREN)? nullsDistinct? withOptions? whereClause?
  ;

// NULLS [NOT] DISTINCT of a unique constraint or index.
nullsDistinct: NULLS NOT? DISTINCT;

indexElem
  : (colId | funcCall | LPAREN expr RPAREN) (COLLATE anyName)? anyName? (ASC | DESC)?
    (NULLS (FIRST | LAST))?
  ;

createViewStatement
  : CREATE (OR REPLACE)? (TEMP | TEMPORARY)? VIEW qualifiedName (LPAREN nameList RPAREN)?
    withOptions? AS selectStatement (WITH (CASCADED | LOCAL)? CHECK OPTION)?
  ;

// CREATE MATERIALIZED VIEW [IF NOT EXISTS] name [(cols)] [WITH (...)] AS query [WITH [NO] DATA]
// (executor/ddl_matview.cpp; WITH (timescaledb.continuous): executor/continuous_aggs.cpp).
createMatviewStatement
  : CREATE MATERIALIZED VIEW (IF NOT EXISTS)? qualifiedName (LPAREN nameList RPAREN)?
    withOptions? AS selectStatement (WITH NO? DATA)?
  ;

refreshMatviewStatement
  : REFRESH MATERIALIZED VIEW CONCURRENTLY? qualifiedName (WITH NO? DATA)?
  ;

createSchemaStatement
  : CREATE SCHEMA (IF NOT EXISTS)? (colId (AUTHORIZATION colId)? | AUTHORIZATION colId)
    schemaElement*
  ;

// The statements CREATE SCHEMA may carry (PostgreSQL's schema_stmt).
schemaElement
  : createTableStatement
  | createViewStatement
  | createIndexStatement
  | createSequenceStatement
  | createTriggerStatement
  | grantStatement
  ;

createDatabaseStatement: CREATE DATABASE colId WITH? createDatabaseOption*;

createDatabaseOption: identifier LIMIT? EQ? (identifier | STRING | signedNumber | DEFAULT);

dropStatement
  : DROP dropObjectType (IF EXISTS)? qualifiedName (COMMA qualifiedName)* (CASCADE | RESTRICT)?
  ;

dropObjectType
  : TABLE | VIEW | MATERIALIZED VIEW | INDEX CONCURRENTLY? | SCHEMA | DATABASE | SEQUENCE | TYPE_P
  | DOMAIN_P
  ;

truncateStatement
  : TRUNCATE TABLE? ONLY? qualifiedName STAR? (COMMA ONLY? qualifiedName STAR?)*
    ((RESTART | CONTINUE) IDENTITY)? (CASCADE | RESTRICT)?
  ;

// Several actions, comma separated, run in order.
alterTableStatement
  : ALTER (TABLE | MATERIALIZED VIEW) (IF EXISTS)? ONLY? qualifiedName alterAction
    (COMMA alterAction)*
  ;

// ALTER VIEW [IF EXISTS] name SET (options) | RESET (names): the view's options (reloptions).
alterViewOptionsStatement
  : ALTER VIEW (IF EXISTS)? qualifiedName
    ( SET withOptionList
    | RESET LPAREN optionName (COMMA optionName)* RPAREN
    | ALTER COLUMN? colId (SET DEFAULT expr | DROP DEFAULT)
    )
  ;

// ADD, VALID, VALIDATE and RENAME are not keywords here: the AST builder checks the
// identifiers ("add" ... ["not" "valid"], "validate", "rename"). ADD COLUMN comes after the
// others, which it could also match (`alter b set not null` reads as a column "b" of type
// "set"): ANTLR takes the first alternative that fits. The last alternative takes any other
// action (up to a comma outside parentheses) for a 0A000.
alterAction
  : identifier tableConstraint (NOT identifier)?
  | DROP CONSTRAINT (IF EXISTS)? colId (CASCADE | RESTRICT)?
  | DROP COLUMN? (IF EXISTS)? colId (CASCADE | RESTRICT)?
  | identifier CONSTRAINT colId (TO colId)?
  | identifier COLUMN? colId TO colId
  | identifier TO colId
  | SET SCHEMA colId
  | SET withOptionList
  | RESET LPAREN optionName (COMMA optionName)* RPAREN
  | NO? INHERIT qualifiedName
  | identifier identifier? TRIGGER (ALL | USER | colId)  // ENABLE [ALWAYS | REPLICA] | DISABLE
  | ALTER COLUMN? colId (SET DATA)? TYPE_P typeName (USING expr)?
  | ALTER COLUMN? colId alterIdentity
  | ALTER COLUMN? colId (SET DEFAULT expr | DROP DEFAULT | (SET | DROP) NOT NULL_P)
  | identifier COLUMN? (IF NOT EXISTS)? columnDef
  | (~(SEMI | COMMA | LPAREN | RPAREN) | LPAREN balancedTokens RPAREN)+
  ;

// ALTER COLUMN c ADD GENERATED ... AS IDENTITY [(options)] (the identifier is ADD) | DROP
// IDENTITY [IF EXISTS] | DROP EXPRESSION [IF EXISTS] | identity options (a bare seqOptElem must be RESTART: the AST builder).
alterIdentity
  : identifier GENERATED (ALWAYS | BY DEFAULT) AS IDENTITY (LPAREN seqOptElem+ RPAREN)?
  | DROP IDENTITY (IF EXISTS)?
  | DROP identifier (IF EXISTS)?  // DROP EXPRESSION [IF EXISTS] (the identifier is EXPRESSION)
  | identityOption+
  ;

identityOption
  : SET GENERATED (ALWAYS | BY DEFAULT)
  | SET? seqOptElem
  ;

// CREATE [TEMP | UNLOGGED] SEQUENCE [IF NOT EXISTS] name [option ...]
createSequenceStatement
  : CREATE tempOption? SEQUENCE (IF NOT EXISTS)? qualifiedName seqOptElem*
  ;

// ALTER SEQUENCE [IF EXISTS] name option ...; the other forms (RENAME TO, OWNER TO, SET SCHEMA,
// SET LOGGED...) are matched loosely and refused with 0A000.
// ALTER DATABASE name SET x = v / RESET x / RESET ALL: the database's defaults for its sessions.
alterDatabaseStatement: ALTER DATABASE colId (setStatement | resetStatement);

alterSequenceStatement
  : ALTER SEQUENCE (IF EXISTS)? qualifiedName (seqOptElem+ | (SET | IDENT) ~SEMI*)
  ;

// One sequence option (PostgreSQL's SeqOptElem). SEQUENCE NAME x is for identity columns only;
// NAME is checked by the AST builder so that it need not be a keyword.
seqOptElem
  : AS typeName
  | CACHE signedNumber
  | NO (CYCLE | MAXVALUE | MINVALUE)
  | CYCLE
  | INCREMENT BY? signedNumber
  | MAXVALUE signedNumber
  | MINVALUE signedNumber
  | OWNED BY anyName
  | SEQUENCE identifier anyName
  | START WITH? signedNumber
  | RESTART (WITH? signedNumber)?
  ;

// ---- Transactions and session -----------------------------------------------------------------

transactionStatement
  : BEGIN (WORK | TRANSACTION)? transactionModeList?                # beginTransaction
  | START TRANSACTION transactionModeList?                          # beginTransaction
  | (COMMIT | END) (WORK | TRANSACTION)? (AND NO? CHAIN)?           # commitTransaction
  | (ROLLBACK | ABORT) (WORK | TRANSACTION)? (AND NO? CHAIN)?       # rollbackTransaction
  | SAVEPOINT colId                                                 # savepoint
  | RELEASE SAVEPOINT? colId                                        # releaseSavepoint
  | ROLLBACK (WORK | TRANSACTION)? TO SAVEPOINT? colId               # rollbackToSavepoint
  | PREPARE TRANSACTION STRING                                      # prepareTransaction
  | (COMMIT | ROLLBACK) PREPARED STRING                             # finishPrepared
  ;

transactionModeList: transactionMode (COMMA? transactionMode)*;

transactionMode
  : ISOLATION LEVEL isolationLevel
  | READ (ONLY | WRITE)
  | NOT? DEFERRABLE
  ;

isolationLevel: SERIALIZABLE | REPEATABLE READ | READ COMMITTED | READ UNCOMMITTED;

setStatement
  : SET (SESSION | LOCAL)?
    ( TIME ZONE (LOCAL | DEFAULT | setValue)
    | SESSION CHARACTERISTICS AS TRANSACTION transactionModeList
    | TRANSACTION transactionModeList
    | SCHEMA STRING
    | NAMES (STRING | DEFAULT)
    | SESSION AUTHORIZATION (colId | STRING | DEFAULT)
    | ROLE (colId | STRING)
    | varName (TO | EQ) (DEFAULT | setValue (COMMA setValue)*)
    )
  // Last: where another alternative reads the same words (SET TRANSACTION READ WRITE, SET LOCAL
  // ROLE r), ANTLR takes the first.
  | SET setConstraints
  ;

// SET CONSTRAINTS {ALL | name [, ...]} {DEFERRED | IMMEDIATE} (the words are checked by the AST
// builder: none of them is a keyword).
setConstraints: colId (ALL | qualifiedName (COMMA qualifiedName)*) colId;

varName: colId (DOT colId)*;

setValue: STRING | signedNumber | colLabel;

showStatement
  : SHOW (varName | ALL | TIME ZONE | TRANSACTION ISOLATION LEVEL | SESSION AUTHORIZATION)
  ;

resetStatement
  : RESET (varName | ALL | TIME ZONE | TRANSACTION ISOLATION LEVEL | SESSION AUTHORIZATION)
  ;

// ---- Utility ----------------------------------------------------------------------------------

explainStatement
  : EXPLAIN (LPAREN explainOption (COMMA explainOption)* RPAREN | (ANALYZE | ANALYSE)? VERBOSE?)
    explainableStatement
  ;

explainableStatement
  : preparableStatement
  | createTableStatement
  | executeStatement
  ;

explainOption: colLabel optionValue?;

copyStatement
  : COPY qualifiedName (LPAREN nameList RPAREN)? (FROM | TO) copyTarget WITH? copyOptions?
    whereClause?
  | COPY LPAREN preparableStatement RPAREN TO copyTarget WITH? copyOptions?
  ;

copyTarget: STDIN | STDOUT | STRING | PROGRAM STRING;

copyOptions
  : LPAREN copyOption (COMMA copyOption)* RPAREN
  | copyLegacyOption+
  ;

copyOption: colLabel (optionValue | STAR | LPAREN nameList RPAREN)?;

copyLegacyOption
  : (NULL_P | ESCAPE | identifier) AS? STRING
  | identifier
  | BINARY
  | FREEZE
  ;

prepareStatement
  : PREPARE colId (LPAREN typeName (COMMA typeName)* RPAREN)? AS preparableStatement
  ;

executeStatement: EXECUTE colId (LPAREN exprList RPAREN)?;

deallocateStatement: DEALLOCATE PREPARE? (colId | ALL);

utilityStatement
  : VACUUM (LPAREN balancedTokens RPAREN | (FULL | FREEZE | VERBOSE | ANALYZE | ANALYSE)*)
    (vacuumTarget (COMMA vacuumTarget)*)?                            # vacuum
  | (ANALYZE | ANALYSE) (LPAREN balancedTokens RPAREN | VERBOSE)?
    (vacuumTarget (COMMA vacuumTarget)*)?                            # analyze
  | REINDEX (LPAREN balancedTokens RPAREN)? (INDEX | TABLE | SCHEMA | DATABASE | SYSTEM_P)
    CONCURRENTLY? qualifiedName                                      # reindex
  | CHECKPOINT                                                       # checkpoint
  | DISCARD (ALL | PLANS | SEQUENCES | TEMP | TEMPORARY)             # discard
  | LISTEN colId                                                     # listen
  | UNLISTEN (colId | STAR)                                          # unlisten
  | NOTIFY colId (COMMA stringLiteral)?                              # notify
  ;

vacuumTarget: qualifiedName (LPAREN nameList RPAREN)?;

// LOCK [TABLE] [ONLY] name [*] [, ...] [IN lockmode MODE] [NOWAIT]; the mode's words (ACCESS,
// EXCLUSIVE, MODE are not keywords here) are checked by the AST builder.
lockStatement
  : LOCK TABLE? ONLY? qualifiedName STAR? (COMMA ONLY? qualifiedName STAR?)*
    (IN lockModeWord+)? NOWAIT?
  ;
lockModeWord: ROW | SHARE | UPDATE | IDENT;

// ---- User-defined types (docs/design/2026-12-05-user-defined-types.md) ----
// Words that are not keywords here (ENUM, ADD, RENAME, BEFORE, AFTER, VALIDATE, VALID) are
// identifiers that the AST builder checks.

// CREATE TYPE name AS ENUM ('a', ...); other forms (composite, range, base, shell) are 0A000.
createTypeStatement
  : CREATE TYPE_P anyName AS identifier LPAREN (STRING (COMMA STRING)*)? RPAREN
  | CREATE TYPE_P anyName AS LPAREN (compositeAttribute (COMMA compositeAttribute)*)? RPAREN
  | CREATE TYPE_P anyName LPAREN typeDefElem (COMMA typeDefElem)* RPAREN  // a base type
  | CREATE TYPE_P anyName                                                 // a shell type
  | CREATE TYPE_P ~SEMI*
  ;

// One parameter of CREATE TYPE name (...): a word, then `= value` where the value is a name,
// a type name, a number or a string (PostgreSQL's def_elem / def_arg); the AST builder reads
// the tokens.
typeDefElem: colLabel (EQ typeDefArg+)?;
typeDefArg: ~(COMMA | RPAREN | LPAREN | SEMI) | LPAREN typeDefArg* RPAREN;

// CREATE CAST (source AS target) WITH FUNCTION f[(args)] | WITHOUT FUNCTION | WITH INOUT
// [AS ASSIGNMENT | AS IMPLICIT] (ASSIGNMENT and IMPLICIT are identifiers here).
createCastStatement
  : CREATE CAST LPAREN typeName AS typeName RPAREN
    (WITH FUNCTION routineSignature | WITHOUT FUNCTION | WITH INOUT) (AS identifier)?
  ;

// DROP CAST [IF EXISTS] (source AS target) [CASCADE | RESTRICT]
dropCastStatement
  : DROP CAST (IF EXISTS)? LPAREN typeName AS typeName RPAREN (CASCADE | RESTRICT)?
  ;

// ---- Operators (parser/ast_builder_operators.cpp) --------------------------------------------

// CREATE OPERATOR [schema.]op (name [= value], ...): the attribute names and values are checked
// by the executor (PostgreSQL's DefineOperator).
createOperatorStatement
  : CREATE OPERATOR operatorName LPAREN operatorDefinition (COMMA operatorDefinition)* RPAREN
  ;

operatorName: (colId DOT)* (anyOperator | CONCAT);

operatorDefinition: colLabel (EQ operatorDefinitionValue)?;

operatorDefinitionValue
  : SETOF? typeName
  | anyOperator
  | CONCAT
  | OPERATOR LPAREN operatorName RPAREN
  | stringLiteral
  | signedNumber
  ;

// DROP OPERATOR [IF EXISTS] op (left | NONE, right) [, ...] [CASCADE | RESTRICT]
dropOperatorStatement
  : DROP OPERATOR (IF EXISTS)? operatorSignature (COMMA operatorSignature)* (CASCADE | RESTRICT)?
  ;

operatorSignature: operatorName LPAREN typeName COMMA typeName RPAREN;

// An attribute of CREATE TYPE name AS (...): name, type, an optional COLLATE.
compositeAttribute: colId typeName (COLLATE anyName)?;

// ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'v' [BEFORE | AFTER 'w'] | RENAME VALUE 'a' TO 'b'
// | RENAME TO new; other forms are 0A000.
alterTypeStatement
  : ALTER TYPE_P anyName
    ( identifier VALUE_P (IF NOT EXISTS)? STRING (identifier STRING)?
    | identifier VALUE_P STRING TO STRING
    | identifier TO colId
    | ~SEMI*
    )
  ;

// CREATE DOMAIN name [AS] type [DEFAULT e] [[CONSTRAINT c] NOT NULL | NULL | CHECK (e)] ...
createDomainStatement: CREATE DOMAIN_P anyName AS? typeName domainConstraint*;

domainConstraint
  : DEFAULT expr
  | (CONSTRAINT colId)? (NOT NULL_P | NULL_P | CHECK LPAREN expr RPAREN)
  ;

// ALTER DOMAIN name SET DEFAULT e | DROP DEFAULT | SET/DROP NOT NULL | ADD constraint [NOT VALID]
// | DROP CONSTRAINT [IF EXISTS] c [CASCADE | RESTRICT] | VALIDATE CONSTRAINT c
// | RENAME CONSTRAINT a TO b | RENAME TO new.
alterDomainStatement
  : ALTER DOMAIN_P anyName
    ( SET DEFAULT expr
    | DROP DEFAULT
    | (SET | DROP) NOT NULL_P
    | identifier domainConstraint (NOT identifier)?
    | DROP CONSTRAINT (IF EXISTS)? colId (CASCADE | RESTRICT)?
    | identifier CONSTRAINT colId (TO colId)?
    | identifier TO colId
    | ~SEMI*
    )
  ;

// ---- Roles and privileges (docs/design/2026-12-05-roles-and-privileges.md) ----

// CREATE/ALTER ROLE options (LOGIN, PASSWORD 'x', CONNECTION LIMIT n, VALID UNTIL 'x', IN ROLE
// a, ...) are a token run that the AST builder reads: most of their words are not keywords.
roleStatement
  : (CREATE | ALTER) (ROLE | USER | GROUP) roleSpec WITH? roleOptionTokens
  | DROP (ROLE | USER | GROUP) (IF EXISTS)? roleSpec (COMMA roleSpec)*
  ;

roleOptionTokens: ~SEMI*;

roleSpec: colId | CURRENT_USER | SESSION_USER | CURRENT_ROLE | STRING;

// GRANT privileges ON objects TO roles, or GRANT roles TO roles (no ON). PRIVILEGES, TABLES,
// ADMIN and GRANTED are identifiers checked by the AST builder.
grantStatement
  : GRANT privilegeList (ON privilegeTarget)? TO granteeList
    (WITH (GRANT | identifier) OPTION)? (identifier BY roleSpec)?
  ;

revokeStatement
  : REVOKE ((GRANT | identifier) OPTION FOR)? privilegeList (ON privilegeTarget)?
    FROM granteeList (identifier BY roleSpec)? (CASCADE | RESTRICT)?
  ;

privilegeList
  : ALL identifier? (LPAREN nameList RPAREN)?
  | privilege (COMMA privilege)*
  ;

privilege: (SELECT | REFERENCES | CREATE | colId) (LPAREN nameList RPAREN)?;

privilegeTarget
  : TABLE? qualifiedName (COMMA qualifiedName)*
  | SEQUENCE qualifiedName (COMMA qualifiedName)*
  | SCHEMA colId (COMMA colId)*
  | DATABASE colId (COMMA colId)*
  | ALL (SEQUENCES | identifier) IN SCHEMA colId (COMMA colId)*
  | (FUNCTION | PROCEDURE | TYPE_P | DOMAIN_P) ~(TO | FROM | SEMI)*
  ;

granteeList: grantee (COMMA grantee)*;

grantee: GROUP? roleSpec;

// ALTER TABLE | SEQUENCE | VIEW | SCHEMA | DATABASE | TYPE | DOMAIN name OWNER TO role.
alterOwnerStatement
  : ALTER (TABLE | SEQUENCE | VIEW | MATERIALIZED VIEW | SCHEMA | DATABASE | TYPE_P | DOMAIN_P)
    (IF EXISTS)?
    qualifiedName OWNER TO roleSpec
  ;

// ALTER SCHEMA name RENAME TO new (RENAME is not a keyword: the AST builder checks it).
alterSchemaStatement: ALTER SCHEMA colId identifier TO colId;

// COMMENT ON object IS 'text' | NULL (parser/ast_builder_comment.cpp). The objects ActiveStore
// has; any other kind (the last alternative) is parsed so as to answer 0A000.
commentStatement
  : COMMENT ON commentTarget IS (stringLiteral | NULL_P)
  ;

commentTarget
  : commentRelationKind qualifiedName
  | COLUMN qualifiedName
  | (SCHEMA | DATABASE) colId
  | ROLE roleSpec
  | (TYPE_P | DOMAIN_P) qualifiedName
  | (FUNCTION | PROCEDURE) routineSignature
  | OPERATOR operatorSignature
  | (CONSTRAINT | TRIGGER) colId ON DOMAIN_P? qualifiedName
  | ~(IS | SEMI) ~(IS | SEMI)*
  ;

commentRelationKind: TABLE | VIEW | SEQUENCE | INDEX | MATERIALIZED VIEW | FOREIGN TABLE;

// ---- Cursors ----------------------------------------------------------------------------------

// DECLARE name [BINARY] [ASENSITIVE | INSENSITIVE] [[NO] SCROLL] CURSOR [{WITH | WITHOUT} HOLD]
// FOR query (the options in any order, as PostgreSQL's grammar takes them).
declareCursorStatement
  : DECLARE colId cursorOption* CURSOR ((WITH | WITHOUT) HOLD)? FOR selectStatement
  ;

cursorOption: BINARY | ASENSITIVE | INSENSITIVE | NO SCROLL | SCROLL;

// FETCH / MOVE [direction] [FROM | IN] name.
fetchStatement: (FETCH | MOVE) fetchDirection? (FROM | IN)? colId;

fetchDirection
  : NEXT
  | PRIOR
  | FIRST
  | LAST
  | ABSOLUTE_P signedInteger
  | RELATIVE_P signedInteger
  | signedInteger
  | ALL
  | FORWARD (signedInteger | ALL)?
  | BACKWARD (signedInteger | ALL)?
  ;

closeCursorStatement: CLOSE (ALL | colId);

// Statements that PostgreSQL has and ActiveStore does not: parsed so as to answer 0A000.
// CREATE COLLECTION [IF NOT EXISTS] name [WITH (...)]: ours (docs/design/2026-12-06-doc-match.md);
// COLLECTION is an unreserved keyword.
createCollectionStatement
  : CREATE COLLECTION (IF NOT EXISTS)? qualifiedName withOptions?
  ;

unsupportedStatement
  : CLUSTER
    ~SEMI*
  | ALTER ~(TABLE | MATERIALIZED | SEQUENCE | TYPE_P | DOMAIN_P | ROLE | USER | GROUP | FUNCTION | PROCEDURE | TRIGGER
           | SEMI)
    ~SEMI*
  | CREATE (OR REPLACE)? tempOption? unsupportedObject ~SEMI*
  | DROP unsupportedObject ~SEMI*
  ;

unsupportedObject
  : AGGREGATE | EXTENSION
  | {IsWord(_input->LT(1), "event")}? IDENT TRIGGER  // CREATE | DROP EVENT TRIGGER
  | RULE | POLICY
  ;

// ---- Triggers (parser/ast_builder_triggers.cpp) ----------------------------------------------

// BEFORE, AFTER, INSTEAD, EACH, STATEMENT, REFERENCING, OLD, NEW, DEFERRED and IMMEDIATE are
// not keywords here: the AST builder checks the identifiers.
createTriggerStatement
  : CREATE (OR REPLACE)? CONSTRAINT? TRIGGER colId identifier OF? triggerEvent (OR triggerEvent)*
    ON qualifiedName (FROM qualifiedName)? triggerAttribute* triggerReferencing?
    (FOR identifier? (ROW | identifier))? (WHEN LPAREN expr RPAREN)?
    EXECUTE (FUNCTION | PROCEDURE) qualifiedName LPAREN (triggerArg (COMMA triggerArg)*)? RPAREN
  ;

triggerEvent: INSERT | UPDATE (OF colId (COMMA colId)*)? | DELETE | TRUNCATE;

triggerAttribute: NOT? DEFERRABLE | INITIALLY identifier;

triggerReferencing: identifier (identifier (TABLE | ROW) AS? colId)+;

triggerArg: stringLiteral | signedNumber | colLabel;

dropTriggerStatement
  : DROP TRIGGER (IF EXISTS)? colId ON qualifiedName (CASCADE | RESTRICT)?
  ;

alterTriggerStatement: ALTER TRIGGER colId ON qualifiedName identifier TO colId;

// ---- Functions and procedures (parser/ast_builder_functions.cpp) ------------------------------

createFunctionStatement
  : CREATE (OR REPLACE)? (FUNCTION | PROCEDURE) qualifiedName
    LPAREN (routineParam (COMMA routineParam)*)? RPAREN
    (RETURNS (TABLE LPAREN routineColumn (COMMA routineColumn)* RPAREN | SETOF? routineType))?
    routineOption* routineBody?
  ;

routineParam: routineArg ((DEFAULT | EQ) expr)?;

routineArg
  : routineArgMode typeFunctionName? routineType
  | typeFunctionName routineArgMode? routineType
  | routineType
  ;

routineArgMode: IN OUT_P? | OUT_P | INOUT | VARIADIC;

routineType: typeName (PERCENT TYPE_P)?;

routineColumn: typeFunctionName routineType;

// Options are words checked by the AST builder (LANGUAGE sql, IMMUTABLE, STRICT, CALLED ON
// NULL INPUT, SECURITY DEFINER, COST 10, SET x TO y, ...).
routineOption
  : AS stringLiteral (COMMA stringLiteral)?
  | routineOptionWord
  ;

routineOptionWord
  : IDENT | QUOTED_IDENT | stringLiteral | signedNumber | ROWS | SET | TO | EQ | FROM | ON
  | NULL_P | NOT | RETURNS | WINDOW | DOT | COMMA | CURRENT_P | LOCAL | SESSION | TIME | ZONE
  ;

// The SQL-standard body.
routineBody
  : RETURN expr
  | BEGIN ATOMIC (routineBodyStatement? SEMI)* END
  ;

routineBodyStatement: preparableStatement | RETURN expr;

dropFunctionStatement
  : DROP (FUNCTION | PROCEDURE) (IF EXISTS)? routineSignature (COMMA routineSignature)*
    (CASCADE | RESTRICT)?
  ;

routineSignature: qualifiedName (LPAREN (routineArg (COMMA routineArg)*)? RPAREN)?;

alterFunctionStatement
  : ALTER (FUNCTION | PROCEDURE) routineSignature
    ( identifier TO colId                 // RENAME TO
    | OWNER TO roleSpec
    | SET SCHEMA colId
    | routineOption+ RESTRICT?
    )
  ;

callStatement: CALL funcCall;

doStatement: DO (stringLiteral | IDENT)+;

// Any tokens with balanced parentheses: window specifications, partition bounds, options.
balancedTokens: (~(LPAREN | RPAREN | SEMI) | LPAREN balancedTokens RPAREN)*;

// ---- Expressions ------------------------------------------------------------------------------

expr: orExpr;

orExpr: andExpr (OR andExpr)*;

andExpr: notExpr (AND notExpr)*;

notExpr: NOT* isExpr;

isExpr: comparisonExpr isSuffix*;

isSuffix
  : IS NOT? (NULL_P | TRUE_P | FALSE_P | UNKNOWN)
  | IS NOT? DISTINCT FROM comparisonExpr
  | ISNULL
  | NOTNULL
  ;

comparisonExpr
  : predicateExpr (comparisonOp (quantifiedOperand | predicateExpr | negatedOperand))?
  ;

// "a = NOT b": NOT binds looser than =, but PostgreSQL still accepts it on the right.
negatedOperand: NOT notExpr;

comparisonOp: EQ | NE | LT | GT | LE | GE;

quantifiedOperand: (ANY | SOME | ALL) LPAREN (selectStatement | expr) RPAREN;

predicateExpr
  : otherOpExpr
    ( NOT? BETWEEN (SYMMETRIC | ASYMMETRIC)? otherOpExpr AND otherOpExpr
    | NOT? IN LPAREN (selectStatement | exprList) RPAREN
    | NOT? (LIKE | ILIKE) quantifiedOperand
    | NOT? (LIKE | ILIKE) otherOpExpr (ESCAPE otherOpExpr)?
    | NOT? SIMILAR TO otherOpExpr (ESCAPE otherOpExpr)?
    | OVERLAPS otherOpExpr
    )?
  ;

otherOpExpr: additiveExpr (otherOperator additiveExpr)*;

// OPERATOR(pg_catalog.~): an operator named with its schema, at the precedence of any other
// operator (PostgreSQL's qual_Op), whatever the operator.
otherOperator: CONCAT | OP | qualifiedOperator;

qualifiedOperator: OPERATOR LPAREN (colId DOT)+ (anyOperator | CONCAT) RPAREN;

additiveExpr: multiplicativeExpr ((PLUS | MINUS) multiplicativeExpr)*;

multiplicativeExpr: powerExpr ((STAR | SLASH | PERCENT) powerExpr)*;

powerExpr: atTimeZoneExpr (CARET atTimeZoneExpr)*;

atTimeZoneExpr: unaryExpr (AT TIME ZONE unaryExpr | COLLATE anyName)*;

unaryExpr: (PLUS | MINUS | OP)* postfixExpr;

// x::type, x[i], x[lo:hi] (either bound may be omitted in a slice: x[:2], x[2:], x[:]), and a
// field of a row value: (x).f, (x).* (PostgreSQL's indirection).
postfixExpr
  : primary (TYPECAST typeName | LBRACKET (expr | expr? COLON expr?) RBRACKET | DOT (colLabel | STAR))*
  ;

primary
  : literal                                                                 # literalExpr
  | PARAM                                                                   # paramExpr
  | LPAREN selectStatement RPAREN                                           # subqueryExpr
  | EXISTS LPAREN selectStatement RPAREN                                    # existsExpr
  | LPAREN expr RPAREN                                                      # parenExpr
  | LPAREN expr (COMMA expr)+ RPAREN                                        # rowExpr
  | ROW LPAREN exprList? RPAREN                                             # rowExpr
  | ARRAY (arrayLiteral | LPAREN selectStatement RPAREN)                   # arrayExpr
  | CASE expr? (WHEN expr THEN expr)+ (ELSE expr)? END                      # caseExpr
  | CAST LPAREN expr AS typeName RPAREN                                     # castExpr
  | specialFunction                                                         # specialFunctionExpr
  | constTypeName STRING                                                    # typedLiteralExpr
  | INTERVAL (LPAREN ICONST RPAREN STRING | STRING intervalQualifier?)     # intervalLiteralExpr
  | funcCall                                                                # funcCallExpr
  | genericTypeName STRING                                                  # typedLiteralExpr
  | columnRef                                                               # columnRefExpr
  ;

// ARRAY[1, 2] or, for several dimensions, ARRAY[[1, 2], [3, 4]].
arrayLiteral: LBRACKET (exprList | arrayLiteral (COMMA arrayLiteral)*)? RBRACKET;

literal: ICONST | FCONST | stringLiteral | BSTRING | XSTRING | TRUE_P | FALSE_P | NULL_P;

// 'a' <newline> 'b' is one literal (SQL's continuation; checked by the AST builder).
stringLiteral: STRING+ | ESTRING | USTRING | DOLLAR_STRING;

intervalQualifier
  : (YEAR | MONTH | DAY | HOUR | MINUTE | SECOND intervalSecondPrecision?)
    (TO (MONTH | HOUR | MINUTE | SECOND intervalSecondPrecision?))?
  ;
intervalSecondPrecision: LPAREN ICONST RPAREN;

columnRef: colId (DOT (colLabel | STAR))*;

funcCall
  : funcName LPAREN (STAR | setQuantifier? funcArg (COMMA funcArg)* sortClause?)? RPAREN
    (WITHIN GROUP LPAREN sortClause RPAREN)? (FILTER LPAREN WHERE expr RPAREN)?
    (OVER (windowSpecification | colId))?
  ;

funcArg: VARIADIC? (colLabel (COLON_EQUALS | EQUALS_GREATER))? expr;

funcName: typeFunctionName | colId (DOT colLabel)+;

specialFunction
  : COALESCE LPAREN exprList RPAREN                                        # coalesceCall
  | NULLIF LPAREN expr COMMA expr RPAREN                                   # nullIfCall
  | (GREATEST | LEAST) LPAREN exprList RPAREN                              # greatestLeastCall
  | EXTRACT LPAREN (identifier | STRING)
    FROM expr RPAREN                                                       # extractCall
  | SUBSTRING LPAREN expr (FROM expr (FOR expr)? | FOR expr (FROM expr)?) RPAREN  # substringCall
  | SUBSTRING LPAREN exprList? RPAREN                                      # substringCall
  | SUBSTRING LPAREN expr SIMILAR expr ESCAPE expr RPAREN                  # substringCall
  | POSITION LPAREN otherOpExpr IN otherOpExpr RPAREN                      # positionCall
  | OVERLAY LPAREN expr PLACING expr FROM expr (FOR expr)? RPAREN          # overlayCall
  | OVERLAY LPAREN exprList? RPAREN                                        # overlayCall
  | TRIM LPAREN (BOTH | LEADING | TRAILING)? (expr? FROM)? exprList RPAREN # trimCall
  | ( CURRENT_DATE | CURRENT_TIME | CURRENT_TIMESTAMP | LOCALTIME | LOCALTIMESTAMP )
    (LPAREN ICONST RPAREN)?                                                # sqlValueFunction
  | ( CURRENT_USER | CURRENT_ROLE | SESSION_USER | USER | CURRENT_CATALOG )  # sqlValueFunction
  | CURRENT_SCHEMA (LPAREN RPAREN)?                                        # sqlValueFunction
  | GROUPING LPAREN exprList RPAREN                                        # groupingCall
  ;

exprList: expr (COMMA expr)*;

// ---- Types ------------------------------------------------------------------------------------

typeName
  : (simpleTypeName | INTERVAL (intervalQualifier | typeModifiers)? | genericTypeName) arrayBounds?
  ;

arrayBounds: (LBRACKET ICONST? RBRACKET)+ | ARRAY (LBRACKET ICONST RBRACKET)?;

// Types spelled with keywords; also usable as `TYPE 'literal'`.
constTypeName: simpleTypeName;

simpleTypeName
  : DOUBLE PRECISION                                                       # doubleType
  | (CHARACTER | CHAR | NCHAR | NATIONAL (CHARACTER | CHAR)) VARYING? typeModifiers?  # charType
  | VARCHAR typeModifiers?                                                 # charType
  | BIT VARYING? typeModifiers?                                            # bitType
  | (TIMESTAMP | TIME) typeModifiers? ((WITH | WITHOUT) TIME ZONE)?        # datetimeType
  | (INT | INTEGER | SMALLINT | BIGINT | REAL | BOOLEAN | FLOAT | DEC | DECIMAL | NUMERIC)
    typeModifiers?                                                         # numericType
  ;

genericTypeName: typeFunctionName (DOT colLabel)* typeModifiers?;

typeModifiers: LPAREN signedInteger (COMMA signedInteger)* RPAREN;

signedInteger: MINUS? ICONST;

signedNumber: (PLUS | MINUS)? (ICONST | FCONST);

// ---- Names ------------------------------------------------------------------------------------

qualifiedName: colId (DOT colLabel)*;

nameList: colId (COMMA colId)*;

anyName: colId (DOT colLabel)*;

anyOperator: OP | EQ | NE | LT | GT | LE | GE | PLUS | MINUS | STAR | SLASH | PERCENT | CARET;

// Identifiers: plain, quoted, or an unreserved keyword.
identifier: IDENT | QUOTED_IDENT | UIDENT | unreservedKeyword;

// Column, table, schema names.
colId: identifier | colNameKeyword;

// Function and type names.
typeFunctionName: identifier | typeFuncNameKeyword;

// After AS or a dot: any word at all.
colLabel: identifier | colNameKeyword | typeFuncNameKeyword | reservedKeyword;

// An output-column alias without AS: PostgreSQL's BARE_LABEL keywords. Words that can continue
// an expression (DAY in INTERVAL '1' DAY, FILTER, OVER...) need AS.
bareColLabel: IDENT | QUOTED_IDENT | bareLabelKeyword;


// ---- Keyword categories (PostgreSQL's kwlist.h) ------------------------------------------------

reservedKeyword
  : ALL | ANALYSE | ANALYZE | AND | ANY | ARRAY | AS | ASC | ASYMMETRIC | BOTH | CASE | CAST | CHECK
  | COLLATE | COLUMN | CONSTRAINT | CREATE | CURRENT_CATALOG | CURRENT_DATE | CURRENT_ROLE
  | CURRENT_TIME | CURRENT_TIMESTAMP | CURRENT_USER | DEFAULT | DEFERRABLE | DESC | DISTINCT | DO
  | ELSE | END | EXCEPT | FALSE_P | FETCH | FOR | FOREIGN | FROM | GRANT | GROUP | HAVING | IN
  | INITIALLY | INTERSECT | INTO | LATERAL | LEADING | LIMIT | LOCALTIME | LOCALTIMESTAMP | NOT
  | NULL_P | OFFSET | ON | ONLY | OR | ORDER | PLACING | PRIMARY | REFERENCES | RETURNING | SELECT
  | SESSION_USER | SOME | SYMMETRIC | TABLE | THEN | TO | TRAILING | TRUE_P | UNION | UNIQUE | USER
  | USING | VARIADIC | WHEN | WHERE | WINDOW | WITH
  ;

typeFuncNameKeyword
  : AUTHORIZATION | BINARY | CONCURRENTLY | CROSS | CURRENT_SCHEMA | FREEZE | FULL | ILIKE | INNER | IS
  | ISNULL | JOIN | LEFT | LIKE | NATURAL | NOTNULL | OUTER | OVERLAPS | RIGHT | SIMILAR
  | TABLESAMPLE | VERBOSE
  ;

colNameKeyword
  : BETWEEN | BIGINT | BIT | BOOLEAN | CHAR | CHARACTER | COALESCE | DEC | DECIMAL | EXISTS
  | EXTRACT | FLOAT | GREATEST | GROUPING | INT | INTEGER | INTERVAL | LEAST | NATIONAL | NCHAR | NULLIF
  | NUMERIC | OVERLAY | POSITION | PRECISION | REAL | ROW | SMALLINT | SUBSTRING | TIME
  | TIMESTAMP | TRIM | VALUES | VARCHAR | INOUT | OUT_P | SETOF
  ;

unreservedKeyword
  : ABORT | ABSOLUTE_P | ACTION | AGGREGATE | ALTER | ALWAYS | ASENSITIVE | AT | BACKWARD | BEGIN
  | BY | CACHE | CALL | CASCADE | CURSOR | FORWARD | HOLD | INSENSITIVE | MOVE | PRIOR | RELATIVE_P
  | SCROLL
  | CASCADED | CHAIN | CHARACTERISTICS | CHECKPOINT | CLOSE | CLUSTER | COLLECTION | COMMENT | COMMIT
  | COMMITTED | CONFLICT | CONTINUE | COPY | CUBE | CYCLE | DEPTH | BREADTH | SEARCH | DATA | DATABASE | DAY | DEALLOCATE | DECLARE | DELETE
  | DISCARD | DOMAIN_P | DOUBLE | DROP | ESCAPE | EXECUTE | EXPLAIN | EXTENSION | FILTER | FIRST
  | FUNCTION | GENERATED | GLOBAL | HOUR | IDENTITY | IF | INCLUDE | INCREMENT | INDEX | INHERIT
  | INHERITS | INSERT
  | ISOLATION | KEY | LAST | LEVEL | LISTEN | LOCAL | LOCK | LOCKED | MATCH | MATCHED | MATERIALIZED
  | MAXVALUE | MERGE | MINUTE | MINVALUE | MONTH | NAMES | NEXT | NO | NOTHING | NOTIFY | NOWAIT | NULLS
  | OF | OPERATOR | OPTION | ORDINALITY | OVER | OVERRIDING | OWNED | OWNER | PARTIAL | PARTITION
  | PLANS | POLICY | PREPARE | PREPARED | PRESERVE | PROCEDURE | PROGRAM | READ | RECURSIVE
  | REFRESH | REINDEX | RELEASE | REPEATABLE | REPLACE | RESET | RESTART | RESTRICT | REVOKE | ROLE
  | ROLLBACK | ROLLUP | ROWS | RULE | SAVEPOINT | SCHEMA | SECOND | SEQUENCE | SEQUENCES | SERIALIZABLE
  | CURRENT_P | EXCLUDE | FOLLOWING | GROUPS | OTHERS | PRECEDING | RANGE | UNBOUNDED
  | SESSION | SET | SETS | SHARE | SHOW | SIMPLE | SKIP_P | START | STDIN | STDOUT | STORED | SYSTEM_P
  | TEMP | TEMPORARY | TIES | TRANSACTION | TRIGGER | TRUNCATE | TYPE_P | UNCOMMITTED | UNKNOWN
  | UNLISTEN | UNLOGGED | UPDATE | VACUUM | VALUE_P | VARYING | VIEW | WITHIN | WITHOUT | WORK
  | WRITE | YEAR | ZONE | ATOMIC | RETURN | RETURNS
  ;

bareLabelKeyword
  : ABORT | ABSOLUTE_P | ACTION | AGGREGATE | ALTER | ALWAYS | ASENSITIVE | AT | BACKWARD | BEGIN
  | BINARY | BY | CACHE | CALL | CASCADE | CURSOR | FORWARD | HOLD | INSENSITIVE | MOVE | PRIOR
  | RELATIVE_P | SCROLL
  | CASCADED | CHAIN | CHARACTERISTICS | CHECKPOINT | CLOSE | CLUSTER | COLLECTION | COMMENT | COMMIT
  | COMMITTED | CONFLICT | CONTINUE | COPY | CUBE | CYCLE | DEPTH | BREADTH | SEARCH | DATA | DATABASE | DEALLOCATE | DECLARE | DELETE | DISCARD
  | DOMAIN_P | DOUBLE | DROP | ESCAPE | EXECUTE | EXPLAIN | EXTENSION | FIRST | FUNCTION | GENERATED
  | GLOBAL | GROUPING | IDENTITY | IF | INCLUDE | INCREMENT | INDEX | INHERIT | INHERITS | INSERT
  | ISOLATION | KEY | LAST | LEVEL
  | LISTEN | LOCAL | LOCK | LOCKED | MATCH | MATCHED | MATERIALIZED | MAXVALUE | MERGE | MINVALUE | NAMES | NEXT | NO
  | NOTHING | NOTIFY | NOWAIT | NULLS | OF | OPERATOR | OPTION | ORDINALITY | OVERRIDING | OWNED | OWNER | PARTIAL
  | PARTITION | PLANS | POLICY | PREPARE | PREPARED | PRESERVE | PROCEDURE
  | PROGRAM | READ | RECURSIVE | REFRESH | REINDEX | RELEASE | REPEATABLE | REPLACE | RESET
  | RESTART | RESTRICT | REVOKE | ROLE | ROLLBACK | ROLLUP | ROWS | RULE | SAVEPOINT | SCHEMA | SEQUENCE
  | CURRENT_P | EXCLUDE | FOLLOWING | GROUPS | OTHERS | PRECEDING | RANGE | UNBOUNDED
  | SEQUENCES | SERIALIZABLE | SESSION | SET | SETS | SHARE | SHOW | SIMPLE | SKIP_P | START | STDIN
  | STDOUT | STORED | SYSTEM_P | TABLESAMPLE | TEMP | TEMPORARY | TIES | TRANSACTION | TRIGGER | TRUNCATE | TYPE_P
  | UNCOMMITTED | UNKNOWN | UNLISTEN | UNLOGGED | UPDATE | VACUUM | VALUE_P | VIEW | WORK | WRITE
  | ZONE | ATOMIC | RETURN | RETURNS | INOUT | OUT_P | SETOF
  ;
